//! The general engine: any Oniguruma-style regex, run on fancy-regex with Oniguruma semantics.
//!
//! Guarantees: `OnigRegex::find` reports the matches HF tokenizers 0.23 gets from Oniguruma through
//! the onig crate's `find_iter` (an empty match is dropped when it sits where the previous match
//! ended; the search then moves one char on), for every pattern `translate` accepts. Where the two
//! engines read a construct differently the pattern is rewritten; where we cannot make them agree
//! the pattern is refused with `BadPattern` rather than matched differently:
//! - `(?m)` is Ruby's dot-all: -> `(?s)`; `(?s)` is an error in Oniguruma, refused here too;
//! - `^` / `$` are line anchors (before/after "\n" only): -> `(?m:^)` / `(?m:$)`;
//! - `\w \W \s \S \d \D \b \B \p{L} \p{N} \p{M} \p{Nd}` (and `\p{^L}`, `\P{L}`) are replaced by explicit
//!   code point sets read off Oniguruma, whose `\w` differs from Rust's (No and Nl in, ZWJ out; and
//!   outside a bracket class also ²³¹¼½¾) and whose Unicode version may differ from regex-syntax's;
//! - `\pL` without braces is the literal "pL" in Oniguruma;
//! - `{n,m}+` is a repeated interval, not possessive, `{,n}` is `{0,n}` (fancy-regex's Oniguruma mode);
//! - case-insensitive patterns containing the target of a multi-char case fold (`ss` ~ `ß`, `fi` ~
//!   `ﬁ`...) and POSIX bracket classes (`[[:alpha:]]`, Unicode-wide in Oniguruma) are refused.
use super::chars::{LO, N, ND, S, UP, WORD, WORDC};
use super::tables::{L, RUNS};
use crate::error::{Error, Result};
use fancy_regex::{Regex, RegexBuilder};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

static LIMIT_HITS: AtomicU64 = AtomicU64::new(0);

/// How many searches stopped at the backtracking limit (100M steps) since the instance started;
/// each one left the rest of a text unsplit.
pub fn backtrack_limit_hits() -> u64 {
    LIMIT_HITS.load(Ordering::Relaxed)
}

pub struct OnigRegex {
    re: Regex,
    pattern: String,
}

impl std::fmt::Debug for OnigRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OnigRegex({:?})", self.pattern)
    }
}

impl Clone for OnigRegex {
    fn clone(&self) -> Self {
        OnigRegex::new(&self.pattern).expect("pattern compiled once already")
    }
}

