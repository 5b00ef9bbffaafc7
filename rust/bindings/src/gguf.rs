//! GGUF header bindings: the header parsed in the core, read field by field with typed getters.
use vocabsmith_core::gguf::{self, Array, Header, Value, ValueType};
use wasm_bindgen::prelude::*;

/// The GGUF metadata value types (numbering of the GGUF specification).
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub enum GgufValueType {
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12,
}

fn js_type(t: ValueType) -> GgufValueType {
    match t {
        ValueType::U8 => GgufValueType::U8,
        ValueType::I8 => GgufValueType::I8,
        ValueType::U16 => GgufValueType::U16,
        ValueType::I16 => GgufValueType::I16,
        ValueType::U32 => GgufValueType::U32,
        ValueType::I32 => GgufValueType::I32,
        ValueType::F32 => GgufValueType::F32,
        ValueType::Bool => GgufValueType::Bool,
        ValueType::Str => GgufValueType::String,
        ValueType::Array => GgufValueType::Array,
        ValueType::U64 => GgufValueType::U64,
        ValueType::I64 => GgufValueType::I64,
        ValueType::F64 => GgufValueType::F64,
    }
}

/// One entry of the tensor table.
#[wasm_bindgen(js_name = WasmGgufTensor, getter_with_clone)]
pub struct WasmGgufTensor {
    pub name: String,
    /// ggml order: `dims[0]` is the row length.
    pub dims: Vec<f64>,
    #[wasm_bindgen(js_name = ggmlType)]
    pub ggml_type: u32,
    #[wasm_bindgen(js_name = typeName)]
    pub type_name: String,
    /// From the start of the data section.
    pub offset: f64,
    pub size: f64,
    #[wasm_bindgen(js_name = rowBytes)]
    pub row_bytes: f64,
}

#[wasm_bindgen(js_name = WasmGguf)]
pub struct WasmGguf {
    inner: Header,
}

/// Parses a GGUF header from the first bytes of a file of `file_len` bytes. `undefined`: the
/// header goes on past `prefix` (read more and call again). Throws on a corrupt header.
#[wasm_bindgen(js_name = parseGgufHeader)]
pub fn parse_gguf_header(prefix: &[u8], file_len: f64) -> Result<Option<WasmGguf>, JsError> {
    gguf::parse_header(prefix, file_len as u64)
        .map(|h| h.map(|inner| WasmGguf { inner }))
        .map_err(|e| JsError::new(&e.to_string()))
}

#[wasm_bindgen(js_class = WasmGguf)]
impl WasmGguf {
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> u32 {
        self.inner.version
    }
    #[wasm_bindgen(getter)]
    pub fn alignment(&self) -> f64 {
        self.inner.alignment as f64
    }
    #[wasm_bindgen(getter, js_name = headerLen)]
    pub fn header_len(&self) -> f64 {
        self.inner.header_len as f64
    }
    #[wasm_bindgen(getter, js_name = dataStart)]
    pub fn data_start(&self) -> f64 {
        self.inner.data_start as f64
    }
    /// Metadata keys in file order.
    pub fn keys(&self) -> Vec<String> {
        self.inner.metadata.iter().map(|(k, _)| k.clone()).collect()
    }
    #[wasm_bindgen(js_name = valueType)]
    pub fn value_type(&self, key: &str) -> Option<GgufValueType> {
        self.inner.get(key).map(|v| js_type(v.value_type()))
    }
    /// The element type of an array value.
    #[wasm_bindgen(js_name = arrayType)]
    pub fn array_type(&self, key: &str) -> Option<GgufValueType> {
        self.inner.get_array(key).map(|a| js_type(a.element_type()))
    }
    #[wasm_bindgen(js_name = getString)]
    pub fn get_string(&self, key: &str) -> Option<String> {
        self.inner.get_str(key).map(str::to_string)
    }
    /// A scalar number or bool (as 0/1).
    #[wasm_bindgen(js_name = getNumber)]
    pub fn get_number(&self, key: &str) -> Option<f64> {
        self.inner.get(key).and_then(Value::as_f64)
    }
    #[wasm_bindgen(js_name = getStrings)]
    pub fn get_strings(&self, key: &str) -> Option<Vec<String>> {
        self.inner
            .get_array(key)
            .and_then(Array::as_strs)
            .map(<[String]>::to_vec)
    }
    #[wasm_bindgen(js_name = getNumbers)]
    pub fn get_numbers(&self, key: &str) -> Option<Vec<f64>> {
        self.inner.get_array(key).and_then(Array::to_f64s)
    }
    /// The tokenizer in the metadata as a tokenizer.json document (core `gguf::tokenizer`);
    /// throws for a tokenizer model or pretokenizer that cannot be written exactly.
    #[wasm_bindgen(js_name = tokenizerJson)]
    pub fn tokenizer_json(&self) -> Result<String, JsError> {
        gguf::tokenizer_json(&self.inner).map_err(|e| JsError::new(&e.to_string()))
    }
    pub fn tensors(&self) -> Vec<WasmGgufTensor> {
        self.inner
            .tensors
            .iter()
            .map(|t| WasmGgufTensor {
                name: t.name.clone(),
                dims: t.dims.iter().map(|&d| d as f64).collect(),
                ggml_type: t.ggml_type.0,
                type_name: t.ggml_type.name().to_string(),
                offset: t.offset as f64,
                size: t.size as f64,
                row_bytes: t.row_bytes() as f64,
            })
            .collect()
    }
}
