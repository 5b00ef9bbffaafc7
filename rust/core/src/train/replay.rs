//! SuperBPE stage 2's replay of the inherited merges, done phrase by phrase as the phrases are
//! read, so the stage never holds its phrases char by char.
//!
//! Why: at 3 GB of corpus stage 2 has 29.4 M distinct phrases of 928 M chars. Replayed the
//! fork's way (all phrases as chars, pair lists for every char pair, then each inherited merge
//! over its list) that is 1.86 GB of symbols plus their pair lists before the first merge, past
//! wasm32's 4 GiB; encoded first, the symbols are the ~4x fewer tokens after the replay.
//!
//! Guarantee: the engine left here is the one the fork's replay leaves, up to queue entries that
//! cannot change a merge, so the merges, vocabulary and ids are identical. That holds when every
//! inherited merge creates a string no other inherited merge creates and that is not already in
//! the vocabulary (each token is then created once, by one merge) and tokens have no length limit;
//! otherwise [`encode`] declines and the caller replays the fork's way. Under those conditions:
//! - a pair (x, y) first occurs when its later token is created, and all its occurrences are made
//!   then (nothing creates x or y again), so the queue entry made at that moment lists every word
//!   that will ever hold it: each inherited merge therefore reaches every word holding its pair,
//!   and replaying merges in order over all words equals encoding each word alone by merge rank
//!   (lowest rank first, left to right, as HF's `Word::merge_all`);
//! - an inherited merge is made (not skipped) iff its pair is present, at the end of some earlier
//!   merge's pass (or before the first), in a word of positive count: the fork gives a pair a
//!   queue entry only if its total count is positive after the pass that made it, so a pair made
//!   and undone within one pass, or only in words of count 0, gets none;
//! - pair counts after the replay are the occurrences in the encoded words, except that a merged
//!   pair keeps the count it had (HF never decrements the merged pair): the number of merges of it
//!   made in each word times the word's count;
//! - the fork's entries after the replay hold counts at least the current ones and word lists that
//!   contain the current ones; a stale count is refreshed when popped and a word without the pair
//!   changes nothing, so fresh entries from the encoded words pick the same merges.
use super::config::Phase;
use super::counts::WordCounts;
use super::engine::{pack, Engine, Ticker};
use super::superbpe::ReplayReport;
use super::syms::{Sym, Syms, NARROW_MAX_VOCAB};
use crate::tokenizer::ids::NONE;
use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Replays `inherited` into `e` (vocabulary only, no words yet) from the words of `wc`; `None`
/// (and `e` untouched) when the conditions of the module doc do not hold.
pub(super) fn encode(
    e: &mut Engine,
    wc: &WordCounts,
    inherited: &[(String, String)],
    t: &mut Ticker,
) -> Option<ReplayReport> {
    if e.max_len != usize::MAX || !e.merges.is_empty() {
        return None;
    }
    let base = e.vocab.len() as u32;
    if let Syms::Narrow(_) = e.syms {
        if base as usize + inherited.len() > NARROW_MAX_VOCAB {
            return None;
        }
    }
    // Provisional ids: merge i creates base + i. Which merges are made, and so the final ids,
    // is known only once every word has been seen.
    let mut made: FxHashMap<String, u32> = FxHashMap::default();
    let mut rank: FxHashMap<u64, u32> = FxHashMap::default();
    let mut pairs: Vec<u64> = Vec::with_capacity(inherited.len());
    for (i, (l, r)) in inherited.iter().enumerate() {
        let id = |s: &String| {
            e.word_to_id
                .get(s)
                .or_else(|| made.get(s))
                .copied()
                .unwrap_or(NONE)
        };
        let (a, b) = (id(l), id(r));
        let p = if a == NONE || b == NONE {
            u64::MAX
        } else {
            pack(a, b)
        };
        let mut s = String::with_capacity(l.len() + r.len());
        s.push_str(l);
        s.push_str(r);
        if e.word_to_id.contains_key(&s) || made.insert(s, base + i as u32).is_some() {
            return None;
        }
        if p != u64::MAX {
            rank.insert(p, i as u32);
        }
        pairs.push(p);
    }

    let ids = e.char_ids();
    let n = wc.len();
    let mut seen = vec![false; inherited.len()];
    let mut done = vec![0u64; inherited.len()];
    let mut w = WordEncoder::default();
    let mut out: Vec<u32> = Vec::new();
    let mut starts = Vec::new();
    let mut lens = Vec::new();
    let mut counts = Vec::new();
    let chars: usize = (0..n)
        .filter(|&i| wc.count(i) > 0)
        .map(|i| wc.word(i).chars().count())
        .sum();
    // After the replay a phrase holds far fewer symbols than chars (~4x at 24,000 merges on
    // English); a third is a reserve that rarely grows and is trimmed at the end.
    let mut syms = match e.syms {
        Syms::Narrow(_) => Syms::Narrow(Vec::with_capacity(chars / 3)),
        Syms::Wide(_) => Syms::Wide(Vec::with_capacity(chars / 3)),
    };
    t.tick(Phase::Replay, 0, n as u64);
    for i in 0..n {
        let c = wc.count(i);
        // A word of count 0 adds nothing to any count and gives no pair a queue entry.
        if c == 0 {
            continue;
        }
        out.clear();
        out.extend(
            wc.word(i)
                .chars()
                .map(|ch| ids.get(ch))
                .filter(|&id| id != NONE),
        );
        w.merge_all(&mut out, &rank, &pairs, base, &mut seen, &mut |r| {
            done[r as usize] += c
        });
        if out.len() >= 2 {
            let start = match &mut syms {
                Syms::Narrow(v) => push(v, &out),
                Syms::Wide(v) => push(v, &out),
            };
            starts.push(start);
            lens.push(out.len() as u32);
            counts.push(c);
        }
        t.tick(Phase::Replay, i as u64, n as u64);
    }

    // The merges made, in order, with their final ids.
    let mut report = ReplayReport::default();
    let mut final_id = vec![NONE; inherited.len()];
    let fin = |id: u32, final_id: &[u32]| {
        if id < base {
            id
        } else {
            final_id[(id - base) as usize]
        }
    };
    for (i, &p) in pairs.iter().enumerate() {
        if p == u64::MAX || !seen[i] {
            report.skipped.push(i);
            continue;
        }
        let (a, b) = ((p >> 32) as u32, p as u32);
        let pair = pack(fin(a, &final_id), fin(b, &final_id));
        let id = e.vocab.len() as u32;
        let token = e.new_token(pair);
        e.tok_len.push(token.chars().count());
        e.word_to_id.insert(token.clone(), id);
        e.vocab.push(token);
        e.merges.push((pair, id));
        final_id[i] = id;
        if done[i] > 0 {
            e.pair_counts.insert(pair, done[i] as i64);
        }
        report.replayed += 1;
    }
    match &mut syms {
        Syms::Narrow(v) => remap(v, base, &final_id),
        Syms::Wide(v) => remap(v, base, &final_id),
    }
    e.syms = syms;
    e.starts = starts;
    e.lens = lens;
    e.counts = counts;
    t.tick(Phase::Replay, n as u64, n as u64);
    Some(report)
}

