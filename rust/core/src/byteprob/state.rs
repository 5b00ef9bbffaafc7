//! The covers of a growing byte prefix `x`, one byte at a time, as a tree of token sequences.
//!
//! A node is a token sequence that some cover extends; it is named by an id (interned by
//! (parent, token)), so a model state is asked for once per node. Without a splitting
//! pretokenizer each byte position j has one node, `E(x[..j])` (uniqueness of valid encodings),
//! kept by `last[j]`, the last token of `E(x[..j])`. With one, the bytes before `window` are
//! settled (`branches::settled`, checked on every advance; a failure clears `chain_ok`) and
//! encoded once as `trunk`; the tail `x[window..]` (its last two pieces) may take several
//! structures (`branches::structures`), and each structure gives its own node at a split point.
use super::classes::Outcome;
use super::masses::{self, Masses, Sums, VectorError, VectorKind};
use super::{branches, classes, ByteModel, NONE};
use rustc_hash::FxHashMap;
use std::rc::Rc;

#[derive(Clone, Copy)]
struct Node {
    parent: u32,
    tok: u32,
    end: usize,
}

pub struct CoverState {
    m: Rc<ByteModel>,
    pub x: Vec<u8>,
    nodes: Vec<Node>,
    intern: FxHashMap<(u32, u32), u32>,
    /// Non-splitting path: last[j] = last token of E(x[..j]) (NONE: no encoding; last[0] = NONE)
    /// and canon[j] its node.
    pub last: Vec<u32>,
    canon: Vec<u32>,
    /// Splitting path: bytes before `window` are settled; `trunk` is the node of their encoding.
    pub window: usize,
    trunk: u32,
    /// False once a boundary taken as settled moved under some continuation (results inexact).
    pub chain_ok: bool,
    /// The tokens listed after a node when it was an end node (validity after a node does not
    /// change as x grows); kept while the node can still be a split point.
    end_sets: FxHashMap<u32, TokSet>,
    /// The model's vectors by node (module `masses`), cut to what x still needs as it grows.
    sums: FxHashMap<u32, Sums>,
    /// The layout of the current x, kept between `lay_out` and `masses`.
    laid: Option<Layout>,
}

/// Disjoint ascending runs [a, b) of positions in `ByteModel::sorted`.
pub type Runs = Rc<[(u32, u32)]>;

/// The runs of ascending positions.
pub fn runs_of(pos: &[u32]) -> Runs {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &p in pos {
        match out.last_mut() {
            Some(r) if r.1 == p => r.1 = p + 1,
            _ => out.push((p, p + 1)),
        }
    }
    out.into()
}

/// Tokens after a node: the valid ones (`listed_valid`) or the invalid ones, as runs of
/// positions in `ByteModel::sorted`, not ids: a byte prefix is a range of positions, and
/// validity is much the same for tokens that share their first bytes (tens of thousands of
/// invalid tokens after a word are a few hundred runs), so sums over a set are range sums.
#[derive(Clone)]
pub struct TokSet {
    pub runs: Runs,
    pub listed_valid: bool,
}

impl TokSet {
    pub fn allows(&self, p: u32) -> bool {
        let i = self.runs.partition_point(|r| r.1 <= p);
        (i < self.runs.len() && self.runs[i].0 <= p) == self.listed_valid
    }

    pub fn positions(&self) -> impl Iterator<Item = u32> + '_ {
        self.runs.iter().flat_map(|&(a, b)| a..b)
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }
}

/// What a split point offers: the node's stored set, to meet the range of tokens extending
/// `x[j..]`, or the valid tokens of that range checked one by one (node never an end node).
pub enum Offer {
    Set(TokSet),
    Listed(Vec<u32>),
}

/// The covers of x by node, before they are listed (`Plan`) or summed (`masses`).
pub struct Layout {
    /// (node, split point j, what follows the node); tokens ending exactly at n included.
    pub splits: Vec<(u32, usize, Offer)>,
    /// (node whose bytes are all of x, tokens after it, whether it is E(x)).
    pub ends: Vec<(u32, TokSet, bool)>,
}

/// One node of the cover (its bytes end at j < n): the tokens t that may follow it, with the
/// byte each adds after x (`NONE` when bytes(t) ends exactly at n).
pub struct Split {
    pub node: u32,
    pub j: usize,
    pub cands: Vec<(u32, u32)>,
}

/// A node whose bytes are all of x: the tokens that may (`listed_valid`) or may not follow it.
pub struct End {
    pub node: u32,
    pub ids: Vec<u32>,
    pub listed_valid: bool,
    /// The node is `E(x)`, the only one after which the text may end.
    pub canonical: bool,
}

pub struct Plan {
    pub splits: Vec<Split>,
    pub ends: Vec<End>,
}

impl CoverState {
    pub fn new(m: Rc<ByteModel>) -> CoverState {
        CoverState {
            m,
            x: Vec::new(),
            nodes: vec![Node {
                parent: NONE,
                tok: NONE,
                end: 0,
            }],
            intern: FxHashMap::default(),
            last: vec![NONE],
            canon: vec![0],
            window: 0,
            trunk: 0,
            chain_ok: true,
            end_sets: FxHashMap::default(),
            sums: FxHashMap::default(),
            laid: None,
        }
    }

