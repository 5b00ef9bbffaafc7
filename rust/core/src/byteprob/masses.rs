//! Next-byte masses summed in the core from the model's log-prob vectors (ByteSampler scatters
//! each leaf's log-probs by next byte; here the same sums come from range sums).
//!
//! For a node with vector q let e(p) = exp(q[sorted[p]]) in byte order. The tokens extending
//! bytes r are one range [lo, hi) of `sorted`, and those whose byte after r is b one sub-range,
//! so a split point's mass per next byte is a sum over the sub-range's valid tokens, which the
//! node's stored set gives as runs of positions (`allowed`): per byte O((256 + runs inside the
//! ranges) · log |V|), not O(|V|). The one pass over each new vector (reading the model's
//! output: checks, exp) is O(|V|) and done once per model call.
//!
//! Range sums use a pyramid of pairwise sums (a segment tree): every range sum adds O(log |V|)
//! disjoint subtotals of positive terms, so its relative error stays near machine precision
//! however small the range's mass is next to the whole vector's (a running prefix sum would
//! cancel). A node's pyramid is cut to the range still extending x once its bytes are more
//! than `DENSE` bytes back (tokens are short: those ranges are small).
use super::state::{Layout, Offer, TokSet};
use super::ByteModel;

/// Nodes ending this close to the end of x keep the pyramid over the whole vocabulary.
pub const DENSE: usize = 2;

/// A model vector after the checks: range sums over positions, and what is read by id.
pub struct Sums {
    lo: usize,
    /// The pyramid's levels one after another in one buffer (one allocation per vector, not one
    /// per level): level 0 is e(lo + i), level k + 1 the sums of pairs of level k.
    tree: Vec<f64>,
    /// Start of each level in `tree`, and the end of the last.
    at: Vec<usize>,
    /// exp(q[eos]).
    pub eos: f64,
}

/// Why a vector was refused (the caller words the error).
#[derive(Debug, PartialEq)]
pub enum VectorError {
    Length(usize),
    NotFinite(usize, f64),
    NotLogSoftmax(f64),
}

impl std::fmt::Display for VectorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VectorError::Length(n) => write!(f, "nextTokenLogProbs returned {n} values"),
            VectorError::NotFinite(i, x) => {
                let x = if x.is_nan() { "NaN".into() } else { x.to_string() };
                write!(f, "nextTokenLogProbs returned {x} at id {i}")
            }
            VectorError::NotLogSoftmax(l) => write!(
                f,
                "nextTokenLogProbs must return log-probabilities (log-softmax); their logsumexp is {l}"
            ),
        }
    }
}

/// exp for the vector pass: Cody–Waite reduction and a degree-11 Taylor polynomial, relative
/// error below 1e-15 (libm's exp compiled to WebAssembly is several times slower). Without
/// branches on the range of log-probabilities, so the pass over a vector is a straight loop.
#[inline]
pub fn fast_exp(x: f64) -> f64 {
    if x > 709.0 {
        return f64::INFINITY;
    }
    // Below -708 the result is 0: taken after the polynomial as a select, not a branch.
    let tiny = x < -708.0;
    let x = x.max(-708.0);
    // fdlibm's split of ln 2, written as published (the literals round to the intended f64s).
    #[allow(clippy::excessive_precision)]
    const LN2_HI: f64 = 6.931_471_803_691_238_2e-1;
    #[allow(clippy::excessive_precision)]
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    // Round to nearest by the 1.5·2^52 shift (any nearby integer k keeps |r| small; `round` is
    // a libm call natively and would stop the loop from being unrolled and vectorised).
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    let k = (x * std::f64::consts::LOG2_E + SHIFT) - SHIFT;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let mut p = 1.0 / 39_916_800.0;
    for c in [
        1.0 / 3_628_800.0,
        1.0 / 362_880.0,
        1.0 / 40_320.0,
        1.0 / 5_040.0,
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        0.5,
        1.0,
        1.0,
    ] {
        p = p * r + c;
    }
    // 2^k by the exponent bits (x >= -708 keeps k >= -1022: no subnormal scale).
    let v = p * f64::from_bits(((k as i64 + 1023) as u64) << 52);
    if tiny {
        0.0
    } else {
        v
    }
}

