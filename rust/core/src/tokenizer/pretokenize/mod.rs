//! Pretokenizers: split text into pieces exactly as Hugging Face `tokenizers` 0.23 does.
//!
//! Guarantees: `split` appends the byte ranges of the non-empty pieces HF's `pre_tokenize_str`
//! would produce for the same (already normalized / prefixed) text, in order. Only splitting is
//! done here: ByteLevel's byte mapping and prefix space, and Metaspace's replacement and prepend
//! scheme, are the caller's. Known regexes run on hand-written scanners; any other regex runs on
//! fancy-regex with Oniguruma semantics (see `regex.rs`) or is refused with `BadPattern`.
//! Correctness is pinned by `test/fixtures/pretok_cases.json` (generated from the Python oracle)
//! and by differential tests of every scanner against the regex engine.
pub(crate) mod chars;
mod cl100k;
mod gpt2;
mod llama3;
mod o200k;
mod regex;
pub use regex::backtrack_limit_hits;
mod split;
mod superbpe;
mod tables;
#[cfg(test)]
mod tests;

pub use split::Behavior;

use crate::error::{Error, Result};
use serde_json::Value;
use split::Events;

/// [start, end) byte range into the text.
pub type Span = (usize, usize);

pub const GPT2: &str =
    r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";
pub const LLAMA3: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
pub const QWEN2: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
pub const CL100K: &str = r"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s";
pub const O200K: &str = r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";
pub const SUPERBPE_STAGE1: &str = r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";
pub const SUPERBPE_STAGE2: &str = r"\p{N}{1,3}| ?[^\s\p{L}\p{N}]{2,}[\r\n/]*| +(?!\S)";
/// SuperBPE paper era: digits grouped in threes from the right (after a `Digits` split).
pub const DIGIT_GROUPS3: &str = r"(?=(\d{3})+(?!\d))";
pub const SUPERBPE_PAPER_STAGE1: &str =
    r"(?=(\d{3})+(?!\d))| ?\p{L}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

/// Something that finds matches: a scanner for a known pattern, a literal, a char, or a regex.
#[derive(Clone, Debug)]
pub enum Matcher {
    Gpt2,
    /// Llama-3 (`max_digits` 3) and Qwen2 (1).
    Llama3 {
        max_digits: usize,
    },
    /// cl100k; `max_digits: None` is HF's Oniguruma reading of `\p{N}{1,3}+` (whole digit runs).
    Cl100k {
        max_digits: Option<usize>,
    },
    /// o200k, or SuperBPE stage 1 without the contraction suffixes.
    O200k {
        contractions: bool,
    },
    SuperBpeStage2,
    DigitGroups3,
    /// Every occurrence of a char is its own match (HF's `char` / `Fn(char) -> bool` patterns).
    Char(char),
    /// A `String` pattern: literal, leftmost, non-overlapping.
    Literal(String),
    Regex(Box<regex::OnigRegex>),
}

impl Matcher {
    /// The matcher for an Oniguruma pattern: a scanner when it is one we know, else the engine.
    pub fn from_regex(pattern: &str) -> Result<Matcher> {
        Ok(match pattern {
            GPT2 => Matcher::Gpt2,
            LLAMA3 => Matcher::Llama3 { max_digits: 3 },
            QWEN2 => Matcher::Llama3 { max_digits: 1 },
            CL100K => Matcher::Cl100k { max_digits: None },
            O200K => Matcher::O200k { contractions: true },
            SUPERBPE_STAGE1 => Matcher::O200k {
                contractions: false,
            },
            SUPERBPE_STAGE2 => Matcher::SuperBpeStage2,
            DIGIT_GROUPS3 => Matcher::DigitGroups3,
            _ => Matcher::Regex(Box::new(regex::OnigRegex::new(pattern)?)),
        })
    }