    fn child(&mut self, parent: u32, tok: u32) -> u32 {
        if let Some(&id) = self.intern.get(&(parent, tok)) {
            return id;
        }
        let end = self.nodes[parent as usize].end + self.m.bytes[tok as usize].len();
        let id = self.nodes.len() as u32;
        self.nodes.push(Node { parent, tok, end });
        self.intern.insert((parent, tok), id);
        id
    }

    fn extend(&mut self, mut node: u32, toks: &[u32]) -> u32 {
        for &t in toks {
            node = self.child(node, t);
        }
        node
    }

    pub fn push(&mut self, b: u8) {
        self.x.push(b);
        let n = self.x.len();
        let m = Rc::clone(&self.m);
        let nodes = &self.nodes;
        self.end_sets
            .retain(|&k, _| nodes[k as usize].end + m.max_len >= n);
        self.laid = None;
        let x = &self.x;
        self.sums.retain(|&k, s| {
            let j = nodes[k as usize].end;
            if n - j <= masses::DENSE {
                return true;
            }
            let (a, b) = s.range();
            let r = &x[j..];
            let lo = a + m.sorted[a..b].partition_point(|&t| m.bytes[t as usize].as_slice() < r);
            let hi = lo + m.sorted[lo..b].partition_point(|&t| m.bytes[t as usize].starts_with(r));
            if lo == hi {
                return false;
            }
            if (lo, hi) != (a, b) {
                s.cut(lo, hi);
            }
            true
        });
        if m.simple {
            let found = m.last_token(&self.x, &self.last);
            self.last.push(found);
            let node = if found == NONE {
                NONE
            } else {
                self.child(self.canon[n - m.bytes[found as usize].len()], found)
            };
            self.canon.push(node);
            return;
        }
        let mut pieces = Vec::new();
        m.pieces(&self.x[self.window..], &mut pieces);
        if pieces.len() >= 3 {
            let b = pieces[pieces.len() - 2].0;
            if !branches::settled(&m, &self.x[self.window..], b) {
                self.chain_ok = false;
            }
            let mut toks = Vec::new();
            for &(a, e) in &pieces[..pieces.len() - 2] {
                m.bpe(&self.x[self.window + a..self.window + e], &mut toks);
            }
            self.trunk = self.extend(self.trunk, &toks);
            self.window += b;
        }
    }

    /// Takes the model's vector of kind `kind` after `node` (`ids` values expected, `eos` read
    /// apart). Returns its total (`Sums::check`).
    pub fn set_vector<T: Copy + Into<f64>>(
        &mut self,
        node: u32,
        q: &[T],
        eos: u32,
        ids: usize,
        kind: VectorKind,
    ) -> Result<f64, VectorError> {
        let s = Sums::new(&self.m, q, eos, ids, kind)?;
        let total = s.total;
        self.sums.insert(node, s);
        Ok(total)
    }

    pub fn has_vector(&self, node: u32) -> bool {
        self.sums.contains_key(&node)
    }

    /// Lays out the covers of x and returns their nodes (each once): the caller supplies their
    /// vectors (`set_vector`) and weights, then asks for `masses`.
    pub fn lay_out(&mut self) -> Vec<u32> {
        let lay = self.layout();
        let mut nodes: Vec<u32> = lay.splits.iter().map(|s| s.0).collect();
        nodes.extend(lay.ends.iter().map(|e| e.0));
        let mut seen = rustc_hash::FxHashSet::default();
        nodes.retain(|&n| seen.insert(n));
        self.laid = Some(lay);
        nodes
    }

    /// Next-byte masses of the layout from `lay_out`; `weight(node)` = log P(node's tokens).
    /// None when no layout is current or a node's vector is missing.
    pub fn masses(&self, weight: impl Fn(u32) -> f64) -> Option<Masses> {
        let lay = self.laid.as_ref()?;
        let may_end = self.m.may_end(&self.x);
        masses::masses(
            &self.m,
            &self.x,
            lay,
            weight,
            |n| self.sums.get(&n),
            may_end,
        )
    }

    /// The token ids of a node.
    pub fn path(&self, node: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut id = node;
        while id != 0 && id != NONE {
            let nd = self.nodes[id as usize];
            out.push(nd.tok);
            id = nd.parent;
        }
        out.reverse();
        out
    }

    /// (parent, last token) of a node, None for the root.
    pub fn link(&self, node: u32) -> Option<(u32, u32)> {
        let nd = self.nodes.get(node as usize)?;
        (node != 0).then_some((nd.parent, nd.tok))
    }

    /// Byte length of a node's tokens.
    pub fn end(&self, node: u32) -> usize {
        self.nodes[node as usize].end
    }

