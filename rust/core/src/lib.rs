//! vocabsmith-core: every algorithm of vocabsmith, free of any WebAssembly or JS type.
pub mod added;
pub mod bpe_blocks;
pub mod byteprob;
pub mod bytes;
pub mod canon;
pub mod charsmap;
pub mod cut;
pub mod decode;
pub mod dynamic;
pub mod encode;
pub mod encode_stream;
pub mod error;
pub mod gguf;
pub mod ids;
pub mod load;
pub mod merge_queue;
pub mod metrics;
pub mod model;
pub mod normalize;
pub mod postprocess;
pub mod pretokenize;
pub mod remap;
pub mod remap_fit;
#[cfg(test)]
mod testdata;
pub mod tokenizer;
pub mod train;
pub mod trim;
pub mod unigram;

pub use error::{Error, Result};
pub use tokenizer::{Encoding, Tokenizer};
