//! Provisional piece boundaries (splitting pretokenizers): which structures the tail of a prefix
//! can take once more text arrives, and whether a cover that needs more text is valid.
//!
//! A cover `c` of x is valid iff some continuation y gives `E(dec c ++ y)` starting with `c`
//! (ByteSampler's valid covering tree). With a pretokenizer the pieces of the last few bytes
//! depend on y: `\s+(?!\S)` leaves the last space to the next word, `\s*[\r\n]+` joins whitespace
//! up to the last newline (Llama-3 `"\n \n"` is one piece `["\n ", "\n"]`, `"\n "` alone two),
//! o200k's optional contraction joins `"don"` and `"'t"`. The continuations that matter are
//! stood for by [`probes`]: the empty one (end of text) and every one- and two-char string over
//! one char of each class the scanners tell apart, after completing a trailing partial char with
//! one char of each class. Structures seen with some probe become nodes; a cover is accepted when
//! some probe witnesses it (`witnessed`). For the scanners we know (`classes::class_based`) a
//! boundary moves with y only if the bytes after it are all whitespace or a `'` and one letter
//! (the scanner read to the end of the text there); `rescuable` lets only such tokens be tried.
use super::classes::Outcome;
use super::{ByteModel, NONE};
use crate::tokenizer::pretokenize::chars::class_of;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::rc::Rc;

/// One char per class the known scanners distinguish (`pretokenize::chars` classes, the
/// contraction letters, and the chars compared by identity).
const ONE: &[&str] = &[
    "a", "b", "z", "A", "Z", "s", "t", "r", "e", "v", "m", "l", "d", "S", "T", "R", "E", "V", "M",
    "L", "D", "ſ", " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{a0}", "\u{3000}", "'", ".", "/",
    "-", "!", "0", "1", "9", "٣", "Ⅷ", "½", "é", "É", "你", "\u{301}", "ǅ", "ʰ", "😀",
];
/// First chars after which a second char can still change earlier boundaries.
const TWO: &[&str] = &[
    " ", "\t", "\n", "\r", "\u{a0}", "'", "r", "v", "l", "R", "V", "L",
];
const WS: &[&str] = &[" ", "\t", "\n", "\r", "\u{a0}"];

/// Continuations to try after `s`: `s` may end inside a UTF-8 char, which is first completed.
pub fn probes(m: &ByteModel, s: &[u8]) -> Rc<Vec<Vec<u8>>> {
    let partial = partial_tail(s);
    let key = s[s.len() - partial..].to_vec();
    if let Some(v) = m.probe_memo.get(&key) {
        return v;
    }
    let mut base: Vec<Vec<u8>> = vec![Vec::new()];
    for a in ONE {
        base.push(a.as_bytes().to_vec());
    }
    for a in TWO {
        for b in ONE {
            base.push(format!("{a}{b}").into_bytes());
        }
    }
    let out = if partial == 0 {
        base
    } else {
        // The completed char alone decides, unless it is whitespace (lookahead after a run).
        let mut out = Vec::new();
        for c in completions(&key) {
            let full = [key.as_slice(), &c].concat();
            let ws = std::str::from_utf8(&full).is_ok_and(|s| s.chars().all(char::is_whitespace));
            out.push(c.clone());
            if ws {
                for b in ONE {
                    out.push([c.as_slice(), b.as_bytes()].concat());
                }
            }
        }
        out
    };
    let v = Rc::new(out);
    m.probe_memo.insert(key, Rc::clone(&v));
    v
}

/// Probes for a token whose rescuable suffix is whitespace (`ws`) or a `'` and a letter.
fn rescue_probes(ws: bool) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = ONE.iter().map(|a| a.as_bytes().to_vec()).collect();
    let firsts: &[&str] = if ws {
        WS
    } else {
        &[
            "s", "t", "r", "e", "v", "m", "l", "d", "S", "T", "R", "E", "V", "M", "L", "D", "a",
        ]
    };
    for a in firsts {
        for b in ONE {
            out.push(format!("{a}{b}").into_bytes());
        }
    }
    out
}

/// Bytes at the end of `s` that begin a UTF-8 char not yet complete.
pub(super) fn partial_tail(s: &[u8]) -> usize {
    for k in 1..=3.min(s.len()) {
        let b = s[s.len() - k];
        if b & 0xC0 != 0x80 {
            return if crate::tokenizer::bytes::utf8_len(b) > k {
                k
            } else {
                0
            };
        }
    }
    0
}

