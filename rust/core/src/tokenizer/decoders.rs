//! Decoders of HF tokenizer.json: token strings -> text, as HF's `decode_chain` then `join("")`.
//!
//! `ByteLevel` maps each token's chars back to bytes (a token with a char outside the byte
//! alphabet, such as an added token, contributes its own UTF-8) and decodes the whole run with
//! replacement of invalid UTF-8; `ByteFallback` turns runs of `<0xNN>` into text the same way
//! (each byte of an invalid run becomes U+FFFD, as HF); `Replace`, `Fuse`, `Strip`, `Metaspace`
//! and `Sequence` as in HF.
use crate::error::{Error, Result};
use crate::tokenizer::bytes::char_to_byte;
use crate::tokenizer::normalizers::{parse_pattern, str_field, Pattern};
use serde_json::Value;

pub enum Decoder {
    ByteLevel,
    ByteFallback,
    Fuse,
    Replace {
        pattern: Pattern,
        content: String,
    },
    Strip {
        content: char,
        start: usize,
        stop: usize,
    },
    Metaspace {
        replacement: char,
        prepend: bool,
    },
    Sequence(Vec<Decoder>),
}

impl Decoder {
    pub fn from_json(v: &Value) -> Result<Decoder> {
        let ty = v
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::MissingField("decoder.type".into()))?;
        Ok(match ty {
            "ByteLevel" => Decoder::ByteLevel,
            "ByteFallback" => Decoder::ByteFallback,
            "Fuse" => Decoder::Fuse,
            "Replace" => Decoder::Replace {
                pattern: parse_pattern(v.get("pattern"), "decoder.pattern")?,
                content: str_field(v, "content")?,
            },
            "Strip" => Decoder::Strip {
                content: str_field(v, "content")?.chars().next().unwrap_or(' '),
                start: v.get("start").and_then(Value::as_u64).unwrap_or(0) as usize,
                stop: v.get("stop").and_then(Value::as_u64).unwrap_or(0) as usize,
            },
            "Metaspace" => Decoder::Metaspace {
                replacement: str_field(v, "replacement")?.chars().next().unwrap_or('▁'),
                prepend: match v.get("prepend_scheme").and_then(Value::as_str) {
                    Some(s) => s != "never",
                    None => v
                        .get("add_prefix_space")
                        .and_then(Value::as_bool)
                        .unwrap_or(true),
                },
            },
            "Sequence" => {
                let list = v
                    .get("decoders")
                    .and_then(Value::as_array)
                    .ok_or_else(|| Error::MissingField("decoder.decoders".into()))?;
                Decoder::Sequence(list.iter().map(Decoder::from_json).collect::<Result<_>>()?)
            }
            other => {
                return Err(Error::UnknownType {
                    what: "decoder",
                    name: other.to_string(),
                })
            }
        })
    }

    pub fn decode(&self, tokens: Vec<String>) -> String {
        self.chain(tokens).concat()
    }

    fn chain(&self, tokens: Vec<String>) -> Vec<String> {
        match self {
            Decoder::Sequence(list) => list.iter().fold(tokens, |t, d| d.chain(t)),
            Decoder::ByteLevel => {
                let mut bytes = Vec::new();
                for t in &tokens {
                    match t.chars().map(char_to_byte).collect::<Option<Vec<u8>>>() {
                        Some(b) => bytes.extend_from_slice(&b),
                        None => bytes.extend_from_slice(t.as_bytes()),
                    }
                }
                vec![String::from_utf8_lossy(&bytes).into_owned()]
            }
            Decoder::ByteFallback => {
                let mut out = Vec::with_capacity(tokens.len());
                let mut pending: Vec<u8> = Vec::new();
                let flush = |pending: &mut Vec<u8>, out: &mut Vec<String>| {
                    if pending.is_empty() {
                        return;
                    }
                    match String::from_utf8(std::mem::take(pending)) {
                        Ok(s) => out.push(s),
                        Err(e) => out.extend(std::iter::repeat_n(
                            "\u{FFFD}".to_string(),
                            e.as_bytes().len(),
                        )),
                    }
                };
                for t in tokens {
                    if let Some(b) = fallback_byte(&t) {
                        pending.push(b);
                    } else {
                        flush(&mut pending, &mut out);
                        out.push(t);
                    }
                }
                flush(&mut pending, &mut out);
                out
            }
            Decoder::Fuse => vec![tokens.concat()],
            Decoder::Replace { pattern, content } => tokens
                .into_iter()
                .map(|t| match pattern {
                    Pattern::Literal(p) if p.is_empty() => t,
                    Pattern::Literal(p) => t.replace(p.as_str(), content),
                    Pattern::Regex(re) => re.replace_all(&t, content.as_str()).into_owned(),
                })
                .collect(),
            Decoder::Strip {
                content,
                start,
                stop,
            } => tokens
                .into_iter()
                .map(|t| {
                    let chars: Vec<char> = t.chars().collect();
                    let lead = chars
                        .iter()
                        .take(*start)
                        .take_while(|c| *c == content)
                        .count();
                    let trail = chars[lead..]
                        .iter()
                        .rev()
                        .take(*stop)
                        .take_while(|c| *c == content)
                        .count();
                    chars[lead..chars.len() - trail].iter().collect()
                })
                .collect(),
            Decoder::Metaspace {
                replacement,
                prepend,
            } => tokens
                .into_iter()
                .enumerate()
                .map(|(i, t)| {
                    let s = t.replace(*replacement, " ");
                    if i == 0 && *prepend {
                        s.strip_prefix(' ').map(str::to_string).unwrap_or(s)
                    } else {
                        s
                    }
                })
                .collect(),
        }
    }
}

/// The byte of a `<0xNN>` token.
pub fn fallback_byte(t: &str) -> Option<u8> {
    let hex = t.strip_prefix("<0x")?.strip_suffix('>')?;
    if hex.len() != 2 {
        return None;
    }
    u8::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn gemma_style_chain() {
        let d = Decoder::from_json(&json!({"type":"Sequence","decoders":[
            {"type":"Replace","pattern":{"String":"▁"},"content":" "},{"type":"ByteFallback"},{"type":"Fuse"}]}))
        .unwrap();
        let toks = ["▁Hi", "<0xE2>", "<0x82>", "<0xAC>", "<0xFF>", "!"]
            .map(String::from)
            .to_vec();
        // HF replaces every byte of an invalid run, the valid prefix included.
        assert_eq!(d.decode(toks), " Hi\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}!");
        let toks = ["<0xE2>", "<0x82>", "<0xAC>", "x"]
            .map(String::from)
            .to_vec();
        assert_eq!(d.decode(toks), "€x");
    }

    #[test]
    fn byte_level_joins_split_utf8() {
        let toks = ["Ġh", "Ã", "©"].map(String::from).to_vec();
        assert_eq!(Decoder::ByteLevel.decode(toks), " hé");
    }
}
