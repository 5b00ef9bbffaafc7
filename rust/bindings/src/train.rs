//! Training bindings: word counts, counting, BPE and SuperBPE training, tokenizer.json output.
use serde_json::Value;
use vocabsmith_core::tokenizer::json as save;
use vocabsmith_core::train::{self, spec, superbpe, Counter, Phase, Progress, Trained, WordCounts};
use vocabsmith_core::Error;
use wasm_bindgen::prelude::*;

fn err(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

// The phases a training run reports, by the names `phase_name` gives them (a string enum used in
// no signature would not be emitted, so the union is declared here).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // read by wasm-bindgen on wasm32 only
const TRAIN_PHASE: &str = r#"
/** A phase of training (rust/core/src/train/bpe.rs `Phase`), as `progress` callbacks receive it. */
export type TrainPhase = "Alphabet" | "CountPairs" | "Replay" | "Merge";
"#;
#[wasm_bindgen(typescript_custom_section)]
const _: &str = TRAIN_PHASE;

fn phase_name(p: Phase) -> &'static str {
    match p {
        Phase::Alphabet => "Alphabet",
        Phase::CountPairs => "CountPairs",
        Phase::Replay => "Replay",
        Phase::Merge => "Merge",
    }
}

/// Calls `progress(phase, done, total)`; the core reports at most ~200 times a phase.
fn reporter(progress: &js_sys::Function) -> impl FnMut(Progress) + '_ {
    move |p: Progress| {
        let _ = progress.call3(
            &JsValue::NULL,
            &JsValue::from_str(phase_name(p.phase)),
            &JsValue::from_f64(p.done as f64),
            &JsValue::from_f64(p.total as f64),
        );
    }
}

/// Trainer settings from the TS API's options, as JSON with its camelCase names:
/// `{vocabSize, minFrequency?, specialTokens?, initialAlphabet?: "bytes" | string, limitAlphabet?, maxTokenLength?}`.
/// The initial alphabet defaults to the 256 byte chars, as HF `ByteLevelBPETokenizer.train`.
fn config(json: &str) -> Result<train::BpeTrainerConfig, JsError> {
    let v: Value = serde_json::from_str(json).map_err(|e| JsError::new(&e.to_string()))?;
    config_from_json(&v).map_err(err)
}

