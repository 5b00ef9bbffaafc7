//! Vocabulary trimming of a GGUF: the kept ids come from the tokenizer-level trim (merge closure,
//! `crate::trim`), run on the tokenizer the GGUF metadata describes; here the file follows them.
//!
//! Guarantees, for kept ids `K` (ascending; new id of `K[i]` is `i`):
//! - Per-token metadata (`tokenizer.ggml.tokens`, `token_type`, `scores`, and any other
//!   `tokenizer.*` array with one element per token) is gathered at `K`, values unchanged.
//! - `tokenizer.ggml.merges` keeps `"a b"` iff `a`, `b` and `ab` are kept tokens, in rank order:
//!   the rule of `crate::trim` (which the merge closure makes sufficient), applied to the GGUF's
//!   own list.
//! - Every `tokenizer.ggml.*_token_id` follows its token; a dropped one is an error (the caller
//!   seeds them with [`seed_ids`]). `{arch}.vocab_size` becomes |K|.
//! - `token_embd.weight`, `output.weight` (and `output.bias`) keep rows `K` as whole rows of
//!   their own type — a quantized row is whole blocks, so rows move without dequantising and the
//!   kept logits are computed from identical bytes. Every other tensor is copied byte for byte.
//!   With identical rows and an identical forward pass, the trimmed model's next-token
//!   distribution is the original's restricted to `K` and renormalised.
use super::read::Header;
use super::rewrite::{
    finish, is_token_id_key, set_int, tokens, vocab_rows, Rewrite, Source, VOCAB_TENSORS,
};
use super::value::{Array, Value};
use super::write::OutTensor;
use rustc_hash::FxHashSet;

/// llama.cpp's token types that are not plain vocabulary: control (3), user-defined (4).
const KEEP_TYPES: [i64; 2] = [3, 4];

/// Ids a trim must keep whatever the corpus: every `*_token_id` of the metadata and every
/// control or user-defined token (chat markers, `<|endoftext|>`), ascending.
pub fn seed_ids(h: &Header) -> Vec<u32> {
    let mut ids: Vec<u32> = h
        .metadata
        .iter()
        .filter(|(k, _)| is_token_id_key(k))
        .filter_map(|(_, v)| v.as_u64().map(|x| x as u32))
        .collect();
    if let Some(types) = h
        .get_array("tokenizer.ggml.token_type")
        .and_then(Array::to_f64s)
    {
        ids.extend(
            types
                .iter()
                .enumerate()
                .filter(|(_, &t)| KEEP_TYPES.contains(&(t as i64)))
                .map(|(i, _)| i as u32),
        );
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The rewrite of `h` keeping `kept` (ascending, unique, each below the vocabulary size).
pub fn trim(h: &Header, kept: &[u32]) -> Result<Rewrite, String> {
    let toks = tokens(h)?;
    let n = toks.len();
    if kept.windows(2).any(|w| w[0] >= w[1]) || kept.last().is_some_and(|&k| k as usize >= n) {
        return Err(format!(
            "kept ids must be ascending, unique and below the vocabulary size {n}"
        ));
    }
    let mut old_to_new = vec![u32::MAX; n];
    for (i, &k) in kept.iter().enumerate() {
        old_to_new[k as usize] = i as u32;
    }
    let kept_strs: FxHashSet<&str> = kept.iter().map(|&k| toks[k as usize].as_str()).collect();
    let vocab_key = h.architecture().map(|a| format!("{a}.vocab_size"));
    let mut metadata = Vec::with_capacity(h.metadata.len());
    for (k, v) in &h.metadata {
        let nv = if k == "tokenizer.ggml.merges" {
            let list = v
                .as_array()
                .and_then(Array::as_strs)
                .ok_or("tokenizer.ggml.merges is not a string array")?;
            Value::Array(Array::Str(
                list.iter()
                    .filter(|m| merge_kept(m, &kept_strs))
                    .cloned()
                    .collect(),
            ))
        } else if is_token_id_key(k) {
            let id = v.as_u64().ok_or_else(|| format!("{k} is not an integer"))?;
            let new = old_to_new.get(id as usize).copied().unwrap_or(u32::MAX);
            if new == u32::MAX {
                return Err(format!(
                    "{k} = {id} is not among the kept ids (keep it: it is a special token)"
                ));
            }
            set_int(v, new as u64)
        } else if Some(k) == vocab_key.as_ref() {
            set_int(v, kept.len() as u64)
        } else if let Some(a) = v
            .as_array()
            .filter(|a| k.starts_with("tokenizer.") && a.len() == n)
        {
            Value::Array(gather(a, kept))
        } else {
            v.clone()
        };
        metadata.push((k.clone(), nv));
    }
    finish(
        h,
        metadata,
        |t| {
            if !VOCAB_TENSORS.contains(&t.name.as_str()) {
                return Ok(None);
            }
            let (_, row_bytes) = vocab_rows(t, n)?;
            let mut dims = t.dims.clone();
            *dims.last_mut().unwrap() = kept.len() as u64;
            let o = OutTensor {
                name: t.name.clone(),
                dims,
                ggml_type: t.ggml_type,
            };
            Ok(Some((
                o,
                Source::Rows {
                    offset: h.data_start + t.offset,
                    row_bytes,
                },
            )))
        },
        kept.to_vec(),
    )
}

/// `"a b"` survives when both parts and their concatenation are kept. Byte-level and
/// SentencePiece vocabularies never hold a literal space, so the first space splits the pair.
fn merge_kept(m: &str, kept: &FxHashSet<&str>) -> bool {
    match m.split_once(' ') {
        Some((a, b)) => {
            kept.contains(a) && kept.contains(b) && kept.contains(format!("{a}{b}").as_str())
        }
        None => false,
    }
}

/// `a[ids]`, element type unchanged.
fn gather(a: &Array, ids: &[u32]) -> Array {
    macro_rules! g {
        ($v:expr, $k:ident) => {
            Array::$k(ids.iter().map(|&i| $v[i as usize].clone()).collect())
        };
    }
    match a {
        Array::U8(v) => g!(v, U8),
        Array::I8(v) => g!(v, I8),
        Array::U16(v) => g!(v, U16),
        Array::I16(v) => g!(v, I16),
        Array::U32(v) => g!(v, U32),
        Array::I32(v) => g!(v, I32),
        Array::F32(v) => g!(v, F32),
        Array::Bool(v) => g!(v, Bool),
        Array::Str(v) => g!(v, Str),
        Array::U64(v) => g!(v, U64),
        Array::I64(v) => g!(v, I64),
        Array::F64(v) => g!(v, F64),
        Array::Nested(v) => g!(v, Nested),
    }
}
