//! Bindings of GGUF trimming and remapping: the core rewrites the header and says where every
//! output tensor's bytes come from; TypeScript streams the data (src/gguf-rewrite.ts).
use crate::WasmTokenizer;
use vocabsmith_core::gguf::{
    self, remap_rows::RowComputer, rewrite::Rewrite, rewrite::Source, GgmlType, Header,
};
use vocabsmith_core::remap::{self, Aux, Plan};
use wasm_bindgen::prelude::*;

fn header(prefix: &[u8], file_len: f64) -> Result<Header, JsError> {
    match gguf::parse_header(prefix, file_len as u64) {
        Ok(Some(h)) => Ok(h),
        Ok(None) => Err(JsError::new(
            "corrupt GGUF header: it goes on past the bytes given",
        )),
        Err(e) => Err(JsError::new(&e.to_string())),
    }
}

/// Where an output tensor's bytes come from.
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub enum GgufSource {
    /// The input tensor, byte for byte.
    Copy = 0,
    /// Whole rows of the input tensor, in the order of `rowIds()`.
    Rows = 1,
    /// Rows computed by `rowComputer(i, bytes)`.
    Computed = 2,
}

/// One tensor of the output file.
#[wasm_bindgen(js_name = WasmGgufOutTensor, getter_with_clone)]
pub struct WasmGgufOutTensor {
    pub name: String,
    pub source: GgufSource,
    /// Absolute offset of the input tensor in the input file.
    #[wasm_bindgen(js_name = srcOffset)]
    pub src_offset: f64,
    /// Bytes of the input tensor.
    #[wasm_bindgen(js_name = srcSize)]
    pub src_size: f64,
    /// Bytes of one input row (Rows, Computed).
    #[wasm_bindgen(js_name = srcRowBytes)]
    pub src_row_bytes: f64,
    /// Absolute offset in the output file.
    #[wasm_bindgen(js_name = outOffset)]
    pub out_offset: f64,
    #[wasm_bindgen(js_name = outSize)]
    pub out_size: f64,
    #[wasm_bindgen(js_name = typeName)]
    pub type_name: String,
}

#[wasm_bindgen(js_name = WasmGgufRewrite)]
pub struct WasmGgufRewrite {
    inner: Rewrite,
    src: Header,
    plan: Option<Plan>,
}

/// Ids a trim of this GGUF must keep: every `*_token_id` and every control / user-defined token.
#[wasm_bindgen(js_name = ggufSeedIds)]
pub fn gguf_seed_ids(prefix: &[u8], file_len: f64) -> Result<Vec<u32>, JsError> {
    Ok(gguf::trim::seed_ids(&header(prefix, file_len)?))
}

/// The rewrite of the GGUF whose header is `prefix` keeping `kept` (old ids, ascending).
#[wasm_bindgen(js_name = ggufTrim)]
pub fn gguf_trim(prefix: &[u8], file_len: f64, kept: &[u32]) -> Result<WasmGgufRewrite, JsError> {
    let src = header(prefix, file_len)?;
    let inner = gguf::trim::trim(&src, kept).map_err(|e| JsError::new(&e))?;
    Ok(WasmGgufRewrite {
        inner,
        src,
        plan: None,
    })
}

/// The rewrite of the GGUF to `target`; `source` is the GGUF's own tokenizer (same ids).
// One call in from TS with plain arguments (bytes, handles, an enum, the optional aux vectors and
// a callback); a struct here would only be a JS class to build before calling.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = ggufRemap)]
pub fn gguf_remap(
    prefix: &[u8],
    file_len: f64,
    source: &WasmTokenizer,
    target: &WasmTokenizer,
    method: crate::remap::RemapMethod,
    aux: Option<Vec<f32>>,
    aux_dim: u32,
    progress: Option<js_sys::Function>,
) -> Result<WasmGgufRewrite, JsError> {
    let src = header(prefix, file_len)?;
    let method = crate::remap::core_method(method)?;
    let aux = aux.as_deref().map(|v| Aux {
        vectors: v,
        dim: aux_dim as usize,
    });
    let plan = remap::plan_with_progress(
        &source.inner,
        &target.inner,
        method,
        aux,
        &mut crate::remap::report(progress),
    )
    .map_err(|e| JsError::new(&e.to_string()))?;
    let inner = gguf::remap::remap(&src, &target.inner, &plan).map_err(|e| JsError::new(&e))?;
    Ok(WasmGgufRewrite {
        inner,
        src,
        plan: Some(plan),
    })
}

