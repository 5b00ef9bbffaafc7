//! Hand-written matcher for the GPT-2 / ByteLevel pattern
//! `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
//!
//! Guarantees: reports exactly the matches of Oniguruma's leftmost-first `find_iter` for this
//! pattern (every char is covered, so matches tile the text). Contractions are case-sensitive here.
use super::chars::{Text, L, N, S};

const SLN: u16 = S | L | N;

pub fn find(text: &str, f: &mut impl FnMut(usize, usize)) {
    let t = Text::new(text);
    let s = t.s;
    let len = t.len();
    let mut i = 0;
    while i < len {
        let end = match_at(&t, s, i, len);
        f(i, end);
        i = end;
    }
}

#[inline(always)]
fn match_at(t: &Text, s: &[u8], i: usize, len: usize) -> usize {
    let b = s[i];
    if b == b'\'' && i + 1 < len {
        match s[i + 1] {
            b's' | b't' | b'm' | b'd' => return i + 2,
            b'r' | b'v' if i + 2 < len && s[i + 2] == b'e' => return i + 3,
            b'l' if i + 2 < len && s[i + 2] == b'l' => return i + 3,
            _ => {}
        }
    }
    // " ?X+" alternatives: the optional space only when the next char starts a run.
    let (start, c) = if b == b' ' && i + 1 < len {
        let c = t.at(i + 1).2;
        if c & S == 0 {
            (i + 1, c)
        } else {
            (i, t.at(i).2)
        }
    } else {
        (i, t.at(i).2)
    };
    if c & L != 0 {
        return t.run(start, L);
    }
    if c & N != 0 {
        return t.run(start, N);
    }
    if c & S == 0 {
        return t.run_not(start, SLN);
    }
    whitespace(t, i, len)
}

/// `\s+(?!\S)|\s+` at a whitespace char: the run gives back its last char when a non-space follows.
#[inline(always)]
pub fn whitespace(t: &Text, i: usize, len: usize) -> usize {
    let j = t.run(i, S);
    if j == len {
        return j;
    }
    let k = super::chars::prev_start(t.s, j);
    if k > i {
        k
    } else {
        j
    }
}