fn push<S: Sym>(v: &mut Vec<S>, word: &[u32]) -> usize {
    let start = v.len();
    v.extend(word.iter().map(|&id| S::from_id(id)));
    start
}

fn remap<S: Sym>(v: &mut Vec<S>, base: u32, final_id: &[u32]) {
    for s in v.iter_mut() {
        let id = s.id();
        if id >= base {
            *s = S::from_id(final_id[(id - base) as usize]);
        }
    }
    v.shrink_to_fit();
}

/// One word merged by rank: a linked list over the symbols and a heap of (rank, position).
#[derive(Default)]
struct WordEncoder {
    prev: Vec<u32>,
    next: Vec<u32>,
    alive: Vec<bool>,
    heap: BinaryHeap<Reverse<(u32, u32)>>,
    made: Vec<(u32, u32)>,
}

impl WordEncoder {
    /// Merges `word` in place (ids: below `base` as given, merge i creates `base + i`), marking
    /// in `seen` every merge whose pair ever occurs and calling `merged` once per merge made.
    fn merge_all(
        &mut self,
        word: &mut Vec<u32>,
        rank: &FxHashMap<u64, u32>,
        pairs: &[u64],
        base: u32,
        seen: &mut [bool],
        merged: &mut impl FnMut(u32),
    ) {
        let n = word.len();
        if n < 2 {
            return;
        }
        self.prev.clear();
        self.next.clear();
        self.alive.clear();
        self.heap.clear();
        self.prev.extend((0..n as u32).map(|i| i.wrapping_sub(1)));
        self.next.extend(1..=n as u32);
        self.alive.resize(n, true);
        for i in 0..n - 1 {
            if let Some(&r) = rank.get(&pack(word[i], word[i + 1])) {
                seen[r as usize] = true;
                self.heap.push(Reverse((r, i as u32)));
            }
        }
        // A pair made during a merge's pass may be undone later in the same pass ("ĠĠĠĠ" under
        // (Ġ, Ġ) makes and breaks (ĠĠ, Ġ)); the fork gives it a queue entry only if it is still
        // there when the pass ends, so pairs made in a pass are checked when it ends.
        self.made.clear();
        let mut pass = u32::MAX;
        loop {
            let top = self.heap.pop();
            let r = top.map_or(u32::MAX, |Reverse((r, _))| r);
            if r != pass {
                for &(r2, at) in &self.made {
                    let i = at as usize;
                    let j = self.next[i] as usize;
                    if self.alive[i] && j < n && pack(word[i], word[j]) == pairs[r2 as usize] {
                        seen[r2 as usize] = true;
                    }
                }
                self.made.clear();
                pass = r;
            }
            let Some(Reverse((r, at))) = top else { break };
            let i = at as usize;
            if !self.alive[i] {
                continue;
            }
            let j = self.next[i] as usize;
            if j >= n || pack(word[i], word[j]) != pairs[r as usize] {
                continue;
            }
            let new_id = base + r;
            merged(r);
            word[i] = new_id;
            self.alive[j] = false;
            let k = self.next[j];
            self.next[i] = k;
            if (k as usize) < n {
                self.prev[k as usize] = at;
            }
            let p = self.prev[i];
            if p != u32::MAX {
                if let Some(&r2) = rank.get(&pack(word[p as usize], new_id)) {
                    self.heap.push(Reverse((r2, p)));
                    self.made.push((r2, p));
                }
            }
            if (k as usize) < n {
                if let Some(&r2) = rank.get(&pack(new_id, word[k as usize])) {
                    self.heap.push(Reverse((r2, at)));
                    self.made.push((r2, at));
                }
            }
        }
        let mut o = 0;
        let mut i = 0usize;
        while i < n {
            word[o] = word[i];
            o += 1;
            i = self.next[i] as usize;
        }
        word.truncate(o);
    }
}

