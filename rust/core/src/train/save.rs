//! Saving a trained vocabulary as Hugging Face files.
//!
//! Guarantees: [`tokenizer_json`] writes compact JSON byte-identical to HF `Tokenizer.to_str()`
//! for a tokenizer trained by `BpeTrainer` (keys in HF's order, serde_json string escaping),
//! except the decoder, which is HF `ByteLevel` for byte-level models (HF's trainer leaves it
//! null; the ByteLevel decoder is needed to decode). Special tokens are written both as
//! `added_tokens` (special, not normalized) and at ids 0..k-1 of `model.vocab`; merges use the
//! `[["a","b"], ...]` form (tokenizers >= 0.20, tokenizers.js). The pre_tokenizer JSON given is
//! re-emitted with `type` first and HF's field order for the known types, whatever the key
//! order of the `Value`. [`tokenizer_config_json`] writes what `@huggingface/tokenizers` and
//! transformers need for exact round trips (`clean_up_tokenization_spaces: false`).
use super::bpe::Trained;
use serde_json::Value;
use std::fmt::Write;

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

/// The tokenizer.json of a trained BPE vocabulary (see the module doc).
pub fn tokenizer_json(trained: &Trained, pretokenizer_json: &Value, byte_level: bool) -> String {
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
    out.push_str(r#","post_processor":null,"decoder":"#);
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
/// sorted keys as transformers' `save_pretrained` writes it. `bos`/`eos` must be among the
/// specials to be useful; `model_max_length` is omitted when None.
pub fn tokenizer_config_json(
    specials: &[String],
    bos: Option<&str>,
    eos: Option<&str>,
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
    if let Some(b) = bos {
        m.insert("bos_token".into(), b.into());
    }
    m.insert("clean_up_tokenization_spaces".into(), false.into());
    if let Some(e) = eos {
        m.insert("eos_token".into(), e.into());
    }
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
            None,
            Some("</s>"),
            Some(4096),
        );
        let v: Value = serde_json::from_str(&cfg).unwrap();
        assert_eq!(v["clean_up_tokenization_spaces"], false);
        assert_eq!(v["added_tokens_decoder"]["1"]["content"], "</s>");
        assert_eq!(v["eos_token"], "</s>");
        assert!(v.get("bos_token").is_none());
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
}
