//! Dynamic batch merging bindings: texts (one UTF-8 buffer + end offsets) or id sequences in,
//! a result handle out whose getters return typed arrays.
use crate::WasmTokenizer;
use vocabsmith_core::dynamic::{self, Batch, Boundary, MergeOptions, MergeResult, Target};
use wasm_bindgen::prelude::*;

/// What merges never cross.
#[wasm_bindgen]
pub enum MergeBoundary {
    Pretoken = "pretoken",
    Word = "word",
    Sentence = "sentence",
}

/// What a target reduction is relative to: the original length or the word-level length.
#[wasm_bindgen]
pub enum ReductionBase {
    Original = "original",
    Word = "word",
}

fn options(
    boundary: MergeBoundary,
    max_merges: Option<u32>,
    target: Option<ReductionBase>,
    target_value: f64,
    word_level: bool,
) -> Result<MergeOptions, JsError> {
    let boundary = match boundary {
        MergeBoundary::Pretoken => Boundary::Pretoken,
        MergeBoundary::Word => Boundary::Word,
        MergeBoundary::Sentence => Boundary::Sentence,
        _ => return Err(JsError::new("unknown boundary (pretoken, word, sentence)")),
    };
    let target = match target {
        None => None,
        Some(ReductionBase::Original) => Some(Target::Original(target_value)),
        Some(ReductionBase::Word) => Some(Target::Word(target_value)),
        Some(_) => return Err(JsError::new("unknown relativeTo (original, word)")),
    };
    Ok(MergeOptions {
        boundary,
        max_merges: max_merges.map_or(usize::MAX, |m| m as usize),
        target,
        word_level,
    })
}

/// Merges a batch of texts given as one UTF-8 buffer and the end offset of each text.
#[wasm_bindgen(js_name = mergeBatchTexts)]
#[allow(clippy::too_many_arguments)]
pub fn merge_batch_texts(
    tokenizer: &WasmTokenizer,
    bytes: &[u8],
    ends: &[u32],
    add_special_tokens: bool,
    boundary: MergeBoundary,
    max_merges: Option<u32>,
    target: Option<ReductionBase>,
    target_value: f64,
    word_level: bool,
) -> Result<WasmMergeResult, JsError> {
    let o = options(boundary, max_merges, target, target_value, word_level)?;
    let texts: Vec<_> = crate::unpack(bytes, ends).collect();
    let refs: Vec<&str> = texts.iter().map(|t| t.as_ref()).collect();
    let batch = Batch::from_texts(&tokenizer.inner, &refs, add_special_tokens);
    Ok(WasmMergeResult {
        inner: dynamic::merge_batch(&tokenizer.inner, &batch, &o),
        original: batch.seqs.concat(),
        original_lengths: batch.seqs.iter().map(|s| s.len() as u32).collect(),
    })
}

/// Merges already-tokenized sequences (concatenated ids and each sequence's length).
#[wasm_bindgen(js_name = mergeBatchIds)]
#[allow(clippy::too_many_arguments)]
pub fn merge_batch_ids(
    tokenizer: &WasmTokenizer,
    ids: &[u32],
    lengths: &[u32],
    boundary: MergeBoundary,
    max_merges: Option<u32>,
    target: Option<ReductionBase>,
    target_value: f64,
    word_level: bool,
) -> Result<WasmMergeResult, JsError> {
    let o = options(boundary, max_merges, target, target_value, word_level)?;
    let bound = vocabsmith_core::tokenizer::canon::id_bound(&tokenizer.inner) as u32;
    if let Some(&bad) = ids.iter().find(|&&i| i >= bound) {
        return Err(JsError::new(&format!(
            "id {bad} is outside the tokenizer's vocabulary (size {bound})"
        )));
    }
    let total: u64 = lengths.iter().map(|&l| l as u64).sum();
    if total != ids.len() as u64 {
        return Err(JsError::new(&format!(
            "lengths add up to {total}, but {} ids were given",
            ids.len()
        )));
    }
    let mut seqs = Vec::with_capacity(lengths.len());
    let mut at = 0usize;
    for &l in lengths {
        seqs.push(ids[at..at + l as usize].to_vec());
        at += l as usize;
    }
    let batch = Batch {
        seqs,
        joinable: None,
    };
    Ok(WasmMergeResult {
        inner: dynamic::merge_batch(&tokenizer.inner, &batch, &o),
        original: ids.to_vec(),
        original_lengths: lengths.to_vec(),
    })
}

