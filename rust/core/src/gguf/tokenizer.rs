//! The tokenizer inside a GGUF (`tokenizer.ggml.*`) as a Hugging Face `tokenizer.json` document
//! that `Tokenizer::from_json` (and HF `tokenizers`) load, so a GGUF needs no separate file.
//!
//! llama.cpp keys the tokenizer by `tokenizer.ggml.model` (the algorithm) and
//! `tokenizer.ggml.pre` (the pretokenizer, by name: llama.cpp holds the regexes in code). Written
//! here: `gpt2` (byte-level BPE: `tokens` are GPT-2 byte-mapped strings, `merges` are "left right")
//! with the pretokenizers whose llama.cpp regexes have an exact HF form:
//! - `gpt-2`: the GPT-2 scanner (HF ByteLevel with use_regex);
//! - `smollm`: llama.cpp splits `\p{N}` first, then the GPT-2 scanner: HF
//!   `Sequence[Digits(individual_digits), ByteLevel(use_regex)]`, as SmolLM2's own tokenizer.json;
//! - `llama-bpe`, `qwen2`, `gpt-4o`: one regex (Llama-3's, Qwen2's, o200k's; the same strings as
//!   llama.cpp's) split, then ByteLevel without its own regex — the names vocabsmith writes into a
//!   remapped GGUF (`gguf::remap::pre_name`), so such a file reads back.
//!
//! Anything else is refused with the key and value named, never guessed: a wrong pretokenizer
//! would encode most text right and some text wrong. Token types (llama.cpp `llama_token_type`):
//! CONTROL (3) and UNKNOWN (2) become special added tokens, USER_DEFINED (4) non-special added
//! tokens (llama.cpp matches both in text the way HF matches added tokens). With
//! `tokenizer.ggml.add_bos_token` the post-processor prepends BOS (HF `add_special_tokens`).
use super::read::Header;
use super::value::Value as GgufValue;
use crate::tokenizer::pretokenize::{LLAMA3, O200K, QWEN2};
use serde_json::{json, Map, Value};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum GgufTokenizerError {
    #[error("the GGUF has no tokenizer (metadata key {0} is missing)")]
    Missing(&'static str),
    #[error("metadata key {key} is not {want}")]
    Type {
        key: &'static str,
        want: &'static str,
    },
    #[error("tokenizer model {0:?} (tokenizer.ggml.model) is not supported; vocabsmith reads \"gpt2\" (byte-level BPE)")]
    Model(String),
    #[error("pretokenizer {0:?} (tokenizer.ggml.pre) is not supported; vocabsmith reads \"gpt-2\", \"smollm\", \"llama-bpe\", \"qwen2\" and \"gpt-4o\"")]
    Pre(String),
    #[error("{0}")]
    Invalid(String),
}

const CONTROL: i64 = 3;
const UNKNOWN: i64 = 2;
const USER_DEFINED: i64 = 4;

fn strs<'a>(h: &'a Header, key: &'static str) -> Result<&'a [String], GgufTokenizerError> {
    match h.get_array(key) {
        None => Err(GgufTokenizerError::Missing(key)),
        Some(a) => a.as_strs().ok_or(GgufTokenizerError::Type {
            key,
            want: "an array of strings",
        }),
    }
}

fn id(h: &Header, key: &'static str, n: usize) -> Result<Option<u32>, GgufTokenizerError> {
    match h.get(key) {
        None => Ok(None),
        Some(v) => match v.as_u64() {
            Some(x) if (x as usize) < n => Ok(Some(x as u32)),
            _ => Err(GgufTokenizerError::Invalid(format!(
                "metadata key {key} is not a token id below {n}"
            ))),
        },
    }
}

/// The HF pretokenizer of a llama.cpp `tokenizer.ggml.pre`: the GPT-2 family and every name
/// `gguf::remap::pre_name` writes, so a GGUF vocabsmith wrote reads back.
fn pretokenizer(pre: &str) -> Result<Value, GgufTokenizerError> {
    let byte_level = json!({"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true});
    let regex = |pattern: &str| {
        json!({"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": pattern}, "behavior": "Isolated", "invert": false},
            {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]})
    };
    Ok(match pre {
        "gpt-2" => byte_level,
        "smollm" => json!({"type": "Sequence", "pretokenizers": [
            {"type": "Digits", "individual_digits": true}, byte_level]}),
        "llama-bpe" => regex(LLAMA3),
        "qwen2" => regex(QWEN2),
        "gpt-4o" => regex(O200K),
        other => return Err(GgufTokenizerError::Pre(other.to_string())),
    })
}

/// The tokenizer.json document of the GGUF whose header is `h`.
pub fn tokenizer_json(h: &Header) -> Result<String, GgufTokenizerError> {
    let model = h
        .get_str("tokenizer.ggml.model")
        .ok_or(GgufTokenizerError::Missing("tokenizer.ggml.model"))?;
    if model != "gpt2" {
        return Err(GgufTokenizerError::Model(model.to_string()));
    }
    // llama.cpp reads a missing `pre` as "default", whose regexes differ from every HF form.
    let pre = h
        .get_str("tokenizer.ggml.pre")
        .ok_or(GgufTokenizerError::Missing("tokenizer.ggml.pre"))?;
    let pre_tokenizer = pretokenizer(pre)?;
    let tokens = strs(h, "tokenizer.ggml.tokens")?;
    let n = tokens.len();
    let merges = strs(h, "tokenizer.ggml.merges")?;
    let types: Vec<f64> = match h.get_array("tokenizer.ggml.token_type") {
        None => vec![1.0; n],
        Some(a) => match a.to_f64s() {
            Some(v) if v.len() == n => v,
            _ => {
                return Err(GgufTokenizerError::Invalid(format!(
                    "tokenizer.ggml.token_type must be {n} numbers, one per token"
                )))
            }
        },
    };
    let mut vocab = Map::with_capacity(n);
    let mut added = Vec::new();
    for (i, (t, &ty)) in tokens.iter().zip(&types).enumerate() {
        if vocab.insert(t.clone(), json!(i)).is_some() {
            return Err(GgufTokenizerError::Invalid(format!(
                "token {t:?} appears twice in tokenizer.ggml.tokens (second at id {i})"
            )));
        }
        let ty = ty as i64;
        if ty == CONTROL || ty == UNKNOWN || ty == USER_DEFINED {
            added.push(
                json!({"id": i, "content": t, "single_word": false, "lstrip": false,
                "rstrip": false, "normalized": false, "special": ty != USER_DEFINED}),
            );
        }
    }
    let mut pairs = Vec::with_capacity(merges.len());
    for (k, m) in merges.iter().enumerate() {
        // Byte-level tokens never hold a space (it is mapped to 'Ġ'), so the one space separates.
        match m.split_once(' ') {
            Some((l, r)) if !l.is_empty() && !r.is_empty() && !r.contains(' ') => {
                pairs.push(json!([l, r]))
            }
            _ => {
                return Err(GgufTokenizerError::Invalid(format!(
                    "merge #{k} {m:?} in tokenizer.ggml.merges is not two tokens separated by one space"
                )))
            }
        }
    }
    let bos = id(h, "tokenizer.ggml.bos_token_id", n)?;
    let add_bos = matches!(
        h.get("tokenizer.ggml.add_bos_token"),
        Some(GgufValue::Bool(true))
    );
    let post_processor = match (add_bos, bos) {
        (true, Some(b)) => {
            let t = &tokens[b as usize];
            json!({"type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": t, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": t, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {t.as_str(): {"id": t, "ids": [b], "tokens": [t]}}})
        }
        (true, None) => {
            return Err(GgufTokenizerError::Invalid(
                "tokenizer.ggml.add_bos_token is true but there is no tokenizer.ggml.bos_token_id"
                    .into(),
            ))
        }
        _ => Value::Null,
    };
    let doc = json!({
        "version": "1.0", "truncation": null, "padding": null,
        "added_tokens": added, "normalizer": null, "pre_tokenizer": pre_tokenizer,
        "post_processor": post_processor,
        "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
        "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
            "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
            "vocab": vocab, "merges": pairs}
    });
    Ok(doc.to_string())
}

#[cfg(test)]
#[path = "tests_tokenizer.rs"]
mod tests;
