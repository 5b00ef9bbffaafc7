//! Byte-canonical token forms: the bytes a token contributes to decoded text, written the same
//! way in every tokenizer family, so tokens of different tokenizers can be compared and merged.
//!
//! - byte-level vocabularies (GPT-2 `Ġ`): each char maps back through the GPT-2 byte table,
//!   `"Ġthe"` -> `b" the"`; a char outside the table makes the token non-canonicalisable;
//! - SentencePiece-style vocabularies: `<0xNN>` is the byte NN (with `byte_fallback`), and the
//!   Metaspace replacement char (`▁` unless the tokenizer says otherwise) is a space;
//! - added tokens (specials included): the UTF-8 of their content; in a SentencePiece-style
//!   tokenizer the decoder reads the space marker in them too (Gemma's added `▁▁` is two spaces).
//!
//! The form is what the decoder would emit for the token in the middle of a text: the leading
//! space a Metaspace decoder strips at the start of a text is kept, because two tokens with the
//! same form must be interchangeable everywhere.
use crate::tokenizer::bytes::token_to_bytes;
use crate::tokenizer::decoders::fallback_byte;
use crate::tokenizer::{Tokenizer, Transform};

/// [`token_bytes`] of every id below [`id_bound`].
pub fn all_forms(tok: &Tokenizer) -> Vec<Option<Vec<u8>>> {
    let bound = id_bound(tok);
    (0..bound as u32).map(|id| token_bytes(tok, id)).collect()
}

/// One more than the largest id of the tokenizer, added tokens included: the rows a model needs
/// (the one definition; the TS API reads it as `Tokenizer.idBound`).
pub fn id_bound(tok: &Tokenizer) -> usize {
    let added = tok
        .added
        .iter()
        .map(|t| t.id as usize + 1)
        .max()
        .unwrap_or(0);
    tok.model.id_to_token().len().max(added)
}

/// Whether `id` is an added token (never merged, never decomposed).
pub fn is_added(tok: &Tokenizer, id: u32) -> bool {
    tok.added_token(id).is_some()
}

/// The bytes `id` contributes to decoded text (the module doc): the one definition of a token's
/// bytes in the core (metrics, remapping, dynamic merging, byte probabilities). `None` for ids the
/// tokenizer skips, or whose byte-level string has chars outside the byte table.
pub fn token_bytes(tok: &Tokenizer, id: u32) -> Option<Vec<u8>> {
    if let Some(t) = tok.added_token(id) {
        if tok.model.byte_level() {
            return Some(t.content.as_bytes().to_vec());
        }
        return Some(t.content.replace(space_marker(tok), " ").into_bytes());
    }
    let s = tok.model.id_to_token().get(id as usize)?;
    if s.is_empty() {
        return None;
    }
    if tok.model.byte_level() {
        return token_to_bytes(s);
    }
    if is_fallback_piece(tok, id) {
        return fallback_byte(s).map(|b| vec![b]);
    }
    Some(s.replace(space_marker(tok), " ").into_bytes())
}

/// The char a SentencePiece-style tokenizer writes for a space (`▁` unless its Metaspace says otherwise).
fn space_marker(tok: &Tokenizer) -> char {
    match &tok.transform {
        Transform::Metaspace { replacement, .. } => *replacement,
        _ => '\u{2581}',
    }
}

/// Whether `id` is a byte-fallback piece `<0xNN>`: the tokenizer emits it only for a byte no
/// other piece covers, so where another token has the same bytes, that token is the one it uses.
pub fn is_fallback_piece(tok: &Tokenizer, id: u32) -> bool {
    tok.model.byte_fallback()
        && !is_added(tok, id)
        && tok
            .model
            .id_to_token()
            .get(id as usize)
            .is_some_and(|s| fallback_byte(s).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(json: &str) -> Tokenizer {
        crate::tokenizer::json::from_json_str(json).unwrap()
    }

    #[test]
    fn byte_level_sentencepiece_and_fallback_agree() {
        let bl = tok(
            r#"{"model":{"type":"BPE","vocab":{"Ġ":0,"t":1,"Ġt":2},"merges":["Ġ t"]},
            "pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":true},
            "decoder":{"type":"ByteLevel"}}"#,
        );
        assert_eq!(token_bytes(&bl, 2), Some(b" t".to_vec()));
        let sp = tok(
            r#"{"model":{"type":"BPE","vocab":{"<0xE2>":0,"▁":1,"t":2,"▁t":3},"merges":["▁ t"],"byte_fallback":true},
            "decoder":{"type":"ByteFallback"}}"#,
        );
        assert_eq!(token_bytes(&sp, 3), Some(b" t".to_vec()));
        assert_eq!(token_bytes(&sp, 0), Some(vec![0xE2]));
        assert_eq!(all_forms(&sp).len(), 4);
    }
}
