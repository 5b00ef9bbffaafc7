use super::*;
use crate::tokenizer::bytes::byte_to_char;
use serde_json::json;

/// Byte-level tokenizer over the 256 byte chars plus `extra` tokens (merges given), ids permuted by `perm`.
fn byte_level(extra: &[&str], merges: &[&str], perm: impl Fn(u32) -> u32) -> Tokenizer {
    let map = byte_to_char();
    let mut vocab = serde_json::Map::new();
    for (b, c) in map.iter().enumerate() {
        vocab.insert(c.to_string(), perm(b as u32).into());
    }
    for (i, t) in extra.iter().enumerate() {
        vocab.insert(t.to_string(), perm(256 + i as u32).into());
    }
    crate::tokenizer::json::from_json(&json!({
        "added_tokens": [{"id": perm(256 + extra.len() as u32), "content": "<|end|>", "single_word": false,
            "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
        "model": {"type": "BPE", "vocab": vocab, "merges": merges},
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
        "decoder": {"type": "ByteLevel"}
    }))
    .unwrap()
}

fn src() -> Tokenizer {
    byte_level(&["Ġt", "he", "Ġthe"], &["Ġ t", "h e", "Ġt he"], |i| i)
}

#[test]
fn own_tokenizer_is_the_identity_and_a_permutation_moves_rows() {
    let s = src();
    let p = plan(&s, &s, Method::Fvt, None).unwrap();
    assert!(p.kinds.iter().all(|&k| k == Kind::Copy));
    assert_eq!(p.src, (0..260).collect::<Vec<u32>>());
    // Reverse the ids: target id i holds the token of source id 259 - i.
    let t = byte_level(&["Ġt", "he", "Ġthe"], &["Ġ t", "h e", "Ġt he"], |i| {
        259 - i
    });
    let p = plan(&s, &t, Method::Fvt, None).unwrap();
    assert_eq!(p.src, (0..260).rev().collect::<Vec<u32>>());
    assert!(p.weights.iter().all(|&w| w == 1.0));
}

#[test]
fn sentencepiece_target_copies_across_families_and_fvt_decomposes() {
    let s = src();
    let t = crate::tokenizer::json::from_json(&json!({
        "model": {"type": "BPE", "byte_fallback": true, "merges": ["▁ t", "h e", "▁t he", "▁the m"],
            "vocab": {"<0x0A>": 0, "▁": 1, "t": 2, "h": 3, "e": 4, "m": 5, "▁t": 6, "he": 7, "▁the": 8, "▁them": 9}},
        "normalizer": {"type": "Replace", "pattern": {"String": " "}, "content": "▁"},
        "decoder": {"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"}, {"type": "Fuse"}]}
    }))
    .unwrap();
    let p = plan(&s, &t, Method::Fvt, None).unwrap();
    let row = |i: usize| {
        (
            p.kinds[i],
            p.src[p.ptr[i] as usize..p.ptr[i + 1] as usize].to_vec(),
        )
    };
    assert_eq!(row(0), (Kind::Copy, vec![b'\n' as u32]));
    assert_eq!(row(1), (Kind::Copy, vec![b' ' as u32]));
    assert_eq!(row(8), (Kind::Copy, vec![258])); // ▁the = Ġthe
    assert_eq!(row(9), (Kind::Fvt, vec![258, b'm' as u32])); // ▁them = Ġthe + m
    assert_eq!(
        &p.weights[p.ptr[9] as usize..p.ptr[10] as usize],
        &[0.5, 0.5]
    );
    // Copy keeps exact matches only.
    let c = plan(&s, &t, Method::Copy, None).unwrap();
    assert_eq!(c.kinds[9], Kind::Fallback);
}

