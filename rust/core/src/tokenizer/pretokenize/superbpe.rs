//! Hand-written matchers for SuperBPE's pretokenization patterns.
//!
//! - `find_stage2`: the current stage-2 pattern `\p{N}{1,3}| ?[^\s\p{L}\p{N}]{2,}[\r\n/]*| +(?!\S)`.
//!   It does not cover every char: unmatched text becomes the gaps between matches.
//! - `find_digit_groups`: the paper-era `(?=(\d{3})+(?!\d))`, empty matches at every position
//!   from which the rest of a decimal-digit run has a length divisible by 3.
//!
//! Guarantees: exactly the matches Oniguruma's `find_iter` reports (for the empty-match pattern,
//! including the onig crate's rule of skipping an empty match right where the previous one ended).
use super::chars::{Text, L, N, S};

const SLN: u16 = S | L | N;

pub fn find_stage2(text: &str, f: &mut impl FnMut(usize, usize)) {
    let t = Text::new(text);
    let s = t.s;
    let len = t.len();
    let mut i = 0;
    while i < len {
        let (cp, n, c) = t.at(i);
        if c & N != 0 {
            let e = t.run_max(i, N, 3);
            f(i, e);
            i = e;
            continue;
        }
        if c & SLN == 0 || cp == b' ' as u32 {
            let start = if cp == b' ' as u32 { i + 1 } else { i };
            let e2 = run_p(&t, start);
            if e2.1 >= 2 {
                let mut e = e2.0;
                while e < len && (s[e] == b'\r' || s[e] == b'\n' || s[e] == b'/') {
                    e += 1;
                }
                f(i, e);
                i = e;
                continue;
            }
        }
        if cp == b' ' as u32 {
            let mut j = i;
            while j < len && s[j] == b' ' {
                j += 1;
            }
            if j == len || t.class(j) & S != 0 {
                f(i, j);
                i = j;
                continue;
            }
            if j - i >= 2 {
                f(i, j - 1);
                i = j - 1;
                continue;
            }
        }
        // Nothing starts here; letters can never start a match, so skip their whole run.
        i = if c & L != 0 { t.run(i + n, L) } else { i + n };
    }
}

/// End and char count of the `[^\s\p{L}\p{N}]` run from `i`.
#[inline(always)]
fn run_p(t: &Text, mut i: usize) -> (usize, usize) {
    let mut k = 0;
    while i < t.len() {
        let (_, n, c) = t.at(i);
        if c & SLN != 0 {
            break;
        }
        i += n;
        k += 1;
    }
    (i, k)
}

/// `\d` in Oniguruma is General_Category Nd (the ND bit is read off the oracle's `\d`).
#[inline(always)]
fn is_nd(c: char) -> bool {
    super::chars::class_of(c) & super::chars::ND != 0
}

pub fn find_digit_groups(text: &str, f: &mut impl FnMut(usize, usize)) {
    let mut i = 0;
    let b = text.as_bytes();
    let len = b.len();
    while i < len {
        let c = text[i..].chars().next().unwrap();
        if !is_nd(c) {
            i += c.len_utf8();
            continue;
        }
        // A run of decimal digits [i, j) of `k` chars.
        let mut starts = Vec::new();
        let mut j = i;
        for (o, c) in text[i..].char_indices() {
            if !is_nd(c) {
                break;
            }
            starts.push(i + o);
            j = i + o + c.len_utf8();
        }
        let k = starts.len();
        for (idx, &p) in starts.iter().enumerate() {
            if (k - idx) % 3 == 0 {
                f(p, p);
            }
        }
        i = j;
    }
}
