//! Hugging Face `tokenizer.json` (and tiktoken rank files): reading into a [`Tokenizer`] and
//! writing the files of a trained vocabulary.
//!
//! [`Tokenizer`]: crate::Tokenizer
mod read;
mod write;

pub use read::{from_json, from_json_str, from_tiktoken, tiktoken_spec};
pub use write::{tokenizer_config_json, tokenizer_json, SpecialRoles, Trained};