impl OnigRegex {
    pub fn new(pattern: &str) -> Result<OnigRegex> {
        let translated = translate(pattern)?;
        let re = RegexBuilder::new(&translated)
            .oniguruma_mode(true)
            .backtrack_limit(100_000_000)
            .build()
            .map_err(|e| Error::BadPattern {
                pattern: pattern.to_string(),
                reason: e.to_string(),
            })?;
        Ok(OnigRegex {
            re,
            pattern: pattern.to_string(),
        })
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Report every match, in order, the way the onig crate's `find_iter` does.
    pub fn find(&self, text: &str, f: &mut impl FnMut(usize, usize)) {
        let len = text.len();
        let mut last_end = 0;
        let mut last_match_end: Option<usize> = None;
        while last_end <= len {
            let m = match self.re.find_from_pos(text, last_end) {
                Ok(Some(m)) => m,
                Ok(None) => break,
                // Only the backtrack limit can fail here; Oniguruma has no such limit, so there
                // is no "same" answer to give. Stop rather than loop, and count it: the rest of
                // this text is not split, and the caller says so (a catastrophic pattern costs
                // the whole limit on every line, silently otherwise).
                Err(_) => {
                    LIMIT_HITS.fetch_add(1, Ordering::Relaxed);
                    break;
                }
            };
            let (s, e) = (m.start(), m.end());
            if s == e && last_match_end == Some(e) {
                last_end += text[last_end..].chars().next().map_or(1, |c| c.len_utf8());
                continue;
            }
            last_end = e;
            last_match_end = Some(e);
            f(s, e);
        }
    }
}

const MULTI_FOLDS: [&str; 73] = [
    "aʾ",
    "ff",
    "ffi",
    "ffl",
    "fi",
    "fl",
    "h\u{331}",
    "i\u{307}",
    "j\u{30c}",
    "ss",
    "st",
    "t\u{308}",
    "w\u{30a}",
    "y\u{30a}",
    "ʼn",
    "άι",
    "ήι",
    "α\u{342}",
    "α\u{342}ι",
    "αι",
    "η\u{342}",
    "η\u{342}ι",
    "ηι",
    "ι\u{308}\u{300}",
    "ι\u{308}\u{301}",
    "ι\u{308}\u{342}",
    "ι\u{342}",
    "ρ\u{313}",
    "υ\u{308}\u{300}",
    "υ\u{308}\u{301}",
    "υ\u{308}\u{342}",
    "υ\u{313}",
    "υ\u{313}\u{300}",
    "υ\u{313}\u{301}",
    "υ\u{313}\u{342}",
    "υ\u{342}",
    "ω\u{342}",
    "ω\u{342}ι",
    "ωι",
    "ώι",
    "եւ",
    "մե",
    "մի",
    "մխ",
    "մն",
    "վն",
    "ἀι",
    "ἁι",
    "ἂι",
    "ἃι",
    "ἄι",
    "ἅι",
    "ἆι",
    "ἇι",
    "ἠι",
    "ἡι",
    "ἢι",
    "ἣι",
    "ἤι",
    "ἥι",
    "ἦι",
    "ἧι",
    "ὠι",
    "ὡι",
    "ὢι",
    "ὣι",
    "ὤι",
    "ὥι",
    "ὦι",
    "ὧι",
    "ὰι",
    "ὴι",
    "ὼι",
];

/// An explicit class body (`\x{..}-\x{..}...`) of the code points whose table bits satisfy `pred`.
fn class_body(pred: impl Fn(u16) -> bool) -> String {
    let mut out = String::new();
    for (i, &(start, m)) in RUNS.iter().enumerate() {
        if !pred(m) {
            continue;
        }
        let end = RUNS.get(i + 1).map_or(0x110000, |r| r.0) - 1;
        // Surrogates cannot appear in a class; clip them out of a run that spans them.
        for (a, b) in [(start, end.min(0xD7FF)), (start.max(0xE000), end)] {
            if a <= b {
                out.push_str(&format!("\\x{{{a:X}}}-\\x{{{b:X}}}"));
            }
        }
    }
    out
}

fn body(which: u16) -> &'static str {
    static B: OnceLock<[String; 7]> = OnceLock::new();
    let all = B.get_or_init(|| {
        [
            class_body(|m| m & L != 0),
            class_body(|m| m & N != 0),
            class_body(|m| m & S != 0),
            class_body(|m| m & ND != 0),
            class_body(|m| m & WORD != 0),
            class_body(|m| m & (UP | LO) != 0 && m & L == 0), // marks: UP|LO minus letters
            class_body(|m| m & WORDC != 0),
        ]
    });
    match which {
        L => &all[0],
        N => &all[1],
        S => &all[2],
        ND => &all[3],
        WORD => &all[4],
        WORDC => &all[6],
        _ => &all[5],
    }
}

fn set(which: u16, negated: bool) -> String {
    format!("[{}{}]", if negated { "^" } else { "" }, body(which))
}

fn bad(pattern: &str, reason: &str) -> Error {
    Error::BadPattern {
        pattern: pattern.to_string(),
        reason: reason.to_string(),
    }
}

