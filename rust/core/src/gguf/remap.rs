//! Moving a GGUF to another tokenizer: the tokenizer metadata is rebuilt from the target
//! `tokenizer.json`, the vocabulary tensors get the rows `crate::remap::plan` says (copy, FVT,
//! FOCUS, OMP, fallback), every other tensor is copied byte for byte.
//!
//! Metadata (llama.cpp's `gpt2` tokenizer model, the one byte-level BPE maps to):
//! `tokenizer.ggml.tokens` = the target's tokens by id (model vocabulary, then added tokens;
//! holes become `<unused{id}>` of type UNUSED), `token_type` = NORMAL (1), CONTROL (3) for
//! special added tokens, USER_DEFINED (4) for other added tokens; `merges` = the target's merge
//! list as `"a b"`; `pre` = llama.cpp's name for the target's pretokenizer (see [`pre_name`]);
//! `scores` and other per-token arrays of the source are dropped (stale). Every
//! `tokenizer.ggml.*_token_id` follows its token by content (`<|im_end|>` stays `<|im_end|>`); a
//! target without that token is an error naming the key and the token. `{arch}.vocab_size` =
//! the target's id bound.
//!
//! Tensors: when every row is a copy (the target's tokens all exist in the source: its own
//! tokenizer, or a permutation or subset of it) rows are gathered in their own type, byte for
//! byte — remapping to the source's own tokenizer gives identical tensors. Otherwise the
//! vocabulary tensors are written as F16 when the source is F16 or quantized, F32 when it is F32
//! or BF16: a computed row has no quantized form to preserve, F16 holds a dequantized Q4/Q8 value
//! to 2^-11 relative (far below the quantization step) at half F32's size, and an F32/BF16 source
//! keeps every copied row exact in F32 (BF16 would round FVT means, and F16 can overflow BF16's
//! range). Copied rows in such a tensor are the source rows dequantized (then rounded to F16).
use super::dequant;
use super::read::Header;
use super::rewrite::{
    finish, is_token_id_key, set_int, tokens, vocab_rows, Rewrite, Source, VOCAB_TENSORS,
};
use super::types::GgmlType;
use super::value::{Array, Value};
use super::write::OutTensor;
use crate::remap::{Kind, Plan};
use crate::tokenizer::canon;
use crate::tokenizer::pretokenize::{Behavior, CharClass, Matcher, PreTokenizer};
use crate::tokenizer::Tokenizer;

/// Source metadata that describes the old vocabulary and has no counterpart after a remap.
const STALE: [&str; 4] = [
    "tokenizer.ggml.scores",
    "tokenizer.ggml.added_tokens",
    "tokenizer.huggingface.json",
    "tokenizer.ggml.precompiled_charsmap",
];

/// The output type of a computed vocabulary tensor (see the module docs for why).
pub fn computed_type(src: GgmlType) -> GgmlType {
    if src == GgmlType::F32 || src == GgmlType::BF16 {
        GgmlType::F32
    } else {
        GgmlType::F16
    }
}

/// llama.cpp's `tokenizer.ggml.pre` for a byte-level pretokenizer it implements, else None.
/// SuperBPE's stage-2 pieces (and any other regex) have no llama.cpp counterpart: the file is
/// written with `gpt-2`, loads and runs, but llama.cpp's own `tokenize` then differs from the
/// tokenizer's — feed it ids encoded by vocabsmith.
pub fn pre_name(t: &Tokenizer) -> Option<&'static str> {
    fn find(p: &PreTokenizer) -> Option<&'static str> {
        match p {
            PreTokenizer::Split { matcher, .. } => match matcher {
                Matcher::Gpt2 => Some("gpt-2"),
                Matcher::Llama3 { max_digits: 3 } => Some("llama-bpe"),
                Matcher::Llama3 { max_digits: 1 } => Some("qwen2"),
                Matcher::O200k { contractions: true } => Some("gpt-4o"),
                _ => None,
            },
            // Digits one by one, then the GPT-2 regex: llama.cpp's "smollm" (SmolLM, StarCoder).
            PreTokenizer::Sequence(v) => match v.as_slice() {
                [PreTokenizer::CharSplit {
                    class: CharClass::Numeric,
                    behavior: Behavior::Isolated,
                }, PreTokenizer::Split {
                    matcher: Matcher::Gpt2,
                    ..
                }] => Some("smollm"),
                _ => v.iter().find_map(find),
            },
            _ => None,
        }
    }
    t.pre_tokenizer.as_ref().and_then(find)
}

