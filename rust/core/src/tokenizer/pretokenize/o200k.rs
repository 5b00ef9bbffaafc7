//! Hand-written matcher for the o200k pattern
//! `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`
//! and, with `contractions = false`, the SuperBPE stage-1 pattern (the same without the two
//! `(?i:...)?` suffixes).
//!
//! Guarantees: exact leftmost-first matches, including the backtracking of `UP*LO+` (UP = Lu Lt Lm
//! Lo M, LO = Ll Lm Lo M overlap) and of the optional prefix, which may be a combining mark: marks
//! are neither L nor N, so `[^\r\n\p{L}\p{N}]` takes one before the engine retries without it.
use super::chars::{is_crlf, Text, L, LO, N, UP};
use super::llama3::{newline_or_space, punct_run};

pub fn find(text: &str, contractions: bool, f: &mut impl FnMut(usize, usize)) {
    let t = Text::new(text);
    let len = t.len();
    let mut i = 0;
    while i < len {
        let end = match_at(&t, i, len, contractions);
        f(i, end);
        i = end;
    }
}

/// End of `UP*LO+` from `p`, or None.
#[inline(always)]
fn upper_lower(t: &Text, p: usize) -> Option<usize> {
    let len = t.len();
    // Maximal UP run, remembering where its last LO-capable char starts: if no LO char follows
    // the run, greedy UP* backs off to that char and LO+ ends right after it.
    let mut q = p;
    let mut last_lo_end = None;
    while q < len {
        let (_, n, c) = t.at(q);
        if c & UP == 0 {
            break;
        }
        q += n;
        if c & LO != 0 {
            last_lo_end = Some(q);
        }
    }
    if t.class(q) & LO != 0 {
        Some(t.run(q, LO))
    } else {
        last_lo_end
    }
}

/// End of `UP+LO*` from `p`, or None.
#[inline(always)]
fn upper_then_lower(t: &Text, p: usize) -> Option<usize> {
    let q = t.run(p, UP);
    if q == p {
        None
    } else {
        Some(t.run(q, LO))
    }
}

#[inline(always)]
fn match_at(t: &Text, i: usize, len: usize, contractions: bool) -> usize {
    let (cp, n, c) = t.at(i);
    let prefix_ok = c & (L | N) == 0 && !is_crlf(cp);
    let word = |f: fn(&Text, usize) -> Option<usize>| -> Option<usize> {
        if prefix_ok {
            if let Some(e) = f(t, i + n) {
                return Some(e);
            }
        }
        f(t, i)
    };
    let e = word(upper_lower).or_else(|| word(upper_then_lower));
    if let Some(e) = e {
        return if contractions {
            e + t.contraction_ci(e)
        } else {
            e
        };
    }
    if c & N != 0 {
        return t.run_max(i, N, 3);
    }
    if let Some(e) = punct_run(t, i, cp, c, len, true) {
        return e;
    }
    newline_or_space(t, i, len)
}
