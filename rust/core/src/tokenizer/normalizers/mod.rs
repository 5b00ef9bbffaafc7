//! Normalizers of HF tokenizer.json (`NFC`, `NFD`, `NFKC`, `NFKD`, `Lowercase`, `Replace`,
//! `Prepend`, `Strip`, `Sequence`, and SentencePiece's `Precompiled` charsmap through the crate HF
//! uses, `spm_precompiled`), with an optional byte alignment back to the input.
//!
//! Every step is HF's `NormalizedString::transform`: a list of (output char, change) where change
//! 0 replaces the next input char, n > 0 inserts (aligned like the previous output char), and
//! -n also removes the n input chars that follow. Unicode forms come from the same crate HF uses
//! (`unicode-normalization-alignments`), Lowercase is per char (so no Greek final sigma, as HF).
//! `align[i] = (start, end)` is the input byte range behind output byte i, kept only when asked.
pub mod charsmap;
use crate::error::{Error, Result};
use serde_json::Value;
use unicode_normalization_alignments::UnicodeNormalization;

pub enum Normalizer {
    Unicode(Form),
    Lowercase,
    Replace { pattern: Pattern, content: String },
    Prepend(String),
    Strip { left: bool, right: bool },
    Sequence(Vec<Normalizer>),
    Precompiled(Box<spm_precompiled::Precompiled>),
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
            "Precompiled" => {
                let b64 = v
                    .get("precompiled_charsmap")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let bad = |reason: String| Error::InvalidField {
                    field: "normalizer.precompiled_charsmap".into(),
                    reason,
                };
                use base64::Engine;
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .map_err(|e| bad(format!("bad base64: {e}")))?;
                if bytes.is_empty() {
                    // An empty charsmap maps nothing (T5-style tokenizers without one).
                    Normalizer::Sequence(Vec::new())
                } else {
                    crate::tokenizer::normalizers::charsmap::check(&bytes).map_err(bad)?;
                    Normalizer::Precompiled(Box::new(
                        spm_precompiled::Precompiled::from(&bytes)
                            .map_err(|e| bad(e.to_string()))?,
                    ))
                }
            }
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

    /// Whether applying this normalizer might change `text` (false: certainly not).
    pub fn changes(&self, text: &str) -> bool {
        match self {
            // Each step sees the text unchanged by the steps before it.
            Normalizer::Sequence(list) => list.iter().any(|x| x.changes(text)),
            Normalizer::Unicode(form) => !already(text, *form),
            Normalizer::Lowercase => lowercase_changes(text),
            _ => true,
        }
    }