#[wasm_bindgen(js_class = WasmGgufRewrite)]
impl WasmGgufRewrite {
    /// The output file's first `dataStart` bytes: header, tensor table, padding.
    pub fn header(&self) -> Vec<u8> {
        self.inner.layout.header.clone()
    }
    #[wasm_bindgen(getter, js_name = fileLen)]
    pub fn file_len(&self) -> f64 {
        self.inner.layout.file_len as f64
    }
    #[wasm_bindgen(getter)]
    pub fn alignment(&self) -> f64 {
        self.inner.layout.alignment as f64
    }
    /// Input row of each output row of the `Rows` tensors.
    #[wasm_bindgen(js_name = rowIds)]
    pub fn row_ids(&self) -> Vec<u32> {
        self.inner.row_ids.clone()
    }
    /// Remap only: per target id, its `PlanKind`.
    pub fn kinds(&self) -> Vec<u8> {
        self.plan
            .as_ref()
            .map_or(vec![], |p| crate::remap::kind_codes(&p.kinds))
    }
    /// Remap only: the plan's terms of row i are `ptr[i]..ptr[i + 1]` of `weights`.
    pub fn ptr(&self) -> Vec<u32> {
        self.plan.as_ref().map_or(vec![], |p| p.ptr.clone())
    }
    /// Remap only: the weight of each term, row after row.
    pub fn weights(&self) -> Vec<f32> {
        self.plan.as_ref().map_or(vec![], |p| p.weights.clone())
    }
    pub fn tensors(&self) -> Vec<WasmGgufOutTensor> {
        let l = &self.inner.layout;
        self.inner
            .tensors
            .iter()
            .zip(&self.inner.sources)
            .enumerate()
            .map(|(i, (t, s))| {
                let src = &self.src.tensors[i];
                let (source, src_offset, row) = match *s {
                    Source::Copy { offset } => (GgufSource::Copy, offset, 0),
                    Source::Rows { offset, row_bytes } => (GgufSource::Rows, offset, row_bytes),
                    Source::Computed { offset, row_bytes } => {
                        (GgufSource::Computed, offset, row_bytes)
                    }
                };
                WasmGgufOutTensor {
                    name: t.name.clone(),
                    source,
                    src_offset: src_offset as f64,
                    src_size: src.size as f64,
                    src_row_bytes: row as f64,
                    out_offset: (l.data_start + l.offsets[i]) as f64,
                    out_size: l.sizes[i] as f64,
                    type_name: t.ggml_type.name().to_string(),
                }
            })
            .collect()
    }
    /// The computer of tensor `i`'s rows (a `Computed` tensor), from the input tensor's bytes.
    #[wasm_bindgen(js_name = rowComputer)]
    pub fn row_computer(&self, i: usize, bytes: Vec<u8>) -> Result<WasmGgufRows, JsError> {
        let plan = self
            .plan
            .as_ref()
            .ok_or_else(|| JsError::new("not a remap"))?;
        let (src, out) = (&self.src.tensors[i], &self.inner.tensors[i]);
        let ne = if src.dims.len() == 1 {
            1
        } else {
            src.dims[0] as usize
        };
        let n_tokens = gguf::rewrite::tokens(&self.src)
            .map_err(|e| JsError::new(&e))?
            .len();
        let plan = Plan {
            kinds: plan.kinds.clone(),
            ptr: plan.ptr.clone(),
            src: plan.src.clone(),
            weights: plan.weights.clone(),
        };
        let out_type: GgmlType = out.ggml_type;
        RowComputer::new(plan, bytes, src.ggml_type, ne, n_tokens, out_type)
            .map(|inner| WasmGgufRows { inner })
            .map_err(|e| JsError::new(&e))
    }
}

#[wasm_bindgen(js_name = WasmGgufRows)]
pub struct WasmGgufRows {
    inner: RowComputer,
}

#[wasm_bindgen(js_class = WasmGgufRows)]
impl WasmGgufRows {
    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> usize {
        self.inner.rows()
    }
    /// Output rows `start..end`, in the output tensor's type.
    pub fn compute(&mut self, start: usize, end: usize) -> Vec<u8> {
        self.inner.compute(start, end)
    }
}
