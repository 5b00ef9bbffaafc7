//! wasm-bindgen bindings of vocabsmith-core: convert, call, return. No algorithm lives here.
//! Bulk data crosses as typed arrays: text in as a JS string or UTF-8 bytes, ids out as `Uint32Array`.
mod byteprob;
mod panic;
mod trim;

use vocabsmith_core as core;
use vocabsmith_core::tokenizer::progress::LoadProgress;
use wasm_bindgen::prelude::*;

mod dynamic;
mod gguf;
mod gguf_rewrite;
mod metrics;
mod remap;
mod train;

/// The texts packed in `bytes` (one UTF-8 buffer, `ends` the end offset of each; invalid UTF-8
/// becomes U+FFFD, as `TextDecoder`): how every batch API receives many texts in one copy.
pub(crate) fn unpack<'a>(
    bytes: &'a [u8],
    ends: &'a [u32],
) -> impl Iterator<Item = std::borrow::Cow<'a, str>> + 'a {
    let mut start = 0usize;
    ends.iter().map(move |&end| {
        let end = (end as usize).clamp(start, bytes.len());
        let text = String::from_utf8_lossy(&bytes[start..end]);
        start = end;
        text
    })
}

// The stages a tokenizer load reports, by `LoadStage::name` (a string union declared here: the
// names cross as strings).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // read by wasm-bindgen on wasm32 only
const LOAD_STAGE: &str = r#"
/** A stage of loading a tokenizer.json (rust/core/src/tokenizer/progress.rs `LoadStage`), in order. */
export type LoadStage = "parse" | "vocab" | "merges" | "merge table" | "added";
"#;
#[wasm_bindgen(typescript_custom_section)]
const _: &str = LOAD_STAGE;

/// `progress(stage, done, total)` as the core's load callback.
fn load_reporter(progress: Option<js_sys::Function>) -> impl FnMut(LoadProgress) {
    move |p: LoadProgress| {
        if let Some(f) = &progress {
            // A throwing display is not the load's concern: its result is dropped.
            let _ = f.call3(
                &JsValue::NULL,
                &JsValue::from_str(p.stage.name()),
                &JsValue::from_f64(p.done as f64),
                &JsValue::from_f64(p.total as f64),
            );
        }
    }
}

fn err(e: core::Error) -> JsError {
    JsError::new(&e.to_string())
}

#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// A text encoded as it arrives in chunks (core `encode_stream.rs`): push chunks, take ids.
#[wasm_bindgen(js_name = WasmEncodeStream)]
pub struct WasmEncodeStream {
    inner: core::tokenizer::encode_stream::EncodeStream,
}

#[wasm_bindgen(js_class = WasmEncodeStream)]
impl WasmEncodeStream {
    #[wasm_bindgen(constructor)]
    pub fn new(add_special_tokens: bool) -> WasmEncodeStream {
        WasmEncodeStream {
            inner: core::tokenizer::encode_stream::EncodeStream::new(add_special_tokens),
        }
    }

    /// Room for `bytes` more bytes of text (the input's size, when known).
    pub fn reserve(&mut self, bytes: usize) {
        self.inner.reserve(bytes)
    }

    /// Appends UTF-8 bytes (cut anywhere) and encodes up to the last cut point.
    pub fn push(&mut self, tok: &WasmTokenizer, chunk: &[u8]) {
        self.inner.push(&tok.inner, chunk)
    }

    /// Encodes the rest; call once, after the last `push`.
    pub fn finish(&mut self, tok: &WasmTokenizer) {
        self.inner.finish(&tok.inner)
    }

    /// Up to `max` ids not yet taken (empty: none left).
    pub fn take(&mut self, max: usize) -> Vec<u32> {
        self.inner.take(max)
    }
}

/// A compiled tokenizer held in WASM memory; call `free()` when done.
#[wasm_bindgen(js_name = WasmTokenizer)]
pub struct WasmTokenizer {
    inner: core::Tokenizer,
}

