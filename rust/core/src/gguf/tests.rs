use super::*;

/// A tiny GGUF writer for the tests (the real writer lives elsewhere; this one is independent).
struct W(Vec<u8>);
impl W {
    fn u32(&mut self, v: u32) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u64(&mut self, v: u64) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn str(&mut self, s: &str) -> &mut Self {
        self.u64(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
        self
    }
}

/// magic, v3, tensors, kvs: general.architecture (str), general.alignment (u32 64), a string array,
/// an i32 array, a nested array; tensors a [4,3] F32 at 0 and a [64,2] Q4_1 at 64.
fn sample() -> Vec<u8> {
    let mut w = W(Vec::new());
    w.0.extend_from_slice(b"GGUF");
    w.u32(3).u64(2).u64(5);
    w.str("general.architecture").u32(8).str("llama");
    w.str("general.alignment").u32(4).u32(64);
    w.str("tokenizer.ggml.tokens")
        .u32(9)
        .u32(8)
        .u64(3)
        .str("a")
        .str("Ġb")
        .str("<s>");
    w.str("tokenizer.ggml.token_type")
        .u32(9)
        .u32(5)
        .u64(3)
        .u32(1)
        .u32(1)
        .u32(3);
    w.str("x.nested").u32(9).u32(9).u64(2).u32(0).u64(2);
    w.0.extend_from_slice(&[1, 2]);
    w.u32(7).u64(1);
    w.0.push(1);
    w.str("t0").u32(2).u64(4).u64(3).u32(0).u64(0);
    w.str("t1").u32(2).u64(64).u64(2).u32(3).u64(64);
    let header_len = w.0.len();
    let data_start = header_len.div_ceil(64) * 64;
    w.0.resize(data_start + 64 + 2 * 40, 0xAB);
    w.0
}

#[test]
fn parses_every_part() {
    let f = sample();
    let h = parse_header(&f, f.len() as u64).unwrap().unwrap();
    assert_eq!(h.version, 3);
    assert_eq!(h.architecture(), Some("llama"));
    assert_eq!(h.alignment, 64);
    assert_eq!(h.data_start % 64, 0);
    assert!(h.data_start >= h.header_len && h.data_start - h.header_len < 64);
    let toks = h
        .get_array("tokenizer.ggml.tokens")
        .unwrap()
        .as_strs()
        .unwrap();
    assert_eq!(toks, ["a", "Ġb", "<s>"]);
    assert_eq!(
        h.get_array("tokenizer.ggml.token_type")
            .unwrap()
            .to_f64s()
            .unwrap(),
        [1.0, 1.0, 3.0]
    );
    let Some(Array::Nested(n)) = h.get_array("x.nested") else {
        panic!("nested")
    };
    assert_eq!(n, &vec![Array::U8(vec![1, 2]), Array::Bool(vec![true])]);
    assert_eq!(
        h.metadata
            .iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>()[..2],
        ["general.architecture", "general.alignment"]
    );
    let t1 = h.tensor("t1").unwrap();
    assert_eq!(
        (t1.ggml_type, t1.size, t1.row_bytes(), t1.rows()),
        (GgmlType(3), 80, 40, 2)
    );
    assert_eq!(h.tensor("t0").unwrap().size, 48);
}

#[test]
fn every_short_prefix_asks_for_more() {
    let f = sample();
    let h = parse_header(&f, f.len() as u64).unwrap().unwrap();
    for n in 0..h.header_len as usize {
        assert_eq!(
            parse_header(&f[..n], f.len() as u64),
            Ok(None),
            "prefix {n}"
        );
    }
    assert!(parse_header(&f[..h.header_len as usize], f.len() as u64)
        .unwrap()
        .is_some());
}

fn corrupt_msg(f: &[u8]) -> String {
    match parse_header(f, f.len() as u64) {
        Err(e) => e.to_string(),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn lying_headers_are_refused() {
    let f = sample();
    let mut bad = f.clone();
    bad[0] = b'X';
    assert_eq!(
        parse_header(&bad, bad.len() as u64),
        Err(GgufError::NotGguf)
    );
    let mut bad = f.clone();
    bad[4] = 1;
    assert_eq!(
        parse_header(&bad, bad.len() as u64),
        Err(GgufError::Version(1))
    );
    // Truncated inside the data: tensor t1 goes past the end.
    assert!(corrupt_msg(&f[..f.len() - 1]).contains("past the end of the file"));
    // Truncated inside the header: the whole file is the prefix, so it is corrupt, not "more".
    let h = parse_header(&f, f.len() as u64).unwrap().unwrap();
    assert!(corrupt_msg(&f[..h.header_len as usize - 3]).contains("inside the header"));
    assert!(corrupt_msg(&f[..40]).contains("the metadata count claims 5 elements"));
    // A tensor count of 2^60.
    let mut bad = f.clone();
    bad[8..16].copy_from_slice(&(1u64 << 60).to_le_bytes());
    assert!(corrupt_msg(&bad).contains("tensor count claims"));
    // A string array claiming 2^40 elements.
    let pos = find(&f, b"tokenizer.ggml.tokens") + 21 + 4 + 4;
    let mut bad = f.clone();
    bad[pos..pos + 8].copy_from_slice(&(1u64 << 40).to_le_bytes());
    assert!(corrupt_msg(&bad).contains("claims 1099511627776 elements"));
    // An unknown value type.
    let pos = find(&f, b"general.architecture") + 20;
    let mut bad = f.clone();
    bad[pos..pos + 4].copy_from_slice(&99u32.to_le_bytes());
    assert!(corrupt_msg(&bad).contains("unknown value type 99"));
    // A misaligned offset and an unknown ggml type in the tensor table.
    let pos = find(&f, b"t1") + 2 + 4 + 16;
    let mut bad = f.clone();
    bad[pos + 4..pos + 12].copy_from_slice(&65u64.to_le_bytes());
    assert!(corrupt_msg(&bad).contains("not a multiple of the alignment"));
    let mut bad = f.clone();
    bad[pos..pos + 4].copy_from_slice(&4u32.to_le_bytes());
    assert!(corrupt_msg(&bad).contains("unknown ggml type 4"));
    // Rows that are not whole blocks: t1 with 63 elements per row.
    let pos = find(&f, b"t1") + 2 + 4;
    let mut bad = f.clone();
    bad[pos..pos + 8].copy_from_slice(&63u64.to_le_bytes());
    assert!(corrupt_msg(&bad).contains("not whole Q4_1 blocks"));
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).position(|w| w == needle).unwrap()
}

/// The real test model (scripts/setup.sh unpacks it); required when CI is set.
#[test]
fn reads_smollm2() {
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
    let h = parse_header(&bytes[..1 << 20], bytes.len() as u64).unwrap();
    assert!(h.is_none(), "the vocabulary does not fit in 1 MiB");
    let h = parse_header(&bytes, bytes.len() as u64).unwrap().unwrap();
    assert_eq!(h.architecture(), Some("llama"));
    assert_eq!(h.get_str("tokenizer.ggml.model"), Some("gpt2"));
    assert_eq!(h.get_array("tokenizer.ggml.tokens").unwrap().len(), 49152);
    let e = h.tensor("token_embd.weight").unwrap();
    assert_eq!(e.dims, [576, 49152]);
    let end = h
        .tensors
        .iter()
        .map(|t| h.data_start + t.offset + t.size)
        .max()
        .unwrap();
    assert!(end <= bytes.len() as u64 && bytes.len() as u64 - end < h.alignment);
}