    /// Report the matches in `text` in order (HF's `find_matches`, without the gaps).
    pub fn find(&self, text: &str, f: &mut impl FnMut(usize, usize)) {
        match self {
            Matcher::Gpt2 => gpt2::find(text, f),
            Matcher::Llama3 { max_digits } => llama3::find(text, *max_digits, f),
            Matcher::Cl100k { max_digits } => cl100k::find(text, *max_digits, f),
            Matcher::O200k { contractions } => o200k::find(text, *contractions, f),
            Matcher::SuperBpeStage2 => superbpe::find_stage2(text, f),
            Matcher::DigitGroups3 => superbpe::find_digit_groups(text, f),
            Matcher::Char(c) => {
                for (i, x) in text.char_indices() {
                    if x == *c {
                        f(i, i + x.len_utf8());
                    }
                }
            }
            Matcher::Literal(s) => {
                // HF escapes the string into an Oniguruma regex; an empty one matches nowhere
                // useful (every position, all pieces survive), so report nothing.
                if !s.is_empty() {
                    for (i, _) in text.match_indices(s.as_str()) {
                        f(i, i + s.len());
                    }
                }
            }
            Matcher::Regex(r) => r.find(text, f),
        }
    }
}

/// A char predicate pattern of HF (`Fn(char) -> bool`): each matching char is one match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharClass {
    /// `char::is_numeric` (Digits).
    Numeric,
    /// `char::is_whitespace` (WhitespaceSplit, Bert).
    Whitespace,
    /// HF's `is_punc`: ASCII punctuation or Unicode P* (Punctuation, Bert).
    Punctuation,
}

impl CharClass {
    fn find(self, text: &str, f: &mut impl FnMut(usize, usize)) {
        let bit = match self {
            CharClass::Numeric => chars::NUMERIC,
            CharClass::Whitespace => chars::RWS,
            CharClass::Punctuation => chars::PUNC,
        };
        let t = chars::Text::new(text);
        let mut i = 0;
        while i < t.len() {
            let (_, n, c) = t.at(i);
            if c & bit != 0 {
                f(i, i + n);
            }
            i += n;
        }
    }
}

#[derive(Clone, Debug)]
pub enum PreTokenizer {
    /// HF `Split` (also ByteLevel with use_regex, Metaspace with split, CharDelimiterSplit).
    Split {
        matcher: Matcher,
        behavior: Behavior,
        invert: bool,
    },
    /// A char-predicate split (Digits, WhitespaceSplit, Punctuation).
    CharSplit {
        class: CharClass,
        behavior: Behavior,
    },
    /// HF `Whitespace`: `\w+|[^\w\s]+` (Rust `regex` classes), matches kept.
    Whitespace,
    /// Splits nothing (ByteLevel without regex, Metaspace without split).
    Identity,
    Sequence(Vec<PreTokenizer>),
}

fn field<'a>(v: &'a Value, name: &str) -> Result<&'a Value> {
    v.get(name)
        .ok_or_else(|| Error::MissingField(name.to_string()))
}

fn bool_field(v: &Value, name: &str, default: Option<bool>) -> Result<bool> {
    match v.get(name) {
        None | Some(Value::Null) => default.ok_or_else(|| Error::MissingField(name.to_string())),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(Error::InvalidField {
            field: name.into(),
            reason: "expected a boolean".into(),
        }),
    }
}

fn str_field<'a>(v: &'a Value, name: &str) -> Result<&'a str> {
    field(v, name)?.as_str().ok_or_else(|| Error::InvalidField {
        field: name.into(),
        reason: "expected a string".into(),
    })
}

fn one_char(v: &Value, name: &str) -> Result<char> {
    let s = str_field(v, name)?;
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(Error::InvalidField {
            field: name.into(),
            reason: format!("expected one char, got {s:?}"),
        }),
    }
}

