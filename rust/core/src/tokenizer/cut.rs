//! Cut points: where a text can be split so that encoding the parts one after the other gives the
//! ids of encoding it whole. What lets `encode` hold only a bounded window of a long input (the
//! CLI streams stdin through it; the core encodes long texts block by block with it).
//!
//! A cut point p is right after a "\n" or right before a " " whose neighbours on both sides are
//! letters or digits (`\p{L}`, `\p{N}` as the pretokenizer sees them): `word\n|word`,
//! `word| word`. Cuts are offered only for tokenizers whose every stage is provably indifferent
//! to such a cut ([`Tokenizer::cuttable`]); for the others (no pretokenizer, Metaspace, a
//! prefix space, Strip/Prepend/Replace normalizers, added tokens holding or stripping
//! whitespace) there is no cut point and the text is encoded whole.
//!
//! Why exact: the separator is whitespace flanked by letters/digits, so
//! - an added token cannot cover it (none holds whitespace), `lstrip`/`rstrip` cannot reach it (no
//!   token strips), and `single_word` sees a non-word char or a text end on that side either way;
//! - NFC/NFD/NFKC/NFKD and lowercasing act on runs that the separator (a starter that composes
//!   with nothing) ends, so normalizing the parts gives the parts of the normalized text;
//! - the first splitting pretokenizer is a scanner of the GPT-2 / Llama-3 / Qwen2 / cl100k / o200k
//!   pattern, HF `Whitespace`, or a whitespace split: none has a match holding a letter/digit and
//!   the whitespace after it, or "\n" and the letter/digit after it; a scanner restarts from each
//!   match end with no look-behind, so the matches after p are those of the text from p; and the
//!   matches before p end where they would if the text went on (a run of letters, digits or
//!   punctuation stops at the separator; a whitespace run before p ends at "\n", whose look-ahead
//!   `(?!\S)` / `$` sees a letter/digit or the text end, which both alternatives then treat alike:
//!   see the tests, which compare every allowed pretokenizer on texts cut at every cut point);
//! - later pretokenizers of a sequence split each piece on its own, the model encodes each piece
//!   on its own, and the post-processor's tokens go around the whole (`encode_part`).
use crate::tokenizer::normalizers::Normalizer;
use crate::tokenizer::pretokenize::chars::{class_of, L, N};
use crate::tokenizer::pretokenize::{Behavior, CharClass, Matcher, PreTokenizer};
use crate::tokenizer::{Tokenizer, Transform};

const LN: u16 = L | N;

/// Texts longer than this are encoded block by block (blocks end at cut points).
pub const BLOCK: usize = 1 << 20;

impl Tokenizer {
    /// Whether this tokenizer has cut points at all (see the module doc).
    pub fn cuttable(&self) -> bool {
        self.transform == Transform::None
            && self.normalizer.as_ref().is_none_or(local_normalizer)
            && self.pre_tokenizer.as_ref().is_some_and(cuts_pieces)
            && self.added.iter().all(|t| {
                !t.lstrip
                    && !t.rstrip
                    && !t.content.chars().any(char::is_whitespace)
                    && !self.normalizer.as_ref().is_some_and(|n| {
                        n.normalize_str(&t.content).chars().any(char::is_whitespace)
                    })
            })
    }

    /// The last cut point of `text` at or before `limit` and after 0, if any.
    pub fn last_cut(&self, text: &str, limit: usize) -> Option<usize> {
        if !self.cuttable() {
            return None;
        }
        last_cut_point(text, limit)
    }

    /// Encodes `text`, a part of a longer input cut at cut points: the post-processor's leading
    /// tokens only on the `first` part, its trailing ones only on the `last`.
    pub fn encode_part(
        &self,
        text: &str,
        add_special_tokens: bool,
        first: bool,
        last: bool,
    ) -> Vec<u32> {
        let ids = self.encode(text, false);
        self.wrap_part(ids, add_special_tokens, first, last)
    }

    /// `encode` of a text longer than [`BLOCK`] on a cuttable tokenizer: block by block.
    pub(crate) fn encode_blocks(&self, text: &str, add_special_tokens: bool) -> Vec<u32> {
        let mut ids = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let end = if rest.len() <= BLOCK {
                rest.len()
            } else {
                last_cut_point(rest, BLOCK)
                    .or_else(|| next_cut_point(rest, BLOCK))
                    .unwrap_or(rest.len())
            };
            let part = self.encode_full(&rest[..end], false, false).ids;
            // A text with no cut point is one part: its ids moved, not copied (twice their size).
            if ids.is_empty() {
                ids = part;
            } else {
                ids.extend(part);
            }
            rest = &rest[end..];
        }
        self.wrap_part(ids, add_special_tokens, true, true)
    }

    fn wrap_part(
        &self,
        mut ids: Vec<u32>,
        add_special_tokens: bool,
        first: bool,
        last: bool,
    ) -> Vec<u32> {
        if add_special_tokens {
            if let Some(p) = &self.post_processor {
                let (before, after) = p.wrap();
                if first {
                    ids.splice(0..0, before);
                }
                if last {
                    ids.extend(after);
                }
            }
        }
        ids
    }
}