fn config_from_json(v: &Value) -> Result<train::BpeTrainerConfig, Error> {
    let bad = |field: &str, reason: &str| Error::InvalidField {
        field: field.into(),
        reason: reason.into(),
    };
    let uint = |k: &str| -> Result<Option<u64>, Error> {
        match v.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(x) => x
                .as_u64()
                .map(Some)
                .ok_or_else(|| bad(k, "expected a non-negative integer")),
        }
    };
    let vocab_size =
        uint("vocabSize")?.ok_or_else(|| Error::MissingField("vocabSize".into()))? as usize;
    let mut cfg = train::BpeTrainerConfig::byte_level(vocab_size);
    match v.get("initialAlphabet") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s == "bytes" => {}
        Some(Value::String(s)) => cfg.initial_alphabet = s.chars().collect(),
        Some(_) => {
            return Err(bad(
                "initialAlphabet",
                "expected \"bytes\" or a string of chars",
            ))
        }
    }
    cfg.min_frequency = uint("minFrequency")?.unwrap_or(0);
    cfg.limit_alphabet = uint("limitAlphabet")?.map(|x| x as usize);
    cfg.max_token_length = uint("maxTokenLength")?.map(|x| x as usize);
    if let Some(list) = v.get("specialTokens").filter(|x| !x.is_null()) {
        let list = list
            .as_array()
            .ok_or_else(|| bad("specialTokens", "expected an array of strings"))?;
        cfg.special_tokens = list
            .iter()
            .map(|s| {
                s.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| bad("specialTokens", "expected an array of strings"))
            })
            .collect::<Result<_, Error>>()?;
    }
    Ok(cfg)
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

    /// Reorders the words by their UTF-8 bytes (count files are sorted runs). Builds the sorted
    /// table beside this one: for version-1 count files; a count file is written through
    /// `orderByWord` and `partsAt` instead, which leave the table as it is.
    #[wasm_bindgen(js_name = sortByWord)]
    pub fn sort_by_word(&mut self) {
        self.inner.sort_by_word()
    }

    /// Room for `words` more distinct words holding `bytes` more bytes, reserved exactly (before
    /// adding parts of known size: the table grows once instead of doubling).
    pub fn reserve(&mut self, words: usize, bytes: usize) {
        self.inner.reserve(words, bytes)
    }

    /// Entry numbers in the order of the words' UTF-8 bytes (4 bytes a word; the table is not
    /// touched): pass chunks of it to `partsAt` to write the table as a sorted run.
    #[wasm_bindgen(js_name = orderByWord)]
    pub fn order_by_word(&self) -> Vec<u32> {
        self.inner.order_by_word()
    }

    /// The words with entry numbers `order` (from `orderByWord`), in that order, as parts.
    #[wasm_bindgen(js_name = partsAt)]
    pub fn parts_at(&self, order: &[u32]) -> Result<WasmWordParts, JsError> {
        let n = self.inner.len();
        if let Some(bad) = order.iter().find(|&&i| i as usize >= n) {
            return Err(JsError::new(&format!(
                "entry {bad} is past a table of {n} words"
            )));
        }
        let (words, lens, counts) = self.inner.parts_at(order);
        Ok(WasmWordParts {
            words,
            lens,
            counts,
        })
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

/// Words as a count file's arrays: concatenated UTF-8, byte length and count of each.
#[wasm_bindgen(js_name = WasmWordParts, getter_with_clone)]
pub struct WasmWordParts {
    pub words: Vec<u8>,
    pub lens: Vec<u32>,
    pub counts: Vec<u64>,
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
        #[wasm_bindgen(
            unchecked_param_type = "(phase: TrainPhase, done: number, total: number) => void"
        )]
        progress: &js_sys::Function,
    ) -> Result<WasmTrained, JsError> {
        let cfg = config(config_json)?;
        train::train(&counts.inner, &cfg, &mut reporter(progress))
            .map(|inner| WasmTrained { inner })
            .map_err(err)
    }

    /// SuperBPE stage 2: continue from `stage1`'s first merges (a merge count, or a vocab size
    /// when `transitionIsVocabSize`) on stage-2 counts, with the superword filters. Empties
    /// `counts2` (its memory is reused by stage 2).
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = extend)]
    pub fn extend(
        counts2: &mut WasmWordCounts,
        stage1: &WasmTrained,
        transition: usize,
        transition_is_vocab_size: bool,
        config_json: &str,
        max_words: Option<usize>,
        forbid_colon_space: bool,
        #[wasm_bindgen(
            unchecked_param_type = "(phase: TrainPhase, done: number, total: number) => void"
        )]
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
        // Taken, not borrowed: stage 2 drops the phrase table once it is in symbols (the JS
        // object is left empty; nothing reads it after stage 2).
        superbpe::extend_owned(
            std::mem::take(&mut counts2.inner),
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
/// the rest of a text unsplit (rust/core/src/tokenizer/pretokenize/regex.rs), since this instance started.
#[wasm_bindgen(js_name = backtrackLimitHits)]
pub fn backtrack_limit_hits() -> f64 {
    vocabsmith_core::tokenizer::pretokenize::backtrack_limit_hits() as f64
}

/// The pretokenizer names `pattern` may take in training (anything else must be given as a regex).
#[wasm_bindgen(js_name = trainPatternNames)]
pub fn train_pattern_names() -> Vec<String> {
    spec::PATTERN_NAMES.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phase_name_is_in_the_declared_union() {
        let all = [
            Phase::Alphabet,
            Phase::CountPairs,
            Phase::Replay,
            Phase::Merge,
        ];
        for p in all {
            assert!(TRAIN_PHASE.contains(&format!("\"{}\"", phase_name(p))));
        }
        assert_eq!(TRAIN_PHASE.matches(" | ").count() + 1, all.len());
    }
}
