//! What trimming and remapping a GGUF have in common: a new header (metadata rewritten, tensor
//! table re-laid out) and, per output tensor, where its bytes come from. The caller streams the
//! data: whole tensors copied byte for byte, vocabulary tensors gathered as whole rows (quantized
//! rows are whole blocks, so no dequantising), or rows computed by [`super::remap_rows`].
use super::read::{Header, TensorInfo};
use super::value::{Array, Value};
use super::write::{layout, Layout, OutTensor};

/// The tensors whose rows are indexed by token id: ggml order puts the vocabulary last
/// (`token_embd.weight` is [n_embd, n_vocab]).
pub const VOCAB_TENSORS: [&str; 3] = ["token_embd.weight", "output.weight", "output.bias"];

#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// The input tensor's bytes, unchanged (absolute offset in the input file).
    Copy { offset: u64 },
    /// Whole rows of `row_bytes` from the input tensor at `offset`, in the order of the
    /// rewrite's `row_ids`.
    Rows { offset: u64, row_bytes: u64 },
    /// Rows computed by the caller from the input tensor at `offset` (remapped rows).
    Computed { offset: u64, row_bytes: u64 },
}

pub struct Rewrite {
    pub metadata: Vec<(String, Value)>,
    pub tensors: Vec<OutTensor>,
    pub sources: Vec<Source>,
    /// Source row of every output row of the `Rows` tensors.
    pub row_ids: Vec<u32>,
    pub layout: Layout,
}

/// The tokens array; every per-token array must have its length.
pub fn tokens(h: &Header) -> Result<&[String], String> {
    h.get_array("tokenizer.ggml.tokens")
        .and_then(Array::as_strs)
        .ok_or_else(|| "no tokenizer.ggml.tokens string array in the metadata".to_string())
}

/// A vocabulary tensor's rows: its last dim, which must cover every token; and a row's bytes.
pub fn vocab_rows(t: &TensorInfo, n_tokens: usize) -> Result<(u64, u64), String> {
    let rows = *t.dims.last().expect("the reader refuses 0-dim tensors");
    if rows < n_tokens as u64 {
        return Err(format!(
            "tensor {:?} has {rows} rows but the vocabulary has {n_tokens} tokens",
            t.name
        ));
    }
    if t.dims.len() == 1 && t.ggml_type.block_len() != 1 {
        return Err(format!(
            "tensor {:?}: a 1-D {} vocabulary tensor has no whole rows",
            t.name, t.ggml_type
        ));
    }
    Ok((rows, t.size / rows))
}

/// `{arch}.vocab_size` set to `n`, keeping the value's integer type.
pub fn set_int(v: &Value, n: u64) -> Value {
    match v {
        Value::U8(_) => Value::U8(n as u8),
        Value::I8(_) => Value::I8(n as i8),
        Value::U16(_) => Value::U16(n as u16),
        Value::I16(_) => Value::I16(n as i16),
        Value::I32(_) => Value::I32(n as i32),
        Value::U64(_) => Value::U64(n),
        Value::I64(_) => Value::I64(n as i64),
        _ => Value::U32(n as u32),
    }
}

/// Metadata keys holding one token id (`tokenizer.ggml.bos_token_id`, `..._eot_token_id`, ...).
pub fn is_token_id_key(k: &str) -> bool {
    k.starts_with("tokenizer.ggml.") && k.ends_with("_token_id")
}

/// Lays out the rewritten file; every tensor not in `vocab` keeps its bytes.
pub fn finish(
    h: &Header,
    metadata: Vec<(String, Value)>,
    vocab: impl Fn(&TensorInfo) -> Result<Option<(OutTensor, Source)>, String>,
    row_ids: Vec<u32>,
) -> Result<Rewrite, String> {
    let mut tensors = Vec::with_capacity(h.tensors.len());
    let mut sources = Vec::with_capacity(h.tensors.len());
    for t in &h.tensors {
        let (o, s) = match vocab(t)? {
            Some(x) => x,
            None => (
                OutTensor {
                    name: t.name.clone(),
                    dims: t.dims.clone(),
                    ggml_type: t.ggml_type,
                },
                Source::Copy {
                    offset: h.data_start + t.offset,
                },
            ),
        };
        tensors.push(o);
        sources.push(s);
    }
    let layout = layout(h.version, &metadata, &tensors)?;
    Ok(Rewrite {
        metadata,
        tensors,
        sources,
        row_ids,
        layout,
    })
}
