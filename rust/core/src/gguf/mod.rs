//! GGUF, llama.cpp's model file: a header (typed metadata, including the tokenizer, and a tensor
//! table) followed by aligned tensor data. `read` parses the header from a prefix of the file;
//! tensor data is never loaded here (callers stream it by offset).
pub mod dequant;
pub mod read;
pub mod remap;
pub mod remap_rows;
pub mod rewrite;
pub mod tokenizer;
pub mod trim;
pub mod types;
pub mod value;
pub mod write;

#[cfg(test)]
mod rewrite_tests;
#[cfg(test)]
mod tests;

pub use read::{parse_header, GgufError, Header, TensorInfo};
pub use tokenizer::{tokenizer_json, GgufTokenizerError};
pub use types::GgmlType;
pub use value::{Array, Value, ValueType};
