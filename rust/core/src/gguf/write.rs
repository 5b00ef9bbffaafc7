//! Writes a GGUF header: magic, version, counts, metadata (in the order given), the tensor table,
//! then zero padding up to the data section. Tensor data is not handled here: the caller streams
//! it (copied, row-gathered or computed) at the offsets this layout assigns.
//!
//! Layout rules (llama.cpp `gguf_write_to_buf`, gguf-py `GGUFWriter`): the data section starts at
//! the header length rounded up to `general.alignment` (32 when absent); every tensor starts at a
//! multiple of the alignment from the data section's start, tensors in table order, each followed
//! by zero padding to the next multiple (the last one too, as gguf-py writes it). A value is
//! written back with the type it was read with, so a header read and rewritten unchanged is the
//! same bytes (checked in the tests on the real model's header).
use super::read::DEFAULT_ALIGNMENT;
use super::types::GgmlType;
use super::value::{Array, Value};

/// One tensor of the file to write: its data is `size` bytes, placed at `offset`.
#[derive(Clone, Debug, PartialEq)]
pub struct OutTensor {
    pub name: String,
    /// ggml order (`dims[0]` is the row length).
    pub dims: Vec<u64>,
    pub ggml_type: GgmlType,
}

impl OutTensor {
    /// Bytes of the tensor's data; None when `dims[0]` is not whole blocks or the size overflows.
    pub fn size(&self) -> Option<u64> {
        let rows = self.dims[1..]
            .iter()
            .try_fold(1u64, |a, &d| a.checked_mul(d))?;
        self.ggml_type
            .row_bytes(*self.dims.first()?)?
            .checked_mul(rows)
    }
}

/// The bytes before the data section, and where each tensor's data goes.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Header + tensor table + padding: exactly `data_start` bytes.
    pub header: Vec<u8>,
    pub data_start: u64,
    /// Per tensor, from the data section's start.
    pub offsets: Vec<u64>,
    pub sizes: Vec<u64>,
    /// The whole file's length (the last tensor padded to the alignment).
    pub file_len: u64,
    pub alignment: u64,
}

/// Lays out a GGUF file. `general.alignment`, when present, must be a power of two.
pub fn layout(
    version: u32,
    metadata: &[(String, Value)],
    tensors: &[OutTensor],
) -> Result<Layout, String> {
    let alignment = match metadata.iter().find(|(k, _)| k == "general.alignment") {
        None => DEFAULT_ALIGNMENT,
        Some((_, v)) => match v.as_u64() {
            Some(a) if a > 0 && a.is_power_of_two() => a,
            _ => return Err(format!("general.alignment {v:?} is not a power of two")),
        },
    };
    let mut offsets = Vec::with_capacity(tensors.len());
    let mut sizes = Vec::with_capacity(tensors.len());
    let mut at = 0u64;
    for t in tensors {
        if t.dims.is_empty() || t.dims.len() > 4 {
            return Err(format!(
                "tensor {:?} has {} dimensions (1 to 4 allowed)",
                t.name,
                t.dims.len()
            ));
        }
        let size = t.size().ok_or_else(|| {
            format!(
                "tensor {:?}: dims {:?} are not whole {} blocks, or overflow",
                t.name, t.dims, t.ggml_type
            )
        })?;
        offsets.push(at);
        sizes.push(size);
        at = (at + size).div_ceil(alignment) * alignment;
    }
    let mut h = Vec::new();
    h.extend_from_slice(b"GGUF");
    h.extend_from_slice(&version.to_le_bytes());
    h.extend_from_slice(&(tensors.len() as u64).to_le_bytes());
    h.extend_from_slice(&(metadata.len() as u64).to_le_bytes());
    for (k, v) in metadata {
        string(&mut h, k);
        h.extend_from_slice(&(v.value_type() as u32).to_le_bytes());
        value(&mut h, v);
    }
    for (t, &off) in tensors.iter().zip(&offsets) {
        string(&mut h, &t.name);
        h.extend_from_slice(&(t.dims.len() as u32).to_le_bytes());
        for d in &t.dims {
            h.extend_from_slice(&d.to_le_bytes());
        }
        h.extend_from_slice(&t.ggml_type.0.to_le_bytes());
        h.extend_from_slice(&off.to_le_bytes());
    }
    let data_start = (h.len() as u64).div_ceil(alignment) * alignment;
    h.resize(data_start as usize, 0);
    Ok(Layout {
        header: h,
        data_start,
        offsets,
        sizes,
        file_len: data_start + at,
        alignment,
    })
}

