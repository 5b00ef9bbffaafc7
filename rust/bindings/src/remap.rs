//! Remapping bindings: a plan (per target id: kind, source ids, weights) as typed arrays.
use crate::WasmTokenizer;
use vocabsmith_core::remap::{self, Aux, Kind, Method, Plan};
use wasm_bindgen::prelude::*;

/// How a target row is made from the source's rows.
#[wasm_bindgen]
pub enum RemapMethod {
    Copy = "copy",
    Fvt = "fvt",
    Focus = "focus",
    Omp = "omp",
}

pub(crate) fn core_method(m: RemapMethod) -> Result<Method, JsError> {
    Ok(match m {
        RemapMethod::Copy => Method::Copy,
        RemapMethod::Fvt => Method::Fvt,
        RemapMethod::Focus => Method::Focus,
        RemapMethod::Omp => Method::Omp,
        _ => return Err(JsError::new("unknown method (copy, fvt, focus, omp)")),
    })
}

/// The values of a plan's `kinds()`: how each target row was made.
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub enum PlanKind {
    Copy = 0,
    Fvt = 1,
    Focus = 2,
    Omp = 3,
    /// The mean of all source rows.
    Fallback = 4,
}

/// Each row's `PlanKind`, one byte a row (bulk data: one per target id).
pub(crate) fn kind_codes(kinds: &[Kind]) -> Vec<u8> {
    let code = |k: Kind| match k {
        Kind::Copy => PlanKind::Copy,
        Kind::Fvt => PlanKind::Fvt,
        Kind::Focus => PlanKind::Focus,
        Kind::Omp => PlanKind::Omp,
        Kind::Fallback => PlanKind::Fallback,
    };
    kinds.iter().map(|&k| code(k) as u8).collect()
}

/// `progress(done, total)` as a Rust callback; a JS function that throws is not this call's
/// concern (the progress display is), so its result is dropped.
pub(crate) fn report(f: Option<js_sys::Function>) -> impl FnMut(u32, u32) {
    move |done, total| {
        if let Some(f) = &f {
            let _ = f.call2(&JsValue::NULL, &JsValue::from(done), &JsValue::from(total));
        }
    }
}

/// Plans the target tokenizer's embedding rows from the source's. `aux` (target ids × `aux_dim`
/// floats) is required for `focus` and `omp`. `progress(done, total)` is called as the rows that
/// are not copies are computed.
#[wasm_bindgen(js_name = remapPlan)]
pub fn remap_plan(
    source: &WasmTokenizer,
    target: &WasmTokenizer,
    method: RemapMethod,
    aux: Option<Vec<f32>>,
    aux_dim: u32,
    progress: Option<js_sys::Function>,
) -> Result<WasmRemapPlan, JsError> {
    let method = core_method(method)?;
    let aux = aux.as_deref().map(|v| Aux {
        vectors: v,
        dim: aux_dim as usize,
    });
    remap::plan_with_progress(
        &source.inner,
        &target.inner,
        method,
        aux,
        &mut report(progress),
    )
    .map(|inner| WasmRemapPlan { inner })
    .map_err(|e| JsError::new(&e.to_string()))
}

#[wasm_bindgen(js_name = WasmRemapPlan)]
pub struct WasmRemapPlan {
    inner: Plan,
}

#[wasm_bindgen(js_class = WasmRemapPlan)]
impl WasmRemapPlan {
    /// Per target id, its `PlanKind`.
    #[wasm_bindgen(getter)]
    pub fn kinds(&self) -> Vec<u8> {
        kind_codes(&self.inner.kinds)
    }
    /// Row i uses `sources[ptr[i]..ptr[i+1]]` with the same range of `weights`.
    #[wasm_bindgen(getter)]
    pub fn ptr(&self) -> Vec<u32> {
        self.inner.ptr.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn sources(&self) -> Vec<u32> {
        self.inner.src.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn weights(&self) -> Vec<f32> {
        self.inner.weights.clone()
    }
}