impl PreTokenizer {
    /// Parse the `pre_tokenizer` object of a Hugging Face tokenizer.json (`null` is the caller's).
    pub fn from_json(v: &Value) -> Result<PreTokenizer> {
        let ty = str_field(v, "type")?;
        Ok(match ty {
            "Split" => {
                let pat = field(v, "pattern")?;
                let matcher = if let Some(r) = pat.get("Regex") {
                    let r = r.as_str().ok_or_else(|| Error::InvalidField {
                        field: "pattern.Regex".into(),
                        reason: "expected a string".into(),
                    })?;
                    Matcher::from_regex(r)?
                } else if let Some(s) = pat.get("String") {
                    let s = s.as_str().ok_or_else(|| Error::InvalidField {
                        field: "pattern.String".into(),
                        reason: "expected a string".into(),
                    })?;
                    Matcher::Literal(s.to_string())
                } else {
                    return Err(Error::InvalidField {
                        field: "pattern".into(),
                        reason: "expected {\"Regex\": ..} or {\"String\": ..}".into(),
                    });
                };
                PreTokenizer::Split {
                    matcher,
                    behavior: Behavior::from_name(str_field(v, "behavior")?)?,
                    invert: bool_field(v, "invert", Some(false))?,
                }
            }
            "ByteLevel" => {
                if bool_field(v, "use_regex", Some(true))? {
                    PreTokenizer::Split {
                        matcher: Matcher::Gpt2,
                        behavior: Behavior::Isolated,
                        invert: false,
                    }
                } else {
                    PreTokenizer::Identity
                }
            }
            "Digits" => PreTokenizer::CharSplit {
                class: CharClass::Numeric,
                behavior: if bool_field(v, "individual_digits", Some(false))? {
                    Behavior::Isolated
                } else {
                    Behavior::Contiguous
                },
            },
            "Whitespace" => PreTokenizer::Whitespace,
            "WhitespaceSplit" => PreTokenizer::CharSplit {
                class: CharClass::Whitespace,
                behavior: Behavior::Removed,
            },
            "Punctuation" => PreTokenizer::CharSplit {
                class: CharClass::Punctuation,
                behavior: match v.get("behavior").and_then(Value::as_str) {
                    Some(b) => Behavior::from_name(b)?,
                    None => Behavior::Isolated,
                },
            },
            "BertPreTokenizer" => PreTokenizer::Sequence(vec![
                PreTokenizer::CharSplit {
                    class: CharClass::Whitespace,
                    behavior: Behavior::Removed,
                },
                PreTokenizer::CharSplit {
                    class: CharClass::Punctuation,
                    behavior: Behavior::Isolated,
                },
            ]),
            "CharDelimiterSplit" => PreTokenizer::Split {
                matcher: Matcher::Char(one_char(v, "delimiter")?),
                behavior: Behavior::Removed,
                invert: false,
            },
            "Metaspace" => {
                if bool_field(v, "split", Some(true))? {
                    PreTokenizer::Split {
                        matcher: Matcher::Char(one_char(v, "replacement")?),
                        behavior: Behavior::MergedWithNext,
                        invert: false,
                    }
                } else {
                    PreTokenizer::Identity
                }
            }
            "Sequence" => {
                let list =
                    field(v, "pretokenizers")?
                        .as_array()
                        .ok_or_else(|| Error::InvalidField {
                            field: "pretokenizers".into(),
                            reason: "expected an array".into(),
                        })?;
                PreTokenizer::Sequence(
                    list.iter()
                        .map(PreTokenizer::from_json)
                        .collect::<Result<_>>()?,
                )
            }
            other => {
                return Err(Error::UnknownType {
                    what: "pre_tokenizer",
                    name: other.to_string(),
                })
            }
        })
    }

    /// Known pretokenizers by name. "cl100k" is tiktoken's reading (digits in groups of at most
    /// 3); the same regex string inside a tokenizer.json gets HF's (whole digit runs).
    pub fn by_name(name: &str) -> Result<PreTokenizer> {
        let isolated = |matcher| PreTokenizer::Split {
            matcher,
            behavior: Behavior::Isolated,
            invert: false,
        };
        let paper = |second: PreTokenizer| {
            PreTokenizer::Sequence(vec![
                PreTokenizer::CharSplit {
                    class: CharClass::Numeric,
                    behavior: Behavior::Contiguous,
                },
                second,
            ])
        };
        Ok(match name {
            "gpt2" => isolated(Matcher::Gpt2),
            "cl100k" => isolated(Matcher::Cl100k {
                max_digits: Some(3),
            }),
            "o200k" => isolated(Matcher::O200k { contractions: true }),
            "llama3" => isolated(Matcher::Llama3 { max_digits: 3 }),
            "qwen2" => isolated(Matcher::Llama3 { max_digits: 1 }),
            "superbpe" => isolated(Matcher::SuperBpeStage2),
            "superbpe-stage1" => isolated(Matcher::O200k {
                contractions: false,
            }),
            "superbpe-paper" => paper(isolated(Matcher::DigitGroups3)),
            "superbpe-paper-stage1" => paper(isolated(Matcher::from_regex(SUPERBPE_PAPER_STAGE1)?)),
            other => {
                return Err(Error::UnknownType {
                    what: "pre_tokenizer",
                    name: other.to_string(),
                })
            }
        })
    }

