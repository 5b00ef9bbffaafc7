use super::*;
use crate::tokenizer::json::from_json;
use proptest::prelude::*;
use serde_json::json;

/// A byte-level tokenizer: the 256 byte chars, then one token per merge, in merge order.
fn byte_level(merges: &[(&str, &str)], ignore_merges: bool) -> Value {
    let chars = crate::tokenizer::bytes::byte_to_char();
    let mut vocab = Map::new();
    for c in chars {
        let n = vocab.len();
        vocab.insert(c.to_string(), json!(n));
    }
    for (a, b) in merges {
        let n = vocab.len();
        vocab.entry(format!("{a}{b}")).or_insert(json!(n));
    }
    json!({
        "version": "1.0",
        "added_tokens": [{"id": vocab.len(), "content": "<s>", "single_word": false, "lstrip": false,
                          "rstrip": false, "normalized": false, "special": true}],
        "normalizer": null,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
        "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
            {"Sequence": {"id": "A", "type_id": 0}}], "pair": [],
            "special_tokens": {"<s>": {"id": "<s>", "ids": [vocab.len()], "tokens": ["<s>"]}}},
        "decoder": {"type": "ByteLevel"},
        "model": {"type": "BPE", "ignore_merges": ignore_merges, "vocab": vocab,
                  "merges": merges.iter().map(|(a, b)| format!("{a} {b}")).collect::<Vec<_>>()}
    })
}

/// The worked example: "hippo" is built h+i, p+p, hi+pp, hipp+o. A naive trim that keeps only the
/// used token and the bytes drops "hi", "pp", "hipp" and with them the merge that makes "hippo".
const HIPPO: [(&str, &str); 5] = [
    ("h", "i"),
    ("p", "p"),
    ("hi", "pp"),
    ("hipp", "o"),
    ("Ġ", "hippo"),
];

fn encode(v: &Value, text: &str) -> Vec<u32> {
    from_json(v).unwrap().encode(text, false)
}

fn trimmed(v: &Value, text: &str, closure: bool) -> (Trim, Vec<u32>, Vec<u32>) {
    let tok = from_json(v).unwrap();
    let ids = tok.encode(text, false);
    let t = trim(&tok, v, &ids, closure).unwrap();
    let mapped = ids.iter().map(|&i| t.old_to_new[i as usize]).collect();
    let again = encode(&t.json, text);
    (t, mapped, again)
}

#[test]
fn worked_example_closure_keeps_the_encoding_and_naive_trim_breaks_it() {
    let v = byte_level(&HIPPO, false);
    let text = "hippo hippo";
    assert_eq!(encode(&v, text), vec![256 + 3, 256 + 4]); // "hippo", "Ġhippo"

    let (t, mapped, again) = trimmed(&v, text, true);
    assert_eq!(again, mapped);
    // 256 bytes + <s> + hippo, Ġhippo; closure adds hi, pp, hipp.
    assert_eq!(t.kept_ids.len(), 256 + 1 + 2 + 3);
    assert_eq!(t.closure_added, 3);
    assert_eq!(t.merges_kept, 5);

    let (naive, mapped, again) = trimmed(&v, text, false);
    // Only Ġ+hippo survives (its parts are bytes or used); the merges that build "hippo" do not.
    assert_eq!(naive.merges_kept, 1);
    assert_ne!(again, mapped);
    assert_eq!(
        again.len(),
        text.len(),
        "naive trim falls back to single bytes"
    );
}

#[test]
fn added_tokens_that_bpe_also_builds_keep_their_derivation() {
    // "hippo" is an added token too, but single_word: inside "xhippo" the matcher skips it and
    // BPE builds it. (Gemma3 has the same situation with its `normalized: false` "▁▁" tokens.)
    let mut v = byte_level(&HIPPO, false);
    let hippo = 256 + 3;
    v["added_tokens"].as_array_mut().unwrap().push(
        json!({"id": hippo, "content": "hippo", "single_word": true, "lstrip": false,
                                  "rstrip": false, "normalized": false, "special": false}),
    );
    assert_eq!(encode(&v, "xhippo"), vec![b'x' as u32, hippo]);
    let (t, mapped, again) = trimmed(&v, "xhippo", true);
    assert_eq!(again, mapped);
    assert_eq!(t.closure_added, 3);
}