#[cfg(test)]
mod tests {
    use super::super::bpe::{train, BpeTrainerConfig, Trained};
    use super::super::counts::Counter;
    use super::super::superbpe::{stage2_from, SuperFilters};
    use super::*;
    use crate::tokenizer::pretokenize::PreTokenizer;
    use proptest::prelude::*;

    fn count(name: &str, text: &str) -> WordCounts {
        let c = Counter::new(PreTokenizer::by_name(name).unwrap(), true);
        let mut wc = WordCounts::new();
        c.count_lines(text, &mut wc);
        wc
    }

    /// Stage 2 both ways; panics unless the phrase-by-phrase replay ran and agrees.
    fn both(
        wc: &WordCounts,
        inh: &[(String, String)],
        cfg: &BpeTrainerConfig,
        f: &SuperFilters,
    ) -> (Trained, ReplayReport) {
        let mut t = |_| {};
        let mut tick = Ticker::new(&mut t);
        let mut e = Engine::vocabulary(wc, cfg, &mut tick).unwrap();
        assert!(encode(&mut e, wc, inh, &mut tick).is_some(), "declined");
        let fast = stage2_from(wc, inh, cfg, f, &mut |_| {}, true).unwrap();
        let slow = stage2_from(wc, inh, cfg, f, &mut |_| {}, false).unwrap();
        assert_eq!(fast.1, slow.1, "replay reports differ");
        assert_eq!(fast.0.merges, slow.0.merges, "merges differ");
        assert_eq!(fast.0, slow.0);
        fast
    }

