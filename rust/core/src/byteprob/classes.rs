//! Piece-structure classes: how a token's bytes split when appended to a context W is decided
//! once per (class of W, class of the token) instead of once per token.
//!
//! The class of a byte string maps each char to a key: the char itself for the chars the known
//! scanners compare by identity (`'`, space, `\r`, `\n`, `/`; the contraction letters
//! s t m d r v l e in both cases and `ſ` only where a contraction can read them: one or two chars
//! after a `'`, or among the first two chars of a token, which may follow a `'` of the context),
//! its class bits (`pretokenize::chars`, read off the oracle:
//! every class the scanners test is a union of them) for every other char, and the byte itself
//! for bytes that are no complete UTF-8 char. Runs of one key longer than 4 are cut to 4, except
//! digit keys (`\p{N}{1,3}` counts them): no scanner counts other runs, so a long run and its cut
//! split at the same run boundaries. Two strings with the same class are split alike by every
//! scanner below, so their piece structures (own piece, glued to the last piece, anything else)
//! agree. Pretokenizers outside this list classify each token on its own bytes (`class_based`).
use super::{ByteModel, NONE};
use crate::tokenizer::bytes::utf8_len;
use crate::tokenizer::pretokenize::chars::{class_of, N};
use crate::tokenizer::pretokenize::{CharClass, Matcher, PreTokenizer};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::rc::Rc;

/// How `bytes(t)` lands after a context W (whose pieces are `pieces(W)`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Outcome {
    /// `pieces(W ++ t) = pieces(W) ++ [t]`: valid for every reachable t.
    Own,
    /// The last piece of W grows by exactly `bytes(t)`: valid iff the pair with the last token is.
    Glued,
    /// Anything else (earlier boundaries move): checked by encoding.
    Other,
    /// A piece boundary falls strictly inside `bytes(t)`: t is never one token there (invalid).
    Split,
}

/// True when every split decision of `p` is a function of the class keys (module doc).
pub fn class_based(p: &PreTokenizer) -> bool {
    match p {
        PreTokenizer::Identity => true,
        PreTokenizer::Sequence(v) => v.iter().all(class_based),
        PreTokenizer::Split { matcher, .. } => matches!(
            matcher,
            Matcher::Gpt2 | Matcher::Llama3 { .. } | Matcher::Cl100k { .. } | Matcher::O200k { .. }
        ),
        // HF `Digits` (SmolLM2 puts it before the GPT-2 scanner): it tests one class bit per
        // char, and digit runs are never cut in a class key.
        PreTokenizer::CharSplit {
            class: CharClass::Numeric,
            ..
        } => true,
        _ => false,
    }
}

const SPECIAL: &[char] = &['\'', ' ', '\r', '\n', '/'];
const CONTRACTION: &[char] = &[
    's', 't', 'm', 'd', 'r', 'v', 'l', 'e', 'S', 'T', 'M', 'D', 'R', 'V', 'L', 'E', 'ſ',
];

/// The class of `s` (module doc); `token`: s is appended to a context (its first two chars may
/// complete a contraction).
pub fn class_key(s: &[u8], token: bool, out: &mut Vec<u32>) {
    out.clear();
    let mut run = 0;
    class_units(s, token, |key, _| {
        if out.last() == Some(&key) {
            run += 1;
        } else {
            run = 1;
        }
        if run <= 4 || is_digit_key(key) {
            out.push(key);
        }
    });
}

fn is_digit_key(key: u32) -> bool {
    key & 0x2000_0000 != 0 && key as u16 & N != 0
}

/// The units of `s` that `class_key` keys (chars, or single bytes that are no complete char):
/// `f(key, start byte)` for each, in order.
fn class_units(s: &[u8], token: bool, mut f: impl FnMut(u32, usize)) {
    let mut i = 0;
    // Chars since the last `'` (the first chars of a token count as right after one).
    let mut since = if token { 1 } else { 3 };
    while i < s.len() {
        let w = utf8_len(s[i]);
        let key = match std::str::from_utf8(&s[i..(i + w).min(s.len())]) {
            Ok(c) if w > 0 && i + w <= s.len() => {
                let c = c.chars().next().unwrap_or('\0');
                let seen = since;
                since = if c == '\'' { 1 } else { since + 1 };
                if SPECIAL.contains(&c) || (seen <= 2 && CONTRACTION.contains(&c)) {
                    0x1000_0000 | c as u32
                } else {
                    0x2000_0000 | class_of(c) as u32
                }
            }
            _ => {
                since = 3;
                0x4000_0000 | s[i] as u32
            }
        };
        let adv = if key & 0x4000_0000 != 0 { 1 } else { w };
        f(key, i);
        i += adv;
    }
}

