//! Saving a trained vocabulary as Hugging Face files.
//!
//! Guarantees: [`tokenizer_json`] writes compact JSON byte-identical to HF `Tokenizer.to_str()`
//! for a tokenizer trained by `BpeTrainer` (keys in HF's order, serde_json string escaping),
//! except the decoder, which is HF `ByteLevel` for byte-level models (HF's trainer leaves it
//! null; the ByteLevel decoder is needed to decode). Special tokens are written both as
//! `added_tokens` (special, not normalized) and at ids 0..k-1 of `model.vocab`; merges use the
//! `[["a","b"], ...]` form (tokenizers >= 0.20, tokenizers.js). The pre_tokenizer JSON given is
//! re-emitted with `type` first and HF's field order for the known types, whatever the key
//! order of the `Value`. With a `bos` token the post-processor is HF `TemplateProcessing` adding
//! it before each sequence (`<bos> $A`, pair `<bos> $A <bos>:1 $B:1`, Llama-3's template): what
//! `add_special_tokens=True` and transformers' `tokenizer(text)` then give; EOS is never added by
//! the template (a language model learns to produce it; `generate` stops on it). Without `bos`
//! the post-processor is null. [`tokenizer_config_json`] writes what `@huggingface/tokenizers` and
//! transformers need for exact round trips (`clean_up_tokenization_spaces: false`) and the roles
//! of the special tokens (`bos_token`, `eos_token`, `pad_token`, `unk_token`).
use serde_json::Value;
use std::fmt::Write;

/// A trained BPE vocabulary (what `crate::train` returns and [`tokenizer_json`] writes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trained {
    /// Tokens in id order: specials, alphabet, merge results.
    pub vocab: Vec<String>,
    /// Merges in rank order.
    pub merges: Vec<(String, String)>,
    /// Number of (deduplicated) special tokens: ids 0..special_count.
    pub special_count: usize,
    /// Number of alphabet tokens: ids special_count..special_count + alphabet_len.
    pub alphabet_len: usize,
}

fn s(out: &mut String, x: &str) {
    out.push_str(&serde_json::to_string(x).expect("strings serialize"));
}

fn field_order(ty: &str) -> &'static [&'static str] {
    match ty {
        "Split" => &["pattern", "behavior", "invert"],
        "ByteLevel" => &["add_prefix_space", "trim_offsets", "use_regex"],
        "Sequence" => &["pretokenizers"],
        "Digits" => &["individual_digits"],
        "Metaspace" => &["replacement", "prepend_scheme", "split"],
        "Punctuation" => &["behavior"],
        "CharDelimiterSplit" => &["delimiter"],
        _ => &[],
    }
}

/// Writes `v` compactly; objects with a `type` get it first, then HF's field order.
fn value(out: &mut String, v: &Value) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&str> = Vec::with_capacity(m.len());
            if let Some(ty) = m.get("type").and_then(Value::as_str) {
                keys.push("type");
                for k in field_order(ty) {
                    if m.contains_key(*k) {
                        keys.push(k);
                    }
                }
            }
            for k in m.keys() {
                if !keys.contains(&k.as_str()) {
                    keys.push(k);
                }
            }
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                s(out, k);
                out.push(':');
                value(out, &m[*k]);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                value(out, x);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Which special tokens play which role in transformers; each must be one of the trained specials.
#[derive(Default, Clone, Copy)]
pub struct SpecialRoles<'a> {
    pub bos: Option<&'a str>,
    pub eos: Option<&'a str>,
    pub pad: Option<&'a str>,
    pub unk: Option<&'a str>,
}