    pub fn apply(&self, n: &mut Normalized) {
        match self {
            Normalizer::Sequence(list) => list.iter().for_each(|x| x.apply(n)),
            Normalizer::Unicode(form) => {
                if !already(&n.text, *form) {
                    let some = |(c, k): (char, isize)| (Some(c), k);
                    let out: Vec<Step> = match form {
                        Form::Nfc => n.text.nfc().map(some).collect(),
                        Form::Nfd => n.text.nfd().map(some).collect(),
                        Form::Nfkc => n.text.nfkc().map(some).collect(),
                        Form::Nfkd => n.text.nfkd().map(some).collect(),
                    };
                    transform(n, out);
                }
            }
            Normalizer::Lowercase => {
                if lowercase_changes(&n.text) {
                    let out = n
                        .text
                        .chars()
                        .flat_map(|c| {
                            c.to_lowercase()
                                .enumerate()
                                .map(|(i, l)| (Some(l), isize::from(i > 0)))
                        })
                        .collect();
                    transform(n, out);
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
            Normalizer::Precompiled(p) => {
                // HF `normalizers/precompiled.rs`: per grapheme (under 6 bytes) first, else per char.
                use unicode_segmentation::UnicodeSegmentation;
                let mut out: Vec<Step> = Vec::with_capacity(n.text.len());
                let mut modified = false;
                for g in n.text.graphemes(true) {
                    if g.len() < 6 {
                        if let Some(norm) = p.transform(g) {
                            modified = true;
                            precompiled_replace(&mut out, g, norm);
                            continue;
                        }
                    }
                    for (i, c) in g.char_indices() {
                        let part = &g[i..i + c.len_utf8()];
                        match p.transform(part) {
                            Some(norm) => {
                                modified = true;
                                precompiled_replace(&mut out, part, norm);
                            }
                            None => out.push((Some(c), 0)),
                        }
                    }
                }
                if modified {
                    transform(n, out);
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
                if !ranges.is_empty() {
                    let out = replacement(&n.text, &ranges, content);
                    transform(n, out);
                }
            }
        }
    }
}

fn lowercase_changes(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_uppercase() || c.to_lowercase().next() != Some(c))
}

/// Whether `s` is certainly already in `form` (then normalizing changes nothing).
fn already(s: &str, form: Form) -> bool {
    use unicode_normalization::{
        is_nfc_quick, is_nfd_quick, is_nfkc_quick, is_nfkd_quick, IsNormalized,
    };
    let quick = match form {
        Form::Nfc => is_nfc_quick(s.chars()),
        Form::Nfd => is_nfd_quick(s.chars()),
        Form::Nfkc => is_nfkc_quick(s.chars()),
        Form::Nfkd => is_nfkd_quick(s.chars()),
    };
    quick == IsNormalized::Yes
}

/// One step of a transform: an output char (None: output nothing) and its change (see above).
type Step = (Option<char>, isize);

/// HF `replace` as a transform: each match's first chars replace input chars one for one, extra
/// content chars are inserted, and a shorter content removes the rest of the match.
fn replacement(text: &str, ranges: &[(usize, usize)], content: &str) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::with_capacity(text.len());
    let mut last = 0;
    for &(s, e) in ranges {
        out.extend(text[last..s].chars().map(|c| (Some(c), 0)));
        let removed = text[s..e].chars().count() as isize;
        let mut new: Vec<Step> = content.chars().map(|c| (Some(c), 1)).collect();
        new.iter_mut().take(removed as usize).for_each(|x| x.1 = 0);
        let short = removed - new.len() as isize;
        match new.last_mut() {
            None => new.push((None, -removed)),
            Some(x) if short > 0 => x.1 = -short,
            Some(_) => {}
        }
        out.extend(new);
        last = e;
    }
    out.extend(text[last..].chars().map(|c| (Some(c), 0)));
    out
}

/// HF `precompiled::replace`: the new chars replace one for one; extra ones are insertions (the
/// last `diff` steps get change 1); fewer remove the rest through the last step so far.
fn precompiled_replace(out: &mut Vec<Step>, old: &str, new: &str) {
    let diff = new.chars().count() as isize - old.chars().count() as isize;
    out.extend(new.chars().map(|c| (Some(c), 0)));
    if diff > 0 {
        out.iter_mut()
            .rev()
            .take(diff as usize)
            .for_each(|x| x.1 = 1);
    } else if diff < 0 {
        match out.last_mut() {
            Some(x) => x.1 += diff,
            None => out.push((None, diff)),
        }
    }
}

/// Applies steps to `n`, as HF's `NormalizedString::transform_range` over the whole string: the
/// text is rebuilt and, when kept, the alignment follows each change. A `None` step with change
/// -k removes k input chars and outputs nothing.
fn transform(n: &mut Normalized, out: Vec<Step>) {
    let text: String = out.iter().filter_map(|&(c, _)| c).collect();
    if let Some(old) = n.align.take() {
        let mut chars = n.text.chars();
        let mut offset = 0usize; // byte offset into the old text
        let mut align = Vec::with_capacity(text.len());
        for &(c, change) in &out {
            let a = if change > 0 {
                if offset == 0 {
                    (0, 0)
                } else {
                    old[offset - 1]
                }
            } else {
                old.get(offset).copied().unwrap_or((0, 0))
            };
            let consumed = match (c, change) {
                (None, k) => (-k).max(0) as usize,
                (Some(_), k) if k <= 0 => 1 + (-k) as usize,
                _ => 0,
            };
            offset += (&mut chars)
                .take(consumed)
                .map(char::len_utf8)
                .sum::<usize>();
            if let Some(c) = c {
                align.extend(std::iter::repeat_n(a, c.len_utf8()));
            }
        }
        n.align = Some(align);
    }
    n.text = text;
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
        // As HF: the composed char takes the alignment of the char it replaces (the e).
        assert_eq!(n.align.unwrap(), vec![(0, 1), (0, 1), (3, 4)]);
    }

    #[test]
    fn hangul_jamo_compose_across_starters() {
        let n = run(json!({"type":"NFC"}), "\u{1100}\u{1161} x");
        assert_eq!(n.text, "\u{AC00} x");
        assert_eq!(
            n.align.unwrap(),
            vec![(0, 3), (0, 3), (0, 3), (6, 7), (7, 8)]
        );
    }

    #[test]
    fn replace_longer_shorter_and_empty() {
        let n = run(
            json!({"type":"Replace","pattern":{"String":"ab"},"content":"X"}),
            "ab c ab",
        );
        assert_eq!(n.text, "X c X");
        assert_eq!(
            n.align.unwrap(),
            vec![(0, 1), (2, 3), (3, 4), (4, 5), (5, 6)]
        );
        let n = run(
            json!({"type":"Replace","pattern":{"String":"a"},"content":"xyz"}),
            "ba",
        );
        assert_eq!(n.text, "bxyz");
        assert_eq!(n.align.unwrap(), vec![(0, 1), (1, 2), (1, 2), (1, 2)]);
        let n = run(
            json!({"type":"Replace","pattern":{"String":"-"},"content":""}),
            "-a-b",
        );
        assert_eq!(n.text, "ab");
        assert_eq!(n.align.unwrap(), vec![(1, 2), (3, 4)]);
    }

    #[test]
    // HF lowercases char by char: no Greek final sigma (checked with tokenizers 0.23.3).
    fn lowercase_is_per_char_as_hf() {
        let n = run(
            json!({"type":"Sequence","normalizers":[{"type":"Lowercase"},{"type":"Prepend","prepend":"▁"}]}),
            "ΟΔΟΣ",
        );
        assert_eq!(n.text, "▁οδοσ");
    }
}