/// The missing bytes of one char per class among the chars that start with `partial`.
pub(super) fn completions(partial: &[u8]) -> Vec<Vec<u8>> {
    let mut seen: FxHashMap<u16, ()> = FxHashMap::default();
    let mut out = Vec::new();
    let mut buf = [0u8; 4];
    let pad = |fill: u8| {
        let mut b = partial.to_vec();
        let need = match partial[0] {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        b.resize(need, fill);
        b
    };
    let bound = |b: Vec<u8>| crate::tokenizer::pretokenize::chars::decode(&b, 0).0;
    for cp in bound(pad(0x80))..=bound(pad(0xBF)) {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let e = c.encode_utf8(&mut buf).as_bytes();
        if e.len() > partial.len() && e.starts_with(partial) {
            let cls = class_of(c);
            if seen.insert(cls, ()).is_none() {
                out.push(e[partial.len()..].to_vec());
            }
        }
    }
    out
}

/// The tokens that may come right after a token ending in the open char `open` (the text ends
/// inside a UTF-8 char): in any continuation the next token u starts with a continuation byte,
/// lies in that token's piece, is reachable, and `open ++ bytes(u)` is UTF-8 (its last char may
/// be incomplete). Those u, grouped by the class of `open ++ bytes(u)` (`classes::class_key`,
/// read as a token's: the finer key), as (group id, tokens): members of one group put the same
/// piece boundaries after any context (module `classes`). Per model, by `open`; without classes
/// one group per token. (Whether u may follow t, the pair, is asked per member.)
pub(super) fn open_next(m: &ByteModel, open: &[u8]) -> super::OpenGroups {
    m.open_next.get_or(open.to_vec(), || {
        let mut groups: Vec<(u32, Vec<u32>)> = Vec::new();
        let mut at: FxHashMap<u32, usize> = FxHashMap::default();
        let mut key = Vec::new();
        let mut s = Vec::new();
        for &u in &m.sorted[m.first[0x80]..m.first[0xC0]] {
            if !m.reachable[u as usize] {
                continue;
            }
            s.clear();
            s.extend_from_slice(open);
            s.extend_from_slice(&m.bytes[u as usize]);
            let utf8 = match std::str::from_utf8(&s) {
                Ok(_) => true,
                Err(e) => e.error_len().is_none(),
            };
            if !utf8 {
                continue;
            }
            let gid = if m.classes.is_some() {
                super::classes::class_key(&s, true, &mut key);
                let mut keys = m.open_keys.borrow_mut();
                let n = keys.len() as u32;
                *keys.entry(key.clone()).or_insert(n)
            } else {
                NONE
            };
            match at.get(&gid).filter(|_| gid != NONE) {
                Some(&i) => groups[i].1.push(u),
                None => {
                    at.insert(gid, groups.len());
                    groups.push((gid, vec![u]));
                }
            }
        }
        Rc::new(groups)
    })
}

/// Piece boundaries in (0, |tail|] of `tail ++ y`, one sorted list per distinct structure.
pub fn structures(m: &ByteModel, tail: &[u8]) -> Rc<Vec<Vec<usize>>> {
    if let Some(v) = m.struct_memo.get(tail) {
        return v;
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut pieces = Vec::new();
    for y in probes(m, tail).iter() {
        let s = [tail, y].concat();
        m.pieces(&s, &mut pieces);
        let b: Vec<usize> = pieces
            .iter()
            .map(|&(a, _)| a)
            .chain(pieces.last().map(|&(_, e)| e))
            .filter(|&a| a > 0 && a <= tail.len())
            .collect();
        if !out.contains(&b) {
            out.push(b);
        }
    }
    let v = Rc::new(out);
    m.struct_memo.insert(tail.to_vec(), Rc::clone(&v));
    v
}

/// Where `tb` lands after `w` with the text ending after it, for a node whose pieces of w start
/// at `b` (inside w): its own piece (`OWN`), glued to the node's last piece (`GLUED`), cut
/// inside (`SPLIT`), or w's pieces differ (`OTHER`).
pub fn alt_outcome(m: &ByteModel, w: &[u8], b: &[usize], tb: &[u8]) -> Outcome {
    let mut pieces = Vec::new();
    m.pieces(&[w, tb].concat(), &mut pieces);
    let (lo, hi) = (w.len(), w.len() + tb.len());
    if pieces.iter().any(|&(a, _)| a > lo && a < hi) {
        return Outcome::Split;
    }
    let same = pieces
        .iter()
        .map(|&(a, _)| a)
        .filter(|&a| a > 0 && a < lo)
        .eq(b.iter().copied());
    match (same, pieces.iter().any(|&(a, _)| a == lo)) {
        (false, _) => Outcome::Other,
        (true, true) => Outcome::Own,
        (true, false) if lo > 0 => Outcome::Glued,
        _ => Outcome::Own,
    }
}

/// Whether boundary `b` and the pieces before it are the same in `s ++ y` for every probe y
/// (the part of `s` before `b` may then be encoded for good).
pub fn settled(m: &ByteModel, s: &[u8], b: usize) -> bool {
    let (mut want, mut got) = (Vec::new(), Vec::new());
    m.pieces(s, &mut want);
    want.retain(|&(a, _)| a < b);
    for y in probes(m, s).iter() {
        m.pieces(&[s, y].concat(), &mut got);
        got.retain(|&(a, _)| a < b);
        if got != want {
            return false;
        }
    }
    true
}

/// Whether a continuation can still make `t` one token after a context whose own end failed:
/// with the known scanners only tokens ending in whitespace or a `'` and a letter. `Some(true)`:
/// try whitespace continuations (or all probes), `Some(false)`: letters.
pub fn rescuable(m: &ByteModel, t: u32) -> Option<bool> {
    if m.classes.is_none() {
        return Some(true);
    }
    let b = &m.bytes[t as usize];
    let p = partial_tail(b);
    // A trailing partial char sits in the last piece without a continuation; its completion
    // may start a piece of its own (or be whitespace): try the completions.
    if p > 0 {
        return Some(true);
    }
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C);
    let n = b.len();
    if n > 0 && (ws(b[n - 1]) || b.ends_with("\u{a0}".as_bytes())) {
        return Some(true);
    }
    let apos = (n >= 1 && b[n - 1] == b'\'')
        || (n >= 2 && b[n - 2] == b'\'' && b[n - 1].is_ascii_alphabetic());
    apos.then_some(false)
}

/// A probe continuation witnesses `node ++ [t]` after context `w`: `E(w ++ bytes(t) ++ y)`
/// starts with it (`node` is the encoding of `w` in that structure).
///
/// `E` is the concatenation of the pieces' BPE, so the comparison runs piece by piece and stops
/// at the first token that differs or once `node ++ [t]` is matched: token boundaries include
/// piece boundaries, so a piece boundary inside w that is no token boundary of `node`, or one
/// inside `bytes(t)`, fails before any merge runs; pieces are merged through `piece_tokens`
/// (memoised: the pieces of w recur for every token and probe). Most checks fail, and early.
pub fn witnessed<'y>(
    m: &ByteModel,
    w: &[u8],
    node: &[u32],
    t: u32,
    ys: impl IntoIterator<Item = &'y [u8]>,
    facts: &Facts,
) -> bool {
    let base = w.len() + m.bytes[t as usize].len();
    // w ++ bytes(t) ++ y, made once some probe needs scanning (most fail on their facts).
    let mut s = Vec::new();
    let k = node.len();
    // Byte offsets where node's tokens end (sorted); node decodes to w. Nodes are a few tokens:
    // kept on the stack.
    let mut buf = [0usize; 16];
    let mut heap = Vec::new();
    let ends: &mut [usize] = if k <= buf.len() {
        &mut buf[..k]
    } else {
        heap.resize(k, 0);
        &mut heap
    };
    let mut at = 0;
    for (i, &u) in node.iter().enumerate() {
        at += m.bytes.get(u as usize).map_or(0, Vec::len);
        ends[i] = at;
    }
    let ends = &*ends;
    let fill = |s: &mut Vec<u8>, y: &[u8]| {
        if s.is_empty() {
            s.extend_from_slice(w);
            s.extend_from_slice(&m.bytes[t as usize]);
        }
        s.truncate(base);
        s.extend_from_slice(y);
    };
    if at != w.len() || m.spm.is_some() {
        return ys.into_iter().any(|y| {
            fill(&mut s, y);
            let e = m.encode_bytes(&s);
            e.len() > k && e[k] == t && e[..k] == *node
        });
    }
    let mut pieces = Vec::new();
    let glue = std::cell::OnceCell::new();
    let last = node.last().copied();
    'probe: for y in ys {
        // The piece boundaries of w ++ bytes(t) ++ y up to |w|, once per class of t (`Facts`):
        // a probe they rule out for the class is not encoded for any token of it.
        let key = facts.key(m, t, y);
        if let Some(f) = key.and_then(|k| facts.get(k)) {
            if f.inner
                || f.starts.iter().any(|a| ends.binary_search(a).is_err())
                || (!w.is_empty()
                    && !f.own
                    && !*glue.get_or_init(|| last.is_some_and(|l| m.valid_pair(l, t))))
            {
                continue;
            }
            // The pieces that lie wholly inside w are known too: their tokens must be the node's.
            let inside = f.starts.iter().copied().chain(f.own.then_some(w.len()));
            let mut a = 0;
            for e in inside {
                let (i, j) = (token_at(ends, a), token_at(ends, e));
                if node[i..j] != *m.piece_tokens(&w[a..e]) {
                    continue 'probe;
                }
                a = e;
            }
        }
        fill(&mut s, y);
        m.pieces(&s, &mut pieces);
        if let Some(fk) = key {
            facts.put(fk, &pieces, w.len(), base);
        }
        for &(a, _) in &pieces {
            if a > 0 && a < base && (a > w.len() || ends.binary_search(&a).is_err()) {
                continue 'probe;
            }
        }
        // t glued to the piece before it: [last(node), t] is then a substring of that piece's
        // encoding, which needs the pair to be valid (substrings of valid sequences are valid;
        // a piece that is one vocabulary token by ignore_merges fails anyway).
        if !w.is_empty()
            && !pieces.iter().any(|&(a, _)| a == w.len())
            && !*glue.get_or_init(|| last.is_some_and(|l| m.valid_pair(l, t)))
        {
            continue;
        }
        let mut i = 0;
        for &(a, e) in &pieces {
            for &u in m.piece_tokens(&s[a..e]).iter() {
                let want = if i < k { node[i] } else { t };
                if u != want {
                    continue 'probe;
                }
                i += 1;
                if i > k {
                    return true;
                }
            }
        }
    }
    false
}

