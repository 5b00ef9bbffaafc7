//! Remapping bindings: a plan (per target id: kind, source ids, weights) as typed arrays.
use crate::WasmTokenizer;
use vocabsmith_core::remap::{self, Aux, Method, Plan};
use wasm_bindgen::prelude::*;

/// Plans the target tokenizer's embedding rows from the source's. `aux` (target ids × `aux_dim`
/// floats) is required for `focus` and `omp`.
#[wasm_bindgen(js_name = remapPlan)]
pub fn remap_plan(
    source: &WasmTokenizer,
    target: &WasmTokenizer,
    method: &str,
    aux: Option<Vec<f32>>,
    aux_dim: u32,
) -> Result<WasmRemapPlan, JsError> {
    let method = match method {
        "copy" => Method::Copy,
        "fvt" => Method::Fvt,
        "focus" => Method::Focus,
        "omp" => Method::Omp,
        m => {
            return Err(JsError::new(&format!(
                "unknown method {m:?} (copy, fvt, focus, omp)"
            )))
        }
    };
    let aux = aux.as_deref().map(|v| Aux {
        vectors: v,
        dim: aux_dim as usize,
    });
    remap::plan(&source.inner, &target.inner, method, aux)
        .map(|inner| WasmRemapPlan { inner })
        .map_err(|e| JsError::new(&e.to_string()))
}

#[wasm_bindgen(js_name = WasmRemapPlan)]
pub struct WasmRemapPlan {
    inner: Plan,
}

#[wasm_bindgen(js_class = WasmRemapPlan)]
impl WasmRemapPlan {
    /// Per target id: 0 copy, 1 fvt, 2 focus, 3 omp, 4 fallback (mean of all source rows).
    pub fn kinds(&self) -> Vec<u8> {
        self.inner.kinds.iter().map(|&k| k as u8).collect()
    }
    /// Row i uses `sources[ptr[i]..ptr[i+1]]` with the same range of `weights`.
    pub fn ptr(&self) -> Vec<u32> {
        self.inner.ptr.clone()
    }
    pub fn sources(&self) -> Vec<u32> {
        self.inner.src.clone()
    }
    pub fn weights(&self) -> Vec<f32> {
        self.inner.weights.clone()
    }
}