    /// The node of `E(x)`, NONE when x has no encoding.
    pub fn canonical(&mut self) -> u32 {
        if self.m.simple {
            return self.canon[self.x.len()];
        }
        let e = self.m.encode_bytes(&self.x[self.window..]);
        if e.contains(&NONE) {
            return NONE;
        }
        self.extend(self.trunk, &e)
    }

    /// The covers of x grouped by node; `include_exact` adds tokens ending exactly at n (needed
    /// for P(x) as a prefix, not for the next byte).
    pub fn plan(&mut self, include_exact: bool) -> Plan {
        let lay = self.layout();
        let m = &*self.m;
        let n = self.x.len();
        let keep = |t: u32, j: usize| include_exact || m.bytes[t as usize].len() > n - j;
        let mut splits = Vec::new();
        for (node, j, offer) in lay.splits {
            let cands: Vec<(u32, u32)> = match offer {
                Offer::Set(set) => {
                    let (lo, hi) = m.prefix_range(&self.x[j..]);
                    (lo..hi)
                        .filter(|&p| set.allows(p as u32))
                        .map(|p| m.sorted[p])
                        .filter(|&t| keep(t, j))
                        .map(|t| (t, byte_after(m, t, n - j)))
                        .collect()
                }
                Offer::Listed(v) => v
                    .into_iter()
                    .filter(|&t| keep(t, j))
                    .map(|t| (t, byte_after(m, t, n - j)))
                    .collect(),
            };
            if !cands.is_empty() {
                splits.push(Split { node, j, cands });
            }
        }
        let ends = lay
            .ends
            .into_iter()
            .map(|(node, set, canonical)| End {
                node,
                ids: set.positions().map(|p| m.sorted[p as usize]).collect(),
                listed_valid: set.listed_valid,
                canonical,
            })
            .collect();
        Plan { splits, ends }
    }

    /// The covers of x grouped by node (`plan` lists them, `masses` sums them).
    pub fn layout(&mut self) -> Layout {
        if self.m.simple {
            self.layout_exact()
        } else {
            self.layout_split()
        }
    }

    fn layout_exact(&mut self) -> Layout {
        let m = Rc::clone(&self.m);
        let n = self.x.len();
        let mut splits = Vec::new();
        for j in n.saturating_sub(m.max_len)..n {
            let node = self.canon[j];
            // No token extends x[j..]: no cover there (and the node's vector, dropped by `push`,
            // must not be asked for again).
            let (lo, hi) = m.prefix_range(&self.x[j..]);
            if node == NONE || lo == hi {
                continue;
            }
            if let Some(set) = self.end_sets.get(&node) {
                splits.push((node, j, Offer::Set(set.clone())));
                continue;
            }
            let l = self.last[j];
            let cands: Vec<u32> = m.sorted[lo..hi]
                .iter()
                .copied()
                .filter(|&t| m.reachable[t as usize] && m.valid_next(&self.x[..j], l, t))
                .collect();
            if !cands.is_empty() {
                splits.push((node, j, Offer::Listed(cands)));
            }
        }
        let mut ends = Vec::new();
        if self.canon[n] != NONE {
            let l = if n == 0 { NONE } else { self.last[n] };
            // valid_next depends on w through its last token and, for SentencePiece, the bytes
            // of a partial last char.
            let key = (l, Vec::new(), n == 0, m.partial_char(&self.x).to_vec());
            let runs = match m.end_memo.get(&key) {
                Some(v) => v,
                None => {
                    let v = m
                        .spm_end_invalid(&self.x, l)
                        .unwrap_or_else(|| self.end_scan_exact(l));
                    m.end_memo.insert(key, Rc::clone(&v));
                    v
                }
            };
            let set = TokSet {
                runs,
                listed_valid: false,
            };
            self.end_sets.insert(self.canon[n], set.clone());
            ends.push((self.canon[n], set, true));
        }
        Layout { splits, ends }
    }

    /// The simple path's end set after E(x) (last token l) by trying every token.
    fn end_scan_exact(&self, l: u32) -> Runs {
        let m = &*self.m;
        let v: Vec<u32> = (0..m.sorted.len() as u32)
            .filter(|&p| {
                let t = m.sorted[p as usize];
                !(m.reachable[t as usize] && m.valid_next_scan(&self.x, l, t))
            })
            .collect();
        runs_of(&v)
    }

    /// Node token lists (relative to `trunk`) at tail position r: one per structure with no
    /// boundary strictly between r and the end of the tail.
    /// Also gives, per node, the starts of its last piece where that piece goes on past r
    /// (ignore_merges: what follows glued may make it one token, see `Rescuer::grown`).
    fn nodes_at(&self, structs: &[Vec<usize>], r: usize) -> Vec<(Vec<u32>, Vec<Variant>)> {
        let m = &*self.m;
        let tail = &self.x[self.window..];
        let mut out: Vec<(Vec<u32>, Vec<Variant>)> = Vec::new();
        for s in structs {
            if s.iter().any(|&b| b > r && b < tail.len()) {
                continue;
            }
            let mut toks = Vec::new();
            let mut a = 0;
            let open = !s.contains(&r) && r > 0;
            for &b in s.iter().filter(|&&b| b < r) {
                m.bpe(&tail[a..b], &mut toks);
                a = b;
            }
            if a < r {
                if s.contains(&r) {
                    m.bpe(&tail[a..r], &mut toks);
                } else {
                    // A piece that goes on past r: the merge loop alone (ignore_merges acts on
                    // whole pieces only).
                    m.merges_only(&tail[a..r], &mut toks);
                }
            }
            if toks.contains(&NONE) {
                continue;
            }
            let i = match out.iter().position(|(t, _)| *t == toks) {
                Some(i) => i,
                None => {
                    out.push((toks, Vec::new()));
                    out.len() - 1
                }
            };
            let v = Variant {
                b: s.iter().copied().filter(|&b| b < r).collect(),
                open,
                a,
            };
            if !out[i].1.contains(&v) {
                out[i].1.push(v);
            }
        }
        out
    }

