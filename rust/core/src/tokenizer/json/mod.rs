//! Hugging Face `tokenizer.json` documents (and tiktoken rank files): reading one into a
//! [`Tokenizer`] (`read`; each stage parses its own section, e.g. `Normalizer::from_json`; the
//! text is parsed by `parse`, serde_json's parse that reports the bytes it has read),
//! writing the files of a trained vocabulary (`write`), and editing a document in place (`edit`:
//! what trimming rewrites). `gguf/tokenizer.rs` builds a document from GGUF metadata.
//!
//! [`Tokenizer`]: crate::Tokenizer
pub mod edit;
mod parse;
mod read;
mod write;

pub use parse::parse_with_progress;
pub use read::{
    from_json, from_json_str, from_json_str_with_progress, from_json_with_progress, from_tiktoken,
    from_tiktoken_with_progress, tiktoken_spec, TIKTOKEN_ENCODINGS,
};
pub use write::{tokenizer_config_json, tokenizer_json, SpecialRoles, Trained};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tiktoken_list_is_what_loading_knows_and_names() {
        for e in TIKTOKEN_ENCODINGS {
            tiktoken_spec(e).unwrap();
        }
        let msg = tiktoken_spec("o300k_base").unwrap_err().to_string();
        assert!(
            msg.contains(&format!("({})", TIKTOKEN_ENCODINGS.join(", "))),
            "{msg}"
        );
    }
}

#[cfg(test)]
mod tests_progress;
