//! SuperBPE stage 2: extend inherited stage-1 merges with superword merges.
//!
//! Guarantees: [`extend`] performs the SuperBPE fork's `do_train_extend` (tokenizers-superbpe,
//! `models/bpe/trainer.rs`) on the same engine as plain BPE:
//! 1. specials, then the alphabet computed from the **stage-2** word counts, then words;
//! 2. pair counts and the queue (one entry per pair while replaying, as the fork's map);
//! 3. the inherited merges replayed in order, forced whatever their counts; a merge whose
//!    tokens are not in the vocabulary, or whose pair has no queue entry, is skipped; an entry
//!    created during replay replaces the pair's previous one (the fork's `HashMap::insert`);
//! 4. the ordinary greedy loop (stale counts re-pushed, stop at `vocab_size`, count < 1 or
//!    count < `min_frequency`) where a merge whose new token fails [`SuperFilters`] is dropped
//!    (popped, not re-pushed; it returns only if the pair later gains occurrences).
//!
//! Steps 2-3 run phrase by phrase (`replay.rs`), with the same result, wherever that is proven.
//!
//! With no inherited merges and no filters the result equals [`super::bpe::train`].
use super::bpe::{finish, BpeTrainerConfig, Phase, Progress, Trained};
use super::counts::WordCounts;
use super::engine::{pack, Engine, Entry, Ticker};
use super::pos::Pos;
use super::replay;
use crate::error::{Error, Result};
use rustc_hash::FxHashMap;
use std::collections::BinaryHeap;

/// The stage-2 merge filters of the fork (directory names `mw4_colon`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuperFilters {
    /// Refuse tokens with more than this many non-empty parts when split on `Ġ` (the space
    /// byte; `Ċ` does not separate). The fork uses 4.
    pub max_words: Option<usize>,
    /// Refuse tokens containing `:Ġ` (a colon followed by a space).
    pub forbid_colon_space: bool,
}

impl SuperFilters {
    /// The fork's settings: at most 4 words, no `:Ġ`.
    pub fn superbpe() -> SuperFilters {
        SuperFilters {
            max_words: Some(4),
            forbid_colon_space: true,
        }
    }

    /// No filtering.
    pub fn none() -> SuperFilters {
        SuperFilters {
            max_words: None,
            forbid_colon_space: false,
        }
    }

    /// Whether a merge creating `token` is allowed.
    pub fn allows(&self, token: &str) -> bool {
        if self.forbid_colon_space && token.contains(":Ġ") {
            return false;
        }
        if let Some(max) = self.max_words {
            if token.split('Ġ').filter(|s| !s.is_empty()).count() > max {
                return false;
            }
        }
        true
    }

    fn is_none(&self) -> bool {
        self.max_words.is_none() && !self.forbid_colon_space
    }
}

/// Where stage 1 hands over to stage 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    /// Inherit exactly this many stage-1 merges. (The fork's script runs
    /// `head -n t merges.txt`, whose first line is `#version`, so it inherits t - 1: pass
    /// `Merges(t - 1)` to reproduce a script run with t.)
    Merges(usize),
    /// Inherit the merges that bring the stage-1 vocabulary to this size:
    /// t - specials - alphabet merges (the paper's "transition point t" as a vocab size).
    VocabSize(usize),
}

impl Transition {
    /// Number of stage-1 merges to inherit; an error when stage 1 does not have that many or
    /// a vocab size is below its specials + alphabet.
    pub fn merge_count(&self, stage1: &Trained) -> Result<usize> {
        let base = stage1.special_count + stage1.alphabet_len;
        let n = match *self {
            Transition::Merges(n) => n,
            Transition::VocabSize(v) => v.checked_sub(base).ok_or_else(|| Error::InvalidField {
                field: "transition".into(),
                reason: format!(
                    "transition vocab size {v} is smaller than stage 1's {} special tokens plus \
                     {} alphabet chars",
                    stage1.special_count, stage1.alphabet_len
                ),
            })?,
        };
        if n > stage1.merges.len() {
            return Err(Error::InvalidField {
                field: "transition".into(),
                reason: format!(
                    "transition needs {n} stage-1 merges but stage 1 learned only {}; train \
                     stage 1 further or lower t",
                    stage1.merges.len()
                ),
            });
        }
        Ok(n)
    }

