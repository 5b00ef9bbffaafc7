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
    let mut i = 0;
    let mut run = 0;
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
        if out.last() == Some(&key) {
            run += 1;
        } else {
            run = 1;
        }
        let digit = key & 0x2000_0000 != 0 && key as u16 & N != 0;
        if run <= 4 || digit {
            out.push(key);
        }
        i += adv;
    }
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
