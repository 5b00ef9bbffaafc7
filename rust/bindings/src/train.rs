//! Training bindings: word counts, counting, BPE and SuperBPE training, tokenizer.json output.
use vocabsmith_core::train::{self, save, spec, superbpe, Counter, Progress, Trained, WordCounts};
use wasm_bindgen::prelude::*;

fn err(e: vocabsmith_core::Error) -> JsError {
    JsError::new(&e.to_string())
}

/// Calls `progress(phase, done, total)`; the core reports at most ~200 times a phase.
fn reporter(progress: &js_sys::Function) -> impl FnMut(Progress) + '_ {
    move |p: Progress| {
        let phase = JsValue::from_str(&format!("{:?}", p.phase));
        let _ = progress.call3(
            &JsValue::NULL,
            &phase,
            &JsValue::from_f64(p.done as f64),
            &JsValue::from_f64(p.total as f64),
        );
    }
}

fn config(json: &str) -> Result<train::BpeTrainerConfig, JsError> {
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| JsError::new(&e.to_string()))?;
    spec::config_from_json(&v).map_err(err)
}

#[wasm_bindgen(js_name = WasmWordCounts)]
pub struct WasmWordCounts {
    inner: WordCounts,
}

#[wasm_bindgen(js_class = WasmWordCounts)]
impl WasmWordCounts {
    #[wasm_bindgen(constructor)]
    pub fn new() -> WasmWordCounts {
        WasmWordCounts {
            inner: WordCounts::new(),
        }
    }

    /// From `words` (concatenated UTF-8), their byte `lens` and `counts` (a count file's arrays).
    #[wasm_bindgen(js_name = fromParts)]
    pub fn from_parts(
        words: &[u8],
        lens: &[u32],
        counts: &[u64],
    ) -> Result<WasmWordCounts, JsError> {
        WordCounts::from_parts(words, lens, counts)
            .map(|inner| WasmWordCounts { inner })
            .map_err(err)
    }

    /// Adds `words`/`lens`/`counts` (a chunk of a count file) into this table; on error nothing is added.
    #[wasm_bindgen(js_name = addParts)]
    pub fn add_parts(&mut self, words: &[u8], lens: &[u32], counts: &[u64]) -> Result<(), JsError> {
        self.inner.add_parts(words, lens, counts).map_err(err)
    }

    /// Reorders the words by their UTF-8 bytes (count files are sorted runs).
    #[wasm_bindgen(js_name = sortByWord)]
    pub fn sort_by_word(&mut self) {
        self.inner.sort_by_word()
    }

    #[wasm_bindgen(js_name = mergeFrom)]
    pub fn merge_from(&mut self, other: &WasmWordCounts) {
        self.inner.merge_from(&other.inner)
    }

    /// Number of distinct words.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.inner.len()
    }

    /// Sum of all counts.
    #[wasm_bindgen(getter)]
    pub fn total(&self) -> f64 {
        self.inner.total() as f64
    }

    /// Bytes held by the word arena (what grows with the number of distinct words).
    #[wasm_bindgen(getter, js_name = arenaBytes)]
    pub fn arena_bytes(&self) -> usize {
        self.inner.arena_bytes()
    }

    pub fn words(&self) -> Vec<u8> {
        self.inner.arena().to_vec()
    }

    pub fn lens(&self) -> Vec<u32> {
        self.inner.lens()
    }

    pub fn counts(&self) -> Vec<u64> {
        self.inner.counts().to_vec()
    }
}

impl Default for WasmWordCounts {
    fn default() -> Self {
        Self::new()
    }
}

/// Counts pretokens of text with one pretokenizer spec (a known name or a regex).
#[wasm_bindgen(js_name = WasmCounter)]
pub struct WasmCounter {
    inner: Counter,
    json: String,
}

#[wasm_bindgen(js_class = WasmCounter)]
impl WasmCounter {
    #[wasm_bindgen(constructor)]
    pub fn new(pattern: &str) -> Result<WasmCounter, JsError> {
        let (json, pre) = spec::pretokenizer(pattern).map_err(err)?;
        Ok(WasmCounter {
            inner: Counter::new(pre, true),
            json: json.to_string(),
        })
    }

    /// The `pre_tokenizer` JSON this counter splits with.
    #[wasm_bindgen(js_name = preTokenizerJson)]
    pub fn pre_tokenizer_json(&self) -> String {
        self.json.clone()
    }

