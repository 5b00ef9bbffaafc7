//! Reads a GGUF file's header: version, metadata (key → typed value, in file order) and the
//! tensor table, from a prefix of the file. Nothing here trusts a count or an offset: every
//! length is checked against the bytes present before anything is allocated for it, and every
//! tensor must lie inside the file, aligned, with a whole number of blocks per row.
//!
//! The header of a real model is a few MB (the vocabulary is in it) while the file is GBs, so the
//! caller passes a prefix and the file's length; `Ok(None)` asks for a longer prefix.
use super::types::GgmlType;
use super::value::{Array, Value, ValueType};

/// "GGUF" as a little-endian u32 at offset 0.
const MAGIC: &[u8; 4] = b"GGUF";
/// ggml's GGML_MAX_DIMS.
const MAX_DIMS: u32 = 4;
/// general.alignment when the file does not say.
pub const DEFAULT_ALIGNMENT: u64 = 32;

#[derive(Clone, Debug, PartialEq)]
pub struct TensorInfo {
    pub name: String,
    /// ggml order: `dims[0]` is the row length (for `token_embd`: [n_embd, n_vocab]).
    pub dims: Vec<u64>,
    pub ggml_type: GgmlType,
    /// From the start of the data section.
    pub offset: u64,
    /// Bytes of the tensor's data.
    pub size: u64,
}

impl TensorInfo {
    /// Bytes of one row (`dims[0]` elements).
    pub fn row_bytes(&self) -> u64 {
        self.ggml_type.row_bytes(self.dims[0]).unwrap_or(0)
    }

    /// Rows = product of every dim after the first.
    pub fn rows(&self) -> u64 {
        self.dims[1..].iter().product()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub version: u32,
    /// In file order (a rewrite keeps it).
    pub metadata: Vec<(String, Value)>,
    pub tensors: Vec<TensorInfo>,
    pub alignment: u64,
    /// Bytes of the header proper (magic to the end of the tensor table, before padding).
    pub header_len: u64,
    /// Absolute offset of the data section (`header_len` rounded up to `alignment`).
    pub data_start: u64,
}

impl Header {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.metadata.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    pub fn get_u64(&self, key: &str) -> Option<u64> {
        self.get(key).and_then(Value::as_u64)
    }

    pub fn get_array(&self, key: &str) -> Option<&Array> {
        self.get(key).and_then(Value::as_array)
    }

    pub fn tensor(&self, name: &str) -> Option<&TensorInfo> {
        self.tensors.iter().find(|t| t.name == name)
    }

    /// `general.architecture`, e.g. "llama".
    pub fn architecture(&self) -> Option<&str> {
        self.get_str("general.architecture")
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum GgufError {
    #[error("not a GGUF file (it does not start with \"GGUF\")")]
    NotGguf,
    #[error("GGUF version {0} is not supported (versions 2 and 3 are)")]
    Version(u32),
    #[error("corrupt GGUF header: {0}")]
    Corrupt(String),
}

/// Parses the header from `prefix` (the first bytes of a file of `file_len` bytes).
/// `Ok(None)`: the header goes on past `prefix`; read more and call again.
pub fn parse_header(prefix: &[u8], file_len: u64) -> Result<Option<Header>, GgufError> {
    let mut r = Reader {
        buf: prefix,
        pos: 0,
        file_len,
    };
    match read_header(&mut r) {
        Ok(h) => Ok(Some(h)),
        Err(Stop::More) => Ok(None),
        Err(Stop::Err(e)) => Err(e),
    }
}

enum Stop {
    /// The prefix ends before the header does (but the file goes on).
    More,
    Err(GgufError),
}

impl From<GgufError> for Stop {
    fn from(e: GgufError) -> Stop {
        Stop::Err(e)
    }
}

fn corrupt(msg: String) -> Stop {
    Stop::Err(GgufError::Corrupt(msg))
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    file_len: u64,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: u64) -> Result<&'a [u8], Stop> {
        let end = (self.pos as u64)
            .checked_add(n)
            .ok_or_else(|| corrupt("a length overflows".into()))?;
        if end > self.file_len {
            return Err(corrupt(format!(
                "the file ends at byte {} inside the header (a length at byte {} asks for {n} bytes)",
                self.file_len, self.pos
            )));
        }
        if end > self.buf.len() as u64 {
            return Err(Stop::More);
        }
        let s = &self.buf[self.pos..end as usize];
        self.pos = end as usize;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Stop> {
        Ok(self
            .take(N as u64)?
            .try_into()
            .expect("take returns N bytes"))
    }

    fn u32(&mut self) -> Result<u32, Stop> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, Stop> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn string(&mut self, what: &dyn Fn() -> String) -> Result<String, Stop> {
        let n = self.u64()?;
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| corrupt(format!("{} is not valid UTF-8", what())))
    }

