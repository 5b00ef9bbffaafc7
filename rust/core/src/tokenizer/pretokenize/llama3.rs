//! Hand-written matcher for the Llama-3 pattern
//! `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
//! and, with `max_digits = 1`, the Qwen2/Qwen3 pattern (`\p{N}` instead of `\p{N}{1,3}`).
//!
//! Guarantees: reports exactly Oniguruma's leftmost-first matches (they tile the text), including
//! the backtracking of `\s*[\r\n]+` (ends after the run's last \r or \n) and `\s+(?!\S)`.
use super::chars::{is_crlf, prev_start, Text, L, N, S};

const SLN: u16 = S | L | N;

pub fn find(text: &str, max_digits: usize, f: &mut impl FnMut(usize, usize)) {
    let t = Text::new(text);
    let len = t.len();
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
    // [^\r\n\p{L}\p{N}]\p{L}+
    if c & N == 0 && !is_crlf(cp) && t.class(i + n) & L != 0 {
        return t.run(i + n, L);
    }
    if c & N != 0 {
        return t.run_max(i, N, max_digits);
    }
    if let Some(e) = punct_run(t, i, cp, c, len, false) {
        return e;
    }
    newline_or_space(t, i, len)
}

/// ` ?[^\s\p{L}\p{N}]+[\r\n]*` (with `slash`, `[\r\n/]*` as in o200k); None when it cannot match.
#[inline(always)]
pub fn punct_run(t: &Text, i: usize, cp: u32, c: u16, len: usize, slash: bool) -> Option<usize> {
    let start = if c & SLN == 0 {
        i
    } else if cp == b' ' as u32 && i + 1 < len && t.class(i + 1) & SLN == 0 {
        i + 1
    } else {
        return None;
    };
    let mut e = t.run_not(start, SLN);
    let s = t.s;
    while e < len && (s[e] == b'\r' || s[e] == b'\n' || (slash && s[e] == b'/')) {
        e += 1;
    }
    Some(e)
}

/// `\s*[\r\n]+|\s+(?!\S)|\s+` at a whitespace char.
#[inline(always)]
pub fn newline_or_space(t: &Text, i: usize, len: usize) -> usize {
    let j = t.run(i, S);
    // Greedy \s* gives back chars until [\r\n]+ can match: that is at the run's last \r or \n.
    let s = t.s;
    let mut k = j;
    while k > i {
        k -= 1;
        if s[k] == b'\r' || s[k] == b'\n' {
            return k + 1;
        }
    }
    if j == len {
        return j;
    }
    let k = prev_start(s, j);
    if k > i {
        k
    } else {
        j
    }
}