/// The number of node tokens that end at or before byte offset `a` (a token boundary or 0),
/// given the sorted end offsets of the node's tokens.
fn token_at(ends: &[usize], a: usize) -> usize {
    ends.partition_point(|&e| e <= a)
}

/// Piece boundaries of `w ++ bytes(t) ++ y` that `witnessed` tests before encoding, for one
/// context w, by (class of t, probe y): the starts strictly inside w, whether one falls at |w|
/// (t starts its own piece) and whether one falls strictly inside `bytes(t)`. For class-based
/// scanners these are functions of t's class (`classes`: tokens of one class split alike after
/// any context; the boundaries inside w depend on t only through its first chars' keys, which
/// the class keeps, and one inside t is the `Split` outcome), so a probe that fails on them for
/// one token of a class is not encoded for the others: the `Other` tokens after a context and
/// the rescue candidates cost a lookup each, not a scan of `w ++ bytes(t) ++ y`. Learnt from the
/// first token of each class that is checked, exactly as `witnessed` would have found them.
#[derive(Default)]
pub struct Facts {
    map: RefCell<FxHashMap<FactKey, Fact>>,
}

/// (class of t, probe bytes packed, probe length), hashed as one well-mixed word: Fx on the
/// packed bytes alone leaves keys that differ in their high bytes in one bucket chain.
#[derive(Clone, Copy, PartialEq, Eq)]
struct FactKey(u32, u64, u8);

impl std::hash::Hash for FactKey {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        let mut x = self.1 ^ (u64::from(self.0) << 8 | u64::from(self.2)).rotate_left(29);
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        h.write_u64(x ^ (x >> 31));
    }
}

/// Tests only: `Off` encodes every probe (the full computation `Facts` must equal), `Coarse`
/// keys facts by the probe's length alone (a key too coarse, which the real-text test must catch).
#[cfg(test)]
#[derive(Clone, Copy, PartialEq)]
pub enum FactsMode {
    On,
    Off,
    Coarse,
}

#[cfg(test)]
thread_local! {
    pub static FACTS_MODE: std::cell::Cell<FactsMode> = const { std::cell::Cell::new(FactsMode::On) };
}

#[derive(Clone)]
struct Fact {
    starts: Rc<[usize]>,
    own: bool,
    inner: bool,
}

impl Facts {
    /// (class of t, y packed): None without classes or for a probe too long to pack.
    fn key(&self, m: &ByteModel, t: u32, y: &[u8]) -> Option<FactKey> {
        let cl = m.classes.as_ref()?;
        if y.len() > 8 {
            return None;
        }
        #[cfg(test)]
        match FACTS_MODE.with(std::cell::Cell::get) {
            FactsMode::Off => return None,
            FactsMode::Coarse => return Some(FactKey(0, 0, y.len() as u8)),
            FactsMode::On => {}
        }
        let packed = y
            .iter()
            .enumerate()
            .fold(0u64, |v, (i, &b)| v | (b as u64) << (8 * i));
        Some(FactKey(cl.id[t as usize], packed, y.len() as u8))
    }