    fn layout_split(&mut self) -> Layout {
        let m = Rc::clone(&self.m);
        let n = self.x.len();
        let nt = n - self.window;
        let structs = branches::structures(&m, &self.x[self.window..]);
        let mut splits = Vec::new();
        for r in nt.saturating_sub(m.max_len)..nt {
            let (lo, hi) = m.prefix_range(&self.x[self.window + r..]);
            if lo == hi {
                continue;
            }
            let mut work: Option<(Ctx, Vec<u8>)> = None;
            for (rel, variants) in self.nodes_at(&structs, r) {
                let opens: Vec<usize> = variants.iter().filter(|v| v.open).map(|v| v.a).collect();
                let node = self.extend(self.trunk, &rel);
                if let Some(set) = self.end_sets.get(&node) {
                    // Validity after a node does not change as x grows: reuse its end set.
                    splits.push((node, self.window + r, Offer::Set(set.clone())));
                    continue;
                }
                let mut cands = Vec::new();
                {
                    let (ctx, tail) =
                        work.get_or_insert_with(|| (self.ctx(r), self.x[self.window..].to_vec()));
                    let rescuer = branches::Rescuer::new(&m, &ctx.w, Rc::clone(&ctx.facts));
                    let canonical = rel == ctx.tail;
                    for &t in &m.sorted[lo..hi] {
                        let ok = m.reachable[t as usize]
                            && ((canonical && self.valid(ctx, t))
                                || (!canonical
                                    && branches::witnessed(
                                        &m,
                                        &ctx.w,
                                        &rel,
                                        t,
                                        [&[][..]],
                                        &ctx.facts,
                                    ))
                                || rescuer.rescued(
                                    &rel,
                                    t,
                                    canonical.then(|| ctx.canon()).as_ref(),
                                    false,
                                )
                                || opens
                                    .iter()
                                    .any(|&a| rescuer.grown_after(&rel, t, &tail[a..r])));
                        if ok {
                            cands.push(t);
                        }
                    }
                }
                if !cands.is_empty() {
                    splits.push((node, self.window + r, Offer::Listed(cands)));
                }
            }
        }
        let mut ends = Vec::new();
        let ctx = self.ctx(nt);
        for (rel, variants) in self.nodes_at(&structs, nt) {
            let canonical = rel == ctx.tail && (nt == 0 || !rel.is_empty());
            let node = self.extend(self.trunk, &rel);
            let set = if canonical {
                TokSet {
                    runs: self.end_invalid(&ctx),
                    listed_valid: false,
                }
            } else {
                TokSet {
                    runs: alt_end_valid(&m, &ctx.w, &rel, &variants, &ctx.facts),
                    listed_valid: true,
                }
            };
            self.end_sets.insert(node, set.clone());
            // A node after which nothing may follow needs no model call.
            if !(set.listed_valid && set.is_empty()) {
                ends.push((node, set, canonical));
            }
        }
        Layout { splits, ends }
    }

    /// Whether `E(w) ++ [t]` is canonical with the text ending right after t (w = the tail up
    /// to the split point; `bytes(t)` extends the rest of x).
    fn valid(&self, ctx: &Ctx, t: u32) -> bool {
        let m = &*self.m;
        match self.outcome(ctx, t) {
            Outcome::Own => true,
            Outcome::Glued => ctx.glued_ok(m, t),
            Outcome::Split => false,
            Outcome::Other => ctx.by_encoding(m, t),
        }
    }

    /// How `bytes(t)` lands after w (`classes`): by the class row when there is one.
    fn outcome(&self, ctx: &Ctx, t: u32) -> Outcome {
        let m = &*self.m;
        match (&ctx.row, &m.classes) {
            (Some(row), Some(cl)) => row[cl.id[t as usize] as usize],
            _ => m.outcome_direct(&ctx.w, &m.bytes[t as usize]),
        }
    }