/// HF `TemplateProcessing` that puts `bos` (id `id`) before each sequence.
fn bos_template(out: &mut String, bos: &str, id: usize) {
    let special = |out: &mut String, type_id: u32| {
        out.push_str(r#"{"SpecialToken":{"id":"#);
        s(out, bos);
        let _ = write!(out, r#","type_id":{type_id}}}}}"#);
    };
    let seq = |out: &mut String, name: &str, type_id: u32| {
        let _ = write!(
            out,
            r#"{{"Sequence":{{"id":"{name}","type_id":{type_id}}}}}"#
        );
    };
    out.push_str(r#"{"type":"TemplateProcessing","single":["#);
    special(out, 0);
    out.push(',');
    seq(out, "A", 0);
    out.push_str(r#"],"pair":["#);
    special(out, 0);
    out.push(',');
    seq(out, "A", 0);
    out.push(',');
    special(out, 1);
    out.push(',');
    seq(out, "B", 1);
    out.push_str(r#"],"special_tokens":{"#);
    s(out, bos);
    out.push_str(r#":{"id":"#);
    s(out, bos);
    let _ = write!(out, r#","ids":[{id}],"tokens":["#);
    s(out, bos);
    out.push_str("]}}}");
}

/// The tokenizer.json of a trained BPE vocabulary (see the module doc); `bos`, when given, must
/// be one of the special tokens.
pub fn tokenizer_json(
    trained: &Trained,
    pretokenizer_json: &Value,
    byte_level: bool,
    bos: Option<&str>,
) -> String {
    let mut out =
        String::with_capacity(trained.vocab.iter().map(|t| t.len() + 12).sum::<usize>() * 3);
    out.push_str(r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":["#);
    for (id, tok) in trained.vocab[..trained.special_count].iter().enumerate() {
        if id > 0 {
            out.push(',');
        }
        let _ = write!(out, r#"{{"id":{id},"content":"#);
        s(&mut out, tok);
        out.push_str(
            r#","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}"#,
        );
    }
    out.push_str(r#"],"normalizer":null,"pre_tokenizer":"#);
    value(&mut out, pretokenizer_json);
    out.push_str(r#","post_processor":"#);
    match bos.and_then(|b| {
        trained.vocab[..trained.special_count]
            .iter()
            .position(|t| t == b)
    }) {
        Some(id) => bos_template(&mut out, bos.unwrap_or_default(), id),
        None => out.push_str("null"),
    }
    out.push_str(r#","decoder":"#);
    out.push_str(if byte_level {
        r#"{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true,"use_regex":true}"#
    } else {
        "null"
    });
    out.push_str(
        r#","model":{"type":"BPE","dropout":null,"unk_token":null,"continuing_subword_prefix":null,"end_of_word_suffix":null,"fuse_unk":false,"byte_fallback":false,"ignore_merges":false,"vocab":{"#,
    );
    for (id, tok) in trained.vocab.iter().enumerate() {
        if id > 0 {
            out.push(',');
        }
        s(&mut out, tok);
        let _ = write!(out, ":{id}");
    }
    out.push_str(r#"},"merges":["#);
    for (i, (a, b)) in trained.merges.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        s(&mut out, a);
        out.push(',');
        s(&mut out, b);
        out.push(']');
    }
    out.push_str("]}}");
    out
}

/// A `tokenizer_config.json` for the special tokens `specials` (ids 0..k-1), pretty-printed with
/// sorted keys as transformers' `save_pretrained` writes it. The roles must be among the
/// specials to be useful; a role or `model_max_length` that is None is omitted.
pub fn tokenizer_config_json(
    specials: &[String],
    roles: SpecialRoles,
    model_max_length: Option<u64>,
) -> String {
    let mut decoder = serde_json::Map::new();
    for (id, tok) in specials.iter().enumerate() {
        decoder.insert(
            id.to_string(),
            serde_json::json!({
                "content": tok, "lstrip": false, "normalized": false, "rstrip": false,
                "single_word": false, "special": true
            }),
        );
    }
    let mut m = serde_json::Map::new();
    m.insert("added_tokens_decoder".into(), Value::Object(decoder));
    for (key, role) in [
        ("bos_token", roles.bos),
        ("eos_token", roles.eos),
        ("pad_token", roles.pad),
        ("unk_token", roles.unk),
    ] {
        if let Some(t) = role {
            m.insert(key.into(), t.into());
        }
    }
    m.insert("clean_up_tokenization_spaces".into(), false.into());
    if let Some(n) = model_max_length {
        m.insert("model_max_length".into(), n.into());
    }
    m.insert("tokenizer_class".into(), "PreTrainedTokenizerFast".into());
    // Keys were inserted sorted (and ids "0".."k-1" sort as strings in BTreeMap builds);
    // write objects in insertion order with the same writer for a stable layout.
    let mut out = String::new();
    pretty(&mut out, &Value::Object(m), 0);
    out.push('\n');
    out
}

fn pretty(out: &mut String, v: &Value, depth: usize) {
    let pad = |out: &mut String, d: usize| {
        for _ in 0..d {
            out.push_str("  ");
        }
    };
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push_str("{\n");
            let mut keys: Vec<&String> = m.keys().collect();
            // transformers writes keys sorted (json.dumps(sort_keys=True)); ids sort as strings.
            keys.sort();
            for (i, k) in keys.iter().enumerate() {
                pad(out, depth + 1);
                s(out, k);
                out.push_str(": ");
                pretty(out, &m[*k], depth + 1);
                if i + 1 < keys.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(out, depth);
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn train_save_config_and_key_order() {
        let cfg = tokenizer_config_json(
            &["<s>".into(), "</s>".into()],
            SpecialRoles {
                eos: Some("</s>"),
                pad: Some("<s>"),
                ..SpecialRoles::default()
            },
            Some(4096),
        );
        let v: Value = serde_json::from_str(&cfg).unwrap();
        assert_eq!(v["clean_up_tokenization_spaces"], false);
        assert_eq!(v["added_tokens_decoder"]["1"]["content"], "</s>");
        assert_eq!(v["eos_token"], "</s>");
        assert_eq!(v["pad_token"], "<s>");
        assert_eq!(v["model_max_length"], 4096);
        assert!(v.get("bos_token").is_none());
        assert!(v.get("unk_token").is_none());
        assert!(
            cfg.find("\"added_tokens_decoder\"").unwrap()
                < cfg.find("\"tokenizer_class\"").unwrap()
        );
        let pre: Value = serde_json::from_str(
            r#"{"invert":false,"behavior":"Isolated","pattern":{"Regex":"a"},"type":"Split"}"#,
        )
        .unwrap();
        let mut out = String::new();
        value(&mut out, &pre);
        assert_eq!(
            out,
            r#"{"type":"Split","pattern":{"Regex":"a"},"behavior":"Isolated","invert":false}"#
        );
    }

    #[test]
    fn bos_template_is_llama3_shaped_and_parses() {
        let trained = Trained {
            vocab: vec!["<|pad|>".into(), "<s>".into(), "a".into()],
            merges: vec![],
            special_count: 2,
            alphabet_len: 1,
        };
        let pre: Value = serde_json::json!({"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false});
        let v: Value =
            serde_json::from_str(&tokenizer_json(&trained, &pre, true, Some("<s>"))).unwrap();
        let pp = &v["post_processor"];
        assert_eq!(pp["type"], "TemplateProcessing");
        assert_eq!(pp["single"][0]["SpecialToken"]["id"], "<s>");
        assert_eq!(pp["single"][1]["Sequence"]["id"], "A");
        assert_eq!(pp["pair"][2]["SpecialToken"]["type_id"], 1);
        assert_eq!(pp["special_tokens"]["<s>"]["ids"][0], 1);
        match crate::tokenizer::postprocess::PostProcessor::from_json(pp).unwrap() {
            crate::tokenizer::postprocess::PostProcessor::Wrap { before, after } => {
                assert_eq!((before, after), (vec![1], vec![]));
            }
            _ => panic!("TemplateProcessing must wrap"),
        }
        let none: Value =
            serde_json::from_str(&tokenizer_json(&trained, &pre, true, None)).unwrap();
        assert!(none["post_processor"].is_null());
    }
}
