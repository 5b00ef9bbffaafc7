//! SentencePiece-style BPE with byte fallback (module `spm`) against brute force, and the real
//! Gemma3 tokenizer.
use super::tests::{check_all, greedy_merges, strings};
use super::*;
use crate::tokenizer::json::from_json;
use serde_json::json;
use std::rc::Rc;

/// A Gemma3-like tokenizer.json: `<unk>`, `<eos>`, 256 `<0xNN>` tokens, the chars of `corpus`
/// (spaces as ▁) except `oov`, and `n_merges` greedy char merges (`oov` chars are barriers).
fn spm_json(corpus: &str, n_merges: usize, oov: &[char]) -> serde_json::Value {
    let norm: String = corpus.replace(' ', "▁");
    let mut vocab: Vec<String> = vec!["<unk>".into(), "<eos>".into()];
    vocab.extend((0..256).map(|b| format!("<0x{b:02X}>")));
    let mut seq: Vec<Option<String>> = Vec::new();
    for c in norm.chars() {
        if oov.contains(&c) {
            seq.push(None);
        } else {
            let s = c.to_string();
            if !vocab.contains(&s) {
                vocab.push(s.clone());
            }
            seq.push(Some(s));
        }
    }
    let merges: Vec<_> = greedy_merges(seq, n_merges, |a, b| format!("{a}{b}"), &mut vocab)
        .into_iter()
        .map(|(a, b)| json!([a, b]))
        .collect();
    let v: serde_json::Map<String, serde_json::Value> = vocab
        .iter()
        .enumerate()
        .map(|(i, s)| (s.clone(), json!(i)))
        .collect();
    let added = |id: u32, c: &str| json!({"id": id, "content": c, "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true});
    json!({
        "version": "1.0",
        "added_tokens": [added(0, "<unk>"), added(1, "<eos>")],
        "normalizer": {"type": "Replace", "pattern": {"String": " "}, "content": "▁"},
        "pre_tokenizer": {"type": "Split", "pattern": {"String": " "}, "behavior": "MergedWithPrevious", "invert": false},
        "post_processor": null,
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
            {"type": "ByteFallback"}, {"type": "Fuse"}]},
        "model": {"type": "BPE", "vocab": v, "merges": merges, "unk_token": "<unk>",
                  "fuse_unk": true, "byte_fallback": true, "ignore_merges": false}
    })
}

fn spm_model(corpus: &str, n_merges: usize, oov: &[char]) -> ByteModel {
    ByteModel::new(from_json(&spm_json(corpus, n_merges, oov)).unwrap()).unwrap()
}

const CORPUS: &str = "ab ba aab  b abba ba é ab éa  abé 你 a你 ab 佢 ß a😀 !a";
/// Out of vocabulary: 佢 shares its first two bytes with 你, ß its lead byte with é, ! is ASCII.
const OOV: &[char] = &['佢', 'ß', '😀', '!'];

#[test]
fn encode_bytes_is_the_tokenizer_encoding() {
    let m = spm_model(CORPUS, 30, OOV);
    assert!(m.exact && m.spm.is_some());
    for s in strings(&["a", "b", " ", "é", "你", "佢", "ß", "!", "😀", "\n"], 3) {
        let text = String::from_utf8(s.clone()).unwrap();
        assert_eq!(m.encode_bytes(&s), m.tok.encode(&text, false), "{text:?}");
    }
    // OOV chars are their UTF-8 bytes as byte tokens, and decode back.
    let e = m.encode_bytes("a佢 ".as_bytes());
    assert_eq!(e.len(), 5);
    assert_eq!(m.tok.decode(&e, false), "a佢 ");
}

#[test]
fn byte_fallback_matches_brute_force() {
    let m = Rc::new(spm_model(CORPUS, 30, OOV));
    assert!(m.pairs.is_some());
    // Every prefix, mid-char ones included, exact to 1e-9 (strict: all reported exact).
    assert_eq!(
        check_all(Rc::clone(&m), &["a", "b", " ", "é", "佢"], 4, 7, true).0,
        0
    );
    assert_eq!(
        check_all(Rc::clone(&m), &["a", " ", "你", "佢", "ß"], 4, 11, true).0,
        0
    );
    assert_eq!(check_all(m, &["a", "é", "😀", "!", " "], 4, 13, true).0, 0);
}

#[test]
fn more_merges_and_only_oov_multibyte() {
    // Many merges (tokens span spaces and multibyte chars); 你 out of vocabulary too.
    let m = Rc::new(spm_model(&CORPUS.repeat(2), 60, &['佢', '你', '😀']));
    assert_eq!(
        check_all(Rc::clone(&m), &["a", "b", " ", "你", "é"], 4, 3, true).0,
        0
    );
    assert_eq!(check_all(m, &["ab", " ", "佢", "é", "a"], 4, 5, true).0, 0);
}

/// The fast pair index agrees with the merge loop on every pair of text tokens (byte tokens
/// are decided by `spm_valid_next`, never by a pair).
#[test]
fn fast_pairs_equal_the_merge_loop() {
    let m = spm_model(CORPUS, 40, OOV);
    assert!(m.pairs.is_some());
    let s = m.spm.as_ref().unwrap();
    let text: Vec<u32> = m
        .sorted
        .iter()
        .copied()
        .filter(|&t| !s.is_byte(t))
        .collect();
    for &l in &text {
        for &t in &text {
            assert_eq!(m.valid_pair(l, t), m.valid_pair_slow(l, t), "{l} {t}");
            assert_eq!(m.pair_ok(l, t), m.valid_pair_slow(l, t), "pair_ok {l} {t}");
        }
    }
}