    /// The context of tail position r (its bytes, their encoding, the last piece's facts).
    fn ctx(&self, r: usize) -> Ctx {
        let m = &*self.m;
        let w = self.x[self.window..self.window + r].to_vec();
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
        // The piece structure of every token class after w, once per split point.
        let row = m.classes.as_ref().map(|cl| cl.row(m, &w));
        let (row, row_id) = (
            row.as_ref().map(|r| Rc::clone(&r.0)),
            row.map_or(NONE, |r| r.1),
        );
        Ctx {
            row,
            row_id,
            l: tail.last().copied().unwrap_or(NONE),
            p0: pre.last().map_or(w.len(), |&(a, _)| a),
            w,
            tail,
            keep,
            whole,
            last_piece,
            facts: Rc::default(),
        }
    }

    /// Text tokens that may not follow E(x). With classes, each token class is decided once:
    /// own pieces are valid when reachable, glued ones by their pair, the rest by encoding; a
    /// token that fails with the text ending after it may still be rescued by a continuation.
    fn end_invalid(&self, ctx: &Ctx) -> Runs {
        let m = &*self.m;
        let mut key = Vec::new();
        classes::class_key(&ctx.w, false, &mut key);
        let memo = (ctx.l, key, ctx.keep, ctx.last_piece.clone());
        if m.classes.is_some() {
            if let Some(v) = m.end_memo.get(&memo) {
                return v;
            }
        }
        // When some check had to encode w itself, the set is a function of w's bytes only.
        let exact_key = (NONE, Vec::new(), false, ctx.w.clone());
        if let Some(v) = m.exact_memo.get(&exact_key) {
            return v;
        }
        let (pos, other) = match self.end_by_base(ctx) {
            Some(v) => v,
            None => self.end_by_scan(ctx),
        };
        if !other {
            m.end_memo.insert(memo, Rc::clone(&pos));
        } else {
            m.exact_memo.insert(exact_key, Rc::clone(&pos));
        }
        pos
    }

    /// `end_invalid` without the end set's base (no classes or no fast pair index): every token
    /// is tried. Also whether some check encoded w (then the set is not a function of its class).
    fn end_by_scan(&self, ctx: &Ctx) -> (Runs, bool) {
        let m = &*self.m;
        let mut fails = Vec::new();
        let mut other = m.classes.is_none();
        let glued = |t: u32| ctx.keep && ctx.l != NONE && m.pair_ok(ctx.l, t);
        for &t in &m.sorted {
            let fast = m.reachable[t as usize]
                && match (&ctx.row, &m.classes) {
                    (Some(row), Some(cl)) => match row[cl.id[t as usize] as usize] {
                        Outcome::Own => true,
                        Outcome::Glued => glued(t),
                        Outcome::Split => false,
                        Outcome::Other => {
                            other = true;
                            ctx.by_encoding(m, t)
                        }
                    },
                    _ => self.valid(ctx, t),
                };
            if !fast {
                fails.push(t);
            }
        }
        fails.sort_unstable();
        let in_fails = |t: u32| fails.binary_search(&t).is_ok();
        // With ignore_merges, a glued t whose P ++ bytes(t) is one token fails too.
        let whole = self.whole_fails(ctx, in_fails);
        let rescuer = branches::Rescuer::new(m, &ctx.w, Rc::clone(&ctx.facts));
        let canon = ctx.canon();
        let mut pos: Vec<u32> = fails
            .iter()
            .chain(&whole)
            .copied()
            .filter(|&t| !self.rescued(ctx, &rescuer, &canon, t))
            .map(|t| m.pos[t as usize])
            .collect();
        pos.sort_unstable();
        (runs_of(&pos), other || rescuer.encoded.get())
    }