    /// Bytes left in the file: no count may promise more elements than could fit.
    fn check_count(
        &self,
        count: u64,
        min_size: u64,
        what: &dyn Fn() -> String,
    ) -> Result<usize, Stop> {
        let left = self.file_len.saturating_sub(self.pos as u64);
        if count.saturating_mul(min_size.max(1)) > left {
            return Err(corrupt(format!(
                "{} claims {count} elements, more than the {left} bytes left in the file",
                what()
            )));
        }
        Ok(count as usize)
    }

    fn vec<T>(
        &mut self,
        count: u64,
        size: u64,
        what: &dyn Fn() -> String,
        f: impl Fn(&[u8]) -> T,
    ) -> Result<Vec<T>, Stop> {
        let n = self.check_count(count, size, what)?;
        let bytes = self.take(count * size)?;
        Ok(bytes.chunks_exact(size as usize).take(n).map(f).collect())
    }

    fn scalar(&mut self, t: ValueType, what: &dyn Fn() -> String) -> Result<Value, Stop> {
        Ok(match t {
            ValueType::U8 => Value::U8(self.array::<1>()?[0]),
            ValueType::I8 => Value::I8(self.array::<1>()?[0] as i8),
            ValueType::U16 => Value::U16(u16::from_le_bytes(self.array()?)),
            ValueType::I16 => Value::I16(i16::from_le_bytes(self.array()?)),
            ValueType::U32 => Value::U32(self.u32()?),
            ValueType::I32 => Value::I32(i32::from_le_bytes(self.array()?)),
            ValueType::F32 => Value::F32(f32::from_le_bytes(self.array()?)),
            ValueType::Bool => Value::Bool(self.bool(what)?),
            ValueType::Str => Value::Str(self.string(what)?),
            ValueType::U64 => Value::U64(self.u64()?),
            ValueType::I64 => Value::I64(i64::from_le_bytes(self.array()?)),
            ValueType::F64 => Value::F64(f64::from_le_bytes(self.array()?)),
            ValueType::Array => Value::Array(self.array_value(what, 0)?),
        })
    }

    fn bool(&mut self, what: &dyn Fn() -> String) -> Result<bool, Stop> {
        match self.array::<1>()?[0] {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(corrupt(format!(
                "{}: bool byte {b} (must be 0 or 1)",
                what()
            ))),
        }
    }