    fn file(name: &str) -> String {
        let p = format!("{}/../../corpora/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(p).unwrap()
    }

    #[test]
    fn replay_by_phrase_equals_the_forks_on_corpora() {
        let texts = [
            file("en/shakespeare-tempest.txt"),
            file("en/milton-areopagitica.txt"),
            file("code/python/argparse.py"),
        ];
        for text in &texts {
            let text = &text[..text[..150_000.min(text.len())].rfind('\n').unwrap() + 1];
            let s1 = train(
                &count("superbpe-stage1", text),
                &BpeTrainerConfig::new(6000),
                &mut |_| {},
            )
            .unwrap();
            let wc2 = count("superbpe", text);
            for (t, vocab) in [(0, 3000), (200, 3000), (2000, 4000), (4000, 7000)] {
                let t = t.min(s1.merges.len());
                for f in [SuperFilters::superbpe(), SuperFilters::none()] {
                    let (tr, rep) = both(&wc2, &s1.merges[..t], &BpeTrainerConfig::new(vocab), &f);
                    assert!(tr.merges.len() > rep.replayed, "{t} {vocab}");
                }
            }
        }
    }

    #[test]
    fn replay_by_phrase_declines_what_it_cannot_prove() {
        let mut wc = WordCounts::new();
        wc.add("abcĠabc", 3);
        let run = |inh: &[(&str, &str)], cfg: &BpeTrainerConfig| {
            let inh: Vec<(String, String)> = inh
                .iter()
                .map(|&(a, b)| (a.to_string(), b.to_string()))
                .collect();
            let mut t = |_| {};
            let mut tick = Ticker::new(&mut t);
            let mut e = Engine::vocabulary(&wc, cfg, &mut tick).unwrap();
            encode(&mut e, &wc, &inh, &mut tick).is_some()
        };
        let cfg = BpeTrainerConfig::new(100);
        assert!(run(&[("a", "b"), ("ab", "c")], &cfg));
        // "abc" made twice: the second creation would add occurrences to old pairs.
        assert!(!run(
            &[("a", "b"), ("b", "c"), ("ab", "c"), ("a", "bc")],
            &cfg
        ));
        // A result that is already a token (here a special).
        let mut special = cfg.clone();
        special.special_tokens = vec!["ab".into()];
        assert!(!run(&[("a", "b")], &special));
        // Length-limited pairs are not all counted, so counts do not follow occurrences.
        let mut limited = cfg.clone();
        limited.max_token_length = Some(3);
        assert!(!run(&[("a", "b")], &limited));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// Small alphabets make runs ("aaaa"), pairs consumed before their turn, merges whose
        /// pair never occurs, words of count 0 and stage-1 merges learned on other text.
        #[test]
        fn replay_by_phrase_equals_the_forks_on_random_text(
            stage1 in proptest::collection::vec(("[abcĠ]{1,9}", 1u64..5), 1..30),
            stage2 in proptest::collection::vec(("[abcdĠ]{1,14}", 0u64..6), 1..30),
            t in 0usize..40,
            extra in 0usize..30,
            filter in any::<bool>(),
        ) {
            let mut wc1 = WordCounts::new();
            for (w, c) in &stage1 {
                wc1.add(w, *c);
            }
            let s1 = train(&wc1, &BpeTrainerConfig::new(60), &mut |_| {}).unwrap();
            let mut wc2 = WordCounts::new();
            for (w, c) in &stage2 {
                wc2.add(w, *c);
            }
            if (0..wc2.len()).all(|i| wc2.count(i) == 0) {
                return Ok(());
            }
            let t = t.min(s1.merges.len());
            let f = if filter { SuperFilters::superbpe() } else { SuperFilters::none() };
            let mut cfg = BpeTrainerConfig::new(5 + t + extra);
            cfg.special_tokens = vec!["<s>".into()];
            let mut tk = |_| {};
            let mut tick = Ticker::new(&mut tk);
            let Ok(mut e) = Engine::vocabulary(&wc2, &cfg, &mut tick) else {
                return Ok(());
            };
            if encode(&mut e, &wc2, &s1.merges[..t], &mut tick).is_none() {
                return Ok(());
            }
            both(&wc2, &s1.merges[..t], &cfg, &f);
        }
    }
}