    /// `end_invalid` from the base of the end set (`EndBase`, shared by every w of one outcome
    /// row) and the few tokens that depend on w itself: the glued tokens whose pair with the
    /// last token fails (`ByteModel::invalid_after`, found through the merge trees), the tokens
    /// decided by encoding, the rescue candidates and ignore_merges' whole tokens. Work grows
    /// with those tokens and the base's runs, not with the vocabulary. None when there are no
    /// classes or no fast pair index.
    fn end_by_base(&self, ctx: &Ctx) -> Option<(Runs, bool)> {
        let m = &*self.m;
        let (cl, row) = (m.classes.as_ref()?, ctx.row.as_ref()?);
        m.makes(0)?;
        let inv = if ctx.keep && ctx.l != NONE {
            m.invalid_after(ctx.l)
        } else {
            None
        };
        let base = m.base_memo.get_or((ctx.row_id, inv.is_some()), || {
            Rc::new(EndBase::new(m, row, inv.is_some()))
        });
        // Per w: glued tokens with an invalid pair, and tokens decided by encoding.
        let mut fails: Vec<u32> = inv
            .iter()
            .flat_map(|v| v.iter().copied())
            .filter(|&t| {
                m.reachable[t as usize]
                    && row[cl.id[t as usize] as usize] == Outcome::Glued
                    && m.makes(t) == Some(true)
            })
            .collect();
        fails.extend(
            base.other
                .iter()
                .copied()
                .filter(|&t| !ctx.by_encoding(m, t)),
        );
        fails.sort_unstable();
        let rescuer = branches::Rescuer::new(m, &ctx.w, Rc::clone(&ctx.facts));
        // The rescue candidates by what their rescue depends on, once per class of w.
        let mut key = Vec::new();
        classes::class_key(&ctx.w, false, &mut key);
        #[cfg(test)]
        if COARSE_RESCUE_KEY.with(std::cell::Cell::get) {
            key.clear();
        }
        let rb = m.rescue_base.get_or((key, inv.is_some()), || {
            Rc::new(RescueBase::new(m, &base, inv.is_some(), &rescuer))
        });
        let sure = TokSet {
            runs: Rc::clone(&rb.fixed),
            listed_valid: true,
        };
        let in_fails = |t: u32| {
            sure.allows(m.pos[t as usize])
                || fails.binary_search(&t).is_ok()
                || base.rescue.binary_search(&t).is_ok()
        };
        let whole = self.whole_fails(ctx, in_fails);
        let canon = ctx.canon();
        let mut add: Vec<u32> = fails
            .iter()
            .chain(&whole)
            .chain(&rb.other)
            .copied()
            .filter(|&t| !self.rescued(ctx, &rescuer, &canon, t))
            .map(|t| m.pos[t as usize])
            .collect();
        // Glued rescues: by the pair with the last token (`inv` lists the invalid ones) and,
        // with ignore_merges, some glued part leaving `P ++ bytes(t) ++ part` no whole token
        // (`parts` is never empty: `RescueCat::Glued`).
        let p = &ctx.w[ctx.p0..];
        for (t, parts) in &rb.glued {
            let tb = &m.bytes[*t as usize];
            let ok = inv.as_ref().is_some_and(|v| v.binary_search(t).is_err())
                && parts.iter().any(|s| branches::not_whole(m, &[p, tb, s]));
            if !ok {
                add.push(m.pos[*t as usize]);
            }
        }
        add.sort_unstable();
        // A sure token that is whole with the last piece may still be two tokens once the piece
        // goes on (`rescued` with grow): those are tried too.
        let mut drop: Vec<u32> = if ctx.keep {
            ctx.whole
                .iter()
                .copied()
                .filter(|&t| sure.allows(m.pos[t as usize]))
                .filter(|&t| self.rescued(ctx, &rescuer, &canon, t))
                .map(|t| m.pos[t as usize])
                .collect()
        } else {
            Vec::new()
        };
        drop.sort_unstable();
        let other = !base.other.is_empty() || rescuer.encoded.get();
        Some((edit_runs(&rb.fixed, &drop, &add), other))
    }

    /// ignore_merges: the glued tokens not in `fails` whose `P ++ bytes(t)` is one token (they
    /// fail with the text ending after them).
    fn whole_fails(&self, ctx: &Ctx, in_fails: impl Fn(u32) -> bool) -> Vec<u32> {
        let m = &*self.m;
        ctx.whole
            .iter()
            .copied()
            .filter(|&t| {
                m.reachable[t as usize] && !in_fails(t) && self.outcome(ctx, t) == Outcome::Glued
            })
            .collect()
    }

    /// Whether a continuation keeps t (failing with the text ending after it) valid after E(w).
    fn rescued(
        &self,
        ctx: &Ctx,
        rescuer: &branches::Rescuer,
        canon: &branches::Canon,
        t: u32,
    ) -> bool {
        let m = &*self.m;
        // A glued t that is one token with P may be two once the piece goes on.
        let grow = ctx.keep && ctx.whole.binary_search(&t).is_ok();
        m.reachable[t as usize] && rescuer.rescued(&ctx.tail, t, Some(canon), grow)
    }
}

#[cfg(test)]
impl CoverState {
    /// The end set of E(x) from its base (`end_by_base`) equals the one from trying every token
    /// (`end_by_scan`); false when there is no base path to compare (simple path, no classes).
    pub fn end_paths_agree(&mut self) -> Option<bool> {
        if self.m.simple {
            let n = self.x.len();
            if self.canon[n] == NONE {
                return None;
            }
            let l = if n == 0 { NONE } else { self.last[n] };
            let fast = self.m.spm_end_invalid(&self.x, l)?;
            return Some(fast == self.end_scan_exact(l));
        }
        let ctx = self.ctx(self.x.len() - self.window);
        let fast = self.end_by_base(&ctx)?.0;
        Some(fast == self.end_by_scan(&ctx).0)
    }
}

/// The part of the end set after `E(w)` that depends on w only through its outcome row, and on
/// the last token only through whether glued tokens go by their pair (`glued`: the last piece
/// stays as the merge loop makes it, and some token may follow the last token): shared by every
/// w placing the token classes alike. Tokens are in it by their class's outcome: split ones,
/// unreachable ones, and glued ones when they cannot go by a pair fail.
pub(crate) struct EndBase {
    /// Positions in `sorted` of the failing tokens no continuation can rescue (`rescue_kind`
    /// 0): invalid.
    sure: Runs,
    /// Failing tokens that a continuation may rescue (ids): tried after each w.
    rescue: Vec<u32>,
    /// Reachable tokens of classes placed `Other`: decided by encoding after each w.
    other: Vec<u32>,
}