    /// The stage-1 merges to inherit.
    pub fn inherited<'a>(&self, stage1: &'a Trained) -> Result<&'a [(String, String)]> {
        Ok(&stage1.merges[..self.merge_count(stage1)?])
    }
}

/// What happened to the inherited merges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplayReport {
    /// Inherited merges made (they are the first `replayed` merges of the result).
    pub replayed: usize,
    /// Indices (into `inherited`) of the merges skipped: unknown token or pair not in the queue.
    pub skipped: Vec<usize>,
}

/// SuperBPE stage 2 (see the module doc).
pub fn extend(
    counts2: &WordCounts,
    inherited: &[(String, String)],
    cfg: &BpeTrainerConfig,
    filters: &SuperFilters,
    progress: &mut dyn FnMut(Progress),
) -> Result<Trained> {
    Ok(extend_detailed(counts2, inherited, cfg, filters, progress)?.0)
}

/// [`extend`] taking the word counts, which it drops once they are turned into symbols: the
/// stage-2 table of phrases is large (49 MB of text at 100 MB of corpus) and nothing reads it
/// after that, so its memory is reused by the pair lists.
pub fn extend_owned(
    counts2: WordCounts,
    inherited: &[(String, String)],
    cfg: &BpeTrainerConfig,
    filters: &SuperFilters,
    progress: &mut dyn FnMut(Progress),
) -> Result<Trained> {
    let mut t = Ticker::new(progress);
    let (e, replayed) = words(&counts2, inherited, cfg, true, &mut t)?;
    drop(counts2);
    Ok(stage2(e, replayed, inherited, filters, &mut t).0)
}

/// [`extend`], also reporting which inherited merges were replayed or skipped.
pub fn extend_detailed(
    counts2: &WordCounts,
    inherited: &[(String, String)],
    cfg: &BpeTrainerConfig,
    filters: &SuperFilters,
    progress: &mut dyn FnMut(Progress),
) -> Result<(Trained, ReplayReport)> {
    stage2_from(counts2, inherited, cfg, filters, progress, true)
}

/// [`extend_detailed`], replaying phrase by phrase (`replay.rs`) where it can when `encoded`,
/// else always the fork's way.
pub(super) fn stage2_from(
    counts2: &WordCounts,
    inherited: &[(String, String)],
    cfg: &BpeTrainerConfig,
    filters: &SuperFilters,
    progress: &mut dyn FnMut(Progress),
    encoded: bool,
) -> Result<(Trained, ReplayReport)> {
    let mut t = Ticker::new(progress);
    let (e, replayed) = words(counts2, inherited, cfg, encoded, &mut t)?;
    Ok(stage2(e, replayed, inherited, filters, &mut t))
}

/// Step 1: the engine with the stage-2 words, the inherited merges already replayed into them
/// (phrase by phrase, `replay.rs`) when `encoded` and that replay applies; else the words as
/// chars, for the fork's replay in [`stage2`].
fn words(
    counts2: &WordCounts,
    inherited: &[(String, String)],
    cfg: &BpeTrainerConfig,
    encoded: bool,
    t: &mut Ticker,
) -> Result<(Engine, Option<ReplayReport>)> {
    let mut e = Engine::vocabulary(counts2, cfg, t)?;
    let replayed = if encoded {
        replay::encode(&mut e, counts2, inherited, t)
    } else {
        None
    };
    if replayed.is_none() {
        e.fill_symbols(counts2, t);
    }
    Ok((e, replayed))
}