#[test]
fn refuses_what_is_not_exact() {
    let err = |v: serde_json::Value| match ByteModel::new(from_json(&v).unwrap()) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    };
    // Llama-2 style: a prepended ▁ and a Strip decoder.
    let mut v = spm_json(CORPUS, 10, OOV);
    v["normalizer"] = json!({"type": "Sequence", "normalizers": [
        {"type": "Prepend", "prepend": "▁"},
        {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]});
    assert!(err(v).contains("prepended"));
    let mut v = spm_json(CORPUS, 10, OOV);
    v["model"]["byte_fallback"] = json!(false);
    assert!(err(v).contains("byte_fallback"));
    let mut v = spm_json(CORPUS, 10, OOV);
    v["pre_tokenizer"] = json!({"type": "Split", "pattern": {"String": "a"}, "behavior": "Isolated", "invert": false});
    assert!(err(v).contains("pretokenizer"));
}

fn gemma3() -> ByteModel {
    let json = crate::testdata::real_tokenizer_json("gemma3");
    ByteModel::new(crate::tokenizer::json::from_json_str(&json).unwrap()).unwrap()
}

const MULTILINGUAL: &[&str] = &[
    "Hello, world!  Two  spaces and a tab\there.",
    "naïve café, Straße, ĳ ǅ",
    "日本語のテキストと中文文本",
    "Привет, мир! Ελληνικά. עברית. العربية",
    "emoji 😀🦀🫠 and rare CJK 𠀋𪚥 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "line one\nline two\n\nend",
    " leading and trailing ",
];

/// Gemma3 loads, is exact, and `E` is its encoding, byte fallback included; the cover state's
/// chain gives `E` of every prefix that ends at a char boundary.
#[test]
fn gemma3_encoding_and_chain() {
    let m = gemma3();
    assert!(m.exact);
    let m = Rc::new(m);
    let mut fallback_seen = false;
    for text in MULTILINGUAL {
        let want = m.tok.encode(text, false);
        assert_eq!(m.encode_bytes(text.as_bytes()), want, "{text:?}");
        fallback_seen |= want.iter().any(|&t| m.spm.as_ref().unwrap().is_byte(t));
        let mut st = CoverState::new(Rc::clone(&m));
        for (i, &b) in text.as_bytes().iter().enumerate() {
            st.push(b);
            if text.is_char_boundary(i + 1) {
                let node = st.canonical();
                assert_eq!(
                    st.path(node),
                    m.tok.encode(&text[..i + 1], false),
                    "{text:?} {i}"
                );
            }
        }
    }
    assert!(fallback_seen, "no test string needs byte fallback");
}

/// Validity both ways, by definition: `E(w) ++ [t]` is canonical iff some valid UTF-8 text that
/// starts with `w ++ bytes(t)` has an encoding that starts with it. Completions of a partial last
/// char are searched over every continuation (the first witness stops the search). `check_all`
/// cannot see validity that is too generous (its LM has no mass there); this test can.
#[test]
fn validity_is_the_definition() {
    let m = Rc::new(spm_model(CORPUS, 30, OOV));
    let enc = |s: &[u8]| m.encode_bytes(s);
    let witness = |u: &[u8], want: &[u32]| -> bool {
        let tail = match super::spm::last_char_for_tests(u) {
            Some((i, false)) => u.len() - i,
            Some((_, true)) => 0,
            None => return false,
        };
        let need = match u[u.len() - tail.max(1)] {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let missing = if tail == 0 { 0 } else { need - tail };
        (0..64u32.pow(missing as u32)).any(|k| {
            let mut s = u.to_vec();
            s.extend((0..missing).map(|i| 0x80 | ((k >> (6 * i)) & 0x3F) as u8));
            std::str::from_utf8(&s).is_ok() && enc(&s).starts_with(want)
        })
    };
    let mut contexts: Vec<Vec<u8>> = strings(&["a", " ", "é", "佢", "你", "!"], 2)
        .into_iter()
        .flat_map(|s| (0..=s.len()).map(move |k| s[..k].to_vec()))
        .collect();
    contexts.sort();
    contexts.dedup();
    let (mut valid, mut checked) = (0, 0);
    for w in contexts {
        let mut st = CoverState::new(Rc::clone(&m));
        w.iter().for_each(|&b| st.push(b));
        let l = *st.last.last().unwrap();
        if !w.is_empty() && l == NONE {
            continue;
        }
        let node = st.canonical();
        let ew = st.path(node);
        for &t in &m.sorted {
            let got = m.reachable[t as usize] && m.valid_next(&w, l, t);
            let u = [w.as_slice(), &m.bytes[t as usize]].concat();
            let want = witness(&u, &[ew.as_slice(), &[t]].concat());
            assert_eq!(got, want, "E({w:?}) then {t} ({:?})", m.bytes[t as usize]);
            valid += got as usize;
            checked += 1;
        }
    }
    assert!(
        valid > 1000 && checked - valid > 1000,
        "{valid} of {checked}"
    );
}

#[test]
fn text_ends_only_at_a_char_boundary() {
    let m = spm_model(CORPUS, 10, OOV);
    let x = "a佢".as_bytes();
    assert!(m.may_end(b"") && m.may_end(x) && m.may_end(&x[..1]));
    assert!((2..x.len()).all(|n| !m.may_end(&x[..n])));
}