#[wasm_bindgen(js_name = WasmMergeResult)]
pub struct WasmMergeResult {
    inner: MergeResult,
    original: Vec<u32>,
    original_lengths: Vec<u32>,
}

#[wasm_bindgen(js_class = WasmMergeResult)]
impl WasmMergeResult {
    /// Merged sequences, concatenated.
    pub fn ids(&self) -> Vec<u32> {
        self.inner.ids.clone()
    }
    /// Original (unmerged) sequences, concatenated.
    #[wasm_bindgen(js_name = originalIds)]
    pub fn original_ids(&self) -> Vec<u32> {
        self.original.clone()
    }
    #[wasm_bindgen(js_name = originalLengths)]
    pub fn original_lengths(&self) -> Vec<u32> {
        self.original_lengths.clone()
    }
    pub fn lengths(&self) -> Vec<u32> {
        self.inner.lengths.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn base(&self) -> u32 {
        self.inner.base
    }
    #[wasm_bindgen(getter, js_name = newTokenCount)]
    pub fn new_token_count(&self) -> usize {
        self.inner.new_tokens.len()
    }
    /// Canonical bytes of every new token, concatenated (see `surfaceLengths`).
    #[wasm_bindgen(js_name = surfaceBytes)]
    pub fn surface_bytes(&self) -> Vec<u8> {
        self.inner
            .new_tokens
            .iter()
            .flat_map(|t| t.bytes.iter().copied())
            .collect()
    }
    #[wasm_bindgen(js_name = surfaceLengths)]
    pub fn surface_lengths(&self) -> Vec<u32> {
        self.inner
            .new_tokens
            .iter()
            .map(|t| t.bytes.len() as u32)
            .collect()
    }
    /// Decompositions as an n × max_len row-major matrix padded with -1 (longer ones truncated;
    /// `max_len` 0 means the longest).
    pub fn decompositions(&self, max_len: u32) -> Vec<i32> {
        let longest = self
            .inner
            .new_tokens
            .iter()
            .map(|t| t.decomposition.len())
            .max()
            .unwrap_or(0);
        let w = if max_len == 0 {
            longest
        } else {
            max_len as usize
        };
        let mut out = vec![-1i32; w * self.inner.new_tokens.len()];
        for (i, t) in self.inner.new_tokens.iter().enumerate() {
            for (k, &id) in t.decomposition.iter().take(w).enumerate() {
                out[i * w + k] = id as i32;
            }
        }
        out
    }
    #[wasm_bindgen(js_name = decompositionLengths)]
    pub fn decomposition_lengths(&self) -> Vec<u32> {
        self.inner
            .new_tokens
            .iter()
            .map(|t| t.decomposition.len() as u32)
            .collect()
    }
    #[wasm_bindgen(getter)]
    pub fn merges(&self) -> usize {
        self.inner.merges
    }
    #[wasm_bindgen(getter, js_name = originalLength)]
    pub fn original_length(&self) -> usize {
        self.inner.original_len
    }
    #[wasm_bindgen(getter, js_name = mergedLength)]
    pub fn merged_length(&self) -> usize {
        self.inner.merged_len
    }
    #[wasm_bindgen(getter, js_name = wordLength)]
    pub fn word_length(&self) -> Option<usize> {
        self.inner.word_len
    }
    /// Total length after k merges, k = 0..=merges.
    pub fn curve(&self) -> Vec<u32> {
        self.inner.curve.iter().map(|&l| l as u32).collect()
    }
}