/// Steps 2-4 of the module doc on an engine holding the stage-2 words.
fn stage2(
    mut e: Engine,
    replayed: Option<ReplayReport>,
    inherited: &[(String, String)],
    filters: &SuperFilters,
    t: &mut Ticker,
) -> (Trained, ReplayReport) {
    let entries = e.count_pairs(t);
    if let Some(report) = replayed {
        return (greedy(e, entries.into_iter().collect(), filters, t), report);
    }
    // The fork's map pair -> entry; the pair is the key only (an entry's own copy would cost
    // 8 bytes on each of millions of entries).
    let mut queue: FxHashMap<u64, (u64, Pos)> = entries
        .into_iter()
        .map(|x| (x.pair, (x.count, x.pos)))
        .collect();
    let mut report = ReplayReport::default();
    let total = inherited.len() as u64;
    t.tick(Phase::Replay, 0, total);
    for (i, (left, right)) in inherited.iter().enumerate() {
        let ids = (e.word_to_id.get(left), e.word_to_id.get(right));
        let (Some(&a), Some(&b)) = ids else {
            report.skipped.push(i);
            continue;
        };
        let pair = pack(a, b);
        let Some((_, pos)) = queue.remove(&pair) else {
            report.skipped.push(i);
            continue;
        };
        let token = e.new_token(pair);
        e.apply(pair, token, &pos, &mut |x| {
            queue.insert(x.pair, (x.count, x.pos));
        });
        report.replayed += 1;
        t.tick(Phase::Replay, i as u64 + 1, total);
    }
    t.tick(Phase::Replay, total, total);
    let heap: BinaryHeap<Entry> = queue
        .into_iter()
        .map(|(pair, (count, pos))| Entry { count, pair, pos })
        .collect();
    (greedy(e, heap, filters, t), report)
}

/// Step 4 of the module doc.
fn greedy(
    mut e: Engine,
    heap: BinaryHeap<Entry>,
    filters: &SuperFilters,
    t: &mut Ticker,
) -> Trained {
    let allow = |s: &str| filters.allows(s);
    let allow: Option<&dyn Fn(&str) -> bool> = if filters.is_none() {
        None
    } else {
        Some(&allow)
    };
    e.run(heap, allow, t);
    finish(e)
}

#[cfg(test)]
mod tests {
    use super::super::bpe::train;
    use super::super::counts::Counter;
    use super::*;
    use crate::tokenizer::pretokenize::PreTokenizer;

