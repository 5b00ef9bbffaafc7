//! Plain BPE training, identical to Hugging Face `BpeTrainer` (tokenizers 0.23).
//!
//! Guarantees: for the same word counts and settings, [`train`] returns the vocabulary (in id
//! order) and the merges (in rank order) that HF's trainer would save in `tokenizer.json` —
//! special tokens first, then the alphabet by code point, then merge results; ties between
//! pairs of equal count go to the smaller (left id, right id). See `engine.rs` for the steps.
//! Known, intended differences: pair counts are i64 (HF's i32 overflows past 2^31 occurrences
//! of a pair, issue #2058); `limit_alphabet` ties (equal char counts at the cut) are broken by
//! dropping the higher code point first where HF's unstable sort is arbitrary; a `vocab_size`
//! below specials + alphabet is an error where HF silently returns the alphabet.
pub use super::config::{BpeTrainerConfig, Phase, Progress};
use super::counts::WordCounts;
use super::engine::{Engine, Ticker};
use crate::error::Result;
pub use crate::tokenizer::json::Trained;
use std::collections::BinaryHeap;

pub(super) fn finish(e: Engine) -> Trained {
    let merges = e.merge_strings();
    Trained {
        vocab: e.vocab,
        merges,
        special_count: e.special_count,
        alphabet_len: e.alphabet_len,
    }
}

