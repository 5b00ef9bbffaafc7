//! Brute-force ground truth on small tokenizers trained here.
//!
//! A language model over *strings* is any weight π(s) on the finite set S of strings up to length
//! L over a tiny alphabet. Induced onto tokens it is the canonical token LM: the prefix mass of a
//! token sequence c is W(c) = Σ_{s ∈ S, E(s) starts with c} π(s), so q(c)[t] = W(c++t)/W(c) and
//! q(c)[eos] = π(dec c)/W(c) when c = E(dec c). The byte-level truth is P(x) = Σ_{s ⊒ x} π(s);
//! the cover computation must give back exactly that from q alone.
use super::*;
use crate::load::from_json;
use serde_json::json;
use std::collections::HashMap;
use std::rc::Rc;

/// A byte-level BPE tokenizer.json: 256 byte tokens plus `n_merges` greedy merges over `corpus`.
fn small_tokenizer(corpus: &[u8], n_merges: usize, pretok: Option<&str>) -> Tokenizer {
    let map = crate::bytes::byte_to_char();
    let tok = |b: &[u8]| b.iter().map(|&c| map[c as usize]).collect::<String>();
    let mut vocab: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b]).collect();
    let mut seq: Vec<Vec<u8>> = corpus.iter().map(|&b| vec![b]).collect();
    let mut merges = Vec::new();
    for _ in 0..n_merges {
        let mut counts: HashMap<(Vec<u8>, Vec<u8>), usize> = HashMap::new();
        for w in seq.windows(2) {
            *counts.entry((w[0].clone(), w[1].clone())).or_default() += 1;
        }
        let Some((pair, _)) = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        else {
            break;
        };
        let merged = [pair.0.clone(), pair.1.clone()].concat();
        let mut next = Vec::new();
        let mut i = 0;
        while i < seq.len() {
            if i + 1 < seq.len() && seq[i] == pair.0 && seq[i + 1] == pair.1 {
                next.push(merged.clone());
                i += 2;
            } else {
                next.push(seq[i].clone());
                i += 1;
            }
        }
        seq = next;
        if !vocab.contains(&merged) {
            vocab.push(merged);
        }
        merges.push(json!([tok(&pair.0), tok(&pair.1)]));
    }
    let v: serde_json::Map<String, serde_json::Value> = vocab
        .iter()
        .enumerate()
        .map(|(i, b)| (tok(b), json!(i)))
        .collect();
    let bl = json!({"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false});
    let pre = match pretok {
        None => bl,
        Some(p) => json!({"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": p}, "behavior": "Isolated", "invert": false}, bl]}),
    };
    from_json(&json!({
        "version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": pre,
        "post_processor": null, "decoder": {"type": "ByteLevel"},
        "model": {"type": "BPE", "vocab": v, "merges": merges, "byte_fallback": false, "ignore_merges": false}
    }))
    .unwrap()
}

/// All strings of up to `l` chars over `alphabet`, as bytes.
fn strings(alphabet: &[&str], l: usize) -> Vec<Vec<u8>> {
    let mut all = vec![Vec::new()];
    let mut frontier = vec![Vec::new()];
    for _ in 0..l {
        let mut next = Vec::new();
        for s in &frontier {
            for a in alphabet {
                next.push([s.as_slice(), a.as_bytes()].concat());
            }
        }
        all.extend(next.iter().cloned());
        frontier = next;
    }
    all
}

struct Truth {
    pi: HashMap<Vec<u8>, f64>,
    w: HashMap<Vec<u32>, f64>,
    eos: HashMap<Vec<u32>, f64>,
}

impl Truth {
    fn new(m: &ByteModel, pi: HashMap<Vec<u8>, f64>) -> Truth {
        let (mut w, mut eos) = (HashMap::new(), HashMap::new());
        for (s, &p) in &pi {
            let e = m.encode_bytes(s);
            for k in 0..=e.len() {
                *w.entry(e[..k].to_vec()).or_insert(0.0) += p;
            }
            *eos.entry(e).or_insert(0.0) += p;
        }
        Truth { pi, w, eos }
    }
    fn prefix(&self, x: &[u8]) -> f64 {
        self.pi
            .iter()
            .filter(|(s, _)| s.starts_with(x))
            .map(|(_, p)| p)
            .sum()
    }
    fn q(&self, c: &[u32], t: u32) -> f64 {
        let wc = self.w.get(c).copied().unwrap_or(0.0);
        let wt = self.w.get(&[c, &[t]].concat()).copied().unwrap_or(0.0);
        if wc == 0.0 {
            0.0
        } else {
            wt / wc
        }
    }
    fn q_eos(&self, c: &[u32]) -> f64 {
        let wc = self.w.get(c).copied().unwrap_or(0.0);
        if wc == 0.0 {
            0.0
        } else {
            self.eos.get(c).copied().unwrap_or(0.0) / wc
        }
    }
}