    /// A Split-with-regex, behavior Isolated, invert false, from any Oniguruma-style regex.
    pub fn from_regex(pattern: &str) -> Result<PreTokenizer> {
        Ok(PreTokenizer::Split {
            matcher: Matcher::from_regex(pattern)?,
            behavior: Behavior::Isolated,
            invert: false,
        })
    }

    /// Split `text` into non-empty pieces (in order, non-overlapping), appending their byte
    /// ranges to `out`.
    pub fn split(&self, text: &str, out: &mut Vec<Span>) {
        self.split_at(text, 0, out)
    }

    fn split_at(&self, text: &str, base: usize, out: &mut Vec<Span>) {
        match self {
            PreTokenizer::Identity => {
                if !text.is_empty() {
                    out.push((base, base + text.len()));
                }
            }
            PreTokenizer::Split {
                matcher,
                behavior,
                invert,
            } => split_with(text, base, *behavior, *invert, out, |k| {
                matcher.find(text, &mut |a, b| k.push(a, b))
            }),
            PreTokenizer::CharSplit { class, behavior } => {
                split_with(text, base, *behavior, false, out, |k| {
                    class.find(text, &mut |a, b| k.push(a, b))
                })
            }
            PreTokenizer::Whitespace => split_with(text, base, Behavior::Removed, true, out, |k| {
                whitespace_find(text, &mut |a, b| k.push(a, b))
            }),
            PreTokenizer::Sequence(steps) => {
                let mut cur = Vec::new();
                if !text.is_empty() {
                    cur.push((0usize, text.len()));
                }
                let mut next = Vec::new();
                for step in steps {
                    next.clear();
                    for &(s, e) in &cur {
                        step.split_at(&text[s..e], s, &mut next);
                    }
                    std::mem::swap(&mut cur, &mut next);
                }
                out.extend(cur.into_iter().map(|(s, e)| (base + s, base + e)));
            }
        }
    }
}

/// Where matches go: the two behaviors that need no look-back stream straight into `out`.
struct Sink<'a> {
    mode: u8, // 0 isolated, 1 matches only, 2 gaps only, 3 events
    prev: usize,
    base: usize,
    out: &'a mut Vec<Span>,
    ev: Events,
}

impl Sink<'_> {
    #[inline(always)]
    fn emit(&mut self, s: usize, e: usize) {
        if s < e {
            self.out.push((self.base + s, self.base + e));
        }
    }
    #[inline(always)]
    fn push(&mut self, s: usize, e: usize) {
        match self.mode {
            0 => {
                self.emit(self.prev, s);
                self.emit(s, e);
            }
            1 => self.emit(s, e),
            2 => self.emit(self.prev, s),
            _ => self.ev.push_match(s, e),
        }
        self.prev = e;
    }
}

/// Run `find` and turn its matches into pieces per `behavior`.
fn split_with(
    text: &str,
    base: usize,
    behavior: Behavior,
    invert: bool,
    out: &mut Vec<Span>,
    find: impl FnOnce(&mut Sink),
) {
    let len = text.len();
    let mode = match (behavior, invert) {
        (Behavior::Isolated, _) => 0,
        (Behavior::Removed, true) => 1,
        (Behavior::Removed, false) => 2,
        _ => 3,
    };
    let mut sink = Sink {
        mode,
        prev: 0,
        base,
        out,
        ev: Events::new(),
    };
    find(&mut sink);
    match mode {
        0 | 2 => sink.emit(sink.prev, len),
        1 => {}
        _ => {
            sink.ev.finish(len);
            split::apply(&sink.ev.list, behavior, invert, base, sink.out);
        }
    }
}

/// `\w+|[^\w\s]+` (HF `Whitespace`). HF runs this one on the `regex` crate, not Oniguruma (the
/// oracle shows Rust's classes: ZWJ is `\w`, ² is not), so run it on the same engine family:
/// fancy-regex hands a pattern without fancy features straight to regex-automata.
fn whitespace_find(text: &str, f: &mut impl FnMut(usize, usize)) {
    static RE: std::sync::OnceLock<fancy_regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| fancy_regex::Regex::new(r"\w+|[^\w\s]+").expect("valid"));
    for m in re.find_iter(text).flatten() {
        f(m.start(), m.end());
    }
}