impl Sums {
    /// The checks of a model vector and its pyramid over the whole byte order.
    pub fn new<T: Copy + Into<f64>>(
        m: &ByteModel,
        q: &[T],
        eos: u32,
        ids: usize,
    ) -> Result<Sums, VectorError> {
        if q.len() != ids {
            return Err(VectorError::Length(q.len()));
        }
        let at = |i: usize| -> f64 { q[i].into() };
        let bad = |x: f64| x.is_nan() || x == f64::INFINITY;
        // One pass over the text tokens in byte order (checks and exp together), then the
        // other ids (specials, gaps): they count for the checks and the log-softmax only.
        let mut first_bad = usize::MAX;
        let e: Vec<f64> = m
            .sorted
            .iter()
            .map(|&t| {
                let x = at(t as usize);
                if bad(x) {
                    first_bad = first_bad.min(t as usize);
                }
                fast_exp(x)
            })
            .collect();
        let mut others = 0.0;
        for i in m
            .others
            .iter()
            .map(|&i| i as usize)
            .chain(m.pos.len()..q.len())
        {
            let x = at(i);
            if bad(x) {
                first_bad = first_bad.min(i);
            }
            others += fast_exp(x);
        }
        if first_bad != usize::MAX {
            return Err(VectorError::NotFinite(first_bad, at(first_bad)));
        }
        let (tree, bounds) = pyramid(e);
        let s = Sums {
            lo: 0,
            tree,
            at: bounds,
            eos: if (eos as usize) < q.len() {
                fast_exp(at(eos as usize))
            } else {
                0.0
            },
        };
        let lse = (s.total() + others).ln();
        // NaN fails too: a vector with NaN is not a log-softmax.
        if lse.is_nan() || lse.abs() >= 1e-3 {
            return Err(VectorError::NotLogSoftmax(lse));
        }
        Ok(s)
    }

    fn total(&self) -> f64 {
        let n = self.at.len();
        if n < 2 || self.at[n - 1] == self.at[n - 2] {
            return 0.0;
        }
        self.tree[self.at[n - 2]]
    }

    /// Keeps positions [lo, hi) only (a subset of the current range).
    pub fn cut(&mut self, lo: usize, hi: usize) {
        let (a, b) = (lo - self.lo, hi - self.lo);
        (self.tree, self.at) = pyramid(self.tree[a..b].to_vec());
        self.lo = lo;
    }

    pub fn range(&self) -> (usize, usize) {
        (self.lo, self.lo + self.at[1])
    }

    /// e at a position inside the range.
    pub fn at(&self, p: usize) -> f64 {
        self.tree[p - self.lo]
    }

    /// Σ e over positions [a, b) (inside the range): bottom-up segment-tree walk.
    pub fn sum(&self, a: usize, b: usize) -> f64 {
        if a >= b {
            return 0.0;
        }
        let (mut a, mut b) = (a - self.lo, b - self.lo);
        let mut s = 0.0;
        for lvl in self.at.windows(2).map(|w| &self.tree[w[0]..w[1]]) {
            if a >= b {
                break;
            }
            if a & 1 == 1 {
                s += lvl[a];
                a += 1;
            }
            if b & 1 == 1 {
                b -= 1;
                s += lvl[b];
            }
            a >>= 1;
            b >>= 1;
        }
        s
    }
}

/// The pyramid of pairwise sums over `e` (levels in one buffer) and the levels' bounds.
fn pyramid(mut tree: Vec<f64>) -> (Vec<f64>, Vec<usize>) {
    let mut at = vec![0, tree.len()];
    tree.reserve(tree.len() + 64);
    loop {
        let (a, b) = (at[at.len() - 2], at[at.len() - 1]);
        if b - a <= 1 {
            break;
        }
        for i in (a..b).step_by(2) {
            let v = if i + 1 < b {
                tree[i] + tree[i + 1]
            } else {
                tree[i]
            };
            tree.push(v);
        }
        at.push(tree.len());
    }
    (tree, at)
}