    /// The key of a group of `open_next` after a token of t's class (the probe is some member's
    /// bytes; a length no probe has marks it). None where `key` gives none.
    fn group_key(&self, m: &ByteModel, t: u32, gid: u32) -> Option<FactKey> {
        let k = self.key(m, t, &[])?;
        (gid != NONE).then_some(FactKey(k.0, u64::from(gid), u8::MAX))
    }

    fn get(&self, k: FactKey) -> Option<Fact> {
        self.map.borrow().get(&k).cloned()
    }

    /// `f` of the fact under `k` (borrowed, not cloned), None when it is not known yet.
    fn with<R>(&self, k: FactKey, f: impl FnOnce(&Fact) -> R) -> Option<R> {
        self.map.borrow().get(&k).map(f)
    }

    /// Records the boundaries of `pieces` (of w ++ bytes(t) ++ y; |w| = `lo`, |w ++ bytes(t)| =
    /// `hi`).
    fn put(&self, k: FactKey, pieces: &[(usize, usize)], lo: usize, hi: usize) {
        let starts: Rc<[usize]> = pieces
            .iter()
            .map(|&(a, _)| a)
            .filter(|&a| a > 0 && a < lo)
            .collect();
        let fact = Fact {
            starts,
            own: pieces.iter().any(|&(a, _)| a == lo),
            inner: pieces.iter().any(|&(a, _)| a > lo && a < hi),
        };
        self.map.borrow_mut().insert(k, fact);
    }
}

/// Marks a `rescue_key` made from w's last piece alone (no class key starts with it).
const LAST_PIECE: u32 = u32::MAX;

/// The key of `Rescuer`'s probe lists after w (once per class of w, `ByteModel::rescue_key`):
/// w's class, or, when the start of w's last piece is settled (the boundary and every piece
/// before it are the same after every probe, `settled`: as for the window of `CoverState`), the
/// class of the last piece alone. The scanners have no lookbehind, so after a settled boundary
/// the pieces of `w ++ z` are those of the last piece ++ z, shifted: every probe list fact
/// (no boundary inside t, w's own starts kept, t its own piece, the bytes of y in t's piece)
/// is the same for every w whose last piece has that class. Words before a space or a newline
/// then share one list, not one per class of the words before it.
fn rescue_key(m: &ByteModel, w: &[u8]) -> Vec<u32> {
    let mut key = Vec::new();
    let mut pieces = Vec::new();
    m.pieces(w, &mut pieces);
    let p0 = pieces.last().map_or(0, |&(a, _)| a);
    #[cfg(test)]
    let mode = RESCUE_KEY_MODE.with(std::cell::Cell::get);
    #[cfg(not(test))]
    let mode = RescueKeyMode::LastPiece;
    if mode == RescueKeyMode::Coarse && p0 > 0 {
        return vec![LAST_PIECE];
    }
    if mode == RescueKeyMode::LastPiece && p0 > 0 && settled(m, w, p0) {
        super::classes::class_key(&w[p0..], false, &mut key);
        key.insert(0, LAST_PIECE);
    } else {
        super::classes::class_key(w, false, &mut key);
    }
    key
}

/// `rescue_key`: by the last piece where settled (`LastPiece`); tests only: always by w's
/// class (`Full`, the key before), or forgetting the last piece (`Coarse`, too coarse: the
/// real-text test must see some set change).
#[derive(Clone, Copy, PartialEq)]
#[cfg_attr(not(test), allow(dead_code))]
pub enum RescueKeyMode {
    LastPiece,
    Full,
    Coarse,
}

#[cfg(test)]
thread_local! {
    pub static RESCUE_KEY_MODE: std::cell::Cell<RescueKeyMode> =
        const { std::cell::Cell::new(RescueKeyMode::LastPiece) };
}

/// Rescue checks after one context `w`: `witnessed` over the probes a token can be rescued by
/// (`rescuable`), keeping only probes after which no piece boundary falls strictly inside
/// `bytes(t)` (necessary for t to be one token). That filter is a fact about the piece
/// structure, so with class-based scanners it is computed once per (class of w, class of t).
pub struct Rescuer<'a> {
    m: &'a ByteModel,
    w: &'a [u8],
    /// Filtered probes by token class, shared by every context of w's class.
    memo: Option<Rc<RefCell<FxHashMap<u32, Ys>>>>,
    /// `open_witnessed`'s group structures by (class of t, group), shared likewise.
    open_kind: Option<super::OpenKinds>,
    /// Piece starts of `w` alone (inside w).
    starts: Vec<usize>,
    /// Some check encoded w itself (its result is not a function of w's class).
    pub encoded: std::cell::Cell<bool>,
    /// `E(w)`, once some probe needs it.
    enc: std::cell::OnceCell<Vec<u32>>,
    /// Piece boundaries after w by token class and probe (`witnessed`), shared by every check
    /// after the same w (`Ctx::facts`).
    pub facts: Rc<Facts>,
    /// `passing` by (token class, rescue kind 0) and node.
    pass: RefCell<PassMemo>,
    /// The empty probe list (tokens no continuation can rescue).
    none: Ys,
    /// w's class key and its positions in class coordinates (`classes::norm_positions`), once
    /// some `passing` misses its own memo.
    norm: std::cell::OnceCell<(Vec<u32>, Vec<Option<u32>>)>,
}

type PassMemo = FxHashMap<u32, Vec<(Vec<u32>, Rc<[u8]>)>>;

