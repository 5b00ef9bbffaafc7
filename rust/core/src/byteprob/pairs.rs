//! Pair validity in a few lookups, without running the merge loop (the `bpe` crate's
//! `is_valid_token_pair`, github/rust-gems, MIT; re-derived here on merge ranks).
//!
//! `valid(l, t)` ⇔ the merge loop on `bytes(l) ++ bytes(t)` gives `[l, t]`. Walk both merge trees
//! towards the boundary: the right spine of `l` and the left spine of `t`. At each step the pair
//! (a, b) facing each other across the boundary is checked: if BPE has a merge (a, b) ranked
//! before the merge that would replace a (left internal merges win ties: they lie further left)
//! or not after the one that would replace b (the crossing merge wins ties), it crosses the
//! boundary and the pair is invalid. Then the later-made of a, b is split back one merge.
//!
//! Needs every token's merge tree (the last merge the loop applies to make it) and merges that
//! apply in key order (see `new`); `new` returns None otherwise and callers run the merge loop.
use super::{ByteModel, NONE};

pub struct PairIndex {
    /// Effective creation key of a token (see `new`): bytes first, then merges in the order the
    /// merge loop can apply them.
    rk: Vec<u64>,
    /// Parts of the merge that makes a token (itself twice for single bytes).
    split: Vec<(u32, u32)>,
    /// `merges_only(bytes(t)) == [t]`: tokens the merge loop can make on their own.
    mreach: Vec<bool>,
    /// Effective key of each merge, by (left, right).
    key: rustc_hash::FxHashMap<u64, u64>,
    /// Merges by left part: (right part, effective key).
    right_of: rustc_hash::FxHashMap<u32, Vec<(u32, u64)>>,
    /// Tokens whose merge tree splits them as (b, _), by b: the next step up left spines.
    left_parents: Vec<Vec<u32>>,
}

const fn pk(a: u32, b: u32) -> u64 {
    ((a as u64) << 32) | b as u64
}

impl PairIndex {
    /// Merge lists converted from tiktoken (Llama-3, o200k) are not rank-monotone: a merge may
    /// rank before the making of one of its parts, and then fires as soon as that part is made.
    /// Its effective key is (max(rank, parts' keys), delayed, rank); a token's key is the least
    /// key of the merges that make it. The index is checked against the merge loop on a fixed
    /// sample of pairs (and on every pair in the tests); any disagreement disables it.
    pub fn new(m: &ByteModel) -> Option<PairIndex> {
        let idx = Self::build(m)?;
        // Self-check on a fixed sample: every 97th reachable token against a spread of others.
        let toks: Vec<u32> = (0..m.bytes.len() as u32)
            .filter(|&t| idx.mreach[t as usize])
            .collect();
        for (i, &l) in toks.iter().enumerate().step_by(97) {
            for &t in toks.iter().skip(i % 13).step_by((toks.len() / 40).max(1)) {
                if idx.valid(l, t) != m.valid_pair_slow(l, t) {
                    return None;
                }
            }
        }
        Some(idx)
    }