#[test]
fn ids_are_contiguous_in_old_order_and_specials_are_remapped() {
    let v = byte_level(&HIPPO, false);
    let (t, _, _) = trimmed(&v, "hippo", true);
    assert!(t.kept_ids.windows(2).all(|w| w[0] < w[1]));
    for (new, &old) in t.kept_ids.iter().enumerate() {
        assert_eq!(t.old_to_new[old as usize], new as u32);
    }
    let s = t.kept_ids.len() as u64 - 1; // <s> was the last id, stays the last
    assert_eq!(t.json.pointer("/added_tokens/0/id"), Some(&json!(s)));
    assert_eq!(
        t.json.pointer("/post_processor/special_tokens/<s>/ids/0"),
        Some(&json!(s))
    );
    let tok = from_json(&t.json).unwrap();
    assert_eq!(tok.encode("hippo", true)[0], s as u32);
    // "Ġhippo" was not used: dropped, with its merge.
    assert_eq!(t.old_to_new[256 + 4], DROPPED);
    assert_eq!(t.merges_kept, 4);
}

#[test]
fn ignore_merges_keeps_whole_pretoken_tokens_without_derivation() {
    // "xyz" is in the vocabulary but no merge builds it (x+y only): only ignore_merges reaches it.
    let mut v = byte_level(&[("x", "y")], true);
    let n = v["model"]["vocab"].as_object().unwrap().len();
    v["model"]["vocab"]["xyz"] = json!(n);
    v["added_tokens"][0]["id"] = json!(n + 1);
    v["post_processor"]["special_tokens"]["<s>"]["ids"][0] = json!(n + 1);
    assert_eq!(encode(&v, "xyz"), vec![n as u32]);
    let (t, mapped, again) = trimmed(&v, "xyz xyzxyz", true);
    assert_eq!(again, mapped);
    assert_eq!(t.not_derivable, 1, "xyz is kept as is");
    // The sub-pretoken use of "xy" (in "xyzxyz", not a vocabulary token) kept x+y by closure.
    assert_eq!(t.merges_kept, 1);
}

#[test]
fn byte_fallback_alphabet_and_unk_are_always_kept() {
    let mut vocab = Map::new();
    for (i, t) in ["<unk>", "a", "b", "ab"].iter().enumerate() {
        vocab.insert(t.to_string(), json!(i));
    }
    for b in 0..256 {
        let n = vocab.len();
        vocab.insert(format!("<0x{b:02X}>"), json!(n));
    }
    let v = json!({"model": {"type": "BPE", "unk_token": "<unk>", "byte_fallback": true,
                             "vocab": vocab, "merges": [["a", "b"]]}});
    let (t, mapped, again) = trimmed(&v, "ab€", true);
    assert_eq!(again, mapped);
    assert_eq!(t.kept_ids.len(), 4 + 256); // <unk>, a, b (closure), ab, all byte tokens
                                           // Merge format kept: pairs stay pairs.
    assert_eq!(t.json.pointer("/model/merges/0"), Some(&json!(["a", "b"])));
}

