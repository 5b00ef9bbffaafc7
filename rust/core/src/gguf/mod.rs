//! GGUF, llama.cpp's model file: a header (typed metadata, including the tokenizer, and a tensor
//! table) followed by aligned tensor data. `read` parses the header from a prefix of the file;
//! tensor data is never loaded here (callers stream it by offset).
pub mod read;
pub mod types;
pub mod value;

#[cfg(test)]
mod tests;

pub use read::{parse_header, GgufError, Header, TensorInfo};
pub use types::GgmlType;
pub use value::{Array, Value, ValueType};
