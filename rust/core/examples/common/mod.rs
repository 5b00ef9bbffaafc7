//! What the byte-probability examples share: loading a tokenizer.json and the stub vector.
// Each example uses part of it.
#![allow(dead_code)]
use vocabsmith_core::Tokenizer;

/// The tokenizer.json at `path` (the examples are tools: a bad file stops them with its name).
pub fn tokenizer(path: &str) -> Tokenizer {
    let json = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    vocabsmith_core::tokenizer::json::from_json_str(&json).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The stub log-softmax vector of bench/byteprob.ts (3·sin(12.9898·id), float32), one per id.
pub fn stub_vector(ids: usize) -> Vec<f32> {
    let mut v = vec![0f32; ids];
    let mut s = 0f64;
    for (i, x) in v.iter_mut().enumerate() {
        *x = ((i as f64) * 12.9898).sin() as f32 * 3.0;
        s += (*x as f64).exp();
    }
    for x in v.iter_mut() {
        *x -= s.ln() as f32;
    }
    v
}