/// The first p ≥ `from` that is a cut point of `text`.
fn next_cut_point(text: &str, from: usize) -> Option<usize> {
    (from.max(1)..text.len()).find(|&p| is_cut(text, p))
}

/// The last p in 1..=limit (and < text.len()) that is a cut point of `text`.
pub fn last_cut_point(text: &str, limit: usize) -> Option<usize> {
    last_cut_between(text, 1, limit)
}

/// The last p in from..=limit (p ≥ 1 and < text.len()) that is a cut point of `text`.
pub fn last_cut_between(text: &str, from: usize, limit: usize) -> Option<usize> {
    let mut p = limit.min(text.len().saturating_sub(1));
    while p >= from.max(1) {
        if is_cut(text, p) {
            return Some(p);
        }
        p -= 1;
    }
    None
}

/// `x\n|y` or `x| y` with x and y letters or digits.
fn is_cut(text: &str, p: usize) -> bool {
    let s = text.as_bytes();
    let (sep_at, after) = match (s[p - 1], s.get(p)) {
        (b'\n', Some(_)) => (p - 1, p),
        (_, Some(b' ')) => (p, p + 1),
        _ => return false,
    };
    let before = text[..sep_at].chars().next_back();
    let after = text.get(after..).and_then(|t| t.chars().next());
    matches!((before, after), (Some(a), Some(b)) if class_of(a) & LN != 0 && class_of(b) & LN != 0)
}

fn local_normalizer(n: &Normalizer) -> bool {
    match n {
        Normalizer::Unicode(_) | Normalizer::Lowercase => true,
        Normalizer::Sequence(list) => list.iter().all(local_normalizer),
        _ => false,
    }
}

