//! The covers of a growing byte prefix `x`, one byte at a time.
//!
//! Invariant after every `push`: `last[j]` is the last token of `E(x[..j])` for 0 < j ≤ n, and
//! `E(x[..j]) = E(x[..j − |last[j]|]) ++ [last[j]]`, so each prefix's encoding is a chain of
//! earlier positions and a model state can be named by its byte position `j` alone. For BPE
//! without splits the chain is exact: `last[n]` is the one suffix token whose pair with the
//! encoding before it is valid (uniqueness of valid encodings). With a splitting pretokenizer
//! `last[n]` comes from encoding the window and the chain is checked against it; a mismatch
//! (a non prefix-closed encoding) clears `chain_ok`.
use super::{ByteModel, NONE};
use std::rc::Rc;

pub struct CoverState {
    m: Rc<ByteModel>,
    pub x: Vec<u8>,
    /// last[j] for j = 0..=n (last[0] = NONE: the empty encoding).
    pub last: Vec<u32>,
    /// Start of the window whose boundaries are still provisional (splitting pretokenizers).
    pub window: usize,
    pub chain_ok: bool,
    buf: Vec<u8>,
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
            buf: Vec::new(),
        }
    }

    pub fn push(&mut self, b: u8) {
        self.x.push(b);
        let n = self.x.len();
        let m = &*self.m;
        if m.exact {
            let mut found = NONE;
            for len in (1..=n.min(m.max_len)).rev() {
                if let Some(t) = super::bpe(&m.tok).piece_id(&self.x[n - len..]) {
                    let j = n - len;
                    if m.reachable[t as usize]
                        && (j == 0 || (self.last[j] != NONE && m.valid_pair(self.last[j], t)))
                    {
                        found = t;
                        break;
                    }
                }
            }
            self.last.push(found);
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
    fn valid(&mut self, j: usize, t: u32, tail: &[u32]) -> bool {
        let m = &*self.m;
        if !m.reachable[t as usize] {
            return false;
        }
        if m.exact {
            return j == 0 || (self.last[j] != NONE && m.valid_pair(self.last[j], t));
        }
        self.buf.clear();
        self.buf.extend_from_slice(&self.x[self.window..j]);
        self.buf.extend_from_slice(&m.bytes[t as usize]);
        let e = m.encode_bytes(&self.buf);
        e.len() == tail.len() + 1 && e[..tail.len()] == *tail && e[tail.len()] == t
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
            let tail = if m.exact {
                Vec::new()
            } else {
                m.encode_bytes(&self.x[self.window..j])
            };
            let mut cands = Vec::new();
            for &t in &m.sorted[lo..hi] {
                let tb = &m.bytes[t as usize];
                if tb.len() == n - j && !include_exact {
                    continue;
                }
                if self.valid(j, t, &tail) {
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

    /// Text tokens that may not follow E(x). For splitting pretokenizers most tokens are decided
    /// by the piece structure alone: t forms its own new piece (valid iff reachable) or extends
    /// the last piece (valid iff its pair with the last token is); anything else is encoded.
    fn end_invalid(&mut self) -> Vec<u32> {
        let m = Rc::clone(&self.m);
        let n = self.x.len();
        if n > 0 && self.last[n] == NONE {
            return m.sorted.clone();
        }
        let mut out = Vec::new();
        if m.exact {
            for &t in &m.sorted {
                if !self.valid(n, t, &[]) {
                    out.push(t);
                }
            }
            return out;
        }
        let w = self.window;
        let base = self.x[w..].to_vec();
        let tail = m.encode_bytes(&base);
        let mut pre = Vec::new();
        m.pieces(&base, &mut pre);
        let mut now = Vec::new();
        let mut buf = base.clone();
        // With ignore_merges the last piece P may be one token that the merge loop alone does
        // not give; then no glued t is valid (the loop on P ++ bytes(t) cannot end in [P, t]).
        let merges_keep_last = match pre.last() {
            Some(&(p0, _)) => {
                let (mut e, mut want) = (Vec::new(), Vec::new());
                m.merges_only(&base[p0..], &mut e);
                m.bpe(&base[p0..], &mut want);
                e == want
            }
            None => true,
        };
        for &t in &m.sorted {
            if !m.reachable[t as usize] {
                out.push(t);
                continue;
            }
            let tb = &m.bytes[t as usize];
            buf.truncate(base.len());
            buf.extend_from_slice(tb);
            m.pieces(&buf, &mut now);
            let own = now.len() == pre.len() + 1
                && now[..pre.len()] == pre[..]
                && now[pre.len()] == (base.len(), buf.len());
            let glued = !pre.is_empty()
                && now.len() == pre.len()
                && now[..pre.len() - 1] == pre[..pre.len() - 1]
                && now[pre.len() - 1] == (pre[pre.len() - 1].0, buf.len());
            let ok = if own {
                true
            } else if glued {
                // Inside one piece the merge loop keeps E(P) and appends t iff the pair is valid
                // (a crossing merge leaves no token boundary there); ignore_merges adds P ++ t.
                let p0 = pre[pre.len() - 1].0;
                let whole = super::bpe(&m.tok).ignore_merges
                    && super::bpe(&m.tok).piece_id(&buf[p0..]).is_some();
                !whole && merges_keep_last && m.valid_pair(self.last[n], t)
            } else {
                let e = m.encode_bytes(&buf);
                e.len() == tail.len() + 1 && e[..tail.len()] == tail[..] && e[tail.len()] == t
            };
            if !ok {
                out.push(t);
            }
        }
        out
    }
}
