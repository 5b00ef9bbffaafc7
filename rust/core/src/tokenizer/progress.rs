//! What loading a tokenizer reports while it runs: a 33 MB tokenizer.json (Gemma3) takes seconds
//! in WASM, so the load says which stage it is in and how far along.
//!
//! Guarantee (tested on the real Gemma3 file in `json/read.rs`): stages come in [`LoadStage`]
//! order, a stage may be absent (a Unigram model has no merges), and within a stage `done` never
//! decreases, starts at 0 and ends at `total`. Reports are sparse: one per [`PARSE_STEP`] bytes
//! or [`ITEM_STEP`] items, so a callback that crosses into JS costs nothing measurable.

/// A stage of loading a tokenizer.json, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LoadStage {
    /// Parsing the text (the JSON, or a tiktoken rank file's lines); units: bytes.
    Parse,
    /// Reading the model's vocabulary; units: tokens.
    Vocab,
    /// Reading the merge list; units: merges.
    Merges,
    /// Resolving merges to ids and building the merge table (and the model's lookup tables);
    /// units: merges (a tiktoken file: tokens, whose splits imply the merges).
    MergeTable,
    /// Added tokens and the rest of the pipeline; units: added tokens.
    Added,
}

impl LoadStage {
    /// Lower-case name, as progress displays show it and the bindings pass it.
    pub fn name(self) -> &'static str {
        match self {
            LoadStage::Parse => "parse",
            LoadStage::Vocab => "vocab",
            LoadStage::Merges => "merges",
            LoadStage::MergeTable => "merge table",
            LoadStage::Added => "added",
        }
    }
}

/// `done` of `total` units of `stage`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadProgress {
    pub stage: LoadStage,
    pub done: u64,
    pub total: u64,
}

/// Bytes parsed between two reports: ~33 reports for Gemma3's 33 MB.
pub const PARSE_STEP: usize = 1 << 20;
/// Items (tokens, merges) between two reports: a power of two, so the check is a mask.
pub const ITEM_STEP: usize = 1 << 14;

/// Reports one stage: 0 when made, every [`ITEM_STEP`] items through [`StageReport::tick`], and
/// `total` at [`StageReport::finish`].
pub struct StageReport<'p> {
    stage: LoadStage,
    total: u64,
    progress: &'p mut dyn FnMut(LoadProgress),
}

impl<'p> StageReport<'p> {
    pub fn start(
        stage: LoadStage,
        total: usize,
        progress: &'p mut dyn FnMut(LoadProgress),
    ) -> StageReport<'p> {
        let total = total as u64;
        progress(LoadProgress {
            stage,
            done: 0,
            total,
        });
        StageReport {
            stage,
            total,
            progress,
        }
    }

    /// Item `i` (0-based) is about to be done; reports `i` when it is a multiple of the step.
    #[inline]
    pub fn tick(&mut self, i: usize) {
        if i & (ITEM_STEP - 1) == 0 && i > 0 {
            self.report(i as u64);
        }
    }

    #[cold]
    fn report(&mut self, done: u64) {
        (self.progress)(LoadProgress {
            stage: self.stage,
            done,
            total: self.total,
        });
    }

    pub fn finish(mut self) {
        self.report(self.total);
    }
}