    pub fn build(m: &ByteModel) -> Option<PairIndex> {
        let model = super::bpe(&m.tok);
        let n = m.bytes.len();
        const UNSET: u64 = u64::MAX;
        let mut rk = vec![UNSET; n];
        let mut split = vec![(NONE, NONE); n];
        // Initial symbols (bytes, or chars and byte-fallback tokens): keyed below every merge.
        let mut units = Vec::new();
        for (t, bytes) in m.bytes.iter().enumerate() {
            if !bytes.is_empty() && bytes.len() <= 4 {
                units.clear();
                m.units(bytes, &mut units);
                if units == [t as u32] {
                    rk[t] = t as u64;
                    split[t] = (t as u32, t as u32);
                }
            }
        }
        let mut ms: Vec<(u32, u32, u32, u32)> = model
            .merges
            .iter()
            .filter(|&(a, b, _, t)| (a as usize) < n && (b as usize) < n && (t as usize) < n)
            .collect();
        ms.sort_unstable_by_key(|x| x.2);
        let mkey = |rk: &[u64], a: u32, b: u32, r: u32| -> u64 {
            let (ka, kb) = (rk[a as usize], rk[b as usize]);
            if ka == UNSET || kb == UNSET {
                return UNSET;
            }
            let own = (r as u64 + 1) << 40;
            let p = own.max(ka & !0xFF_FFFF_FFFF).max(kb & !0xFF_FFFF_FFFF);
            let delayed = (p != own) as u64;
            p | (delayed << 39) | r as u64
        };
        // Fixed point: a delayed merge's key depends on keys made later in rank order.
        for _ in 0..8 {
            let mut changed = false;
            for &(a, b, r, t) in &ms {
                let k = mkey(&rk, a, b, r);
                if k < rk[t as usize] {
                    rk[t as usize] = k;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // The split of each token is the last merge the merge loop applies to its bytes, and its
        // key that merge's key.
        for (t, bytes) in m.bytes.iter().enumerate() {
            if !bytes.is_empty() && split[t].0 != t as u32 {
                if let Some((a, b)) = last_merge(m, bytes, t as u32) {
                    split[t] = (a, b);
                    rk[t] = mkey(&rk, a, b, model.merges.get(a, b).map_or(0, |x| x.0));
                } else {
                    rk[t] = UNSET;
                }
            }
        }
        let mut key = rustc_hash::FxHashMap::default();
        let mut right_of: rustc_hash::FxHashMap<u32, Vec<(u32, u64)>> = Default::default();
        for &(a, b, r, _) in &ms {
            let k = mkey(&rk, a, b, r);
            if k != UNSET {
                key.insert(pk(a, b), k);
                right_of.entry(a).or_default().push((b, k));
            }
        }
        let mut left_parents = vec![Vec::new(); n];
        for (t, &(a, _)) in split.iter().enumerate() {
            if a != NONE && a != t as u32 {
                left_parents[a as usize].push(t as u32);
            }
        }
        let mut mreach = vec![false; n];
        for (t, bytes) in m.bytes.iter().enumerate() {
            if rk[t] != UNSET && !bytes.is_empty() {
                let mut out = Vec::new();
                m.merges_only(bytes, &mut out);
                mreach[t] = out == [t as u32];
            }
        }
        // Byte-fallback tokens: their validity depends on the partial char before them, not on a
        // pair (module `spm`), so the index answers only for text tokens.
        if let Some(s) = &m.spm {
            s.fallback.iter().for_each(|&b| mreach[b as usize] = false);
        }
        Some(PairIndex {
            rk,
            split,
            mreach,
            key,
            right_of,
            left_parents,
        })
    }

    /// The tokens t the merge loop makes on its own with `valid(l, t)` false (sorted ids), found
    /// through the merge trees instead of by trying every t (ByteSampler's `_invalid_r_filtered`
    /// idea): `valid` fails at a pair (a, b) facing the boundary, a on the right spine of l and
    /// b on the left spine of t, whose merge key is below the key of the token `valid` split last.
    /// Necessary conditions, read off that walk (keys grow up both spines): the merge (a, b)
    /// exists; its key k is not above the key of a's parent on l's spine; and b is t, or the
    /// token above b on t's left spine has a key of at least k (else b is merged rightwards
    /// first and the pair facing a is that token). The candidates meeting them are then checked
    /// with `valid` itself, so the result is exactly `valid`'s. None: no t is valid after l.
    pub fn invalid_after(&self, l: u32) -> Option<Vec<u32>> {
        if !self.mreach.get(l as usize).copied().unwrap_or(false) {
            return None;
        }
        let mut cand = Vec::new();
        let (mut a, mut limit) = (l, u64::MAX);
        loop {
            for &(b, k) in self.right_of.get(&a).map_or(&[][..], Vec::as_slice) {
                if k > limit {
                    continue;
                }
                cand.push(b);
                for &t in &self.left_parents[b as usize] {
                    if self.rk[t as usize].saturating_add(1) >= k {
                        self.above(t, &mut cand);
                    }
                }
            }
            let na = self.split[a as usize].1;
            if na == a || na == NONE {
                break;
            }
            limit = self.rk[a as usize];
            a = na;
        }
        cand.sort_unstable();
        cand.dedup();
        cand.retain(|&t| self.mreach[t as usize] && !self.valid(l, t));
        Some(cand)
    }

    /// t and every token above it on left spines.
    fn above(&self, t: u32, out: &mut Vec<u32>) {
        out.push(t);
        for &u in &self.left_parents[t as usize] {
            self.above(u, out);
        }
    }

    /// The merge loop makes t on its own (else no pair ending in t is valid).
    pub fn makes(&self, t: u32) -> bool {
        self.mreach.get(t as usize).copied().unwrap_or(false)
    }

    pub fn valid(&self, l: u32, t: u32) -> bool {
        if self.rk.get(l as usize) == Some(&u64::MAX) || self.rk.get(t as usize) == Some(&u64::MAX)
        {
            return false;
        }
        let (lu, tu) = (l as usize, t as usize);
        if lu >= self.mreach.len()
            || tu >= self.mreach.len()
            || !self.mreach[lu]
            || !self.mreach[tu]
        {
            return false;
        }
        let (rk, split) = (&self.rk, &self.split);
        let (mut a, mut b) = (l, t);
        let mut limit = u64::MAX;
        loop {
            if let Some(&k) = self.key.get(&pk(a, b)) {
                if k < limit {
                    return false;
                }
            }
            if rk[a as usize] > rk[b as usize] {
                limit = rk[a as usize];
                let na = split[a as usize].1;
                if na == a {
                    limit = rk[b as usize] + 1;
                    let nb = split[b as usize].0;
                    if nb == b {
                        return true;
                    }
                    b = nb;
                } else {
                    a = na;
                }
            } else {
                limit = rk[b as usize] + 1;
                let nb = split[b as usize].0;
                if nb == b {
                    limit = rk[a as usize];
                    let na = split[a as usize].1;
                    if na == a {
                        return true;
                    }
                    a = na;
                } else {
                    b = nb;
                }
            }
        }
    }
}

/// The merge loop on `bytes` (lowest rank first, leftmost on ties, as `encode::merge`), tracking
/// parts: the last merge applied when it ends in the single token `t`.
fn last_merge(m: &ByteModel, bytes: &[u8], t: u32) -> Option<(u32, u32)> {
    let model = super::bpe(&m.tok);
    let mut sym = Vec::new();
    m.units(bytes, &mut sym);
    let mut last = None;
    loop {
        let mut best = (u32::MAX, usize::MAX, NONE);
        for i in 0..sym.len().saturating_sub(1) {
            if let Some((r, mm)) = model.merges.get(sym[i], sym[i + 1]) {
                if r < best.0 {
                    best = (r, i, mm);
                }
            }
        }
        if best.1 == usize::MAX {
            break;
        }
        let i = best.1;
        last = Some((sym[i], sym[i + 1]));
        sym[i] = best.2;
        sym.remove(i + 1);
    }
    (sym == [t]).then_some(last).flatten()
}
