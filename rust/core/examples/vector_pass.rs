//! The per-model-call vector pass natively, next to its floor: copying the model's f32 vector,
//! and copy + one scalar `fast_exp` per entry (in id order), then the pass itself (`Sums::new`:
//! checks, exp, byte-order sums) and the check-only pass (`Sums::check`: exp and sum in id
//! order), and the same two for the probabilities of the same distribution (`VectorKind::Probs`:
//! no exp), next to their floor: copy + sum. Natively the exp runs scalar (the f64x2 lanes are the WebAssembly build's). For `perf record` and quick
//! before/after checks without Node/WASM (`npm run bench:byteprob` measures the same in WASM).
//! Usage: cargo run --release --manifest-path rust/Cargo.toml -p vocabsmith-core --example vector_pass -- TOKENIZER_JSON [REPS]
use std::hint::black_box;
use std::time::Instant;
use vocabsmith_core::byteprob::masses::{fast_exp, Sums};
use vocabsmith_core::byteprob::{ByteModel, VectorKind};

mod common;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 2 {
        eprintln!("usage: vector_pass TOKENIZER_JSON [REPS]");
        std::process::exit(2);
    }
    let reps: usize = a.get(2).map_or(200, |r| r.parse().unwrap());
    let tok = common::tokenizer(&a[1]);
    let ids = tok.model.id_to_token().len();
    let m = ByteModel::new(tok).unwrap();
    let v = common::stub_vector(ids);
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
        black_box(Sums::new(&m, &dst, 0, ids, VectorKind::LogProbs).unwrap());
    });
    time("Sums::check", &mut || {
        dst.copy_from_slice(black_box(&v));
        Sums::check(&m, &dst, ids, VectorKind::LogProbs).unwrap();
    });
    let p: Vec<f32> = v.iter().map(|&x| (x as f64).exp() as f32).collect();
    time("probs: copy + sum (id order)", &mut || {
        dst.copy_from_slice(black_box(&p));
        // Four running sums (independent adds), as the pass's block sums.
        let mut acc = [0f64; 4];
        for c in dst.chunks_exact(4) {
            for j in 0..4 {
                acc[j] += c[j] as f64;
            }
        }
        black_box(acc);
    });
    time("probs: Sums::new", &mut || {
        dst.copy_from_slice(black_box(&p));
        black_box(Sums::new(&m, &dst, 0, ids, VectorKind::Probs).unwrap());
    });
    time("probs: Sums::check", &mut || {
        dst.copy_from_slice(black_box(&p));
        Sums::check(&m, &dst, ids, VectorKind::Probs).unwrap();
    });
}