/// Rewrite an Oniguruma pattern (HF's dialect) into fancy-regex syntax with the same meaning.
pub fn translate(pattern: &str) -> Result<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut depth = 0usize; // nesting of [...] classes
    let mut casei = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&n) = chars.get(i + 1) else {
                    return Err(bad(pattern, "trailing backslash"));
                };
                i += 2;
                let cls = match n {
                    // Oniguruma's \w outside a bracket class also takes ²³¹¼½¾; inside, it does not.
                    'w' | 'W' if depth == 0 => Some((WORD, n == 'W')),
                    'w' | 'W' => Some((WORDC, n == 'W')),
                    's' | 'S' => Some((S, n == 'S')),
                    'd' | 'D' => Some((ND, n == 'D')),
                    _ => None,
                };
                if let Some((which, neg)) = cls {
                    out.push_str(&set(which, neg));
                    continue;
                }
                match n {
                    'b' | 'B' if depth == 0 => {
                        let w = set(WORD, false);
                        if n == 'b' {
                            out.push_str(&format!("(?:(?<={w})(?!{w})|(?<!{w})(?={w}))"));
                        } else {
                            out.push_str(&format!("(?:(?<={w})(?={w})|(?<!{w})(?!{w}))"));
                        }
                    }
                    // Without braces Oniguruma reads `\pL` as the literal "pL".
                    'p' | 'P' if chars.get(i) != Some(&'{') => out.push(n),
                    'p' | 'P' => {
                        // \pL or \p{Name} / \p{^Name}
                        let (mut name, next) = if chars.get(i) == Some(&'{') {
                            let Some(close) = chars[i..].iter().position(|&x| x == '}') else {
                                return Err(bad(pattern, "unterminated \\p{"));
                            };
                            (
                                chars[i + 1..i + close].iter().collect::<String>(),
                                i + close + 1,
                            )
                        } else if let Some(&l) = chars.get(i) {
                            (l.to_string(), i + 1)
                        } else {
                            return Err(bad(pattern, "dangling \\p"));
                        };
                        let mut neg = n == 'P';
                        if let Some(rest) = name.strip_prefix('^') {
                            neg = !neg;
                            name = rest.to_string();
                        }
                        i = next;
                        let which = match name.as_str() {
                            "L" | "Letter" => Some(L),
                            "N" | "Number" => Some(N),
                            "Nd" | "Decimal_Number" => Some(ND),
                            "M" | "Mark" => Some(0),
                            _ => None,
                        };
                        match which {
                            Some(w) => out.push_str(&set(w, neg)),
                            None => {
                                out.push_str(if neg { "\\P{" } else { "\\p{" });
                                out.push_str(&name);
                                out.push('}');
                            }
                        }
                    }
                    _ => {
                        out.push('\\');
                        out.push(n);
                    }
                }
                continue;
            }
            '[' => {
                if depth > 0 && chars.get(i + 1) == Some(&':') {
                    return Err(bad(pattern, "POSIX bracket classes are not supported"));
                }
                depth += 1;
                out.push('[');
                i += 1;
                // A ']' right after '[' or '[^' is a literal in both dialects.
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
                continue;
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(']');
            }
            '^' if depth == 0 => out.push_str("(?m:^)"),
            '$' if depth == 0 => out.push_str("(?m:$)"),
            '(' if depth == 0 && chars.get(i + 1) == Some(&'?') => {
                // Inline options: (?imx-imx) or (?imx-imx:...)
                let mut j = i + 2;
                let mut flags = String::new();
                while let Some(&f) = chars.get(j) {
                    if matches!(f, 'i' | 'm' | 'x' | '-') {
                        flags.push(f);
                        j += 1;
                    } else {
                        break;
                    }
                }
                let ends = matches!(chars.get(j), Some(':') | Some(')'));
                if !flags.is_empty() && ends {
                    if flags.contains('i') && !flags.starts_with('-') {
                        casei = true;
                    }
                    // Oniguruma's (Ruby's) `m` is Rust's `s` (dot matches newline).
                    let kept: String = flags
                        .chars()
                        .map(|f| if f == 'm' { 's' } else { f })
                        .collect();
                    out.push_str("(?");
                    out.push_str(&kept);
                    out.push(chars[j]);
                    i = j + 1;
                    continue;
                }
                if chars
                    .get(i + 2)
                    .is_some_and(|f| f.is_ascii_alphabetic() && !matches!(f, 'P'))
                {
                    return Err(bad(pattern, "unsupported inline option"));
                }
                out.push('(');
            }
            _ => out.push(c),
        }
        i += 1;
    }
    if casei {
        let folded = pattern.to_lowercase();
        if let Some(t) = MULTI_FOLDS.iter().find(|t| folded.contains(*t)) {
            return Err(bad(
                pattern,
                &format!("case-insensitive {t:?} would match a multi-char case fold in Oniguruma, which fancy-regex cannot"),
            ));
        }
    }
    Ok(out)
}