fn string(h: &mut Vec<u8>, s: &str) {
    h.extend_from_slice(&(s.len() as u64).to_le_bytes());
    h.extend_from_slice(s.as_bytes());
}

fn value(h: &mut Vec<u8>, v: &Value) {
    match v {
        Value::U8(x) => h.push(*x),
        Value::I8(x) => h.push(*x as u8),
        Value::U16(x) => h.extend_from_slice(&x.to_le_bytes()),
        Value::I16(x) => h.extend_from_slice(&x.to_le_bytes()),
        Value::U32(x) => h.extend_from_slice(&x.to_le_bytes()),
        Value::I32(x) => h.extend_from_slice(&x.to_le_bytes()),
        Value::F32(x) => h.extend_from_slice(&x.to_le_bytes()),
        Value::Bool(x) => h.push(*x as u8),
        Value::Str(s) => string(h, s),
        Value::U64(x) => h.extend_from_slice(&x.to_le_bytes()),
        Value::I64(x) => h.extend_from_slice(&x.to_le_bytes()),
        Value::F64(x) => h.extend_from_slice(&x.to_le_bytes()),
        Value::Array(a) => array(h, a),
    }
}

fn array(h: &mut Vec<u8>, a: &Array) {
    h.extend_from_slice(&(a.element_type() as u32).to_le_bytes());
    h.extend_from_slice(&(a.len() as u64).to_le_bytes());
    macro_rules! each {
        ($v:expr, $f:expr) => {
            for x in $v {
                $f(h, x)
            }
        };
    }
    match a {
        Array::U8(v) => h.extend_from_slice(v),
        Array::I8(v) => each!(v, |h: &mut Vec<u8>, x: &i8| h.push(*x as u8)),
        Array::U16(v) => each!(v, |h: &mut Vec<u8>, x: &u16| h
            .extend_from_slice(&x.to_le_bytes())),
        Array::I16(v) => each!(v, |h: &mut Vec<u8>, x: &i16| h
            .extend_from_slice(&x.to_le_bytes())),
        Array::U32(v) => each!(v, |h: &mut Vec<u8>, x: &u32| h
            .extend_from_slice(&x.to_le_bytes())),
        Array::I32(v) => each!(v, |h: &mut Vec<u8>, x: &i32| h
            .extend_from_slice(&x.to_le_bytes())),
        Array::F32(v) => each!(v, |h: &mut Vec<u8>, x: &f32| h
            .extend_from_slice(&x.to_le_bytes())),
        Array::Bool(v) => each!(v, |h: &mut Vec<u8>, x: &bool| h.push(*x as u8)),
        Array::Str(v) => each!(v, |h: &mut Vec<u8>, x: &String| string(h, x)),
        Array::U64(v) => each!(v, |h: &mut Vec<u8>, x: &u64| h
            .extend_from_slice(&x.to_le_bytes())),
        Array::I64(v) => each!(v, |h: &mut Vec<u8>, x: &i64| h
            .extend_from_slice(&x.to_le_bytes())),
        Array::F64(v) => each!(v, |h: &mut Vec<u8>, x: &f64| h
            .extend_from_slice(&x.to_le_bytes())),
        Array::Nested(v) => each!(v, array),
    }
}