impl EndBase {
    fn new(m: &ByteModel, row: &[Outcome], glued: bool) -> EndBase {
        let cl = m
            .classes
            .as_ref()
            .expect("an outcome row comes from classes");
        let (mut sure, mut rescue, mut other) = (Vec::new(), Vec::new(), Vec::new());
        for (p, &t) in m.sorted.iter().enumerate() {
            let fails = !m.reachable[t as usize]
                || match row[cl.id[t as usize] as usize] {
                    Outcome::Own => false,
                    Outcome::Glued => !glued || m.makes(t) != Some(true),
                    Outcome::Split => true,
                    Outcome::Other => {
                        other.push(t);
                        false
                    }
                };
            if fails {
                if m.rescue_kind[t as usize] == 0 {
                    sure.push(p as u32);
                } else {
                    rescue.push(t);
                }
            }
        }
        rescue.sort_unstable();
        EndBase {
            sure: runs_of(&sure),
            rescue,
            other,
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Tests only: key `RescueBase` without w's class (too coarse: the real-text test must
    /// see some set change).
    pub static COARSE_RESCUE_KEY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The rescue candidates of an `EndBase` after one class of w (`Rescuer::category`: their
/// probes are a function of w's class and t's), split by what their rescue after `E(w)` depends
/// on. Keyed by w's class and whether glued tokens go by their pair (`EndBase`'s `glued`).
pub(crate) struct RescueBase {
    /// The base's sure positions and the candidates that fail after every w of the class (no
    /// probe rescues them, or only glued ones while glued tokens cannot go by a pair).
    fixed: Runs,
    /// Candidates rescued only by glued probes, the merge loop making them: rescued iff the pair
    /// with the last token is valid and (ignore_merges) some part leaves no whole token. Sorted.
    glued: Vec<(u32, Vec<Vec<u8>>)>,
    /// Candidates some probe decides by encoding (`Rescuer::rescued` after each w).
    other: Vec<u32>,
}

impl RescueBase {
    fn new(m: &ByteModel, base: &EndBase, glued: bool, rescuer: &branches::Rescuer) -> RescueBase {
        let (mut never, mut pair, mut other) = (Vec::new(), Vec::new(), Vec::new());
        for &t in &base.rescue {
            match rescuer.category(t) {
                branches::RescueCat::Always => {}
                branches::RescueCat::Never => never.push(m.pos[t as usize]),
                branches::RescueCat::Other => other.push(t),
                branches::RescueCat::Glued(parts) => {
                    if glued && m.makes(t) == Some(true) {
                        pair.push((t, parts));
                    } else {
                        never.push(m.pos[t as usize]);
                    }
                }
            }
        }
        never.sort_unstable();
        RescueBase {
            fixed: edit_runs(&base.sure, &[], &never),
            glued: pair,
            other,
        }
    }
}

/// `base` without the positions `drop` (each inside it) and with the positions `add`, as runs
/// (both sorted): O(runs + edits).
pub(super) fn edit_runs(base: &[(u32, u32)], drop: &[u32], add: &[u32]) -> Runs {
    let mut cut: Vec<(u32, u32)> = Vec::with_capacity(base.len() + drop.len());
    let mut d = drop.iter().peekable();
    for &(a, b) in base {
        let mut from = a;
        while let Some(&&p) = d.peek() {
            if p >= b {
                break;
            }
            if p >= from {
                if p > from {
                    cut.push((from, p));
                }
                from = p + 1;
            }
            d.next();
        }
        if from < b {
            cut.push((from, b));
        }
    }
    // Merge the added positions in, joining touching runs.
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(cut.len() + add.len());
    let mut push = |(a, b): (u32, u32)| match out.last_mut() {
        Some(r) if a <= r.1 => r.1 = r.1.max(b),
        _ => out.push((a, b)),
    };
    let (mut i, mut j) = (0, 0);
    while i < cut.len() || j < add.len() {
        if j == add.len() || (i < cut.len() && cut[i].0 <= add[j]) {
            push(cut[i]);
            i += 1;
        } else {
            push((add[j], add[j] + 1));
            j += 1;
        }
    }
    out.into()
}

fn byte_after(m: &ByteModel, t: u32, k: usize) -> u32 {
    m.bytes[t as usize].get(k).map_or(NONE, |&b| b as u32)
}

/// Tokens that may follow a node of another structure than `E(w)` (whitespace tails): each
/// token class is placed after w once (text ending after it) and compared with the node's
/// structures; a token is valid as its own piece after a closed last piece, glued by its pair
/// after an open one, and otherwise by encoding or a probe continuation.
fn alt_end_valid(
    m: &ByteModel,
    w: &[u8],
    rel: &[u32],
    variants: &[Variant],
    facts: &Rc<branches::Facts>,
) -> Runs {
    let key = (w.to_vec(), rel.to_vec());
    if let Some(v) = m.alt_memo.get(&key) {
        return v;
    }
    let rescuer = branches::Rescuer::new(m, w, Rc::clone(facts));
    let l = rel.last().copied().unwrap_or(NONE);
    // Whether the node's last piece has the same tokens closed (bpe) and going on (merge loop).
    let keeps: Vec<bool> = variants
        .iter()
        .map(|v| {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            m.merges_only(&w[v.a..], &mut a);
            m.bpe(&w[v.a..], &mut b);
            a == b
        })
        .collect();
    let outcomes = |tb: &[u8]| -> Vec<Outcome> {
        variants
            .iter()
            .map(|v| branches::alt_outcome(m, w, &v.b, tb))
            .collect()
    };
    let rows: Option<Vec<Vec<Outcome>>> = m.classes.as_ref().map(|cl| {
        cl.rep
            .iter()
            .map(|&t| outcomes(&m.bytes[t as usize]))
            .collect()
    });
    // `Rescuer::grown_after` for each open variant, its last piece's whole tokens found once.
    let wholes: Vec<Rc<Vec<u32>>> = variants
        .iter()
        .filter(|v| v.open && v.a < w.len())
        .map(|v| m.whole_after(&w[v.a..]))
        .collect();
    // Positions in `sorted` (ascending), as every stored set.
    let v: Vec<u32> = (0..m.sorted.len() as u32)
        .filter(|&p| {
            let t = m.sorted[p as usize];
            if !m.reachable[t as usize] {
                return false;
            }
            let tb = &m.bytes[t as usize];
            let owned;
            let os: &[Outcome] = match (&rows, &m.classes) {
                (Some(r), Some(cl)) => &r[cl.id[t as usize] as usize],
                _ => {
                    owned = outcomes(tb);
                    &owned
                }
            };
            let mut other = false;
            for ((v, &o), &keep) in variants.iter().zip(os).zip(&keeps) {
                let ok = match o {
                    Outcome::Own => !v.open || keep,
                    Outcome::Glued => {
                        (v.open || keep)
                            && l != NONE
                            && m.valid_pair(l, t)
                            && branches::not_whole(m, &[&w[v.a..], tb])
                    }
                    Outcome::Split => false,
                    Outcome::Other => {
                        other = true;
                        false
                    }
                };
                if ok {
                    return true;
                }
            }
            (other && branches::witnessed(m, w, rel, t, [&[][..]], &rescuer.facts))
                || rescuer.rescued(rel, t, None, false)
                || wholes
                    .iter()
                    .any(|whole| whole.binary_search(&t).is_ok() && rescuer.grown(rel, t))
        })
        .collect();
    let v = runs_of(&v);
    m.alt_memo.insert(key, Rc::clone(&v));
    v
}

/// One structure giving a node at a split point: boundaries before it, whether its last piece
/// goes on past the split point, and where that piece starts.
#[derive(PartialEq)]
struct Variant {
    b: Vec<usize>,
    open: bool,
    a: usize,
}

/// What validity at one split point needs (see `CoverState::ctx`).
struct Ctx {
    /// Last token of E(w) (NONE when w is empty).
    l: u32,
    /// The tail's bytes up to the split point and their encoding.
    w: Vec<u8>,
    tail: Vec<u32>,
    /// The merge loop alone gives the encoding of the last piece (see `ctx`).
    keep: bool,
    /// Tokens t with P ++ bytes(t) one vocabulary token (ignore_merges).
    whole: Rc<Vec<u32>>,
    /// The last piece P when `whole` depends on it (ignore_merges), else empty.
    last_piece: Vec<u8>,
    /// Start of the last piece of w.
    p0: usize,
    /// Outcome per token class after w (classes only).
    row: Option<Rc<[Outcome]>>,
    /// Id of the row among distinct rows (NONE without classes).
    row_id: u32,
    /// Piece boundaries after w by token class (`branches::Facts`), shared by every check after
    /// w (its end sets, its split point's candidates, the rescues): they are facts about w.
    facts: Rc<branches::Facts>,
}

impl Ctx {
    fn glued_ok(&self, m: &ByteModel, t: u32) -> bool {
        self.keep
            && self.l != NONE
            && self.whole.binary_search(&t).is_err()
            && m.valid_pair(self.l, t)
    }

    fn canon(&self) -> branches::Canon<'_> {
        branches::Canon {
            l: self.l,
            p: &self.w[self.p0..],
            keep: self.keep,
        }
    }

    fn by_encoding(&self, m: &ByteModel, t: u32) -> bool {
        branches::witnessed(m, &self.w, &self.tail, t, [&[][..]], &self.facts)
    }
}

#[cfg(test)]
mod edit_tests {
    use super::edit_runs;

    #[test]
    fn edit_runs_drops_and_adds_positions() {
        let base = [(2, 6), (8, 9), (12, 15)];
        let got = edit_runs(&base, &[2, 4, 13], &[0, 6, 7, 10, 20]);
        assert_eq!(
            &*got,
            &[
                (0, 1),
                (3, 4),
                (5, 9),
                (10, 11),
                (12, 13),
                (14, 15),
                (20, 21)
            ]
        );
        assert_eq!(&*edit_runs(&[], &[], &[]), &[]);
        assert_eq!(&*edit_runs(&[(1, 3)], &[1, 2], &[]), &[]);
    }
}
