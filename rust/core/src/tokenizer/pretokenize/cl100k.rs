//! Hand-written matcher for the cl100k pattern
//! `'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s`.
//!
//! Guarantees: exact leftmost-first matches under either reading of `\p{N}{1,3}+`:
//! - `max_digits = Some(3)`: tiktoken / fancy-regex / PCRE, where `{1,3}+` is possessive;
//! - `max_digits = None`: HF tokenizers on Oniguruma, whose default syntax reads `{1,3}+` as
//!   `(?:\p{N}{1,3})+`, i.e. a whole digit run (checked against the oracle).
//!
//! The possessive `?+ ++ *+` do not change matches here: nothing after them could backtrack.
//! `\s++$` only matches a whitespace run that reaches the end of the text, in Oniguruma as well
//! (its `$` also matches before "\n", but the possessive run has eaten every "\n").
use super::chars::{is_crlf, Text, L, N, S};
use super::llama3::{newline_or_space, punct_run};

pub fn find(text: &str, max_digits: Option<usize>, f: &mut impl FnMut(usize, usize)) {
    let t = Text::new(text);
    let len = t.len();
    let max_digits = max_digits.unwrap_or(usize::MAX);
    let mut i = 0;
    while i < len {
        let end = match_at(&t, i, len, max_digits);
        f(i, end);
        i = end;
    }
}

#[inline(always)]
fn match_at(t: &Text, i: usize, len: usize, max_digits: usize) -> usize {
    let (cp, n, c) = t.at(i);
    if cp == b'\'' as u32 {
        let k = t.contraction_ci(i);
        if k > 0 {
            return i + k;
        }
    }
    if c & L != 0 {
        return t.run(i + n, L);
    }
    if c & N == 0 && !is_crlf(cp) && t.class(i + n) & L != 0 {
        return t.run(i + n, L);
    }
    if c & N != 0 {
        return t.run_max(i, N, max_digits);
    }
    if let Some(e) = punct_run(t, i, cp, c, len, false) {
        return e;
    }
    debug_assert!(c & S != 0);
    let j = t.run(i, S);
    if j == len {
        return j;
    }
    newline_or_space(t, i, len)
}