/// Trains BPE on `counts` exactly like HF `BpeTrainer`.
pub fn train(
    counts: &WordCounts,
    cfg: &BpeTrainerConfig,
    progress: &mut dyn FnMut(Progress),
) -> Result<Trained> {
    let mut t = Ticker::new(progress);
    let mut e = Engine::new(counts, cfg, &mut t)?;
    let entries = e.count_pairs(&mut t);
    let queue = BinaryHeap::from(entries);
    e.run(queue, None, &mut t);
    Ok(finish(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wc(words: &[(&str, u64)]) -> WordCounts {
        let mut w = WordCounts::new();
        for &(s, c) in words {
            w.add(s, c);
        }
        w
    }

    fn run(words: &[(&str, u64)], cfg: &BpeTrainerConfig) -> Trained {
        train(&wc(words), cfg, &mut |_| {}).unwrap()
    }

    fn m(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|&(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn train_bpe_tie_goes_to_smallest_pair_ids() {
        // ids: a=0 b=1 c=2 z=3. Pairs (c,a)=(2,0) and (b,z)=(1,3) both count 1:
        // (1,3) < (2,0), so `b z` first, then `c a`.
        let t = run(&[("ca", 1), ("bz", 1)], &BpeTrainerConfig::new(6));
        assert_eq!(t.vocab, ["a", "b", "c", "z", "bz", "ca"]);
        assert_eq!(t.merges, m(&[("b", "z"), ("c", "a")]));
    }

    #[test]
    fn train_bpe_hand_traced() {
        // Words: "hug"x10 "pug"x5 "pun"x12 "bun"x4 "hugs"x5 (the HF course example).
        // Alphabet by code point: b=0 g=1 h=2 n=3 p=4 s=5 u=6.
        // Pairs: ug 20 (hug 10 + pug 5 + hugs 5), un 16, hu 15, pu 17, bu 4, gs 5.
        // 1. u g (20) -> "ug"=7.   Now: h ug (15), p ug (5), p u n (12), b u n (4), h ug s (5).
        // 2. u n (16) -> "un"=8.   Now: p un 12, b un 4.
        // 3. h ug (15) -> "hug"=9.
        // 4. p un (12) -> "pun"=10.
        // 5. p ug (5) vs hug s (5): ids (4,7) < (9,5) -> "pug"=11.
        let t = run(
            &[
                ("hug", 10),
                ("pug", 5),
                ("pun", 12),
                ("bun", 4),
                ("hugs", 5),
            ],
            &BpeTrainerConfig::new(12),
        );
        assert_eq!(
            t.merges,
            m(&[
                ("u", "g"),
                ("u", "n"),
                ("h", "ug"),
                ("p", "un"),
                ("p", "ug")
            ])
        );
        assert_eq!(&t.vocab[7..], ["ug", "un", "hug", "pun", "pug"]);
    }

    #[test]
    fn train_bpe_non_overlapping_and_min_frequency() {
        // "aaaa"x3: (a,a) count 9 -> "aa": word becomes aa aa; (aa,aa) count 3.
        let t = run(&[("aaaa", 3)], &BpeTrainerConfig::new(10));
        assert_eq!(t.merges, m(&[("a", "a"), ("aa", "aa")]));
        let mut cfg = BpeTrainerConfig::new(10);
        cfg.min_frequency = 4;
        assert_eq!(run(&[("aaaa", 3)], &cfg).merges, m(&[("a", "a")]));
        cfg.min_frequency = 3;
        assert_eq!(run(&[("aaaa", 3)], &cfg).merges.len(), 2);
    }

    #[test]
    fn train_bpe_specials_alphabet_limit_and_length() {
        let mut cfg = BpeTrainerConfig::new(100);
        cfg.special_tokens = vec!["<s>".into(), "x".into(), "<s>".into()];
        cfg.initial_alphabet = vec!['q'];
        let t = run(&[("xyx", 2), ("yy", 1)], &cfg);
        // "x" is a special (id 1) and also serves as the alphabet char.
        assert_eq!(t.special_count, 2);
        assert_eq!(&t.vocab[..4], ["<s>", "x", "q", "y"]);
        assert_eq!(t.alphabet_len, 2);
        // limit_alphabet keeps the forced char and the most frequent; a=b=10 tie: the higher
        // code point goes first.
        cfg.special_tokens.clear();
        cfg.limit_alphabet = Some(2);
        let t = run(&[("abab", 5), ("c", 1)], &cfg);
        assert_eq!(&t.vocab[..2], ["a", "q"]);
        let t = run(&[("abab", 5), ("b", 1), ("c", 1)], &cfg);
        assert_eq!(&t.vocab[..2], ["b", "q"]);
        // max_token_length 2: (ab) made, then (ab,ab) would be 4 chars: never counted.
        let mut cfg = BpeTrainerConfig::new(100);
        cfg.max_token_length = Some(3);
        let t = run(&[("abab", 5)], &cfg);
        assert_eq!(t.merges, m(&[("a", "b")]));
    }

    #[test]
    fn train_bpe_errors() {
        let cfg = BpeTrainerConfig::byte_level(100);
        let e = train(&wc(&[("ab", 1)]), &cfg, &mut |_| {}).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("100") && msg.contains("256"), "{msg}");
        // The way out is the seen alphabet, not limit_alphabet (which would drop "a" and "b").
        assert!(
            msg.contains("initial_alphabet \"seen\"") && msg.contains("corpus has 2 chars"),
            "{msg}"
        );
        assert!(!msg.contains("set limit_alphabet"), "{msg}");
        let e = train(&wc(&[("ab", 1)]), &BpeTrainerConfig::new(1), &mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("at least 2"), "{e}");
        // A limit below the forced byte chars would keep unseen bytes over the corpus's chars.
        let mut cfg = BpeTrainerConfig::byte_level(300);
        cfg.limit_alphabet = Some(50);
        let e = train(&wc(&[("ab", 1)]), &cfg, &mut |_| {}).unwrap_err();
        assert!(
            e.to_string().contains("limit_alphabet 50 is below the 256"),
            "{e}"
        );
        assert!(train(&WordCounts::new(), &cfg, &mut |_| {}).is_err());
    }

    #[test]
    fn train_bpe_progress_reports_phases() {
        let mut seen = Vec::new();
        train(
            &wc(&[("hello", 3), ("help", 2)]),
            &BpeTrainerConfig::new(20),
            &mut |p| seen.push(p),
        )
        .unwrap();
        for ph in [Phase::Alphabet, Phase::CountPairs, Phase::Merge] {
            let last = seen.iter().rev().find(|p| p.phase == ph).unwrap();
            assert_eq!(last.done, last.total);
        }
    }
}
