//! What a training run is given (settings) and what it reports while it runs (progress), shared
//! by plain BPE (`bpe.rs`), SuperBPE stage 2 (`superbpe.rs`) and their engine (`engine.rs`).
/// Settings of a BPE training run (HF `BpeTrainer` without prefix/suffix options).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BpeTrainerConfig {
    /// Final vocabulary size, specials and alphabet included.
    pub vocab_size: usize,
    /// Training stops at the first pair whose count is below this (a count equal is merged).
    pub min_frequency: u64,
    /// Get ids 0..k-1 in this order; duplicates are dropped.
    pub special_tokens: Vec<String>,
    /// Chars always in the alphabet, seen or not.
    pub initial_alphabet: Vec<char>,
    /// Keep at most this many alphabet chars (the most frequent; initial ones count as most).
    pub limit_alphabet: Option<usize>,
    /// A new pair is only counted when its two tokens total fewer chars than this (HF's rule).
    pub max_token_length: Option<usize>,
}

impl BpeTrainerConfig {
    /// Defaults of HF `BpeTrainer` (min_frequency 0, no specials, empty initial alphabet).
    pub fn new(vocab_size: usize) -> BpeTrainerConfig {
        BpeTrainerConfig {
            vocab_size,
            min_frequency: 0,
            special_tokens: Vec::new(),
            initial_alphabet: Vec::new(),
            limit_alphabet: None,
            max_token_length: None,
        }
    }

    /// As [`new`](Self::new) with the 256 GPT-2 byte chars as initial alphabet
    /// (HF `ByteLevel.alphabet()`).
    pub fn byte_level(vocab_size: usize) -> BpeTrainerConfig {
        BpeTrainerConfig {
            initial_alphabet: crate::tokenizer::bytes::byte_to_char().to_vec(),
            ..BpeTrainerConfig::new(vocab_size)
        }
    }
}

/// Which part of training a [`Progress`] report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Computing the alphabet and turning words into symbol ids (done/total: word passes).
    Alphabet,
    /// Counting adjacent pairs (done/total: words).
    CountPairs,
    /// SuperBPE stage 2 only: replaying the inherited merges (done/total: merges).
    Replay,
    /// Learning merges (done/total: vocabulary entries added / still to add).
    Merge,
}

/// A progress report: `done` of `total` units of `phase`. Reported at most ~200 times a phase,
/// always with done = 0 first and done = total last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub phase: Phase,
    pub done: u64,
    pub total: u64,
}
