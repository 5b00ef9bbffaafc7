//! The covers of one byte prefix as the core lays them out: every node (its tokens) with the
//! tokens that may follow it, optionally only those whose next byte is B. For comparing the
//! cover sets with another implementation (bench/bytesampler).
//! Usage: cargo run --release --manifest-path rust/Cargo.toml -p vocabsmith-core --example byteprob_plan -- TOKENIZER_JSON PREFIX_FILE [B]
use std::rc::Rc;
use vocabsmith_core::byteprob::{ByteModel, CoverState};

mod common;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 3 {
        eprintln!("usage: byteprob_plan TOKENIZER_JSON PREFIX_FILE [NEXT_BYTE]");
        std::process::exit(2);
    }
    let tok = common::tokenizer(&a[1]);
    let prefix = std::fs::read(&a[2]).unwrap();
    let want: Option<u32> = a.get(3).map(|s| s.parse().unwrap());
    let m = Rc::new(ByteModel::new(tok).unwrap());
    let mut st = CoverState::new(Rc::clone(&m));
    for &b in &prefix {
        st.push(b);
    }
    let show = |t: u32| format!("{:?}", String::from_utf8_lossy(&m.bytes[t as usize]));
    let path = |st: &CoverState, n: u32| {
        let p = st.path(n);
        let k = p.len().saturating_sub(3);
        p[k..]
            .iter()
            .map(|&t| show(t))
            .collect::<Vec<_>>()
            .join(" ")
    };
    // Tokens ending exactly at the end of the prefix included (as ByteSampler's inclusive tree).
    let plan = st.plan(true);
    // BYTEPROB_PLAN_DUMP=file: every node as JSON: its kind, token path and the tokens after it.
    let mut dump = Vec::new();
    for s in &plan.splits {
        let sel: Vec<String> = s
            .cands
            .iter()
            .filter(|c| want.is_none_or(|w| c.1 == w))
            .map(|c| show(c.0))
            .collect();
        let ids: Vec<String> = s.cands.iter().map(|c| c.0.to_string()).collect();
        dump.push(node_json("split", &st.path(s.node), &ids));
        println!(
            "split node [.. {}] j={} cands {} with byte: {} {:?}",
            path(&st, s.node),
            s.j,
            s.cands.len(),
            sel.len(),
            &sel[..sel.len().min(12)]
        );
    }
    for e in &plan.ends {
        let listed: std::collections::HashSet<u32> = e.ids.iter().copied().collect();
        let valid =
            |t: u32| !m.bytes[t as usize].is_empty() && (listed.contains(&t) == e.listed_valid);
        let all = m.sorted.iter().filter(|&&t| valid(t)).count();
        let sel: Vec<String> = m
            .sorted
            .iter()
            .copied()
            .filter(|&t| valid(t) && want.is_none_or(|w| m.bytes[t as usize][0] as u32 == w))
            .map(show)
            .collect();
        let ids: Vec<String> = m
            .sorted
            .iter()
            .filter(|&&t| valid(t))
            .map(|t| t.to_string())
            .collect();
        dump.push(node_json("end", &st.path(e.node), &ids));
        println!(
            "end node [.. {}] canonical {} valid {} with byte: {} {:?}",
            path(&st, e.node),
            e.canonical,
            all,
            sel.len(),
            &sel[..sel.len().min(12)]
        );
    }
    if let Ok(f) = std::env::var("BYTEPROB_PLAN_DUMP") {
        std::fs::write(f, format!("[{}]", dump.join(","))).unwrap();
    }
}

fn node_json(kind: &str, path: &[u32], ids: &[String]) -> String {
    let path: Vec<String> = path.iter().map(u32::to_string).collect();
    format!(
        "{{\"kind\":\"{kind}\",\"path\":[{}],\"tokens\":[{}]}}",
        path.join(","),
        ids.join(",")
    )
}