/// `Rescuer::passing` across contexts (`ByteModel::pass_memo`): (class key of w, t's class and
/// rescue kind 0 as `passing` keys them, the node's token ends up to |w| in class coordinates).
/// The probes (`inner_free`) are a function of w's class and t's; each probe's boundaries after
/// w (`Facts`) are where the scanners put them for w's class, in class coordinates
/// (`classes::norm_positions`); the verdict compares them with the node's ends and |w| alone.
/// So contexts of one class whose nodes end at the same class positions (an indentation run at
/// each of its bytes: `[.., ":\n", run, " "]`) share one result, where each context had
/// recomputed every probe's boundaries for every token class.
pub type PassKey = (Vec<u32>, u32, Vec<u32>);

#[cfg(test)]
thread_local! {
    /// Tests only: 0 keys `pass_memo` as above, 1 turns it off (the direct computation), 2 keys
    /// it without w's class, 3 without the node's ends (too coarse: the real-text test must see
    /// some set change).
    pub static PASS_KEY_MODE: std::cell::Cell<u8> = const { std::cell::Cell::new(0) };
    /// Tests only: (on, hits, hits whose shared result differs from the direct one): with `on`,
    /// every hit of `pass_memo` is checked against `Rescuer::passing_direct` (which is used).
    pub static PASS_CHECK: std::cell::Cell<(bool, usize, usize)> =
        const { std::cell::Cell::new((false, 0, 0)) };
}

fn pass_key(wkey: &[u32], cls: u32, ends: Vec<u32>) -> PassKey {
    #[cfg(test)]
    match PASS_KEY_MODE.with(std::cell::Cell::get) {
        // Off: a key no other context has (the memo still fills, never hits).
        1 => {
            thread_local!(static N: std::cell::Cell<u32> = const { std::cell::Cell::new(0) });
            let n = N.with(|c| {
                c.set(c.get() + 1);
                c.get()
            });
            return (vec![u32::MAX, n], cls, ends);
        }
        2 => return (Vec::new(), cls, ends),
        3 => return (wkey.to_vec(), cls, Vec::new()),
        4 => return (Vec::new(), cls, Vec::new()),
        _ => {}
    }
    (wkey.to_vec(), cls, ends)
}

/// `Rescuer::passing`: a probe fails on its boundaries, passes (t starts its own piece or w is
/// empty), or passes when t may be glued after the node's last token (its pair is valid).
const FAILS: u8 = 0;
const OWN: u8 = 1;
const GLUED: u8 = 2;

/// A probe after a token class, with the piece structure it gives (decided per class pair).
pub struct Probe {
    y: Vec<u8>,
    /// w's pieces unchanged and t glued to the last (`Glued`) or starting its own piece
    /// (`Own`); anything else (`Other`) is checked by encoding.
    kind: Outcome,
    /// Bytes of y in t's piece, and the first token of their merge loop (NONE when none).
    part: usize,
    u: u32,
}
type Ys = Rc<Vec<Probe>>;

impl Probe {
    /// The probe's bytes in t's piece may follow t there: none, or their first token (of the
    /// merge loop) makes a valid pair with t.
    fn follows(&self, m: &ByteModel, t: u32) -> bool {
        self.part == 0 || (self.u != NONE && m.valid_pair(t, self.u))
    }

    /// With t starting its own piece, the probe keeps t one token, decided by pairs alone: it
    /// follows t, and (ignore_merges) t with its part of the probe is no whole token.
    fn own_passes(&self, m: &ByteModel, t: u32) -> bool {
        self.part == 0
            || (self.follows(m, t) && not_whole(m, &[&m.bytes[t as usize], &self.y[..self.part]]))
    }
}

/// The piece made of `parts` is one the merge loop decides: not one vocabulary token taken
/// whole by ignore_merges (the parts are joined only when ignore_merges is on).
pub(super) fn not_whole(m: &ByteModel, parts: &[&[u8]]) -> bool {
    let b = super::bpe(&m.tok);
    !b.ignore_merges || b.piece_id(&parts.concat()).is_none()
}

/// `Rescuer::rescued` after `E(w)` (with `canon`) for one rescuable token, by what it depends
/// on: `Always` true (a probe starting t's own piece passes by pairs alone), `Never` false,
/// `Glued(ys)` true iff `canon.keep`, the pair (canon.l, t) is valid and for some listed part
/// `s` of a glued probe `canon.p ++ bytes(t) ++ s` is no whole token (ignore_merges), `Other`:
/// some probe is decided by encoding (ask `rescued`).
pub enum RescueCat {
    Always,
    Never,
    Glued(Vec<Vec<u8>>),
    Other,
}

/// What a rescue after `E(w)` itself may take as known: its last token, last piece and `keep`
/// (the merge loop alone gives that piece's tokens).
pub struct Canon<'a> {
    pub l: u32,
    pub p: &'a [u8],
    pub keep: bool,
}

