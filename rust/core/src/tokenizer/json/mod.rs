//! Hugging Face `tokenizer.json` (and tiktoken rank files): reading into a [`Tokenizer`] and
//! writing the files of a trained vocabulary.
//!
//! [`Tokenizer`]: crate::Tokenizer
mod read;
mod write;

pub use read::{from_json, from_json_str, from_tiktoken, tiktoken_spec, TIKTOKEN_ENCODINGS};
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
        assert!(msg.contains(&format!("({})", TIKTOKEN_ENCODINGS.join(", "))), "{msg}");
    }
}