#[test]
fn keep_ids_outside_the_vocabulary_are_an_error() {
    let v = byte_level(&HIPPO, false);
    let tok = from_json(&v).unwrap();
    assert!(trim(&tok, &v, &[1_000_000], true).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Closure keeps the encoding of the trimming corpus, for any corpus over a small alphabet
    /// with many overlapping merges, and the trimmed JSON loads (every merge's parts are kept).
    #[test]
    fn closure_keeps_encodings(text in "[abc ]{1,40}", probe in "[abc ]{1,40}", ignore in any::<bool>()) {
        let merges = [("a", "b"), ("b", "c"), ("ab", "c"), ("a", "bc"), ("c", "a"), ("abc", "a"),
                      ("Ġ", "a"), ("Ġa", "bc"), ("ca", "b"), ("b", "b"), ("bb", "a"), ("Ġ", "c")];
        let v = byte_level(&merges, ignore);
        let (_, mapped, again) = trimmed(&v, &text, true);
        prop_assert_eq!(again, mapped);
        // Any other text whose tokens are all kept encodes the same too.
        let tok = from_json(&v).unwrap();
        let ids = tok.encode(&text, false);
        let t = trim(&tok, &v, &ids, true).unwrap();
        let p = tok.encode(&probe, false);
        if p.iter().all(|&i| t.old_to_new[i as usize] != DROPPED) {
            let want: Vec<u32> = p.iter().map(|&i| t.old_to_new[i as usize]).collect();
            prop_assert_eq!(encode(&t.json, &probe), want);
        }
    }
}

/// A Unigram tokenizer (no normalizer or pretokenizer): `<unk>` id 0, then `pieces` in order.
fn unigram(pieces: &[(&str, f64)]) -> Value {
    let mut vocab = vec![json!(["<unk>", 0.0])];
    vocab.extend(pieces.iter().map(|(p, s)| json!([p, s])));
    json!({
        "version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": null,
        "post_processor": null, "decoder": null,
        "model": {"type": "Unigram", "unk_id": 0, "vocab": vocab, "byte_fallback": false}
    })
}

/// Trims to the ids `corpus` uses; returns (trim, each line's original ids mapped, trimmed ids).
fn trim_unigram(v: &Value, corpus: &[&str], closure: bool) -> (Trim, Vec<Vec<u32>>, Vec<Vec<u32>>) {
    let tok = from_json(v).unwrap();
    let orig: Vec<Vec<u32>> = corpus.iter().map(|t| tok.encode(t, false)).collect();
    let seed: Vec<u32> = orig.iter().flatten().copied().collect();
    let t = trim(&tok, v, &seed, closure).unwrap();
    let new = from_json(&t.json).unwrap();
    let mapped = orig
        .iter()
        .map(|ids| ids.iter().map(|&i| t.old_to_new[i as usize]).collect())
        .collect();
    let got = corpus.iter().map(|s| new.encode(s, false)).collect();
    (t, mapped, got)
}

#[test]
fn unigram_closure_keeps_the_lowest_score_so_unk_edges_score_the_same() {
    // "xabc" is best as "xa"+"b"+"c" (-60): the alternative unk(x)+"abc" scores min-10-1 = -111.
    // Dropping the unused lowest piece "zz" (-100) raises unk to -30, and unk(x)+"abc" (-31) wins.
    let v = unigram(&[
        ("xa", -20.0),
        ("b", -20.0),
        ("c", -20.0),
        ("abc", -1.0),
        ("a", -2.0),
        ("zz", -100.0),
        ("z", -50.0),
    ]);
    let corpus = ["xabc", "abc"];
    let (t, want, got) = trim_unigram(&v, &corpus, true);
    assert_eq!(got, want);
    assert_eq!(
        want[0],
        vec![t.old_to_new[1], t.old_to_new[2], t.old_to_new[3]]
    );
    assert_ne!(t.old_to_new[6], DROPPED, "the lowest-score piece is kept");
    assert_ne!(t.old_to_new[5], DROPPED, "single-char pieces are kept");
    assert_eq!(t.json["model"]["unk_id"], json!(0));
    let (naive, want, got) = trim_unigram(&v, &corpus, false);
    assert_eq!(naive.old_to_new[6], DROPPED);
    assert_ne!(got[0], want[0], "the naive trim changes the encoding");
    assert_eq!(got[0], vec![0, naive.old_to_new[4]]);
}

#[test]
fn unigram_single_chars_stay_encodable_and_ids_follow_the_list() {
    let v = unigram(&[
        ("▁the", -3.0),
        ("t", -5.0),
        ("h", -5.0),
        ("e", -5.0),
        ("he", -4.0),
        ("q", -9.0),
    ]);
    let (t, want, got) = trim_unigram(&v, &["▁the"], true);
    assert_eq!(got, want);
    // "▁" has no single-char piece: not kept; every single char is; "he" is dropped.
    assert_eq!(t.kept_ids, vec![0, 1, 2, 3, 4, 6]);
    let vocab: Vec<&str> = t.json["model"]["vocab"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_str().unwrap())
        .collect();
    assert_eq!(vocab, ["<unk>", "▁the", "t", "h", "e", "q"]);
    let new = from_json(&t.json).unwrap();
    // Outside the corpus, text over kept single chars encodes without unk.
    assert_eq!(new.encode("theq", false), vec![2, 3, 4, 5]);
    let naive = trim(&from_json(&v).unwrap(), &v, &[1], false).unwrap();
    let n = from_json(&naive.json).unwrap();
    assert_eq!(n.encode("theq", false), vec![0], "naive: one fused unk");
}

#[test]
fn unused_non_special_added_tokens_go_only_when_asked() {
    // Placeholders as Gemma3's `<unusedN>`: non-special added tokens outside the model vocabulary,
    // one of them used in the text; a special one unused.
    let mut v = byte_level(&HIPPO, false);
    let base = 256 + 5 + 1;
    for (i, (content, special)) in [("<unused0>", false), ("<unused1>", false), ("<tool>", true)]
        .iter()
        .enumerate()
    {
        v["added_tokens"].as_array_mut().unwrap().push(json!({"id": base + i, "content": content,
            "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": special}));
    }
    let tok = from_json(&v).unwrap();
    let text = "hippo<unused1>";
    let ids = tok.encode(text, false);
    assert_eq!(ids, vec![256 + 3, base as u32 + 1]);

    let all = trim(&tok, &v, &ids, true).unwrap();
    assert_eq!(all.added_dropped, 0);
    assert_eq!(all.json["added_tokens"].as_array().unwrap().len(), 4);

    let t = trim_with(&tok, &v, &ids, true, AddedTokens::KeepSpecial).unwrap();
    assert_eq!(t.added_dropped, 1);
    assert_eq!(t.old_to_new[base], DROPPED);
    let names: Vec<&str> = t.json["added_tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["content"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["<s>", "<unused1>", "<tool>"]);
    assert_eq!(t.kept_ids.len(), all.kept_ids.len() - 1);
    // The used placeholder and the special token keep working; ids follow the kept order.
    let back = from_json(&t.json).unwrap();
    let mapped: Vec<u32> = ids.iter().map(|&i| t.old_to_new[i as usize]).collect();
    assert_eq!(back.encode(text, false), mapped);
    assert_eq!(back.encode("<tool>", false), vec![t.old_to_new[base + 2]]);
    // The dropped one is plain text now.
    assert!(back.encode("<unused0>", false).len() > 1);
}

/// On a real tokenizer the trim reports progress that only grows and ends at its total, and the
/// output keeps the document's key order (the rewrite builds it without cloning vocab and merges).
#[test]
fn progress_on_llama3_and_document_order() {
    let text = crate::testdata::real_tokenizer_json("llama3");
    let v: Value = serde_json::from_str(&text).unwrap();
    let tok = from_json(&v).unwrap();
    let seed = tok.encode(
        "The quick brown fox jumps over the lazy dog. Tokenizers trim vocabularies.",
        false,
    );
    let mut calls: Vec<(u32, u32)> = Vec::new();
    let t = trim_with_progress(&tok, &v, &seed, true, AddedTokens::KeepAll, &mut |d, n| {
        calls.push((d, n))
    })
    .unwrap();
    assert!(calls.len() >= 15, "only {} progress calls", calls.len());
    assert!(
        calls.windows(2).all(|w| w[1].0 >= w[0].0),
        "done went back: {calls:?}"
    );
    assert!(calls.iter().all(|&(d, n)| d <= n));
    let (d, n) = *calls.last().unwrap();
    assert_eq!(d, n);
    assert!(n as usize >= tok.model.as_bpe().unwrap().merge_list.len());

    let mut expected = v.clone();
    expected["model"]["vocab"] = t.json["model"]["vocab"].clone();
    expected["model"]["merges"] = t.json["model"]["merges"].clone();
    expected["added_tokens"] = t.json["added_tokens"].clone();
    expected["post_processor"] = t.json["post_processor"].clone();
    assert_eq!(
        serde_json::to_string(&t.json).unwrap(),
        serde_json::to_string(&expected).unwrap()
    );
    assert_eq!(t.json, trim(&tok, &v, &seed, true).unwrap().json);
}