#[wasm_bindgen(js_class = WasmTokenizer)]
impl WasmTokenizer {
    /// Parses a Hugging Face `tokenizer.json` document. `progress(stage, done, total)` is called
    /// as the load runs (rust/core/src/tokenizer/progress.rs: every ~1 MiB parsed, every 16k
    /// tokens or merges built; each stage from 0 to its total).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        json: &str,
        #[wasm_bindgen(
            unchecked_optional_param_type = "(stage: LoadStage, done: number, total: number) => void"
        )]
        progress: Option<js_sys::Function>,
    ) -> Result<WasmTokenizer, JsError> {
        match progress {
            None => core::tokenizer::json::from_json_str(json),
            Some(f) => core::tokenizer::json::from_json_str_with_progress(
                json,
                &mut load_reporter(Some(f)),
            ),
        }
        .map(|inner| WasmTokenizer { inner })
        .map_err(err)
    }

    /// Parses a tiktoken rank file for a known encoding (`o200k_base`, `cl100k_base`, ...);
    /// `progress` as `fromJson` ('parse': bytes of the file, 'merge table': tokens, 'added').
    #[wasm_bindgen(js_name = fromTiktoken)]
    pub fn from_tiktoken(
        ranks: &str,
        encoding: &str,
        #[wasm_bindgen(
            unchecked_optional_param_type = "(stage: LoadStage, done: number, total: number) => void"
        )]
        progress: Option<js_sys::Function>,
    ) -> Result<WasmTokenizer, JsError> {
        core::tokenizer::json::from_tiktoken_with_progress(
            ranks,
            encoding,
            &mut load_reporter(progress),
        )
        .map(|inner| WasmTokenizer { inner })
        .map_err(err)
    }

    pub fn encode(&self, text: &str, add_special_tokens: bool) -> Vec<u32> {
        self.inner.encode(text, add_special_tokens)
    }

    /// Encodes UTF-8 bytes (invalid sequences become U+FFFD, as `TextDecoder` does).
    #[wasm_bindgen(js_name = encodeUtf8)]
    pub fn encode_utf8(&self, bytes: &[u8], add_special_tokens: bool) -> Vec<u32> {
        self.inner
            .encode(&String::from_utf8_lossy(bytes), add_special_tokens)
    }

    /// The last cut point of the UTF-8 `bytes` (0 if none; see core `cut.rs`): encoding the
    /// text before it and the text from it with `encodePart` gives the ids of the whole. Only the
    /// valid UTF-8 prefix is searched (a chunk may end inside a char).
    #[wasm_bindgen(js_name = lastCut)]
    pub fn last_cut(&self, bytes: &[u8]) -> usize {
        let valid = match std::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
        };
        self.inner.last_cut(valid, valid.len()).unwrap_or(0)
    }

    /// `encodeUtf8` of one part of a text cut at cut points: the post-processor's leading special
    /// tokens only on the first part, its trailing ones only on the last.
    #[wasm_bindgen(js_name = encodePart)]
    pub fn encode_part(
        &self,
        bytes: &[u8],
        add_special_tokens: bool,
        first: bool,
        last: bool,
    ) -> Vec<u32> {
        self.inner.encode_part(
            &String::from_utf8_lossy(bytes),
            add_special_tokens,
            first,
            last,
        )
    }

    /// Ids and each token's [start, end) in UTF-16 code units.
    #[wasm_bindgen(js_name = encodeWithOffsets)]
    pub fn encode_with_offsets(&self, text: &str, add_special_tokens: bool) -> WasmEncoding {
        let enc = self.inner.encode_full(text, add_special_tokens, true);
        let mut offs = enc.offsets.unwrap_or_default();
        core::tokenizer::utf16_offsets(text, &mut offs);
        WasmEncoding {
            ids: enc.ids,
            starts: offs.iter().map(|o| o.0).collect(),
            ends: offs.iter().map(|o| o.1).collect(),
        }
    }

    /// Encodes many texts given as one UTF-8 buffer and the end offset of each text.
    #[wasm_bindgen(js_name = encodeBatch)]
    pub fn encode_batch(
        &self,
        bytes: &[u8],
        ends: &[u32],
        add_special_tokens: bool,
    ) -> WasmEncodedBatch {
        let mut counts = Vec::with_capacity(ends.len());
        let mut ids = Vec::new();
        for text in unpack(bytes, ends) {
            let before = ids.len();
            ids.extend(self.inner.encode(&text, add_special_tokens));
            counts.push((ids.len() - before) as u32);
        }
        WasmEncodedBatch { counts, ids }
    }

    pub fn decode(&self, ids: &[u32], skip_special_tokens: bool) -> String {
        self.inner.decode(ids, skip_special_tokens)
    }

    #[wasm_bindgen(js_name = tokenToId)]
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.inner.token_to_id(token)
    }

    #[wasm_bindgen(js_name = idToToken)]
    pub fn id_to_token(&self, id: u32) -> Option<String> {
        self.inner.id_to_token(id).map(str::to_string)
    }

    #[wasm_bindgen(getter, js_name = vocabSize)]
    pub fn vocab_size(&self) -> usize {
        self.inner.vocab_size()
    }

    /// One more than the largest id, added tokens included (the core's `canon::id_bound`).
    #[wasm_bindgen(getter, js_name = idBound)]
    pub fn id_bound(&self) -> u32 {
        core::tokenizer::canon::id_bound(&self.inner) as u32
    }

    /// The bytes `id` contributes to decoded text (the core's `canon::token_bytes`), or
    /// `undefined` for an id the tokenizer skips or cannot map to bytes.
    #[wasm_bindgen(js_name = tokenBytes)]
    pub fn token_bytes(&self, id: u32) -> Option<Vec<u8>> {
        core::tokenizer::canon::token_bytes(&self.inner, id)
    }
}

/// The tiktoken encodings `fromTiktoken` knows (the core's one list).
#[wasm_bindgen(js_name = tiktokenEncodings)]
pub fn tiktoken_encodings() -> Vec<String> {
    core::tokenizer::json::TIKTOKEN_ENCODINGS
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// The new id of a dropped token in a trim's old -> new id map (the core's `trim::DROPPED`).
#[wasm_bindgen(js_name = droppedId)]
pub fn dropped_id() -> u32 {
    core::trim::DROPPED
}

/// One text's ids and each token's [start, end) in UTF-16 code units (JS string indices).
#[wasm_bindgen(js_name = WasmEncoding)]
pub struct WasmEncoding {
    #[wasm_bindgen(readonly, getter_with_clone)]
    pub ids: Vec<u32>,
    #[wasm_bindgen(readonly, getter_with_clone)]
    pub starts: Vec<u32>,
    #[wasm_bindgen(readonly, getter_with_clone)]
    pub ends: Vec<u32>,
}

/// Many texts' ids, concatenated: the first `counts[0]` are text 0's, and so on.
#[wasm_bindgen(js_name = WasmEncodedBatch)]
pub struct WasmEncodedBatch {
    #[wasm_bindgen(readonly, getter_with_clone)]
    pub counts: Vec<u32>,
    #[wasm_bindgen(readonly, getter_with_clone)]
    pub ids: Vec<u32>,
}
