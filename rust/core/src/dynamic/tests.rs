//! Dynamic merging against a from-scratch transcription of the paper's loop (recount every step,
//! string-keyed tokens, first-seen tie-break), plus hand-traced cases.
use super::*;
use crate::tokenizer::bytes::byte_to_char;
use proptest::prelude::*;

/// A byte-level tokenizer: the 256 byte chars, "Ġt" "he" "Ġthe", the GPT-2 regex, one special.
fn tokenizer() -> Tokenizer {
    let map = byte_to_char();
    let mut vocab = serde_json::Map::new();
    for (b, c) in map.iter().enumerate() {
        vocab.insert(c.to_string(), (b as u32).into());
    }
    for (i, t) in ["Ġt", "he", "Ġthe"].iter().enumerate() {
        vocab.insert(t.to_string(), (256 + i as u32).into());
    }
    let json = serde_json::json!({
        "added_tokens": [{"id": 259, "content": "<s>", "single_word": false, "lstrip": false,
            "rstrip": false, "normalized": false, "special": true}],
        "model": {"type": "BPE", "vocab": vocab, "merges": ["Ġ t", "h e", "Ġt he"]},
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
        "decoder": {"type": "ByteLevel"}
    });
    crate::tokenizer::json::from_json(&json).unwrap()
}

/// The paper's loop, transcribed: tokens are byte strings, counts are recomputed every step.
fn reference(
    tok: &Tokenizer,
    seqs: &[Vec<u32>],
    boundary: Boundary,
    max: usize,
) -> Vec<Vec<Vec<u8>>> {
    let batch = Batch {
        seqs: seqs.to_vec(),
        joinable: None,
    };
    let engine = Engine::new(tok, &batch, boundary);
    let special: Vec<Vec<u8>> = tok
        .added
        .iter()
        .map(|t| t.content.as_bytes().to_vec())
        .collect();
    let bytes = |id: u32| engine.token_bytes(id).to_vec();
    let mut cur: Vec<Vec<Vec<u8>>> = seqs
        .iter()
        .map(|s| s.iter().map(|&i| bytes(i)).collect())
        .collect();
    // Validity on byte strings, through the engine's check on two ad-hoc ids.
    let valid = |x: &[u8], y: &[u8]| {
        if special.iter().any(|s| s == x || s == y) {
            return false;
        }
        let mut e = Engine::new(
            tok,
            &Batch {
                seqs: vec![],
                joinable: None,
            },
            boundary,
        );
        e.bytes.push(x.to_vec());
        e.bytes.push(y.to_vec());
        e.check(e.base, e.base + 1)
    };
    for _ in 0..max {
        let mut order: Vec<(Vec<u8>, Vec<u8>)> = vec![];
        let mut counts: FxHashMap<(Vec<u8>, Vec<u8>), usize> = FxHashMap::default();
        for s in &cur {
            for w in s.windows(2) {
                if valid(&w[0], &w[1]) {
                    let k = (w[0].clone(), w[1].clone());
                    if !counts.contains_key(&k) {
                        order.push(k.clone());
                    }
                    *counts.entry(k).or_default() += 1;
                }
            }
        }
        // max() keeps the first maximal element in insertion order, as Python's max over a Counter.
        let Some(best) = order
            .iter()
            .fold(None::<&(Vec<u8>, Vec<u8>)>, |acc, k| match acc {
                Some(a) if counts[a] >= counts[k] => Some(a),
                _ => Some(k),
            })
        else {
            break;
        };
        let best = best.clone();
        for s in cur.iter_mut() {
            let mut out = vec![];
            let mut i = 0;
            while i < s.len() {
                if i + 1 < s.len() && s[i] == best.0 && s[i + 1] == best.1 {
                    out.push([s[i].clone(), s[i + 1].clone()].concat());
                    i += 2;
                } else {
                    out.push(s[i].clone());
                    i += 1;
                }
            }
            *s = out;
        }
    }
    cur
}

fn surfaces(tok: &Tokenizer, r: &MergeResult) -> Vec<Vec<Vec<u8>>> {
    let mut out = vec![];
    let mut at = 0;
    for &n in &r.lengths {
        let seq = &r.ids[at..at + n as usize];
        at += n as usize;
        out.push(
            seq.iter()
                .map(|&id| {
                    if id >= r.base {
                        r.new_tokens[(id - r.base) as usize].bytes.clone()
                    } else {
                        crate::tokenizer::canon::token_bytes(tok, id).unwrap()
                    }
                })
                .collect(),
        );
    }
    out
}

fn expand(r: &MergeResult) -> Vec<u32> {
    r.ids
        .iter()
        .flat_map(|&id| {
            if id >= r.base {
                r.new_tokens[(id - r.base) as usize].decomposition.clone()
            } else {
                vec![id]
            }
        })
        .collect()
}

