//! Normalizers of HF tokenizer.json (`NFC`, `NFD`, `NFKC`, `NFKD`, `Lowercase`, `Replace`,
//! `Prepend`, `Strip`, `Sequence`), with an optional byte alignment back to the input.
//!
//! The normalized text is always computed on the whole input, exactly as HF does (Hangul jamo
//! compose across starters; Rust's `to_lowercase` handles the Greek final sigma). The alignment,
//! `align[i] = (start, end)` of the input bytes that produced output byte i, is computed per char
//! or per canonical segment; where that piecewise result differs from the whole-input result the
//! alignment of the step falls back to the whole input's span (coarse, never wrong).
use crate::error::{Error, Result};
use serde_json::Value;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

pub enum Normalizer {
    Unicode(Form),
    Lowercase,
    Replace { pattern: Pattern, content: String },
    Prepend(String),
    Strip { left: bool, right: bool },
    Sequence(Vec<Normalizer>),
}

#[derive(Clone, Copy)]
pub enum Form {
    Nfc,
    Nfd,
    Nfkc,
    Nfkd,
}

pub enum Pattern {
    Literal(String),
    Regex(fancy_regex::Regex),
}

/// Text plus, when requested, its alignment to the original input.
pub struct Normalized {
    pub text: String,
    pub align: Option<Vec<(u32, u32)>>,
}

impl Normalized {
    pub fn new(text: &str, aligned: bool) -> Normalized {
        let align = aligned.then(|| {
            let mut a = Vec::with_capacity(text.len());
            for (i, c) in text.char_indices() {
                for _ in 0..c.len_utf8() {
                    a.push((i as u32, (i + c.len_utf8()) as u32));
                }
            }
            a
        });
        Normalized {
            text: text.to_string(),
            align,
        }
    }
}

impl Normalizer {
    pub fn from_json(v: &Value) -> Result<Normalizer> {
        let ty = v
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::MissingField("normalizer.type".into()))?;
        Ok(match ty {
            "NFC" => Normalizer::Unicode(Form::Nfc),
            "NFD" => Normalizer::Unicode(Form::Nfd),
            "NFKC" => Normalizer::Unicode(Form::Nfkc),
            "NFKD" => Normalizer::Unicode(Form::Nfkd),
            "Lowercase" => Normalizer::Lowercase,
            "Replace" => Normalizer::Replace {
                pattern: parse_pattern(v.get("pattern"), "normalizer.pattern")?,
                content: str_field(v, "content")?,
            },
            "Prepend" => Normalizer::Prepend(str_field(v, "prepend")?),
            "Strip" => Normalizer::Strip {
                left: v
                    .get("strip_left")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                right: v
                    .get("strip_right")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            },
            "Sequence" => {
                let list = v
                    .get("normalizers")
                    .and_then(Value::as_array)
                    .ok_or_else(|| Error::MissingField("normalizer.normalizers".into()))?;
                Normalizer::Sequence(
                    list.iter()
                        .map(Normalizer::from_json)
                        .collect::<Result<_>>()?,
                )
            }
            other => {
                return Err(Error::UnknownType {
                    what: "normalizer",
                    name: other.to_string(),
                })
            }
        })
    }

    /// Normalizes a plain string (no alignment).
    pub fn normalize_str(&self, text: &str) -> String {
        let mut n = Normalized {
            text: text.to_string(),
            align: None,
        };
        self.apply(&mut n);
        n.text
    }

    pub fn apply(&self, n: &mut Normalized) {
        match self {
            Normalizer::Sequence(list) => list.iter().for_each(|x| x.apply(n)),
            Normalizer::Unicode(form) => {
                let whole = normalize_form(&n.text, *form);
                if whole != n.text {
                    piecewise(n, whole, |seg| normalize_form(seg, *form), true);
                }
            }
            Normalizer::Lowercase => {
                let whole = n.text.to_lowercase();
                if whole != n.text {
                    piecewise(n, whole, |seg| seg.to_lowercase(), false);
                }
            }
            Normalizer::Prepend(p) => {
                if !n.text.is_empty() {
                    n.text.insert_str(0, p);
                    if let Some(a) = &mut n.align {
                        let first = a[0];
                        a.splice(0..0, std::iter::repeat_n((first.0, first.0), p.len()));
                    }
                }
            }
            Normalizer::Strip { left, right } => {
                let t = &n.text;
                let start = if *left {
                    t.len() - t.trim_start().len()
                } else {
                    0
                };
                let end = if *right { t.trim_end().len() } else { t.len() };
                let end = end.max(start);
                n.text = t[start..end].to_string();
                if let Some(a) = &mut n.align {
                    a.truncate(end);
                    a.drain(..start);
                }
            }
            Normalizer::Replace { pattern, content } => {
                let ranges: Vec<(usize, usize)> = match pattern {
                    Pattern::Literal(s) if s.is_empty() => vec![],
                    Pattern::Literal(s) => n
                        .text
                        .match_indices(s.as_str())
                        .map(|(i, m)| (i, i + m.len()))
                        .collect(),
                    Pattern::Regex(re) => re
                        .find_iter(&n.text)
                        .filter_map(|m| m.ok())
                        .map(|m| (m.start(), m.end()))
                        .collect(),
                };
                replace_ranges(n, &ranges, content);
            }
        }
    }
}

