use super::*;
use crate::gguf::{Array, Header, Value as V};

/// A GGUF header holding only tokenizer metadata: a byte-level vocabulary of the 256 byte chars
/// plus "ĠĠ" (two spaces), "ab", and the control token <|endoftext|> at id 0.
fn header(extra: Vec<(&str, V)>) -> Header {
    let map = crate::tokenizer::bytes::byte_to_char();
    let mut tokens = vec!["<|endoftext|>".to_string()];
    tokens.extend((0..=255u8).map(|b| map[b as usize].to_string()));
    tokens.push("ĠĠ".into());
    tokens.push("ab".into());
    let mut types = vec![3i32];
    types.extend(std::iter::repeat_n(1, tokens.len() - 1));
    let mut metadata: Vec<(String, V)> = vec![
        ("tokenizer.ggml.model".into(), V::Str("gpt2".into())),
        ("tokenizer.ggml.pre".into(), V::Str("smollm".into())),
        ("tokenizer.ggml.tokens".into(), V::Array(Array::Str(tokens))),
        (
            "tokenizer.ggml.token_type".into(),
            V::Array(Array::I32(types)),
        ),
        (
            "tokenizer.ggml.merges".into(),
            V::Array(Array::Str(vec!["Ġ Ġ".into(), "a b".into()])),
        ),
        ("tokenizer.ggml.bos_token_id".into(), V::U32(0)),
    ];
    for (k, v) in extra {
        metadata.retain(|(key, _)| key != k);
        metadata.push((k.to_string(), v));
    }
    Header {
        version: 3,
        metadata,
        tensors: vec![],
        alignment: 32,
        header_len: 0,
        data_start: 0,
    }
}

fn load(h: &Header) -> crate::Tokenizer {
    crate::tokenizer::json::from_json_str(&tokenizer_json(h).unwrap()).unwrap()
}

#[test]
fn smollm_splits_digits_before_the_gpt2_scanner() {
    let t = load(&header(vec![]));
    let id = |s: &str| t.model.token_to_id()[s];
    // llama.cpp's "smollm": `\p{N}` first, so "  " before a digit stays one piece (GPT-2 alone
    // would give " ", " 1" and then split the digit off).
    assert_eq!(t.encode("ab  1", false), [id("ab"), id("ĠĠ"), id("1")]);
    assert_eq!(
        t.encode("ab  b", false),
        [id("ab"), id("Ġ"), id("Ġ"), id("b")]
    );
    // Control tokens are special added tokens; no BOS is added without add_bos_token.
    assert_eq!(t.encode("<|endoftext|>", true), [0]);
}

#[test]
fn gpt2_pretokenizer_and_bos() {
    let t = load(&header(vec![
        ("tokenizer.ggml.pre", V::Str("gpt-2".into())),
        ("tokenizer.ggml.add_bos_token", V::Bool(true)),
    ]));
    let id = |s: &str| t.model.token_to_id()[s];
    assert_eq!(
        t.encode("ab  1", false),
        [id("ab"), id("Ġ"), id("Ġ"), id("1")]
    );
    assert_eq!(t.encode("ab", true), [0, id("ab")]);
}

#[test]
fn refuses_what_it_cannot_write_exactly() {
    let err = |extra| tokenizer_json(&header(extra)).unwrap_err().to_string();
    assert_eq!(
        err(vec![("tokenizer.ggml.model", V::Str("llama".into()))]),
        "tokenizer model \"llama\" (tokenizer.ggml.model) is not supported; vocabsmith reads \"gpt2\" (byte-level BPE)"
    );
    assert!(
        err(vec![("tokenizer.ggml.pre", V::Str("deepseek-llm".into()))])
            .contains("pretokenizer \"deepseek-llm\"")
    );
    assert!(err(vec![(
        "tokenizer.ggml.merges",
        V::Array(Array::Str(vec!["ab".into()]))
    )])
    .contains("merge #0 \"ab\""));
    assert!(err(vec![(
        "tokenizer.ggml.tokens",
        V::Array(Array::U32(vec![1]))
    )])
    .contains("tokenizer.ggml.tokens is not an array of strings"));
    assert!(err(vec![(
        "tokenizer.ggml.token_type",
        V::Array(Array::I32(vec![1]))
    )])
    .contains("token_type"));
    assert!(err(vec![
        ("tokenizer.ggml.add_bos_token", V::Bool(true)),
        ("tokenizer.ggml.bos_token_id", V::U32(999))
    ])
    .contains("bos_token_id"));
    let mut h = header(vec![]);
    h.metadata.retain(|(k, _)| k != "tokenizer.ggml.model");
    assert_eq!(
        tokenizer_json(&h).unwrap_err().to_string(),
        "the GGUF has no tokenizer (metadata key tokenizer.ggml.model is missing)"
    );
}

