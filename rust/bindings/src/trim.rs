//! Bindings of `core::trim`: one call in (the loaded tokenizer, its tokenizer.json text, kept ids),
//! a handle out whose getters return the id map as typed arrays and the trimmed tokenizer.json as text.
use crate::{err, WasmTokenizer};
use vocabsmith_core as core;
use wasm_bindgen::prelude::*;

/// The result of trimming a tokenizer, held in WASM memory; call `free()` when done.
#[wasm_bindgen(js_name = WasmTrim)]
pub struct WasmTrim {
    inner: core::trim::Trim,
}

/// Trims the tokenizer in `json` to `keep` (old ids) plus what is always kept, closed under BPE
/// derivation unless `closure` is false (the naive trim, for comparison only). With
/// `drop_unused_added`, non-special added tokens not in `keep` are dropped too. `progress(done,
/// total)` is called as the closure replays tokens and the merges are rewritten.
#[wasm_bindgen(js_name = trimTokenizer)]
pub fn trim_tokenizer(
    tokenizer: &WasmTokenizer,
    json: &str,
    keep: &[u32],
    closure: bool,
    drop_unused_added: bool,
    progress: Option<js_sys::Function>,
) -> Result<WasmTrim, JsError> {
    // `tokenizer` is `json` already loaded (by the caller, to count the corpus): loading it again
    // here cost Gemma3 3 s. The document itself is still needed, as the template of the output.
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| err(core::Error::Json(e.to_string())))?;
    let added = if drop_unused_added {
        core::trim::AddedTokens::KeepSpecial
    } else {
        core::trim::AddedTokens::KeepAll
    };
    let inner = core::trim::trim_with_progress(
        &tokenizer.inner,
        &v,
        keep,
        closure,
        added,
        &mut crate::remap::report(progress),
    )
    .map_err(err)?;
    Ok(WasmTrim { inner })
}

#[wasm_bindgen(js_class = WasmTrim)]
impl WasmTrim {
    /// Old ids kept, ascending: the new id of `keptIds[i]` is `i`.
    #[wasm_bindgen(getter, js_name = keptIds)]
    pub fn kept_ids(&self) -> Vec<u32> {
        self.inner.kept_ids.clone()
    }

    /// Old id -> new id; 0xFFFFFFFF for dropped ids.
    #[wasm_bindgen(getter, js_name = oldToNew)]
    pub fn old_to_new(&self) -> Vec<u32> {
        self.inner.old_to_new.clone()
    }

    /// The trimmed tokenizer.json (compact JSON).
    #[wasm_bindgen(getter, js_name = tokenizerJson)]
    pub fn tokenizer_json(&self) -> String {
        self.inner.json.to_string()
    }

    #[wasm_bindgen(getter, js_name = closureAdded)]
    pub fn closure_added(&self) -> u32 {
        self.inner.closure_added
    }

    #[wasm_bindgen(getter, js_name = alwaysKept)]
    pub fn always_kept(&self) -> u32 {
        self.inner.always_kept
    }

    #[wasm_bindgen(getter, js_name = addedDropped)]
    pub fn added_dropped(&self) -> u32 {
        self.inner.added_dropped
    }

    #[wasm_bindgen(getter, js_name = notDerivable)]
    pub fn not_derivable(&self) -> u32 {
        self.inner.not_derivable
    }

    #[wasm_bindgen(getter, js_name = mergesKept)]
    pub fn merges_kept(&self) -> u32 {
        self.inner.merges_kept
    }

    #[wasm_bindgen(getter, js_name = mergesTotal)]
    pub fn merges_total(&self) -> u32 {
        self.inner.merges_total
    }
}