impl<'a> Rescuer<'a> {
    pub fn new(m: &'a ByteModel, w: &'a [u8], facts: Rc<Facts>) -> Rescuer<'a> {
        let key = m.classes.is_some().then(|| {
            let mut key = Vec::new();
            super::classes::class_key(w, false, &mut key);
            m.rescue_key.get_or(key, || Rc::new(rescue_key(m, w)))
        });
        let memo = key
            .as_ref()
            .map(|k| m.rescue_memo.get_or(k.to_vec(), Default::default));
        let open_kind = key
            .as_ref()
            .map(|k| m.open_kind.get_or(k.to_vec(), Default::default));
        let mut pieces = Vec::new();
        m.pieces(w, &mut pieces);
        let starts = pieces.iter().map(|&(a, _)| a).filter(|&a| a > 0).collect();
        Rescuer {
            m,
            w,
            memo,
            open_kind,
            starts,
            encoded: std::cell::Cell::new(false),
            enc: std::cell::OnceCell::new(),
            facts,
            pass: RefCell::new(FxHashMap::default()),
            none: Rc::new(Vec::new()),
            norm: std::cell::OnceCell::new(),
        }
    }

    /// Whether some probe witnesses `node ++ [t]`; with `canon` (node = E(w)) a probe that
    /// leaves w's pieces alone is decided by pairs (substrings of valid sequences are valid, and
    /// valid pieces joined by a valid pair are valid), otherwise by encoding.
    /// `grow`: t is also tried with one more char of its piece (see `grown`).
    pub fn rescued(&self, node: &[u32], t: u32, canon: Option<&Canon>, grow: bool) -> bool {
        let m = self.m;
        // No probe can rescue a token of rescue kind 0 unless it grows (`inner_free`'s list is
        // empty): decided before any list is looked up.
        if m.rescue_kind[t as usize] == 0 && !grow {
            return false;
        }
        let ys = self.inner_free(t, grow);
        let tb = &m.bytes[t as usize];
        // Probes the pairs decide first; the others are tried by encoding.
        // Whether t may be glued to the last token at all: the same for every glued probe.
        let glued = std::cell::OnceCell::new();
        let by_pairs = |c: &Canon, pr: &Probe| match pr.kind {
            Outcome::Glued => {
                *glued.get_or_init(|| c.keep && c.l != NONE && m.valid_pair(c.l, t))
                    && pr.follows(m, t)
                    && not_whole(m, &[c.p, tb, &pr.y[..pr.part]])
            }
            _ => pr.own_passes(m, t),
        };
        let decided = |pr: &Probe| canon.is_some() && pr.kind != Outcome::Other;
        if let Some(c) = canon {
            if ys.iter().filter(|pr| decided(pr)).any(|pr| by_pairs(c, pr)) {
                return true;
            }
        }
        self.witnessed_known(node, t, &ys, |pr| !decided(pr)) || self.open_witnessed(node, t, canon)
    }

    /// An open-char token t (`w ++ bytes(t)` ends inside a UTF-8 char) is witnessed by some
    /// continuation iff it is by `bytes(u)` for some u of `open_next` with the text ending
    /// there, or by a longer one. The probes complete the char with one char per class, which
    /// stands for the class's piece boundaries but not its merges: `\xc2` then U+008F `a` is
    /// `[\xc2, \x8fa]` (the char merges with the letter first) where the probe U+0080 gives
    /// `[\xc2\x80]`. Each group's structure after w is found once per (key of w's probe lists,
    /// class of t, group) (`open_kind`, as `inner_free`'s): `Split` (a boundary inside
    /// `bytes(t) ++ bytes(u)`) fails for every member; `Own` (w's pieces kept, t starts a piece)
    /// witnesses iff the node is `E(w)` and some member leaves `bytes(t) ++ bytes(u)` no whole
    /// token (pairs: (t, u) is valid); `Glued` after `E(w)` (with `canon`) iff the last piece
    /// keeps its tokens, (l, t) is valid and some member leaves `P ++ bytes(t) ++ bytes(u)` no
    /// whole token; otherwise (`Other`, or `Glued` after another node with (last, t) valid)
    /// the group's boundaries after this w are learnt once per (class of t, group) (`Facts`) and
    /// its members encoded (`witnessed`) until one witnesses t.
    fn open_witnessed(&self, node: &[u32], t: u32, canon: Option<&Canon>) -> bool {
        let m = self.m;
        let tb = &m.bytes[t as usize];
        let s = [self.w, tb.as_slice()].concat();
        let p = partial_tail(&s);
        if p == 0 || m.spm.is_some() || !m.open_chars {
            return false;
        }
        let groups = open_next(m, &s[s.len() - p..]);
        if groups.is_empty() {
            return false;
        }
        let lo = self.w.len();
        let cls = m.classes.as_ref().map(|c| c.id[t as usize]);
        let kind = |gid: u32, ub: &[u8]| -> Outcome {
            let k = cls.map(|c| (c, gid));
            if let (Some(k), Some(memo)) = (k, &self.open_kind) {
                if let Some(&o) = memo.borrow().get(&k) {
                    return o;
                }
            }
            let mut pieces = Vec::new();
            m.pieces(&[s.as_slice(), ub].concat(), &mut pieces);
            let hi = s.len() + ub.len();
            let o = if pieces.iter().any(|&(a, _)| a > lo && a < hi) {
                Outcome::Split
            } else {
                let same = pieces
                    .iter()
                    .map(|&(a, _)| a)
                    .filter(|&a| a > 0 && a < lo)
                    .eq(self.starts.iter().copied());
                match (same, pieces.iter().any(|&(a, _)| a == lo)) {
                    (true, false) if lo > 0 => Outcome::Glued,
                    (true, true) => Outcome::Own,
                    _ => Outcome::Other,
                }
            };
            if let (Some(k), Some(memo), true) = (k, &self.open_kind, gid != NONE) {
                memo.borrow_mut().insert(k, o);
            }
            o
        };
        let glue = std::cell::OnceCell::new();
        let glue_ok = || *glue.get_or_init(|| node.last().is_some_and(|&l| m.valid_pair(l, t)));
        let ends = std::cell::OnceCell::new();
        for (gid, us) in groups.iter() {
            let ub0 = &m.bytes[us[0] as usize];
            let by_encoding = match kind(*gid, ub0) {
                Outcome::Split => continue,
                Outcome::Own => {
                    if node != self.enc.get_or_init(|| m.encode_bytes(self.w)).as_slice() {
                        continue;
                    }
                    if us
                        .iter()
                        .any(|&u| m.valid_pair(t, u) && not_whole(m, &[tb, &m.bytes[u as usize]]))
                    {
                        return true;
                    }
                    continue;
                }
                Outcome::Glued => match canon {
                    Some(c) => {
                        if c.keep
                            && c.l != NONE
                            && m.valid_pair(c.l, t)
                            && us.iter().any(|&u| {
                                m.valid_pair(t, u) && not_whole(m, &[c.p, tb, &m.bytes[u as usize]])
                            })
                        {
                            return true;
                        }
                        continue;
                    }
                    None => glue_ok(),
                },
                _ => true,
            };
            if !by_encoding {
                continue;
            }
            // Boundaries after this w for the group (Facts), then the members by encoding.
            let ends = ends.get_or_init(|| {
                let mut at = 0;
                node.iter()
                    .map(|&u| {
                        at += m.bytes.get(u as usize).map_or(0, Vec::len);
                        at
                    })
                    .collect::<Vec<usize>>()
            });
            let fails = |f: &Fact| {
                f.inner
                    || f.starts.iter().any(|a| ends.binary_search(a).is_err())
                    || (lo > 0 && !f.own && !glue_ok())
            };
            let failed = match self.facts.group_key(m, t, *gid) {
                Some(k) => self.facts.with(k, fails).unwrap_or_else(|| {
                    let mut pieces = Vec::new();
                    m.pieces(&[s.as_slice(), ub0].concat(), &mut pieces);
                    // Inside: (|w|, |w ++ t ++ u|): t and u share one piece.
                    self.facts.put(k, &pieces, lo, s.len() + ub0.len());
                    self.facts.with(k, fails).expect("just put")
                }),
                None => false,
            };
            if failed {
                continue;
            }
            self.encoded.set(true);
            if us.iter().any(|&u| {
                m.valid_pair(t, u)
                    && witnessed(
                        m,
                        self.w,
                        node,
                        t,
                        [m.bytes[u as usize].as_slice()],
                        &self.facts,
                    )
            }) {
                return true;
            }
        }
        false
    }

    /// What `rescued(E(w), t, Some(canon), _)` depends on, for a token that a continuation may
    /// rescue (`rescue_kind` not 0, so `grow` does not change its probes): its probes
    /// (`inner_free`) are a function of w's class and t's class, and the probes decided by pairs
    /// look at the context only through a `Glued` probe's pair with the last token, `keep` and
    /// the last piece (ignore_merges' whole check). See [`RescueCat`].
    pub fn category(&self, t: u32) -> RescueCat {
        let m = self.m;
        if !m.reachable[t as usize] {
            return RescueCat::Never;
        }
        let ys = self.inner_free(t, false);
        if ys
            .iter()
            .any(|pr| pr.kind == Outcome::Own && pr.own_passes(m, t))
        {
            return RescueCat::Always;
        }
        // An open-char token may still be witnessed by the tokens after it (`open_witnessed`,
        // which looks at the node): asked per context.
        let open = m.open_chars
            && m.spm.is_none()
            && partial_tail(&[self.w, m.bytes[t as usize].as_slice()].concat()) > 0;
        if open || ys.iter().any(|pr| pr.kind == Outcome::Other) {
            return RescueCat::Other;
        }
        let glued: Vec<Vec<u8>> = ys
            .iter()
            .filter(|pr| pr.kind == Outcome::Glued && pr.follows(m, t))
            .map(|pr| pr.y[..pr.part].to_vec())
            .collect();
        if glued.is_empty() {
            RescueCat::Never
        } else {
            RescueCat::Glued(glued)
        }
    }

    /// `witnessed` over probes whose piece structure after w is known (`Probe::kind`), without
    /// encoding those that cannot witness: an `Own` probe keeps w's pieces closed, so the
    /// encoding starts with `E(w)` and witnesses only a node equal to it; a `Glued` one puts t
    /// in w's last piece right after the node's last token l, which needs the pair (l, t) valid
    /// (substrings of valid sequences are valid; a piece that ignore_merges makes one token has
    /// no such pair).
    fn witnessed_known(
        &self,
        node: &[u32],
        t: u32,
        ys: &Ys,
        take: impl Fn(&Probe) -> bool,
    ) -> bool {
        let m = self.m;
        let glue = std::cell::OnceCell::new();
        let known = |pr: &Probe| {
            take(pr)
                && match pr.kind {
                    Outcome::Own => {
                        node == self.enc.get_or_init(|| m.encode_bytes(self.w)).as_slice()
                    }
                    Outcome::Glued => {
                        *glue.get_or_init(|| node.last().is_some_and(|&l| m.valid_pair(l, t)))
                    }
                    _ => true,
                }
        };
        if !ys.iter().any(known) {
            return false;
        }
        self.encoded.set(true);
        // Probes whose boundaries after w (by t's class, `Facts`) fit no token boundary of the
        // node are dropped for the whole class at once.
        let pass = self.passing(node, t, ys);
        let glued_ok = std::cell::OnceCell::new();
        let ok = |i: usize| match pass.as_ref().map_or(OWN, |p| p[i]) {
            OWN => true,
            GLUED => *glued_ok.get_or_init(|| node.last().is_some_and(|&l| m.valid_pair(l, t))),
            _ => false,
        };

        witnessed(
            m,
            self.w,
            node,
            t,
            (0..ys.len())
                .filter(|&i| ok(i) && known(&ys[i]))
                .map(|i| ys[i].y.as_slice()),
            &self.facts,
        )
    }

    /// Which probes of `ys` (t's list from `inner_free`) keep every piece start inside w at a
    /// token boundary of `node`, by t's class (`Facts`), once per (class, node); None without
    /// classes.
    fn passing(&self, node: &[u32], t: u32, ys: &Ys) -> Option<Rc<[u8]>> {
        let m = self.m;
        let cl = m.classes.as_ref()?;
        let kind0 = m.rescue_kind[t as usize] == 0;
        let key = cl.id[t as usize] | u32::from(kind0) << 31;
        if let Some(v) = self.pass.borrow().get(&key) {
            if let Some((_, p)) = v.iter().find(|(n, _)| n.as_slice() == node) {
                return Some(Rc::clone(p));
            }
        }
        let mut ends = Vec::with_capacity(node.len());
        let mut at = 0;
        for &u in node {
            at += m.bytes.get(u as usize).map_or(0, Vec::len);
            ends.push(at);
        }
        let lo = self.w.len();
        // Across contexts of w's class: the node's ends inside w in class coordinates stand for
        // the node (see `PassKey`); None when some end has no coordinate (not shared).
        let (wkey, norm) = self.norm.get_or_init(|| {
            let mut k = Vec::new();
            super::classes::class_key(self.w, false, &mut k);
            (k, super::classes::norm_positions(self.w))
        });
        let shared: Option<PassKey> = ends
            .iter()
            .filter(|&&e| e <= lo)
            .map(|&e| norm[e])
            .collect::<Option<Vec<u32>>>()
            .map(|ne| pass_key(wkey, key, ne));
        let hit = shared.as_ref().and_then(|pk| m.pass_memo.get(pk));
        let p = match hit {
            #[cfg(test)]
            Some(p) if PASS_CHECK.with(|c| c.get().0) => {
                // Tests: every hit against the direct computation.
                let (direct, _) = self.passing_direct(t, ys, &ends, norm);
                PASS_CHECK.with(|c| {
                    let (on, hits, bad) = c.get();
                    c.set((on, hits + 1, bad + usize::from(direct != p)));
                });
                direct
            }
            Some(p) => p,
            None => {
                let (p, mapped) = self.passing_direct(t, ys, &ends, norm);
                if let (Some(pk), true) = (shared, mapped) {
                    m.pass_memo.insert(pk, Rc::clone(&p));
                }
                p
            }
        };
        self.pass
            .borrow_mut()
            .entry(key)
            .or_default()
            .push((node.to_vec(), Rc::clone(&p)));
        Some(p)
    }

    /// `passing` from w's facts (found now where missing), and whether every fact's piece
    /// starts have class coordinates (`norm`; else the result is kept to this w).
    fn passing_direct(
        &self,
        t: u32,
        ys: &Ys,
        ends: &[usize],
        norm: &[Option<u32>],
    ) -> (Rc<[u8]>, bool) {
        let m = self.m;
        let tb = &m.bytes[t as usize];
        let lo = self.w.len();
        let hi = lo + tb.len();
        let mut mapped = true;
        let mut pieces = Vec::new();
        let p: Rc<[u8]> = ys
            .iter()
            .map(|pr| {
                let Some(k) = self.facts.key(m, t, &pr.y) else {
                    mapped = false;
                    return OWN;
                };
                let mut verdict = |f: &Fact| {
                    mapped &= f.starts.iter().all(|&a| norm[a].is_some());
                    if f.inner || f.starts.iter().any(|a| ends.binary_search(a).is_err()) {
                        FAILS
                    } else if f.own || lo == 0 {
                        OWN
                    } else {
                        GLUED
                    }
                };
                if let Some(v) = self.facts.with(k, &mut verdict) {
                    return v;
                }
                m.pieces(&[self.w, tb, &pr.y].concat(), &mut pieces);
                self.facts.put(k, &pieces, lo, hi);
                self.facts.with(k, &mut verdict).expect("just put")
            })
            .collect();
        (p, mapped)
    }

    /// ignore_merges: t glued after the last piece `p` of the node fails with the text ending
    /// after it when `p ++ bytes(t)` is one vocabulary token; a piece that goes on is not, so
    /// one more char of the piece may witness it.
    pub fn grown_after(&self, node: &[u32], t: u32, p: &[u8]) -> bool {
        !p.is_empty() && self.m.whole_after(p).binary_search(&t).is_ok() && self.grown(node, t)
    }

    /// `grown_after` once `p ++ bytes(t)` is known to be one token.
    /// (The probes are `inner_free`'s with grow: they include every one-char probe that keeps
    /// t whole; more probes only find more witnesses, each one exact.)
    /// Where a partial char or no classes make them other probes, all of ONE are encoded.
    pub fn grown(&self, node: &[u32], t: u32) -> bool {
        let m = self.m;
        let tb = &m.bytes[t as usize];
        if m.classes.is_some() && partial_tail(&[self.w, tb].concat()) == 0 {
            return self.witnessed_known(node, t, &self.inner_free(t, true), |_| true);
        }
        self.encoded.set(true);
        witnessed(
            m,
            self.w,
            node,
            t,
            ONE.iter().map(|y| y.as_bytes()),
            &self.facts,
        )
    }

    fn inner_free(&self, t: u32, grow: bool) -> Ys {
        let m = self.m;
        let kind = m.rescue_kind[t as usize];
        if kind == 0 && !grow {
            return Rc::clone(&self.none);
        }
        let ws = kind == 1;
        let cls = m
            .classes
            .as_ref()
            .map(|c| c.id[t as usize] | u32::from(kind == 0) << 31);
        if let (Some(c), Some(memo)) = (cls, &self.memo) {
            if let Some(v) = memo.borrow().get(&c) {
                return Rc::clone(v);
            }
        }
        let s = [self.w, &m.bytes[t as usize]].concat();
        let ys = if m.classes.is_none() || partial_tail(&s) > 0 {
            probes(m, &s)
        } else if kind == 0 {
            Rc::new(ONE.iter().map(|y| y.as_bytes().to_vec()).collect())
        } else {
            Rc::new(rescue_probes(ws))
        };
        let (lo, hi) = (self.w.len(), s.len());
        let mut pieces = Vec::new();
        let mut v = Vec::new();
        for y in ys.iter() {
            m.pieces(&[s.as_slice(), y].concat(), &mut pieces);
            if pieces.iter().any(|&(a, _)| a > lo && a < hi) {
                continue;
            }
            let same = pieces
                .iter()
                .map(|&(a, _)| a)
                .filter(|&a| a > 0 && a < lo)
                .eq(self.starts.iter().copied());
            let own = pieces.iter().any(|&(a, _)| a == lo);
            let end = pieces
                .iter()
                .find(|&&(a, e)| a < hi && e >= hi)
                .map_or(hi, |&(_, e)| e);
            let part = end.saturating_sub(hi).min(y.len());
            let mut u = Vec::new();
            m.merges_only(&y[..part], &mut u);
            let kind = match (same, own) {
                (true, false) if lo > 0 => Outcome::Glued,
                (true, true) => Outcome::Own,
                _ => Outcome::Other,
            };
            v.push(Probe {
                y: y.clone(),
                kind,
                part,
                u: u.first().copied().unwrap_or(NONE),
            });
        }
        let v = Rc::new(v);
        if let (Some(c), Some(memo)) = (cls, &self.memo) {
            memo.borrow_mut().insert(c, Rc::clone(&v));
        }
        v
    }
}