    fn m(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|&(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn count(name: &str, text: &str) -> WordCounts {
        let c = Counter::new(PreTokenizer::by_name(name).unwrap(), true);
        let mut wc = WordCounts::new();
        c.count_lines(text, &mut wc);
        wc
    }

    #[test]
    fn train_superbpe_filters() {
        let f = SuperFilters::superbpe();
        assert!(f.allows("ĠofĠtheĠbestĠway"));
        assert!(!f.allows("ĠofĠtheĠbestĠwayĠto"));
        assert!(f.allows("aĠbĠcĠdĊĊ"));
        assert!(!f.allows("note:Ġ"));
        assert!(f.allows("note:"));
        assert!(SuperFilters::none().allows("a:ĠbĠcĠdĠeĠf"));
    }

    #[test]
    fn train_superbpe_hand_traced() {
        // Stage-2 words (spaces kept): "a b"x3 "a c"x1. Alphabet: Ġ=? sorted by code point:
        // a=0 b=1 c=2 Ġ=3 (U+0120). Pairs: (a,Ġ) 4, (Ġ,b) 3, (Ġ,c) 1.
        // Inherited [("Ġ","b"), ("x","y"), ("Ġ","c")]: Ġb forced first (count 3 < 4 but forced),
        // "x" unknown -> skipped, Ġc forced. Then greedy: (a,Ġb) 3 -> "aĠb", (a,Ġc) 1 -> "aĠc".
        let mut wc = WordCounts::new();
        wc.add("aĠb", 3);
        wc.add("aĠc", 1);
        let inh = m(&[("Ġ", "b"), ("x", "y"), ("Ġ", "c")]);
        let cfg = BpeTrainerConfig::new(20);
        let (t, rep) =
            extend_detailed(&wc, &inh, &cfg, &SuperFilters::superbpe(), &mut |_| {}).unwrap();
        assert_eq!(
            rep,
            ReplayReport {
                replayed: 2,
                skipped: vec![1]
            }
        );
        assert_eq!(
            t.merges,
            m(&[("Ġ", "b"), ("Ġ", "c"), ("a", "Ġb"), ("a", "Ġc")])
        );
        // Plain BPE would merge (a,Ġ) first.
        assert_eq!(
            train(&wc, &cfg, &mut |_| {}).unwrap().merges[0],
            m(&[("a", "Ġ")])[0]
        );
        // Filter: with forbid ":Ġ", "a:" + "Ġb" is refused and never comes back.
        let mut wc = WordCounts::new();
        wc.add("a:Ġb", 5);
        let (t, _) =
            extend_detailed(&wc, &[], &cfg, &SuperFilters::superbpe(), &mut |_| {}).unwrap();
        assert!(t.vocab.iter().all(|v| !v.contains(":Ġ")), "{:?}", t.vocab);
        assert_eq!(t.merges.len(), 2, "{:?}", t.merges);
    }

    fn corpus() -> String {
        let p = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../corpora/en/shakespeare-tempest.txt"
        );
        let s = std::fs::read_to_string(p).unwrap();
        s[..s[..60_000].rfind('\n').unwrap() + 1].to_string()
    }

    #[test]
    fn train_narrow_and_wide_symbols_agree() {
        // A vocab of 65,536 stores symbols as u16, one more as u32; this corpus runs out of pairs
        // long before either size, so both must learn the same merges, in both stages.
        let text = corpus();
        let wc1 = count("superbpe-stage1", &text);
        let (narrow, wide) = (
            BpeTrainerConfig::new(1 << 16),
            BpeTrainerConfig::new((1 << 16) + 1),
        );
        let a = train(&wc1, &narrow, &mut |_| {}).unwrap();
        assert!(
            a.merges.len() > 4000 && a.vocab.len() < 1 << 16,
            "{}",
            a.merges.len()
        );
        assert_eq!(a, train(&wc1, &wide, &mut |_| {}).unwrap());
        let wc2 = count("superbpe", &text);
        let inh = &a.merges[..1500];
        let f = SuperFilters::superbpe();
        let b = extend(&wc2, inh, &narrow, &f, &mut |_| {}).unwrap();
        assert!(b.merges.len() > a.merges.len(), "{}", b.merges.len());
        assert_eq!(b, extend(&wc2, inh, &wide, &f, &mut |_| {}).unwrap());
    }

    #[test]
    fn train_superbpe_no_inherit_no_filter_equals_bpe() {
        let wc = count("superbpe", &corpus());
        let cfg = BpeTrainerConfig::new(1200);
        let a = train(&wc, &cfg, &mut |_| {}).unwrap();
        let b = extend(&wc, &[], &cfg, &SuperFilters::none(), &mut |_| {}).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn train_superbpe_replay_and_filters_on_corpus() {
        let text = corpus();
        let s1 = train(
            &count("superbpe-stage1", &text),
            &BpeTrainerConfig::new(800),
            &mut |_| {},
        )
        .unwrap();
        let inh = Transition::Merges(400).inherited(&s1).unwrap();
        assert_eq!(
            Transition::VocabSize(s1.alphabet_len + 400)
                .merge_count(&s1)
                .unwrap(),
            400
        );
        assert!(Transition::Merges(10_000).merge_count(&s1).is_err());
        let wc2 = count("superbpe", &text);
        let cfg = BpeTrainerConfig::new(1500);
        let (t, rep) =
            extend_detailed(&wc2, inh, &cfg, &SuperFilters::superbpe(), &mut |_| {}).unwrap();
        // The replayed merges come first, in order, and are the inherited minus the skipped.
        let kept: Vec<_> = inh
            .iter()
            .enumerate()
            .filter(|(i, _)| !rep.skipped.contains(i))
            .map(|(_, x)| x.clone())
            .collect();
        assert_eq!(rep.replayed, kept.len());
        assert_eq!(&t.merges[..kept.len()], &kept[..]);
        assert!(
            rep.skipped.len() * 20 < inh.len(),
            "skipped {:?}",
            rep.skipped
        );
        // Every token learned after the replay passes the filters; superwords do form.
        let learned: Vec<String> = t.merges[kept.len()..]
            .iter()
            .map(|(a, b)| format!("{a}{b}"))
            .collect();
        assert!(learned.iter().all(|x| SuperFilters::superbpe().allows(x)));
        assert!(
            learned.iter().any(|x| x.matches('Ġ').count() >= 2),
            "no superwords"
        );
        assert_eq!(t.vocab.len(), 1500);
        let owned = extend_owned(wc2, inh, &cfg, &SuperFilters::superbpe(), &mut |_| {}).unwrap();
        assert_eq!(owned, t);
    }
}