/// The real model: the document loads and is SmolLM2's (49,152 ids, 48,900 merges, 17 specials).
#[test]
fn smollm2_tokenizer_from_its_gguf() {
    let dir = std::env::var("VOCABSMITH_MODELS").unwrap_or_else(|_| {
        format!(
            "{}/.cache/vocabsmith/models",
            std::env::var("HOME").unwrap_or_default()
        )
    });
    let path = format!("{dir}/SmolLM2-135M-Instruct.Q4_1.gguf");
    let Ok(bytes) = std::fs::read(&path) else {
        assert!(
            std::env::var("CI").is_err(),
            "{path}: missing; run scripts/setup.sh"
        );
        eprintln!("skipping: {path} missing (run scripts/setup.sh)");
        return;
    };
    let h = crate::gguf::parse_header(&bytes, bytes.len() as u64)
        .unwrap()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&tokenizer_json(&h).unwrap()).unwrap();
    assert_eq!(doc["added_tokens"].as_array().unwrap().len(), 17);
    assert_eq!(doc["model"]["merges"].as_array().unwrap().len(), 48900);
    let t = crate::tokenizer::json::from_json(&doc).unwrap();
    assert_eq!(t.model.id_to_token().len(), 49152);
    // node-llama-cpp's tokenize of the same texts (llama.cpp, the runtime).
    assert_eq!(
        t.encode("In 1948, 12345 people", false),
        [788, 216, 33, 41, 36, 40, 28, 216, 33, 34, 35, 36, 37, 701]
    );
    assert_eq!(t.encode("a  1", false), [81, 256, 33]);
    assert_eq!(t.encode("x   2\n  3", false), [104, 333, 34, 11181, 35]);
}

/// The regex pretokenizers vocabsmith writes into a remapped GGUF read back as the same ones:
/// the name survives a round trip, and digits split as each family splits them.
#[test]
fn regex_pretokenizers_read_back() {
    let map = crate::tokenizer::bytes::byte_to_char();
    let mut tokens = vec!["<|endoftext|>".to_string()];
    tokens.extend((0..=255u8).map(|b| map[b as usize].to_string()));
    tokens.push("12".into());
    let mut types = vec![3i32];
    types.extend(std::iter::repeat_n(1, tokens.len() - 1));
    for (pre, digits) in [
        ("llama-bpe", vec!["12", "3", "4"]),
        ("gpt-4o", vec!["12", "3", "4"]),
        ("qwen2", vec!["1", "2", "3", "4"]),
    ] {
        let t = load(&header(vec![
            ("tokenizer.ggml.pre", V::Str(pre.into())),
            (
                "tokenizer.ggml.tokens",
                V::Array(Array::Str(tokens.clone())),
            ),
            (
                "tokenizer.ggml.token_type",
                V::Array(Array::I32(types.clone())),
            ),
            (
                "tokenizer.ggml.merges",
                V::Array(Array::Str(vec!["1 2".into()])),
            ),
        ]));
        assert_eq!(crate::gguf::remap::pre_name(&t), Some(pre), "{pre}");
        let id = |s: &str| t.model.token_to_id()[s];
        let want: Vec<u32> = digits.iter().map(|d| id(d)).collect();
        assert_eq!(t.encode("1234", false), want, "{pre}");
    }
}