#[test]
fn hand_traced_batch() {
    let tok = tokenizer();
    let texts = ["the cat sat", "the cat ran", "a cat"];
    let batch = Batch::from_texts(&tok, &texts, false);
    let o = MergeOptions {
        max_merges: 2,
        ..Default::default()
    };
    let r = merge_batch(&tok, &batch, &o);
    // Base: [t he Ġ c a t Ġ s a t] [t he Ġ c a t Ġ r a n] [a Ġ c a t]; "he Ġ" and "t Ġ" cross
    // pretokens. Merge 1: "a t" (4 times). Merge 2: "Ġ c" and "c at" both occur 3 times; "Ġ c"
    // is seen first (position 2 against 3).
    let s = surfaces(&tok, &r);
    assert_eq!(s[0], [&b"t"[..], b"he", b" c", b"at", b" ", b"s", b"at"]);
    assert_eq!(r.new_tokens.len(), 2);
    assert_eq!(r.new_tokens[0].bytes, b"at");
    assert_eq!(r.new_tokens[1].bytes, b" c");
    assert_eq!(r.new_tokens[1].decomposition, [b' ' as u32, b'c' as u32]);
    assert_eq!(r.merges, 2);
    assert_eq!(r.original_len - r.merged_len, 7);
    // Word level: every pretoken is one token: "the", " cat", " sat" ... = 8 tokens.
    assert_eq!(r.word_len, Some(8));
    let orig: Vec<u32> = batch.seqs.concat();
    assert_eq!(expand(&r), orig);
}

#[test]
fn whitespace_rule_and_specials() {
    let tok = tokenizer();
    let batch = Batch::from_texts(&tok, &["<s>a  \n\n b", "<s>x\ty"], false);
    let r = merge_batch(
        &tok,
        &batch,
        &MergeOptions {
            boundary: Boundary::Sentence,
            ..Default::default()
        },
    );
    for seq in surfaces(&tok, &r) {
        for t in seq {
            let inner_space = t[1..].iter().any(|&c| spacelike(c));
            assert!(
                !inner_space || (t.iter().all(|&c| spacelike(c)) && t != b"\n\n"),
                "{t:?}"
            );
        }
    }
    assert_eq!(r.ids[0], 259);
    assert_eq!(expand(&r), batch.seqs.concat());
}

#[test]
fn targets_stop_where_asked() {
    let tok = tokenizer();
    let text = "the theme of the thesis: these three theatres thereby thank them";
    let batch = Batch::from_texts(&tok, &[text, text], false);
    let r = merge_batch(
        &tok,
        &batch,
        &MergeOptions {
            target: Some(Target::Original(0.3)),
            ..Default::default()
        },
    );
    let red = |l: usize| (r.original_len - l) as f64 / r.original_len as f64;
    assert!(red(r.merged_len) >= 0.3 && red(r.curve[r.curve.len() - 2]) < 0.3);
    let w = merge_batch(
        &tok,
        &batch,
        &MergeOptions {
            target: Some(Target::Word(1.0)),
            ..Default::default()
        },
    );
    assert_eq!(Some(w.merged_len), w.word_len);
}

fn ids_strategy() -> impl Strategy<Value = Vec<Vec<u32>>> {
    // Small alphabets make many repeated pairs: "a", "b", "Ġ", "Ġt", "he", "\n", "<s>", byte 0xE4.
    let alphabet = vec![
        b'a' as u32,
        b'b' as u32,
        b'a' as u32,
        32,
        256,
        257,
        10,
        259,
        0xE4,
        0x8C,
    ];
    let ids: Vec<u32> = alphabet
        .iter()
        .map(|&c| if c < 256 { token_id(c as u8) } else { c })
        .collect();
    prop::collection::vec(
        prop::collection::vec(prop::sample::select(ids), 0..40),
        1..5,
    )
}

fn token_id(b: u8) -> u32 {
    b as u32 // in this tokenizer byte b has id b
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn matches_the_papers_loop(seqs in ids_strategy(), max in 0usize..30, which in 0usize..3) {
        let tok = tokenizer();
        let boundary = [Boundary::Pretoken, Boundary::Word, Boundary::Sentence][which];
        let batch = Batch { seqs: seqs.clone(), joinable: None };
        let r = merge_batch(&tok, &batch, &MergeOptions { boundary, max_merges: max, ..Default::default() });
        prop_assert_eq!(surfaces(&tok, &r), reference(&tok, &seqs, boundary, max));
        // Decoding is unchanged (a merge may land on an original token such as "Ġthe", so the
        // expansion is compared as bytes).
        let flat = |ids: &[u32]| ids.iter().flat_map(|&i| crate::tokenizer::canon::token_bytes(&tok, i).unwrap()).collect::<Vec<u8>>();
        prop_assert_eq!(flat(&expand(&r)), flat(&seqs.concat()));
        prop_assert_eq!(r.merged_len, r.ids.len());
    }
}