/// A pretokenizer whose pieces never straddle a cut point and are the same either side of one.
fn cuts_pieces(p: &PreTokenizer) -> bool {
    match p {
        PreTokenizer::Sequence(steps) => {
            // The first step that splits must cut; the ones after it refine pieces one by one.
            let first = steps
                .iter()
                .position(|s| !matches!(s, PreTokenizer::Identity));
            first.is_some_and(|i| cuts_pieces(&steps[i]))
        }
        // Isolated and Removed make pieces of matches and gaps one by one (inverted or not).
        PreTokenizer::Split {
            matcher, behavior, ..
        } => {
            matches!(behavior, Behavior::Isolated | Behavior::Removed)
                && matches!(
                    matcher,
                    Matcher::Gpt2
                        | Matcher::Llama3 { .. }
                        | Matcher::Cl100k { .. }
                        | Matcher::O200k { .. }
                )
        }
        PreTokenizer::CharSplit {
            class: CharClass::Whitespace,
            behavior: Behavior::Isolated | Behavior::Removed,
        } => true,
        PreTokenizer::Whitespace => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::pretokenize::{
        Span, CL100K, GPT2, LLAMA3, O200K, QWEN2, SUPERBPE_STAGE1,
    };

    /// Texts dense in what could make a cut unsafe: whitespace runs of every kind around
    /// newlines, \r, punctuation and slashes next to newlines, apostrophes, case changes, marks.
    fn texts(count: usize, seed: u64) -> Vec<String> {
        const ALPHABET: &[&str] = &[
            "a", "b", "Z", "é", "語", "1", "23", "٣", " ", " ", "  ", "\n", "\n\n", "\r", "\r\n",
            "\t", "\u{a0}", "\u{3000}", "!", ".", "/", "'s", "'LL", "\u{301}", "😀", "-", "x\n",
            " \n", "\n ", "_",
        ];
        let mut x = seed;
        (0..count)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let len = (x >> 58) as usize + 4;
                (0..len)
                    .map(|_| {
                        x = x
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        ALPHABET[(x >> 33) as usize % ALPHABET.len()]
                    })
                    .collect()
            })
            .collect()
    }

    fn cut_points(text: &str) -> Vec<usize> {
        (1..text.len()).filter(|&p| is_cut(text, p)).collect()
    }

    #[test]
    fn every_allowed_pretokenizer_splits_the_parts_as_the_whole() {
        let mut pretokenizers = vec![PreTokenizer::Whitespace];
        for pattern in [GPT2, LLAMA3, QWEN2, CL100K, O200K, SUPERBPE_STAGE1] {
            pretokenizers.push(PreTokenizer::from_regex(pattern).unwrap());
            // GPT-4o's tokenizer.json: Removed, inverted (keep the matches).
            if let PreTokenizer::Split { matcher, .. } = PreTokenizer::from_regex(pattern).unwrap()
            {
                pretokenizers.push(PreTokenizer::Split {
                    matcher,
                    behavior: Behavior::Removed,
                    invert: true,
                });
            }
        }
        pretokenizers.push(PreTokenizer::CharSplit {
            class: CharClass::Whitespace,
            behavior: Behavior::Removed,
        });
        let mut checked = 0;
        for (k, p) in pretokenizers.iter().enumerate() {
            assert!(cuts_pieces(p), "pretokenizer {k} should be cuttable");
            for text in texts(3000, k as u64 + 1) {
                let mut whole: Vec<Span> = Vec::new();
                p.split(&text, &mut whole);
                for cut in cut_points(&text) {
                    let (mut left, mut right) = (Vec::new(), Vec::new());
                    p.split(&text[..cut], &mut left);
                    p.split(&text[cut..], &mut right);
                    left.extend(right.iter().map(|&(s, e)| (s + cut, e + cut)));
                    assert_eq!(left, whole, "pretokenizer {k}, {text:?} cut at {cut}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "only {checked} cuts checked");
    }

    #[test]
    fn cut_points_are_only_between_letters_or_digits_around_one_separator() {
        let t = "ab\ncd ef\n\ngh  ij\r\nkl.\nmn o";
        let cuts: Vec<&str> = cut_points(t).iter().map(|&p| &t[p..]).collect();
        assert_eq!(
            cuts,
            [
                "cd ef\n\ngh  ij\r\nkl.\nmn o",
                " ef\n\ngh  ij\r\nkl.\nmn o",
                " o"
            ]
        );
        assert_eq!(last_cut_point(t, t.len()), Some(t.len() - 2));
        assert_eq!(last_cut_point(t, 5), Some(5));
        assert_eq!(last_cut_point(t, 4), Some(3));
        assert_eq!(last_cut_point("abc", 3), None);
    }

    fn real(name: &str) -> String {
        crate::testdata::real_tokenizer_json(name)
    }

    /// Encoding the parts between all cut points gives the ids of the whole, on the real
    /// tokenizers that have cut points (and a Llama-3 with a BOS/EOS template); Gemma3 has none.
    #[test]
    fn real_tokenizers_encode_the_parts_as_the_whole() {
        let llama = real("llama3");
        let mut templated: serde_json::Value = serde_json::from_str(&llama).unwrap();
        templated["post_processor"] = serde_json::json!({
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "<|end_of_text|>", "type_id": 0}}],
            "pair": [],
            "special_tokens": {
                "<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [128000], "tokens": ["<|begin_of_text|>"]},
                "<|end_of_text|>": {"id": "<|end_of_text|>", "ids": [128001], "tokens": ["<|end_of_text|>"]}
            }
        });
        let mut jsons = vec![llama, templated.to_string()];
        jsons.extend(["qwen3", "gpt4o"].iter().map(|n| real(n)));
        assert_eq!(
            jsons.len(),
            4,
            "qwen3 and gpt4o tokenizers are installed with llama3"
        );
        for (k, json) in jsons.iter().enumerate() {
            let tok = crate::tokenizer::json::from_json_str(json).unwrap();
            assert!(tok.cuttable(), "tokenizer {k}");
            for add in [false, true] {
                for text in texts(400, 100 + k as u64) {
                    let whole = tok.encode_full(&text, add, false).ids;
                    let mut cuts = cut_points(&text);
                    cuts.push(text.len());
                    let mut parts = Vec::new();
                    let mut at = 0;
                    for (i, &cut) in cuts.iter().enumerate() {
                        let last = i + 1 == cuts.len();
                        parts.extend(tok.encode_part(&text[at..cut], add, i == 0, last));
                        at = cut;
                    }
                    assert_eq!(parts, whole, "tokenizer {k}, {text:?}");
                }
            }
        }
        let gemma = real("gemma3");
        assert!(!crate::tokenizer::json::from_json_str(&gemma)
            .unwrap()
            .cuttable());
    }

    /// A text over [`BLOCK`] goes through `encode_blocks`: same ids as one `encode_full`.
    #[test]
    fn long_texts_encode_block_by_block_as_whole() {
        let json = real("qwen3");
        let tok = crate::tokenizer::json::from_json_str(&json).unwrap();
        let mut text = String::new();
        for (i, t) in texts(40_000, 7).iter().enumerate() {
            text.push_str(t);
            // A long run with no cut point in the middle: the block must stretch to the next one.
            if i == 20_000 {
                text.push_str(&"x".repeat(3 * BLOCK / 2));
            }
        }
        assert!(text.len() > 3 * BLOCK, "{}", text.len());
        assert_eq!(
            tok.encode(&text, true),
            tok.encode_full(&text, true, false).ids
        );
    }
}