#[test]
fn focus_and_omp_fit_over_copied_tokens() {
    let s = src();
    let t = byte_level(
        &["Ġt", "he", "Ġthe", "Ġthem"],
        &["Ġ t", "h e", "Ġt he", "Ġthe m"],
        |i| i,
    );
    let n = canon::id_bound(&t);
    let dim = 3;
    let mut v = vec![0f32; n * dim];
    v[258 * dim..259 * dim].copy_from_slice(&[1.0, 0.0, 0.0]); // Ġthe
    v[b'm' as usize * dim..(b'm' as usize + 1) * dim].copy_from_slice(&[0.0, 1.0, 0.0]);
    v[b'x' as usize * dim..(b'x' as usize + 1) * dim].copy_from_slice(&[0.0, 0.0, 1.0]);
    v[259 * dim..260 * dim].copy_from_slice(&[2.0, 0.5, 0.0]); // Ġthem = 2·Ġthe + 0.5·m
    let o = plan(&s, &t, Method::Omp, Some(Aux { vectors: &v, dim })).unwrap();
    assert_eq!(o.kinds[259], Kind::Omp);
    let w: Vec<(u32, f32)> = (o.ptr[259]..o.ptr[260])
        .map(|k| (o.src[k as usize], o.weights[k as usize]))
        .collect();
    assert_eq!(w.len(), 2);
    assert_eq!(w[0].0, 258);
    assert!(
        (w[0].1 - 2.0).abs() < 1e-6 && (w[1].1 - 0.5).abs() < 1e-6,
        "{w:?}"
    );
    let f = plan(&s, &t, Method::Focus, Some(Aux { vectors: &v, dim })).unwrap();
    assert_eq!(f.kinds[259], Kind::Focus);
    let sum: f32 = f.weights[f.ptr[259] as usize..f.ptr[260] as usize]
        .iter()
        .sum();
    assert!((sum - 1.0).abs() < 1e-6);
    // No vector for a new token: FVT.
    v[259 * dim..260 * dim].fill(0.0);
    assert_eq!(
        plan(&s, &t, Method::Focus, Some(Aux { vectors: &v, dim }))
            .unwrap()
            .kinds[259],
        Kind::Fvt
    );
    assert!(plan(&s, &t, Method::Omp, None).is_err());
}

#[test]
fn sparsemax_matches_a_worked_example() {
    // z = (0.9, 0.5, -0.2): τ = (0.9 + 0.5 − 1) / 2 = 0.2 → weights (0.7, 0.3, 0).
    assert!((remap_fit_threshold(&[0.9, 0.5, -0.2]) - 0.2).abs() < 1e-12);
}

fn remap_fit_threshold(z: &[f64]) -> f64 {
    crate::remap::fit::sparsemax_threshold(z)
}

/// The definition: sort everything, scan while 1 + k·z_(k) > Σ_{j≤k} z_(j).
fn full_sort_threshold(z: &[f64]) -> f64 {
    let mut s = z.to_vec();
    s.sort_by(|a, b| b.total_cmp(a));
    let (mut sum, mut tau) = (0.0, s[0] - 1.0);
    for (k, &v) in s.iter().enumerate() {
        sum += v;
        let t = (sum - 1.0) / (k + 1) as f64;
        if v > t {
            tau = t;
        } else {
            break;
        }
    }
    tau
}

proptest::proptest! {
    /// Only scores above max − 1 are sorted; τ is the same, bit for bit.
    #[test]
    fn sparsemax_threshold_equals_the_full_sort(z in proptest::collection::vec(-3.0f64..3.0, 1..200), scale in 0.01f64..10.0) {
        let z: Vec<f64> = z.iter().map(|v| v * scale).collect();
        proptest::prop_assert_eq!(remap_fit_threshold(&z).to_bits(), full_sort_threshold(&z).to_bits());
    }
}

#[test]
fn non_canonical_target_is_an_error() {
    let s = src();
    let t = crate::tokenizer::json::from_json(&json!({
        "model": {"type": "BPE", "vocab": {"a": 0, "中": 1}, "merges": []},
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
        "decoder": {"type": "ByteLevel"}
    }))
    .unwrap();
    let e = plan(&s, &t, Method::Fvt, None).err().unwrap().to_string();
    assert!(
        e.contains("cannot be byte-canonicalised") && e.contains("中"),
        "{e}"
    );
}