/// The next-byte masses of x, relative to the largest node weight `reference` (P(x) underflows
/// after a few hundred bytes).
#[derive(Clone, Debug, Default)]
pub struct Masses {
    /// Mass per next byte (256: end of text), each cover weighted by its node's weight.
    pub next: Vec<f64>,
    /// Mass of the covers of x as a prefix (tokens ending exactly at x's end included).
    pub prefix: f64,
    /// End nodes' mass on tokens that may not follow them (non-canonical or special).
    pub lost: f64,
    /// log of the weight every mass is relative to.
    pub reference: f64,
}

/// Sums the covers of `lay` (x = `x`): `weight(node)` is log P(node's tokens) and `sums(node)`
/// its vector; `may_end`: end of text may follow E(x).
pub fn masses<'a>(
    m: &ByteModel,
    x: &[u8],
    lay: &Layout,
    weight: impl Fn(u32) -> f64,
    sums: impl Fn(u32) -> Option<&'a Sums>,
    may_end: bool,
) -> Option<Masses> {
    let n = x.len();
    let reference = lay
        .splits
        .iter()
        .map(|s| weight(s.0))
        .chain(lay.ends.iter().map(|e| weight(e.0)))
        .fold(f64::NEG_INFINITY, f64::max);
    // No cover at all: every mass is 0 (the caller reports probability 0).
    let reference = if reference.is_finite() {
        reference
    } else {
        0.0
    };
    let mut out = Masses {
        next: vec![0.0; 257],
        reference,
        ..Masses::default()
    };
    let rel = |node: u32| (weight(node) - reference).exp();
    for (node, j, offer) in &lay.splits {
        let (node, j) = (*node, *j);
        let s = sums(node)?;
        let w = rel(node);
        let k = n - j;
        let (lo, hi) = m.prefix_range(&x[j..]);
        let after = |p: usize| -> Option<usize> {
            m.bytes[m.sorted[p] as usize].get(k).map(|&b| b as usize)
        };
        let mut add = |p: usize, e: f64| {
            out.prefix += w * e;
            if let Some(b) = after(p) {
                out.next[b] += w * e;
            }
        };
        match offer {
            Offer::Listed(ts) => {
                for &t in ts {
                    let p = m.pos[t as usize] as usize;
                    add(p, s.at(p));
                }
            }
            Offer::Set(set) => {
                // Tokens equal to x[j..] (several ids may decode alike) end at n.
                let mut p = lo;
                while p < hi && after(p).is_none() {
                    p += 1;
                }
                out.prefix += w * allowed(s, set, lo, p);
                while p < hi {
                    let b = after(p).unwrap_or(0);
                    let q = p + m.sorted[p..hi].partition_point(|&t| {
                        m.bytes[t as usize].get(k).is_some_and(|&c| c as usize <= b)
                    });
                    let e = allowed(s, set, p, q);
                    out.prefix += w * e;
                    out.next[b] += w * e;
                    p = q;
                }
            }
        }
    }
    for (node, set, canonical) in &lay.ends {
        let s = sums(*node)?;
        let w = rel(*node);
        let by_first: Vec<f64> = (0..256)
            .map(|b| allowed(s, set, m.first[b], m.first[b + 1]))
            .collect();
        let eos = if *canonical && may_end { s.eos } else { 0.0 };
        let mut canon = eos;
        for (b, &v) in by_first.iter().enumerate() {
            canon += v;
            out.next[b] += w * v;
        }
        out.next[256] += w * eos;
        out.lost += w * (1.0 - canon).max(0.0);
    }
    Some(out)
}

/// Σ e over the positions in [a, b) that `set` allows: the runs inside when it lists the
/// valid tokens, else the gaps between the runs. Positive terms only: a range sum minus the
/// invalid tokens' would cancel when they hold most of the range's mass.
fn allowed(s: &Sums, set: &TokSet, a: usize, b: usize) -> f64 {
    if a >= b {
        return 0.0;
    }
    let runs = &set.runs;
    let first = runs.partition_point(|r| (r.1 as usize) <= a);
    let inside = runs[first..]
        .iter()
        .map(|&(x, y)| ((x as usize).max(a), (y as usize).min(b)))
        .take_while(|&(x, _)| x < b);
    if set.listed_valid {
        return inside.map(|(x, y)| s.sum(x, y)).sum();
    }
    let (mut from, mut total) = (a, 0.0);
    for (x, y) in inside {
        total += s.sum(from, x);
        from = y;
    }
    total + s.sum(from, b)
}
