//! The per-model-call vector pass natively, next to its floor: copying the model's f32 vector,
//! and copy + one scalar `fast_exp` per entry (in id order), then the pass itself (`Sums::new`:
//! checks, exp, byte-order sums) and the check-only pass (`Sums::check`: exp and sum in id
//! order). Natively the exp runs scalar (the f64x2 lanes are the WebAssembly build's). For `perf record` and quick
//! before/after checks without Node/WASM (`npm run bench:byteprob` measures the same in WASM).
//! Usage: cargo run --release -p vocabsmith-core --example vector_pass -- TOKENIZER_JSON [REPS]
use std::hint::black_box;
use std::time::Instant;
use vocabsmith_core::byteprob::masses::{fast_exp, Sums};
use vocabsmith_core::byteprob::ByteModel;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 2 {
        eprintln!("usage: vector_pass TOKENIZER_JSON [REPS]");
        std::process::exit(2);
    }
    let reps: usize = a.get(2).map_or(200, |r| r.parse().unwrap());
    let tok =
        vocabsmith_core::tokenizer::json::from_json_str(&std::fs::read_to_string(&a[1]).unwrap())
            .unwrap();
    let ids = tok.model.id_to_token().len();
    let m = ByteModel::new(tok).unwrap();
    // The same stub vector as bench/byteprob.ts (sin hash, log-softmax).
    let mut v = vec![0f32; ids];
    let mut s = 0f64;
    for (i, x) in v.iter_mut().enumerate() {
        *x = ((i as f64) * 12.9898).sin() as f32 * 3.0;
        s += (*x as f64).exp();
    }
    for x in v.iter_mut() {
        *x -= s.ln() as f32;
    }
    let time = |name: &str, f: &mut dyn FnMut()| {
        f();
        let t = Instant::now();
        for _ in 0..reps {
            f();
        }
        println!(
            "{name:>28}: {:8.1} µs",
            t.elapsed().as_secs_f64() * 1e6 / reps as f64
        );
    };
    println!("{ids} ids, {} text tokens, {reps} reps", m.sorted.len());
    let mut dst = vec![0f32; ids];
    time("copy f32", &mut || {
        dst.copy_from_slice(black_box(&v));
        black_box(&dst);
    });
    let mut e = vec![0f64; ids];
    time("copy + exp (id order)", &mut || {
        dst.copy_from_slice(black_box(&v));
        for (o, &x) in e.iter_mut().zip(&dst) {
            *o = fast_exp(x as f64);
        }
        black_box(&e);
    });
    time("Sums::new", &mut || {
        dst.copy_from_slice(black_box(&v));
        black_box(Sums::new(&m, &dst, 0, ids).unwrap());
    });
    time("Sums::check", &mut || {
        dst.copy_from_slice(black_box(&v));
        Sums::check(&m, &dst, ids).unwrap();
    });
}