    fn array_value(&mut self, what: &dyn Fn() -> String, depth: u32) -> Result<Array, Stop> {
        if depth > 8 {
            return Err(corrupt(format!(
                "{}: arrays nested more than 8 deep",
                what()
            )));
        }
        let raw = self.u32()?;
        let t = ValueType::from_u32(raw)
            .ok_or_else(|| corrupt(format!("{}: unknown array element type {raw}", what())))?;
        let count = self.u64()?;
        Ok(match t {
            ValueType::U8 => Array::U8(self.vec(count, 1, what, |b| b[0])?),
            ValueType::I8 => Array::I8(self.vec(count, 1, what, |b| b[0] as i8)?),
            ValueType::U16 => {
                Array::U16(self.vec(count, 2, what, |b| u16::from_le_bytes([b[0], b[1]]))?)
            }
            ValueType::I16 => {
                Array::I16(self.vec(count, 2, what, |b| i16::from_le_bytes([b[0], b[1]]))?)
            }
            ValueType::U32 => Array::U32(self.vec(count, 4, what, |b| {
                u32::from_le_bytes(b.try_into().unwrap())
            })?),
            ValueType::I32 => Array::I32(self.vec(count, 4, what, |b| {
                i32::from_le_bytes(b.try_into().unwrap())
            })?),
            ValueType::F32 => Array::F32(self.vec(count, 4, what, |b| {
                f32::from_le_bytes(b.try_into().unwrap())
            })?),
            ValueType::U64 => Array::U64(self.vec(count, 8, what, |b| {
                u64::from_le_bytes(b.try_into().unwrap())
            })?),
            ValueType::I64 => Array::I64(self.vec(count, 8, what, |b| {
                i64::from_le_bytes(b.try_into().unwrap())
            })?),
            ValueType::F64 => Array::F64(self.vec(count, 8, what, |b| {
                f64::from_le_bytes(b.try_into().unwrap())
            })?),
            ValueType::Bool => {
                let n = self.check_count(count, 1, what)?;
                let mut v = Vec::with_capacity(n);
                for _ in 0..n {
                    v.push(self.bool(what)?);
                }
                Array::Bool(v)
            }
            ValueType::Str => {
                // A string is at least its 8-byte length.
                let n = self.check_count(count, 8, what)?;
                let mut v = Vec::with_capacity(n);
                for i in 0..n {
                    v.push(self.string(&|| format!("{} element {i}", what()))?);
                }
                Array::Str(v)
            }
            ValueType::Array => {
                let n = self.check_count(count, 12, what)?;
                let mut v = Vec::with_capacity(n);
                for _ in 0..n {
                    v.push(self.array_value(what, depth + 1)?);
                }
                Array::Nested(v)
            }
        })
    }
}

fn read_header(r: &mut Reader) -> Result<Header, Stop> {
    if r.file_len >= 4 && r.buf.len() >= 4 && &r.buf[..4] != MAGIC {
        return Err(GgufError::NotGguf.into());
    }
    let magic = r.take(4).map_err(|e| match e {
        Stop::Err(_) => Stop::Err(GgufError::NotGguf),
        more => more,
    })?;
    if magic != MAGIC {
        return Err(GgufError::NotGguf.into());
    }
    let version = r.u32()?;
    if !(2..=3).contains(&version) {
        return Err(GgufError::Version(version).into());
    }
    let n_tensors = r.u64()?;
    let n_kv = r.u64()?;
    // A key-value pair is at least 8 (key length) + 4 (type) + 1 bytes; a tensor info 8 + 4 + 4 + 8.
    let n_kv = r.check_count(n_kv, 13, &|| "the metadata count".to_string())?;
    let n_tensors = r.check_count(n_tensors, 24, &|| "the tensor count".to_string())?;

    let mut metadata: Vec<(String, Value)> = Vec::with_capacity(n_kv);
    for i in 0..n_kv {
        let key = r.string(&|| format!("metadata key #{i}"))?;
        if metadata.iter().any(|(k, _)| *k == key) {
            return Err(corrupt(format!("metadata key {key:?} appears twice")));
        }
        let raw = r.u32()?;
        let what = || format!("metadata {key:?}");
        let t = ValueType::from_u32(raw)
            .ok_or_else(|| corrupt(format!("{}: unknown value type {raw}", what())))?;
        let v = r.scalar(t, &what)?;
        metadata.push((key, v));
    }

    let alignment = match metadata.iter().find(|(k, _)| k == "general.alignment") {
        None => DEFAULT_ALIGNMENT,
        Some((_, v)) => match v.as_u64() {
            Some(a) if a > 0 && a.is_power_of_two() => a,
            _ => {
                return Err(corrupt(format!(
                    "general.alignment {v:?} is not a power of two"
                )))
            }
        },
    };

    let mut tensors: Vec<TensorInfo> = Vec::with_capacity(n_tensors);
    for i in 0..n_tensors {
        let name = r.string(&|| format!("tensor name #{i}"))?;
        let n_dims = r.u32()?;
        if n_dims == 0 || n_dims > MAX_DIMS {
            return Err(corrupt(format!(
                "tensor {name:?} has {n_dims} dimensions (1 to {MAX_DIMS} allowed)"
            )));
        }
        let mut dims = Vec::with_capacity(n_dims as usize);
        for _ in 0..n_dims {
            dims.push(r.u64()?);
        }
        let ggml_type = GgmlType(r.u32()?);
        let offset = r.u64()?;
        if !ggml_type.is_known() {
            return Err(corrupt(format!(
                "tensor {name:?} has unknown ggml type {}",
                ggml_type.0
            )));
        }
        let elements = dims.iter().try_fold(1u64, |a, &d| a.checked_mul(d));
        let size = ggml_type.row_bytes(dims[0]).and_then(|row| {
            row.checked_mul(dims[1..].iter().try_fold(1u64, |a, &d| a.checked_mul(d))?)
        });
        let (Some(_), Some(size)) = (elements, size) else {
            return Err(corrupt(format!(
                "tensor {name:?}: dims {dims:?} are not whole {} blocks of {} elements, or overflow",
                ggml_type,
                ggml_type.block_len()
            )));
        };
        if !offset.is_multiple_of(alignment) {
            return Err(corrupt(format!(
                "tensor {name:?}: offset {offset} is not a multiple of the alignment {alignment}"
            )));
        }
        if tensors.iter().any(|t| t.name == name) {
            return Err(corrupt(format!("tensor {name:?} appears twice")));
        }
        tensors.push(TensorInfo {
            name,
            dims,
            ggml_type,
            offset,
            size,
        });
    }

    let header_len = r.pos as u64;
    let data_start = header_len.div_ceil(alignment) * alignment;
    for t in &tensors {
        let end = data_start
            .checked_add(t.offset)
            .and_then(|s| s.checked_add(t.size));
        if end.is_none_or(|e| e > r.file_len) {
            return Err(corrupt(format!(
                "tensor {:?}: data at {}+{} ({} bytes) goes past the end of the file ({} bytes)",
                t.name, data_start, t.offset, t.size, r.file_len
            )));
        }
    }
    let mut spans: Vec<(u64, u64, &str)> = tensors
        .iter()
        .map(|t| (t.offset, t.offset + t.size, t.name.as_str()))
        .collect();
    spans.sort_unstable();
    for w in spans.windows(2) {
        if w[1].0 < w[0].1 {
            return Err(corrupt(format!(
                "tensors {:?} and {:?} overlap",
                w[0].2, w[1].2
            )));
        }
    }
    Ok(Header {
        version,
        metadata,
        tensors,
        alignment,
        header_len,
        data_start,
    })
}
