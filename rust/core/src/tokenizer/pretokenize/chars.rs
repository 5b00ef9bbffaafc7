//! Character classes exactly as the oracle (HF tokenizers 0.23 on Oniguruma) sees them.
//!
//! Guarantees: `class(c)` returns the bits of `tables.rs`, which were read off the oracle for every
//! code point, so the scanners agree with HF even where Oniguruma's Unicode version or class
//! definitions (`\w`, `\s`) differ from fancy-regex's. ASCII is a const table; everything else is
//! two loads into a table built once from the run-length data.
use super::tables::{self, RUNS};
use std::sync::OnceLock;

pub use tables::{L, LO, N, ND, NUMERIC, PUNC, RWS, S, UP, WORD, WORDC};

const BLOCK_BITS: u32 = 7;
const BLOCK: usize = 1 << BLOCK_BITS;
const NBLOCKS: usize = 0x110000 >> BLOCK_BITS;

pub struct Classes {
    index: Vec<u16>,
    blocks: Vec<u16>,
}

impl Classes {
    #[inline(always)]
    pub fn get(&self, cp: u32) -> u16 {
        let b = self.index[(cp >> BLOCK_BITS) as usize] as usize;
        self.blocks[(b << BLOCK_BITS) | (cp as usize & (BLOCK - 1))]
    }
}

fn build() -> Classes {
    let mut flat = vec![0u16; 0x110000];
    for (i, &(start, m)) in RUNS.iter().enumerate() {
        let end = RUNS.get(i + 1).map_or(0x110000, |r| r.0) as usize;
        flat[start as usize..end].fill(m);
    }
    let mut index = Vec::with_capacity(NBLOCKS);
    let mut blocks: Vec<u16> = Vec::new();
    let mut seen: std::collections::HashMap<&[u16], u16> = std::collections::HashMap::new();
    for chunk in flat.chunks(BLOCK) {
        let id = *seen.entry(chunk).or_insert_with(|| {
            blocks.extend_from_slice(chunk);
            (blocks.len() / BLOCK - 1) as u16
        });
        index.push(id);
    }
    Classes { index, blocks }
}

#[inline]
pub fn classes() -> &'static Classes {
    static T: OnceLock<Classes> = OnceLock::new();
    T.get_or_init(build)
}

/// Class bits of one char (convenience for non-hot paths).
#[inline]
pub fn class_of(c: char) -> u16 {
    classes().get(c as u32)
}

/// Decode the char starting at byte `i` of valid UTF-8 `s`: (code point, byte length).
#[inline(always)]
pub fn decode(s: &[u8], i: usize) -> (u32, usize) {
    let b0 = s[i] as u32;
    if b0 < 0x80 {
        (b0, 1)
    } else if b0 < 0xE0 {
        (((b0 & 0x1F) << 6) | (s[i + 1] as u32 & 0x3F), 2)
    } else if b0 < 0xF0 {
        (
            ((b0 & 0x0F) << 12) | ((s[i + 1] as u32 & 0x3F) << 6) | (s[i + 2] as u32 & 0x3F),
            3,
        )
    } else {
        (
            ((b0 & 0x07) << 18)
                | ((s[i + 1] as u32 & 0x3F) << 12)
                | ((s[i + 2] as u32 & 0x3F) << 6)
                | (s[i + 3] as u32 & 0x3F),
            4,
        )
    }
}

/// Start of the char that ends at byte `end` (exclusive) of valid UTF-8 `s`.
#[inline(always)]
pub fn prev_start(s: &[u8], end: usize) -> usize {
    let mut i = end - 1;
    while s[i] & 0xC0 == 0x80 {
        i -= 1;
    }
    i
}

/// A cursor over `s` that yields (code point, len, class bits); the scanners are written on it.
pub struct Text<'a> {
    pub s: &'a [u8],
    t: &'static Classes,
}

impl<'a> Text<'a> {
    #[inline]
    pub fn new(s: &'a str) -> Self {
        Text {
            s: s.as_bytes(),
            t: classes(),
        }
    }
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.s.len()
    }
    /// (code point, byte length, class) of the char at `i`; `i < len`.
    #[inline(always)]
    pub fn at(&self, i: usize) -> (u32, usize, u16) {
        let b = self.s[i];
        if b < 0x80 {
            (b as u32, 1, ASCII[b as usize])
        } else {
            let (cp, n) = decode(self.s, i);
            (cp, n, self.t.get(cp))
        }
    }
    /// Class of the char at `i`, or 0 at the end (end behaves as "no class").
    #[inline(always)]
    pub fn class(&self, i: usize) -> u16 {
        if i < self.s.len() {
            self.at(i).2
        } else {
            0
        }
    }
    /// End of the run of chars from `i` whose class intersects `mask`.
    #[inline(always)]
    pub fn run(&self, mut i: usize, mask: u16) -> usize {
        while i < self.s.len() {
            let (_, n, c) = self.at(i);
            if c & mask == 0 {
                break;
            }
            i += n;
        }
        i
    }
    /// End of the run from `i` of chars whose class has none of `mask` ("[^\s\p{L}\p{N}]+").
    #[inline(always)]
    pub fn run_not(&self, mut i: usize, mask: u16) -> usize {
        while i < self.s.len() {
            let (_, n, c) = self.at(i);
            if c & mask != 0 {
                break;
            }
            i += n;
        }
        i
    }
    /// End of a run of at most `max` chars from `i` whose class intersects `mask`.
    #[inline(always)]
    pub fn run_max(&self, mut i: usize, mask: u16, max: usize) -> usize {
        let mut k = 0;
        while k < max && i < self.s.len() {
            let (_, n, c) = self.at(i);
            if c & mask == 0 {
                break;
            }
            i += n;
            k += 1;
        }
        i
    }
    /// Length of a case-insensitive English contraction (`'s 't 're 've 'm 'll 'd`) at `i`, or 0.
    /// Case folding is Oniguruma's simple folding, which for these letters adds only U+017F (ſ ~ s);
    /// the oracle confirms 'ſ matches and that no multi-char fold can start inside these.
    #[inline]
    pub fn contraction_ci(&self, i: usize) -> usize {
        let s = self.s;
        if i >= s.len() || s[i] != b'\'' {
            return 0;
        }
        let j = i + 1;
        if j >= s.len() {
            return 0;
        }
        let c1 = s[j] | 0x20;
        match c1 {
            b's' | b't' | b'm' | b'd' if s[j].is_ascii_alphabetic() => 2,
            b'r' | b'v' | b'l' if s[j].is_ascii_alphabetic() => {
                let want = if c1 == b'l' { b'l' } else { b'e' };
                if j + 1 < s.len() && s[j + 1].is_ascii_alphabetic() && s[j + 1] | 0x20 == want {
                    3
                } else {
                    0
                }
            }
            // U+017F LATIN SMALL LETTER LONG S folds to 's'.
            0xE5 if s[j] == 0xC5 && j + 1 < s.len() && s[j + 1] == 0xBF => 3,
            _ => 0,
        }
    }
}

/// Class bits of ASCII, copied out of the tables at compile time so the hot path skips the lookup.
pub static ASCII: [u16; 128] = {
    let mut a = [0u16; 128];
    let mut i = 0;
    let mut r = 0;
    while i < 128 {
        while r + 1 < RUNS.len() && RUNS[r + 1].0 <= i as u32 {
            r += 1;
        }
        a[i] = RUNS[r].1;
        i += 1;
    }
    a
};

#[inline(always)]
pub fn is_crlf(cp: u32) -> bool {
    cp == b'\r' as u32 || cp == b'\n' as u32
}
