//! The covers of a growing byte prefix `x`, one byte at a time.
//!
//! Invariant after every `push`: `last[j]` is the last token of `E(x[..j])` for 0 < j ≤ n, and
//! `E(x[..j]) = E(x[..j − |last[j]|]) ++ [last[j]]`, so each prefix's encoding is a chain of
//! earlier positions and a model state can be named by its byte position `j` alone. For BPE
//! without splits the chain is exact: `last[n]` is the one suffix token whose pair with the
//! encoding before it is valid (uniqueness of valid encodings). With a splitting pretokenizer
//! `last[n]` comes from encoding the window and the chain is checked against it; a mismatch
//! (a non prefix-closed encoding) clears `chain_ok`.
use super::{classes, ByteModel, NONE};
use std::rc::Rc;

pub struct CoverState {
    m: Rc<ByteModel>,
    pub x: Vec<u8>,
    /// last[j] for j = 0..=n (last[0] = NONE: the empty encoding).
    pub last: Vec<u32>,
    /// Start of the window whose boundaries are still provisional (splitting pretokenizers).
    pub window: usize,
    pub chain_ok: bool,
}

/// One split point j of the cover: the tokens t that may follow `E(x[..j])`, with the byte each
/// adds after x (`NONE` when bytes(t) ends exactly at n).
pub struct Split {
    pub j: usize,
    pub cands: Vec<(u32, u32)>,
}

pub struct Plan {
    /// Splits j < n (tokens straddling or reaching the end of x).
    pub splits: Vec<Split>,
    /// At j = n: text tokens that may NOT follow E(x) (invalid pairs, unreachable tokens).
    pub end_invalid: Vec<u32>,
}

impl CoverState {
    pub fn new(m: Rc<ByteModel>) -> CoverState {
        CoverState {
            m,
            x: Vec::new(),
            last: vec![NONE],
            window: 0,
            chain_ok: true,
        }
    }

    pub fn push(&mut self, b: u8) {
        self.x.push(b);
        let n = self.x.len();
        let m = &*self.m;
        if m.exact {
            self.last.push(m.last_token(&self.x, &self.last));
            return;
        }
        let mut pieces = Vec::new();
        m.pieces(&self.x[self.window..], &mut pieces);
        if pieces.len() >= 3 {
            self.window += pieces[pieces.len() - 2].0;
        }
        let e = m.encode_bytes(&self.x[self.window..]);
        self.last.push(e.last().copied().unwrap_or(NONE));
        // Check the chain against the window's encoding.
        let mut pos = n;
        for &t in e.iter().rev() {
            if self.last[pos] != t {
                self.chain_ok = false;
                break;
            }
            pos -= m.bytes[t as usize].len();
        }
        if pos != self.window {
            self.chain_ok = false;
        }
    }

    /// The token ids of `E(x[..j])`, by walking the chain.
    pub fn path(&self, j: usize) -> Vec<u32> {
        let mut out = Vec::new();
        let mut pos = j;
        while pos > 0 {
            let t = self.last[pos];
            if t == NONE {
                break;
            }
            out.push(t);
            pos -= self.m.bytes[t as usize].len();
        }
        out.reverse();
        out
    }

    /// Chain link of position j: (previous position, last token), or None for j = 0.
    pub fn link(&self, j: usize) -> Option<(usize, u32)> {
        let t = *self.last.get(j)?;
        (j > 0 && t != NONE).then(|| (j - self.m.bytes[t as usize].len(), t))
    }

    /// Whether `E(x[..j]) ++ [t]` is canonical (`bytes(t)` extends `x[j..]`, or j = n).
    fn valid(&self, ctx: &Ctx, t: u32) -> bool {
        let m = &*self.m;
        if !m.reachable[t as usize] {
            return false;
        }
        if m.exact {
            return m.valid_next(&self.x[..ctx.j], ctx.l, t);
        }
        match m.outcome(&ctx.w, t) {
            classes::OWN => true,
            classes::GLUED => ctx.glued_ok(m, t),
            classes::SPLIT => false,
            _ => ctx.by_encoding(m, t),
        }
    }

    /// The context of split point j (window bytes, their encoding, the last piece's facts).
    fn ctx(&self, j: usize) -> Ctx {
        let m = &*self.m;
        let l = if j == 0 { NONE } else { self.last[j] };
        if m.exact {
            return Ctx {
                j,
                l,
                w: Vec::new(),
                tail: Vec::new(),
                keep: true,
                whole: Rc::new(Vec::new()),
                last_piece: Vec::new(),
            };
        }
        let w = self.x[self.window..j].to_vec();
        let tail = m.encode_bytes(&w);
        let mut pre = Vec::new();
        m.pieces(&w, &mut pre);
        let last_piece = match pre.last() {
            Some(&(p0, _)) if super::bpe(&m.tok).ignore_merges => w[p0..].to_vec(),
            _ => Vec::new(),
        };
        let (keep, whole) = match pre.last() {
            Some(&(p0, _)) => {
                // With ignore_merges the last piece P may be one token that the merge loop alone
                // does not give; then no glued t is valid (the loop on P ++ bytes(t) cannot end
                // in [P, t]); and a glued t with P ++ bytes(t) in the vocabulary is one token.
                let (mut e, mut want) = (Vec::new(), Vec::new());
                m.merges_only(&w[p0..], &mut e);
                m.bpe(&w[p0..], &mut want);
                (e == want, m.whole_after(&w[p0..]))
            }
            None => (true, Rc::new(Vec::new())),
        };
        Ctx {
            j,
            l: tail.last().copied().unwrap_or(NONE),
            w,
            tail,
            keep,
            whole,
            last_piece,
        }
    }