/// P(E(x[..j])) by the chain, with the LM's conditionals only.
fn chain_prob(st: &CoverState, t: &Truth, j: usize) -> f64 {
    match st.link(j) {
        None => 1.0,
        Some((prev, tok)) => chain_prob(st, t, prev) * t.q(&st.path(prev), tok),
    }
}

/// (P(x) by covers, next-byte masses [256 bytes, eos]) from the LM's conditionals.
fn by_covers(m: &Rc<ByteModel>, t: &Truth, x: &[u8]) -> (f64, Vec<f64>) {
    let mut st = CoverState::new(Rc::clone(m));
    for &b in x {
        st.push(b);
    }
    // The empty prefix has no cover and probability 1.
    let prefix: f64 = if x.is_empty() {
        1.0
    } else {
        st.plan(true)
            .splits
            .iter()
            .map(|s| {
                let (w, path) = (chain_prob(&st, t, s.j), st.path(s.j));
                s.cands
                    .iter()
                    .map(|&(tok, _)| w * t.q(&path, tok))
                    .sum::<f64>()
            })
            .sum()
    };
    let mut mass = vec![0.0; 257];
    let plan = st.plan(false);
    for s in &plan.splits {
        let (w, path) = (chain_prob(&st, t, s.j), st.path(s.j));
        for &(tok, b) in &s.cands {
            mass[b as usize] += w * t.q(&path, tok);
        }
    }
    let n = x.len();
    let (w, path) = (chain_prob(&st, t, n), st.path(n));
    for &tok in &m.sorted {
        if !plan.end_invalid.contains(&tok) {
            mass[m.bytes[tok as usize][0] as usize] += w * t.q(&path, tok);
        }
    }
    mass[256] = w * t.q_eos(&path);
    (prefix, mass)
}

fn check_all(m: Rc<ByteModel>, alphabet: &[&str], l: usize, seed: u64) {
    let all = strings(alphabet, l);
    // Random π: an xorshift, so the test needs no extra crate.
    let mut r = seed;
    let mut rnd = || {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        (r % 1000 + 1) as f64
    };
    let pi: HashMap<Vec<u8>, f64> = all.iter().map(|s| (s.clone(), rnd())).collect();
    let total: f64 = pi.values().sum();
    let pi = pi.into_iter().map(|(s, p)| (s, p / total)).collect();
    let t = Truth::new(&m, pi);
    let mut prefixes: Vec<Vec<u8>> = all
        .iter()
        .filter(|s| s.len() < l)
        .flat_map(|s| (0..=s.len()).map(|k| s[..k].to_vec()))
        .collect();
    prefixes.sort();
    prefixes.dedup();
    for x in prefixes {
        let want = t.prefix(&x);
        let (got, mass) = by_covers(&m, &t, &x);
        assert!(
            (got - want).abs() <= 1e-9 * want.max(1e-300),
            "P({x:?}) = {got}, truth {want}"
        );
        for (b, &got_b) in mass.iter().enumerate() {
            let want_b = if b == 256 {
                t.pi.get(&x).copied().unwrap_or(0.0)
            } else {
                t.prefix(&[x.as_slice(), &[b as u8]].concat())
            };
            assert!(
                (got_b - want_b).abs() <= 1e-9 * want.max(1e-300),
                "P({x:?} then {b}) = {}, truth {want_b}",
                got_b
            );
        }
    }
}

#[test]
fn encode_bytes_is_the_tokenizer_encoding() {
    let corpus = b"ab ba aab  b abba ba ab  ab\n11 a1 b1 111 \n\n ab".repeat(3);
    let tk = small_tokenizer(&corpus, 30, Some(crate::pretokenize::LLAMA3));
    let m = ByteModel::new(tk).unwrap();
    for s in strings(&["a", "b", " ", "1", "\n", "é"], 5) {
        let text = String::from_utf8(s.clone()).unwrap();
        assert_eq!(m.encode_bytes(&s), m.tok.encode(&text, false), "{text:?}");
    }
}

#[test]
fn exact_without_pretokenizer_matches_brute_force() {
    let corpus = b"ab ba aab  b abba ba ab  ab bb a ab".repeat(3);
    let m = Rc::new(ByteModel::new(small_tokenizer(&corpus, 25, None)).unwrap());
    assert!(m.exact);
    check_all(Rc::clone(&m), &["a", "b", " "], 6, 7);
    check_all(m, &["a", " ", "é"], 5, 11);
}

#[test]
fn llama3_pretokenizer_matches_brute_force() {
    let corpus = b"ab ba aab  b abba ba ab  ab\n11 a1 b1 111 \n\n ab".repeat(3);
    let m = Rc::new(
        ByteModel::new(small_tokenizer(
            &corpus,
            30,
            Some(crate::pretokenize::LLAMA3),
        ))
        .unwrap(),
    );
    assert!(!m.exact);
    check_all(Rc::clone(&m), &["a", "b", " ", "1", "\n"], 5, 3);
    check_all(m, &["a", " ", "é", "\n"], 4, 5);
}
