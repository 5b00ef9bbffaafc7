//! vocabsmith-core: every algorithm of vocabsmith, free of any WebAssembly or JS type.
//!
//! `tokenizer/` is the pipeline (HF `tokenizers` order: added tokens, normalizers, pretokenize,
//! models, postprocess, decoders, and `json` that reads and writes tokenizer.json); the
//! applications sit above it and depend on it, never the other way round.
pub mod byteprob;
pub mod dynamic;
pub mod error;
pub mod gguf;
pub mod metrics;
pub mod remap;
#[cfg(test)]
mod testdata;
pub mod tokenizer;
pub mod train;
pub mod trim;

pub use error::{Error, Result};
pub use tokenizer::{Encoding, Tokenizer};