    /// Counts `bytes[start..end]` for each end in `ends`, each as one sequence.
    #[wasm_bindgen(js_name = countSequences)]
    pub fn count_sequences(&self, bytes: &[u8], ends: &[u32], counts: &mut WasmWordCounts) {
        for text in crate::unpack(bytes, ends) {
            self.inner.count_sequence(&text, &mut counts.inner);
        }
    }
}

/// A trained vocabulary and merge list.
#[wasm_bindgen(js_name = WasmTrained)]
pub struct WasmTrained {
    inner: Trained,
}

#[wasm_bindgen(js_class = WasmTrained)]
impl WasmTrained {
    /// HF-identical BPE training on `counts` with settings `config` (JSON).
    #[wasm_bindgen(js_name = trainBpe)]
    pub fn train_bpe(
        counts: &WasmWordCounts,
        config_json: &str,
        progress: &js_sys::Function,
    ) -> Result<WasmTrained, JsError> {
        let cfg = config(config_json)?;
        train::train(&counts.inner, &cfg, &mut reporter(progress))
            .map(|inner| WasmTrained { inner })
            .map_err(err)
    }

    /// SuperBPE stage 2: continue from `stage1`'s first merges (a merge count, or a vocab size
    /// when `transitionIsVocabSize`) on stage-2 counts, with the superword filters.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = extend)]
    pub fn extend(
        counts2: &WasmWordCounts,
        stage1: &WasmTrained,
        transition: usize,
        transition_is_vocab_size: bool,
        config_json: &str,
        max_words: Option<usize>,
        forbid_colon_space: bool,
        progress: &js_sys::Function,
    ) -> Result<WasmTrained, JsError> {
        let cfg = config(config_json)?;
        let t = if transition_is_vocab_size {
            superbpe::Transition::VocabSize(transition)
        } else {
            superbpe::Transition::Merges(transition)
        };
        let inherited = t.inherited(&stage1.inner).map_err(err)?;
        let filters = superbpe::SuperFilters {
            max_words,
            forbid_colon_space,
        };
        superbpe::extend(
            &counts2.inner,
            inherited,
            &cfg,
            &filters,
            &mut reporter(progress),
        )
        .map(|inner| WasmTrained { inner })
        .map_err(err)
    }

    #[wasm_bindgen(getter, js_name = mergeCount)]
    pub fn merge_count(&self) -> usize {
        self.inner.merges.len()
    }

    #[wasm_bindgen(getter, js_name = vocabSize)]
    pub fn vocab_size(&self) -> usize {
        self.inner.vocab.len()
    }

    /// The HF tokenizer.json, with the given `pre_tokenizer` JSON and a ByteLevel decoder; with
    /// `bos`, a post-processor that adds it before each sequence.
    #[wasm_bindgen(js_name = tokenizerJson)]
    pub fn tokenizer_json(
        &self,
        pre_tokenizer_json: &str,
        bos: Option<String>,
    ) -> Result<String, JsError> {
        let v: serde_json::Value =
            serde_json::from_str(pre_tokenizer_json).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(save::tokenizer_json(&self.inner, &v, true, bos.as_deref()))
    }

    /// The matching tokenizer_config.json (transformers: `PreTrainedTokenizerFast`), with the
    /// special tokens' roles and `model_max_length` when given.
    #[wasm_bindgen(js_name = tokenizerConfigJson)]
    pub fn tokenizer_config_json(
        &self,
        bos: Option<String>,
        eos: Option<String>,
        pad: Option<String>,
        unk: Option<String>,
        model_max_length: Option<f64>,
    ) -> String {
        let specials = &self.inner.vocab[..self.inner.special_count];
        let roles = save::SpecialRoles {
            bos: bos.as_deref(),
            eos: eos.as_deref(),
            pad: pad.as_deref(),
            unk: unk.as_deref(),
        };
        save::tokenizer_config_json(specials, roles, model_max_length.map(|n| n as u64))
    }
}

/// Searches of a custom pretokenizer regex that stopped at the backtracking limit, each leaving
/// the rest of a text unsplit (rust/core/src/pretokenize/regex.rs), since this instance started.
#[wasm_bindgen(js_name = backtrackLimitHits)]
pub fn backtrack_limit_hits() -> f64 {
    vocabsmith_core::pretokenize::backtrack_limit_hits() as f64
}

/// The pretokenizer names `pattern` may take in training (anything else must be given as a regex).
#[wasm_bindgen(js_name = trainPatternNames)]
pub fn train_pattern_names() -> Vec<String> {
    spec::PATTERN_NAMES.iter().map(|s| s.to_string()).collect()
}