/// A SentencePiece tokenizer with byte fallback: `<0x65>` (id 0) precedes `e` (id 3), and `▁▁`
/// is a non-special added token, as in Gemma.
fn spm_with_fallback() -> Tokenizer {
    crate::tokenizer::json::from_json(&json!({
        "added_tokens": [{"id": 6, "content": "▁▁", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": false}],
        "model": {"type": "BPE", "byte_fallback": true, "merges": ["▁ t", "▁t e"],
            "vocab": {"<0x65>": 0, "<0x0A>": 1, "▁": 2, "e": 3, "t": 4, "▁t": 5, "▁▁": 6, "▁te": 7}},
        "normalizer": {"type": "Replace", "pattern": {"String": " "}, "content": "▁"},
        "decoder": {"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"}, {"type": "Fuse"}]}
    }))
    .unwrap()
}

#[test]
fn byte_fallback_twins_keep_their_own_rows_and_lose_to_real_pieces() {
    let s = spm_with_fallback();
    // Identity: `e` keeps its row, not the row of its byte twin `<0x65>`, and the twin keeps its own.
    let p = plan(&s, &s, Method::Fvt, None).unwrap();
    assert!(p.kinds.iter().all(|&k| k == Kind::Copy));
    assert_eq!(p.src, (0..8).collect::<Vec<u32>>());
    // A byte-level target: `e` is what the source produces for "e"; two spaces are the added `▁▁`;
    // "\n", which only the fallback piece spells, copies `<0x0A>`.
    let t = src();
    let p = plan(&s, &t, Method::Fvt, None).unwrap();
    let copy_of = |i: u32| (p.kinds[i as usize], p.src[p.ptr[i as usize] as usize]);
    assert_eq!(copy_of(b'e' as u32), (Kind::Copy, 3));
    assert_eq!(copy_of(b'\n' as u32), (Kind::Copy, 1));
    let tt = byte_level(&["ĠĠ"], &["Ġ Ġ"], |i| i);
    let p = plan(&s, &tt, Method::Fvt, None).unwrap();
    assert_eq!((p.kinds[256], p.src[p.ptr[256] as usize]), (Kind::Copy, 6));
}

fn real(name: &str) -> Tokenizer {
    crate::tokenizer::json::from_json_str(&crate::testdata::real_tokenizer_json(name)).unwrap()
}

/// Gemma3 to itself is the identity (issue: 108 chars took their `<0xNN>` twin's row), and as a
/// source it gives a Llama-3 target Gemma's own `e`, `\n`, `\t` and whitespace-run rows.
#[test]
fn gemma3_identity_and_its_own_pieces_as_a_source() {
    let (g, l) = (real("gemma3"), real("llama3"));
    let p = plan(&g, &g, Method::Fvt, None).unwrap();
    let wrong: Vec<usize> = (0..p.kinds.len())
        .filter(|&i| p.kinds[i] != Kind::Copy || p.src[p.ptr[i] as usize] != i as u32)
        .collect();
    assert!(
        wrong.is_empty(),
        "{} ids not copied from themselves, e.g. {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(10)]
    );
    let p = plan(&g, &l, Method::Fvt, None).unwrap();
    let gid = |s: &str| *g.model.token_to_id().get(s).unwrap();
    for (lt, gt) in [
        ("e", "e"),
        ("Ċ", "\n"),
        ("ĉ", "\t"),
        ("ĠĠ", "▁▁"),
        ("ĠĠĠ", "▁▁▁"),
        ("ĊĊ", "\n\n"),
    ] {
        let i = *l.model.token_to_id().get(lt).unwrap() as usize;
        assert_eq!(
            (p.kinds[i], p.src[p.ptr[i] as usize]),
            (Kind::Copy, gid(gt)),
            "{lt}"
        );
    }
}