fn normalize_form(s: &str, form: Form) -> String {
    match form {
        Form::Nfc => s.nfc().collect(),
        Form::Nfd => s.nfd().collect(),
        Form::Nfkc => s.nfkc().collect(),
        Form::Nfkd => s.nfkd().collect(),
    }
}

/// Sets `n.text = whole` and derives the alignment piece by piece (per char, or per canonical
/// segment: a char with combining class 0 and the marks after it).
fn piecewise(n: &mut Normalized, whole: String, f: impl Fn(&str) -> String, by_segment: bool) {
    let Some(old) = n.align.take() else {
        n.text = whole;
        return;
    };
    let text = &n.text;
    let mut bounds: Vec<usize> = Vec::new();
    for (i, c) in text.char_indices() {
        if !by_segment || canonical_combining_class(c) == 0 {
            bounds.push(i);
        }
    }
    bounds.push(text.len());
    let mut out = String::with_capacity(whole.len());
    let mut align = Vec::with_capacity(whole.len());
    for w in bounds.windows(2) {
        let (s, e) = (w[0], w[1]);
        if s == e {
            continue;
        }
        let piece = f(&text[s..e]);
        let span = (old[s].0, old[e - 1].1);
        align.extend(std::iter::repeat_n(span, piece.len()));
        out.push_str(&piece);
    }
    if out != whole {
        let all = (
            old.first().map_or(0, |x| x.0),
            old.last().map_or(0, |x| x.1),
        );
        align = vec![all; whole.len()];
    }
    n.text = whole;
    n.align = Some(align);
}

fn replace_ranges(n: &mut Normalized, ranges: &[(usize, usize)], content: &str) {
    if ranges.is_empty() {
        return;
    }
    let mut out = String::with_capacity(n.text.len());
    let mut align = n.align.as_ref().map(|_| Vec::with_capacity(n.text.len()));
    let mut last = 0;
    for &(s, e) in ranges {
        out.push_str(&n.text[last..s]);
        out.push_str(content);
        if let (Some(a), Some(old)) = (&mut align, &n.align) {
            a.extend_from_slice(&old[last..s]);
            let span = if e > s {
                (old[s].0, old[e - 1].1)
            } else {
                old.get(s).map_or((0, 0), |x| (x.0, x.0))
            };
            a.extend(std::iter::repeat_n(span, content.len()));
        }
        last = e;
    }
    out.push_str(&n.text[last..]);
    if let (Some(a), Some(old)) = (&mut align, &n.align) {
        a.extend_from_slice(&old[last..]);
    }
    n.text = out;
    n.align = align;
}

pub fn parse_pattern(v: Option<&Value>, field: &str) -> Result<Pattern> {
    let v = v.ok_or_else(|| Error::MissingField(field.into()))?;
    if let Some(s) = v.get("String").and_then(Value::as_str) {
        return Ok(Pattern::Literal(s.to_string()));
    }
    if let Some(r) = v.get("Regex").and_then(Value::as_str) {
        let re = fancy_regex::Regex::new(r).map_err(|e| Error::BadPattern {
            pattern: r.into(),
            reason: e.to_string(),
        })?;
        return Ok(Pattern::Regex(re));
    }
    Err(Error::InvalidField {
        field: field.into(),
        reason: "expected {\"String\": ..} or {\"Regex\": ..}".into(),
    })
}

pub fn str_field(v: &Value, name: &str) -> Result<String> {
    v.get(name)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Error::MissingField(name.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(v: Value, text: &str) -> Normalized {
        let norm = Normalizer::from_json(&v).unwrap();
        let mut n = Normalized::new(text, true);
        norm.apply(&mut n);
        n
    }

    #[test]
    fn replace_space_with_metaspace_keeps_alignment() {
        let n = run(
            json!({"type":"Replace","pattern":{"String":" "},"content":"▁"}),
            "a b",
        );
        assert_eq!(n.text, "a▁b");
        let a = n.align.unwrap();
        assert_eq!(a.len(), 5);
        assert_eq!(a[1], (1, 2));
        assert_eq!(a[4], (2, 3));
    }

    #[test]
    fn nfc_composes_and_aligns_segments() {
        let n = run(json!({"type":"NFC"}), "e\u{301}x");
        assert_eq!(n.text, "éx");
        assert_eq!(n.align.unwrap(), vec![(0, 3), (0, 3), (3, 4)]);
    }

    #[test]
    fn hangul_jamo_compose_across_starters_with_coarse_alignment() {
        let n = run(json!({"type":"NFC"}), "\u{1100}\u{1161}");
        assert_eq!(n.text, "\u{AC00}");
        assert_eq!(n.align.unwrap(), vec![(0, 6); 3]);
    }

    #[test]
    fn lowercase_handles_final_sigma() {
        let n = run(
            json!({"type":"Sequence","normalizers":[{"type":"Lowercase"},{"type":"Prepend","prepend":"▁"}]}),
            "ΟΔΟΣ",
        );
        assert_eq!(n.text, "▁οδος");
    }
}