/// Positions of a context `s` in the coordinates of its class key (`class_key(s, false)`), by
/// byte offset 0..=|s|: a boundary between two units (or an end) is the number of kept key
/// entries before it. Inside a run cut to 4 (longer than 4 units, not digits) only boundaries
/// at most 1 unit after the run's start or 2 before its end have a coordinate (0, 1 and 2, 3,
/// 4: the cut keeps both ends apart), other offsets and offsets inside a char are None.
///
/// Two contexts of one class split alike (module doc); the scanners put boundaries inside a
/// long run only next to its ends (`\s+(?!\S)` leaves the run's last space to what follows, a
/// punctuation char may open a letter piece), so a boundary given in these coordinates after
/// one context of a class is where it falls after every other one (see
/// `branches::Rescuer::passing`, whose global memo relies on it; `byteprob::tests_real` checks it
/// against the direct computation on real text).
pub fn norm_positions(s: &[u8]) -> Vec<Option<u32>> {
    let mut units: Vec<(u32, usize)> = Vec::new();
    class_units(s, false, |key, at| units.push((key, at)));
    let mut out = vec![None; s.len() + 1];
    let mut kept = 0u32;
    let mut r = 0;
    while r < units.len() {
        let key = units[r].0;
        let mut e = r;
        while e < units.len() && units[e].0 == key {
            e += 1;
        }
        let n = e - r;
        let cut = n > 4 && !is_digit_key(key);
        // Boundaries before each unit of the run (the one after it is the next run's start).
        for (j, &(_, at)) in units[r..e].iter().enumerate() {
            out[at] = if !cut || j <= 1 {
                Some(kept + j as u32)
            } else if n - j <= 2 {
                Some(kept + 4 - (n - j) as u32)
            } else {
                None
            };
        }
        kept += if cut { 4 } else { n as u32 };
        r = e;
    }
    out[s.len()] = Some(kept);
    out
}

/// Outcome rows by class of W: the row, and its id among distinct rows.
type RowMemo = FxHashMap<Vec<u32>, (Rc<[Outcome]>, u32)>;

pub struct TokenClasses {
    /// Class id of each token (NONE for ids without bytes).
    pub id: Vec<u32>,
    /// A representative token of each class, and its bytes.
    pub rep: Vec<u32>,
    rep_bytes: Vec<Vec<u8>>,
    /// Outcome rows: class of W -> outcome per token class (computed on a representative W),
    /// with the row's id among distinct rows.
    rows: RefCell<RowMemo>,
    /// Distinct rows: many classes of W ("word", "two words") place every token alike, so
    /// what depends on W only through its row is memoised by the row's id.
    distinct: RefCell<FxHashMap<Rc<[Outcome]>, u32>>,
}

impl TokenClasses {
    pub fn new(bytes: &[Vec<u8>]) -> TokenClasses {
        let mut intern: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
        let mut id = vec![NONE; bytes.len()];
        let mut rep = Vec::new();
        let mut key = Vec::new();
        for (t, b) in bytes.iter().enumerate() {
            if b.is_empty() {
                continue;
            }
            class_key(b, true, &mut key);
            let c = *intern.entry(key.clone()).or_insert_with(|| {
                rep.push(t as u32);
                rep.len() as u32 - 1
            });
            id[t] = c;
        }
        let rep_bytes = rep.iter().map(|&t| bytes[t as usize].clone()).collect();
        TokenClasses {
            id,
            rep,
            rep_bytes,
            rows: RefCell::new(FxHashMap::default()),
            distinct: RefCell::new(FxHashMap::default()),
        }
    }

    /// The outcome of every token class after context `w` (once per class of w), and the
    /// row's id (equal rows, equal ids).
    pub fn row(&self, m: &ByteModel, w: &[u8]) -> (Rc<[Outcome]>, u32) {
        let mut key = Vec::new();
        class_key(w, false, &mut key);
        let mut rows = self.rows.borrow_mut();
        let (row, id) = rows.entry(key).or_insert_with(|| {
            let row: Rc<[Outcome]> = self
                .rep_bytes
                .iter()
                .map(|tb| m.outcome_direct(w, tb))
                .collect();
            let mut distinct = self.distinct.borrow_mut();
            let n = distinct.len() as u32;
            let id = *distinct.entry(Rc::clone(&row)).or_insert(n);
            (row, id)
        });
        (Rc::clone(row), *id)
    }
}