/// The rewrite of `h` to the target tokenizer `tgt`, its rows planned by `plan` (from
/// `crate::remap::plan` with the GGUF's own tokenizer as the source).
pub fn remap(h: &Header, tgt: &Tokenizer, plan: &Plan) -> Result<Rewrite, String> {
    let src_tokens = tokens(h)?;
    let n_src = src_tokens.len();
    let bpe = tgt
        .model
        .as_bpe()
        .filter(|b| b.byte_level)
        .ok_or("the target tokenizer is not a byte-level BPE: GGUF remapping writes llama.cpp's gpt2 tokenizer model only")?;
    let bound = canon::id_bound(tgt);
    if plan.kinds.len() != bound {
        return Err(format!(
            "the plan has {} rows for a target of {bound} ids",
            plan.kinds.len()
        ));
    }
    let mut toks = Vec::with_capacity(bound);
    let mut types = Vec::with_capacity(bound);
    for id in 0..bound {
        let (tok, ty) = match tgt.added_token(id as u32) {
            Some(a) => (a.content.clone(), if a.special { 3 } else { 4 }),
            None => match bpe.id_to_token.get(id).filter(|s| !s.is_empty()) {
                Some(s) => (s.clone(), 1),
                None => (format!("<unused{id}>"), 5),
            },
        };
        toks.push(tok);
        types.push(ty);
    }
    let merges: Vec<String> = bpe
        .merge_list
        .iter()
        .map(|&(a, b)| {
            format!(
                "{} {}",
                bpe.id_to_token[a as usize], bpe.id_to_token[b as usize]
            )
        })
        .collect();
    let find = |content: &str| {
        tgt.added_by_content(content)
            .map(|a| a.id)
            .or_else(|| tgt.token_to_id(content))
    };
    let vocab_key = h.architecture().map(|a| format!("{a}.vocab_size"));
    let mut metadata: Vec<(String, Value)> = Vec::with_capacity(h.metadata.len() + 2);
    let put = |m: &mut Vec<(String, Value)>, k: &str, v: Value| match m
        .iter_mut()
        .find(|(x, _)| x == k)
    {
        Some(slot) => slot.1 = v,
        None => m.push((k.to_string(), v)),
    };
    for (k, v) in &h.metadata {
        if STALE.contains(&k.as_str()) {
            continue;
        }
        let nv = if is_token_id_key(k) {
            let id = v.as_u64().ok_or_else(|| format!("{k} is not an integer"))? as usize;
            let content = src_tokens
                .get(id)
                .ok_or_else(|| format!("{k} = {id} is past the vocabulary ({n_src} tokens)"))?;
            let new = find(content).ok_or_else(|| {
                format!("{k} names {content:?}, which the target tokenizer lacks: add it to the target as an added token")
            })?;
            set_int(v, new as u64)
        } else if Some(k) == vocab_key.as_ref() {
            set_int(v, bound as u64)
        } else if k.starts_with("tokenizer.ggml.")
            && v.as_array().is_some_and(|a| a.len() == n_src)
            && !matches!(
                k.as_str(),
                "tokenizer.ggml.tokens" | "tokenizer.ggml.token_type"
            )
        {
            continue; // another per-token array of the old vocabulary
        } else {
            v.clone()
        };
        metadata.push((k.clone(), nv));
    }
    put(
        &mut metadata,
        "tokenizer.ggml.model",
        Value::Str("gpt2".into()),
    );
    put(
        &mut metadata,
        "tokenizer.ggml.pre",
        Value::Str(pre_name(tgt).unwrap_or("gpt-2").into()),
    );
    put(
        &mut metadata,
        "tokenizer.ggml.tokens",
        Value::Array(Array::Str(toks)),
    );
    put(
        &mut metadata,
        "tokenizer.ggml.token_type",
        Value::Array(Array::I32(types)),
    );
    put(
        &mut metadata,
        "tokenizer.ggml.merges",
        Value::Array(Array::Str(merges)),
    );

    let all_copies = plan.kinds.iter().all(|&k| k == Kind::Copy);
    let row_ids: Vec<u32> = if all_copies {
        plan.kinds
            .iter()
            .enumerate()
            .map(|(i, _)| plan.src[plan.ptr[i] as usize])
            .collect()
    } else {
        vec![]
    };
    finish(
        h,
        metadata,
        |t| {
            if !VOCAB_TENSORS.contains(&t.name.as_str()) {
                return Ok(None);
            }
            let (rows, row_bytes) = vocab_rows(t, n_src)?;
            if let Some(&s) = plan.src.iter().max().filter(|&&s| s as u64 >= rows) {
                return Err(format!(
                    "the plan uses source row {s} but {:?} has {rows} rows",
                    t.name
                ));
            }
            let mut dims = t.dims.clone();
            *dims.last_mut().unwrap() = bound as u64;
            let offset = h.data_start + t.offset;
            if all_copies {
                let o = OutTensor {
                    name: t.name.clone(),
                    dims,
                    ggml_type: t.ggml_type,
                };
                return Ok(Some((o, Source::Rows { offset, row_bytes })));
            }
            if !dequant::supported(t.ggml_type) {
                return Err(format!("tensor {:?} is {}: computing remapped rows needs dequantising it, which is not supported (F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K are)", t.name, t.ggml_type));
            }
            let o = OutTensor {
                name: t.name.clone(),
                dims,
                ggml_type: computed_type(t.ggml_type),
            };
            Ok(Some((o, Source::Computed { offset, row_bytes })))
        },
        row_ids,
    )
}