    /// The covers of x grouped by split point; `include_exact` adds tokens ending exactly at n
    /// (needed for P(x) as a prefix, not for the next byte).
    pub fn plan(&mut self, include_exact: bool) -> Plan {
        let m = Rc::clone(&self.m);
        let n = self.x.len();
        let lo_j = n.saturating_sub(m.max_len).max(self.window);
        let mut splits = Vec::new();
        for j in lo_j..n {
            if j > 0 && self.last[j] == NONE {
                continue;
            }
            let (lo, hi) = m.prefix_range(&self.x[j..]);
            if lo == hi {
                continue;
            }
            let ctx = self.ctx(j);
            let mut cands = Vec::new();
            for &t in &m.sorted[lo..hi] {
                let tb = &m.bytes[t as usize];
                if tb.len() == n - j && !include_exact {
                    continue;
                }
                if self.valid(&ctx, t) {
                    cands.push((t, tb.get(n - j).map_or(NONE, |&b| b as u32)));
                }
            }
            if !cands.is_empty() {
                splits.push(Split { j, cands });
            }
        }
        let end_invalid = self.end_invalid();
        Plan {
            splits,
            end_invalid,
        }
    }

    /// Text tokens that may not follow E(x). With classes, each token class is decided once:
    /// own pieces are valid when reachable, glued ones by their pair, the rest by encoding.
    fn end_invalid(&mut self) -> Vec<u32> {
        let m = Rc::clone(&self.m);
        let n = self.x.len();
        if n > 0 && self.last[n] == NONE {
            return m.sorted.clone();
        }
        let ctx = self.ctx(n);
        let mut out = Vec::new();
        match (&m.classes, m.exact) {
            (Some(cl), false) => {
                // The answer depends on the class of the window, the last token, and the last
                // piece's facts only, unless some class needs encoding (OTHER): memoised.
                let mut key = Vec::new();
                classes::class_key(&ctx.w, false, &mut key);
                let p = ctx.last_piece.clone();
                let memo = (ctx.l, key, ctx.keep, p);
                if let Some(v) = m.end_memo.borrow().get(&memo) {
                    return v.to_vec();
                }
                let row = cl.row(&m, &ctx.w);
                let mut other = false;
                for (c, members) in cl.members.iter().enumerate() {
                    for &t in members {
                        let ok = m.reachable[t as usize]
                            && match row[c] {
                                classes::OWN => true,
                                classes::GLUED => ctx.glued_ok(&m, t),
                                classes::SPLIT => false,
                                _ => {
                                    other = true;
                                    ctx.by_encoding(&m, t)
                                }
                            };
                        if !ok {
                            out.push(t);
                        }
                    }
                }
                if !other {
                    let mut memo_map = m.end_memo.borrow_mut();
                    if memo_map.len() > 4096 {
                        memo_map.clear();
                    }
                    memo_map.insert(memo, out.clone().into());
                }
            }
            _ => {
                for &t in &m.sorted {
                    if !self.valid(&ctx, t) {
                        out.push(t);
                    }
                }
            }
        }
        out
    }
}

/// What validity at one split point j needs (see `CoverState::ctx`).
struct Ctx {
    j: usize,
    /// Last token of E(x[..j]) (NONE at j = 0).
    l: u32,
    /// The window's bytes up to j and their encoding (splitting pretokenizers only).
    w: Vec<u8>,
    tail: Vec<u32>,
    /// The merge loop alone gives the encoding of the last piece (see `ctx`).
    keep: bool,
    /// Tokens t with P ++ bytes(t) one vocabulary token (ignore_merges).
    whole: Rc<Vec<u32>>,
    /// The last piece P when `whole` depends on it (ignore_merges), else empty.
    last_piece: Vec<u8>,
}

impl Ctx {
    fn glued_ok(&self, m: &ByteModel, t: u32) -> bool {
        self.keep
            && self.l != NONE
            && self.whole.binary_search(&t).is_err()
            && m.valid_pair(self.l, t)
    }

    fn by_encoding(&self, m: &ByteModel, t: u32) -> bool {
        let mut buf = self.w.clone();
        buf.extend_from_slice(&m.bytes[t as usize]);
        let e = m.encode_bytes(&buf);
        let k = self.tail.len();
        e.len() == k + 1 && e[..k] == self.tail[..] && e[k] == t
    }
}
