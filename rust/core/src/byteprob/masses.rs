//! Next-byte masses summed in the core from the model's vectors (ByteSampler scatters each leaf's
//! log-probs by next byte; here the same sums come from range sums).
//!
//! A vector holds log-probabilities (`VectorKind::LogProbs`: log-softmax, what most APIs give)
//! or the probabilities themselves (`VectorKind::Probs`: softmax, what llama.cpp's sampler
//! gives). For a node with vector q let e(p) = exp(q[sorted[p]]) (log-probs) or
//! q[sorted[p]] / Σ q (probs: divided by the total, as a log-softmax of the probabilities
//! would) in byte order. The tokens extending
//! bytes r are one range [lo, hi) of `sorted`, and those whose byte after r is b one sub-range,
//! so a split point's mass per next byte is a sum over the sub-range's valid tokens, which the
//! node's stored set gives as runs of positions (`allowed`): per byte O((256 + runs inside the
//! ranges) · log |V|), not O(|V|). The one pass over each new vector (reading the model's
//! output: checks, exp for log-probs; for probabilities a gather and the sums alone) is O(|V|)
//! and done once per model call.
//!
//! Range sums use a pyramid of pairwise sums (a segment tree) over blocks of `BLOCK` positions:
//! every range sum adds at most 2 · (BLOCK - 1) single e's and O(log |V|) disjoint subtotals,
//! all positive terms, so its relative error stays near machine precision
//! however small the range's mass is next to the whole vector's (a running prefix sum would
//! cancel). A node's pyramid is cut to the range still extending x once its bytes are more
//! than `DENSE` bytes back (tokens are short: those ranges are small).
use super::state::{Layout, Offer, TokSet};
use super::ByteModel;

/// Nodes ending this close to the end of x keep the pyramid over the whole vocabulary.
pub const DENSE: usize = 2;

/// Positions per leaf of the pyramid: a leaf is the sum of a block of this many e's, and a range
/// sum adds its partial blocks' e's one by one (at most 2 · (BLOCK - 1) terms) to the pyramid's
/// subtotals over the whole blocks between. 16: the pyramid is 1/8 the size of the vector (it
/// was as big as the vector with single-position leaves), and the extra adds per range sum are
/// cheap next to the binary searches that find the ranges.
pub const BLOCK: usize = 16;

/// What a model vector holds, one value per id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VectorKind {
    /// log P(t) (log-softmax): finite or -inf, logsumexp within 1e-3 of 0.
    LogProbs,
    /// P(t) (softmax): finite, ≥ 0, total within `prob_tolerance` of 1; read divided by the
    /// total.
    Probs,
}

impl VectorKind {
    /// The callback that returned the vector, as error messages name it.
    fn callback(self) -> &'static str {
        match self {
            VectorKind::LogProbs => "nextTokenLogProbs",
            VectorKind::Probs => "nextTokenProbs",
        }
    }

    /// A value no vector of this kind may hold: NaN or +inf (log-probs: -inf is a token the
    /// model rules out); for probabilities also any value below 0 (-inf included).
    #[inline(always)]
    fn refused(self, x: f64) -> bool {
        match self {
            VectorKind::LogProbs => x.is_nan() || x == f64::INFINITY,
            // NaN is in no range: refused too.
            VectorKind::Probs => !(0.0..f64::INFINITY).contains(&x),
        }
    }

    /// e of one value before the normalisation: exp for log-probs, the value for probabilities.
    #[inline(always)]
    fn e(self, x: f64) -> f64 {
        match self {
            VectorKind::LogProbs => fast_exp(x),
            VectorKind::Probs => x,
        }
    }
}

/// How far from 1 the total of a probability vector over `ids` ids may be: 1e-3 (the log-prob
/// path's |logsumexp| < 1e-3), or |V| · 2^-24 where that is more. The latter is what llama.cpp's
/// f32 softmax can be off by (node-llama-cpp's sampleToken: exp(l - max) in f32, summed one
/// after another in f32, each divided by that sum): the f32 running sum of |V| positive terms
/// is within (|V| - 1) · 2^-24 of the exact sum (Higham, recursive summation), the division
/// adds 2^-24 per entry, so the exact total of the f32 probabilities is 1 ± |V| · 2^-24 to first
/// order: 2.9e-3 at 49k ids (SmolLM2), 7.6e-3 at 128k, 1.6e-2 at 262k. Measured on SmolLM2
/// through node-llama-cpp: 1 + 3e-5 to 1 + 2.1e-4 over 29 prefixes (the running sum drops the
/// smallest terms; test/lm/model.test.ts), so a flat 1e-6 would refuse real output. Logits,
/// counts or log-probs passed as probabilities are far outside.
pub fn prob_tolerance(ids: usize) -> f64 {
    (ids as f64 * f64::powi(2.0, -24)).max(1e-3)
}

/// A model vector after the checks: range sums over positions, and what is read by id.
///
/// Accuracy (log-probs): every e is fast_exp of the model's value (relative error ≤ 2e-15), and every range
/// sum adds positive terms only, each through at most BLOCK / 4 + 2 additions in its block's
/// sum, log2(|V| / BLOCK) up the pyramid and 2 · log2(|V| / BLOCK) + 1 in the walk's running
/// total (a partial block's e: BLOCK - 1 + 1 + the walk's), ≤ 100 for any vocabulary below
/// 2^32: relative error ≤ 100 · 2^-53 + 2e-15 < 2e-14 however small the range's mass is next to
/// the whole vector's (`sums_are_accurate` tests 1e-13 against a compensated sum of libm's exp).
/// Probabilities: every e is the model's value itself (exact), the sums add the same way, and
/// the one multiplication by 1 / total adds 2 roundings: relative error < 2e-14 as well
/// (`probs_read_like_log_probs` tests 1e-13 against the log-prob pass on the same distribution).
pub struct Sums {
    lo: usize,
    /// e(lo + i) for the positions of the range, in byte order.
    e: Vec<f64>,
    /// The pyramid over the blocks, levels one after another in one buffer: level 0 is the
    /// sum of block i (e[i · BLOCK..][..BLOCK], the last one possibly short), level k + 1 the
    /// sums of pairs of level k.
    tree: Vec<f64>,
    /// Start of each level in `tree`, and the end of the last.
    at: Vec<usize>,
    /// What every e and range sum is multiplied by when read: 1 for log-probs (the values as
    /// given), 1 / total for probabilities.
    scale: f64,
    /// e of q[eos], scaled.
    pub eos: f64,
    /// Σ e over every id before the scale (Σ exp(q) or Σ q): what `Sums::check` returns.
    pub total: f64,
}

/// Why a vector was refused (the caller words the error).
#[derive(Debug, PartialEq)]
pub enum VectorError {
    /// The vector's length.
    Length(VectorKind, usize),
    /// The first id holding a value the kind refuses (`VectorKind::refused`), and the value.
    Refused(VectorKind, usize, f64),
    /// A log-prob vector's logsumexp, 1e-3 or more away from 0.
    NotLogSoftmax(f64),
    /// A probability vector's total, more than `tolerance` away from 1.
    NotNormalised { total: f64, tolerance: f64 },
}

impl std::fmt::Display for VectorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VectorError::Length(k, n) => write!(f, "{} returned {n} values", k.callback()),
            VectorError::Refused(k, i, x) => {
                let v = if x.is_nan() { "NaN".into() } else { x.to_string() };
                write!(f, "{} returned {v} at id {i}", k.callback())?;
                match k {
                    VectorKind::LogProbs => Ok(()),
                    VectorKind::Probs => write!(f, " (a probability is finite and ≥ 0)"),
                }
            }
            VectorError::NotLogSoftmax(l) => write!(
                f,
                "nextTokenLogProbs must return log-probabilities (log-softmax); their logsumexp is {l}"
            ),
            VectorError::NotNormalised { total, tolerance } => write!(
                f,
                "nextTokenProbs must return probabilities (softmax); their total is {total:.6}, \
                 not 1 ± {tolerance:.1e}"
            ),
        }
    }
}

/// exp for the vector pass: Cody–Waite reduction x = k·ln 2 + r (|r| ≤ ln 2 / 2) and the
/// degree-12 Taylor polynomial of e^r evaluated by Estrin's scheme (a tree of independent
/// multiply-adds, 6 deep, where Horner's rule is one chain of 24 dependent operations: the
/// pass was latency-bound). Relative error ≤ 2e-15 for -708 ≤ x ≤ 709 (truncation ≤ r^13/13!
/// ≈ 1.7e-16, the rest rounding; `fast_exp_is_accurate` checks it against libm); 0 below -708
/// (e^-708 ≈ 3e-308: absolute error below that), e^709 above 709 (no log-probability is above
/// 0: a vector with such a value fails the log-softmax check), NaN for NaN. No branches: the
/// range ends are a clamp and a mask, and 2^k is built from the bits of the rounding shift (no
/// float-to-int conversion: WebAssembly SIMD has none for f64x2), so the same steps run on two
/// lanes at once (`Lanes`): the WebAssembly build does the pass with f64x2, bit for bit the
/// scalar results (the same IEEE operations in the same order, no fused multiply-add).
#[inline(always)]
pub fn fast_exp(x: f64) -> f64 {
    exp_lanes(x, &ExpConsts::new())
}

/// What `exp_lanes` needs of a number type: f64, or WebAssembly's f64x2.
trait Lanes: Copy {
    type Mask: Copy;
    fn splat(v: f64) -> Self;
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn lt(self, o: Self) -> Self::Mask;
    /// `if self < o { o } else { self }` (WebAssembly's pmax: NaN stays).
    fn pmax(self, o: Self) -> Self;
    /// `if o < self { o } else { self }` (pmin).
    fn pmin(self, o: Self) -> Self;
    /// 0 where `m`, else self.
    fn zero_where(self, m: Self::Mask) -> Self;
    /// from_bits((to_bits(self) + add) << 52), wrapping (`add`'s bits as one u64 per lane).
    fn exponent(self, add: Self) -> Self;
}

impl Lanes for f64 {
    type Mask = bool;
    #[inline(always)]
    fn splat(v: f64) -> f64 {
        v
    }
    #[inline(always)]
    fn add(self, o: f64) -> f64 {
        self + o
    }
    #[inline(always)]
    fn sub(self, o: f64) -> f64 {
        self - o
    }
    #[inline(always)]
    fn mul(self, o: f64) -> f64 {
        self * o
    }
    #[inline(always)]
    fn lt(self, o: f64) -> bool {
        self < o
    }
    #[inline(always)]
    fn pmax(self, o: f64) -> f64 {
        if self < o {
            o
        } else {
            self
        }
    }
    #[inline(always)]
    fn pmin(self, o: f64) -> f64 {
        if o < self {
            o
        } else {
            self
        }
    }
    #[inline(always)]
    fn zero_where(self, m: bool) -> f64 {
        if m {
            0.0
        } else {
            self
        }
    }
    #[inline(always)]
    fn exponent(self, add: f64) -> f64 {
        f64::from_bits(self.to_bits().wrapping_add(add.to_bits()) << 52)
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
impl Lanes for std::arch::wasm32::v128 {
    type Mask = std::arch::wasm32::v128;
    #[inline(always)]
    fn splat(v: f64) -> Self {
        std::arch::wasm32::f64x2_splat(v)
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        std::arch::wasm32::f64x2_add(self, o)
    }
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        std::arch::wasm32::f64x2_sub(self, o)
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        std::arch::wasm32::f64x2_mul(self, o)
    }
    #[inline(always)]
    fn lt(self, o: Self) -> Self {
        std::arch::wasm32::f64x2_lt(self, o)
    }
    #[inline(always)]
    fn pmax(self, o: Self) -> Self {
        std::arch::wasm32::f64x2_pmax(self, o)
    }
    #[inline(always)]
    fn pmin(self, o: Self) -> Self {
        std::arch::wasm32::f64x2_pmin(self, o)
    }
    #[inline(always)]
    fn zero_where(self, m: Self) -> Self {
        std::arch::wasm32::v128_andnot(self, m)
    }
    #[inline(always)]
    fn exponent(self, add: Self) -> Self {
        use std::arch::wasm32::*;
        i64x2_shl(i64x2_add(self, add), 52)
    }
}

/// The constants of `exp_lanes`, made once per pass: V8 builds each WebAssembly v128.const
/// anew where it is used (a 64-bit move and two shuffles), which cost as much as the
/// arithmetic when LLVM left all 21 of them inside the loop (`ExpPass` hides them from LLVM's
/// constant folding, so they stay in locals).
#[derive(Clone, Copy)]
struct ExpConsts<L> {
    lo: L,
    hi: L,
    log2e: L,
    shift: L,
    ln2_hi: L,
    ln2_lo: L,
    /// 1023 - SHIFT's bits, as the bits of an f64 (see `exponent`).
    bias: L,
    /// 1/i! for i = 0..=12.
    f: [L; 13],
}

impl<L: Lanes> ExpConsts<L> {
    #[inline(always)]
    fn new() -> Self {
        // Round to nearest by the 1.5·2^52 shift: t's low mantissa bits hold k as a
        // two's-complement integer (|k| < 2^51), so t - SHIFT is k as an f64 and t's bits
        // give 2^k.
        const SHIFT: f64 = 6_755_399_441_055_744.0;
        // fdlibm's split of ln 2, written as published (the literals round to the intended f64s).
        #[allow(clippy::excessive_precision)]
        const LN2_HI: f64 = 6.931_471_803_691_238_2e-1;
        #[allow(clippy::excessive_precision)]
        const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
        // 1/i! (each quotient rounds to the f64 nearest 1/i!).
        const F: [f64; 13] = [
            1.0,
            1.0,
            1.0 / 2.0,
            1.0 / 6.0,
            1.0 / 24.0,
            1.0 / 120.0,
            1.0 / 720.0,
            1.0 / 5_040.0,
            1.0 / 40_320.0,
            1.0 / 362_880.0,
            1.0 / 3_628_800.0,
            1.0 / 39_916_800.0,
            1.0 / 479_001_600.0,
        ];
        ExpConsts {
            lo: L::splat(-708.0),
            hi: L::splat(709.0),
            log2e: L::splat(std::f64::consts::LOG2_E),
            shift: L::splat(SHIFT),
            ln2_hi: L::splat(LN2_HI),
            ln2_lo: L::splat(LN2_LO),
            bias: L::splat(f64::from_bits(1023u64.wrapping_sub(SHIFT.to_bits()))),
            f: F.map(L::splat),
        }
    }
}

#[inline(always)]
fn exp_lanes<L: Lanes>(x: L, k: &ExpConsts<L>) -> L {
    let c = x.pmax(k.lo).pmin(k.hi);
    let t = c.mul(k.log2e).add(k.shift);
    let n = t.sub(k.shift);
    let r = c.sub(n.mul(k.ln2_hi)).sub(n.mul(k.ln2_lo));
    let r2 = r.mul(r);
    let r4 = r2.mul(r2);
    let r8 = r4.mul(r4);
    let f = &k.f;
    let pair = |i: usize| f[i].add(f[i + 1].mul(r));
    let p0_3 = pair(0).add(pair(2).mul(r2));
    let p4_7 = pair(4).add(pair(6).mul(r2));
    let p8_12 = pair(8).add(pair(10).add(f[12].mul(r2)).mul(r2));
    let p = p0_3.add(p4_7.mul(r4)).add(p8_12.mul(r8));
    // 2^n: n + 1023 in the exponent field (-708 ≤ c ≤ 709 keeps it in 1..=2046: normal).
    p.mul(t.exponent(k.bias)).zero_where(x.lt(k.lo))
}

impl Sums {
    /// The checks of a model vector of kind `kind` and its pyramid over the whole byte order.
    pub fn new<T: Copy + Into<f64>>(
        m: &ByteModel,
        q: &[T],
        eos: u32,
        ids: usize,
        kind: VectorKind,
    ) -> Result<Sums, VectorError> {
        check_length(m, q, ids, kind)?;
        let n = m.sorted.len();
        let mut e: Vec<f64> = Vec::with_capacity(n);
        let mut tree: Vec<f64> = Vec::with_capacity(2 * n.div_ceil(BLOCK) + 64);
        // One pass over the text tokens in byte order, a block at a time while it is in cache:
        // gather (scalar: the model's order is not the byte order), then exp and the checks
        // (vectorised; probabilities: a sign-bit test alone, see `sign_seen`), then the block's
        // sum.
        let (pass, mut bad) = (ExpPass::new(), false);
        for chunk in m.sorted.chunks(BLOCK) {
            let from = e.len();
            e.extend(chunk.iter().map(|&t| -> f64 { q[t as usize].into() }));
            let block = &mut e[from..];
            bad |= match kind {
                VectorKind::LogProbs => pass.run(block),
                VectorKind::Probs => sign_seen(block),
            };
            tree.push(block_sum(block));
        }
        // The other ids (specials, gaps) count for the checks and the total only.
        let mut others = 0.0;
        for i in m
            .others
            .iter()
            .map(|&i| i as usize)
            .chain(m.pos.len()..q.len())
        {
            let x: f64 = q[i].into();
            bad |= kind.refused(x);
            others += kind.e(x);
        }
        let at = pyramid(&mut tree);
        let mut s = Sums {
            lo: 0,
            e,
            tree,
            at,
            scale: 1.0,
            eos: if (eos as usize) < q.len() {
                kind.e(q[eos as usize].into())
            } else {
                0.0
            },
            total: 0.0,
        };
        debug_assert_eq!(s.tree.len(), s.at[s.at.len() - 1]);
        s.total = s.tree_total() + others;
        s.scale = verdict(q, bad, s.total, kind)?;
        s.eos *= s.scale;
        Ok(s)
    }

    /// The checks alone (log-probs: finite, log-softmax; probabilities: finite, ≥ 0, total
    /// near 1), for vectors read only for the weights of chain links: exp (log-probs) and sum
    /// in id order, no gather and no pyramid. Returns the total: Σ exp(q) or Σ q.
    pub fn check<T: Copy + Into<f64>>(
        m: &ByteModel,
        q: &[T],
        ids: usize,
        kind: VectorKind,
    ) -> Result<f64, VectorError> {
        check_length(m, q, ids, kind)?;
        let mut buf = [0.0; BLOCK];
        let (pass, mut bad, mut total) = (ExpPass::new(), false, 0.0);
        for chunk in q.chunks(BLOCK) {
            let block = &mut buf[..chunk.len()];
            for (o, &x) in block.iter_mut().zip(chunk) {
                *o = x.into();
            }
            bad |= match kind {
                VectorKind::LogProbs => pass.run(block),
                VectorKind::Probs => sign_seen(block),
            };
            total += block_sum(block);
        }
        verdict(q, bad, total, kind)?;
        Ok(total)
    }

    /// Σ e over every text token (unscaled).
    fn tree_total(&self) -> f64 {
        let n = self.at.len();
        if n < 2 || self.at[n - 1] == self.at[n - 2] {
            return 0.0;
        }
        self.tree[self.at[n - 2]]
    }

    /// Range sums over e(lo + i) = `e[i]` · `scale`.
    fn from_e(lo: usize, e: Vec<f64>, scale: f64, eos: f64, total: f64) -> Sums {
        let mut tree: Vec<f64> = Vec::with_capacity(2 * e.len().div_ceil(BLOCK) + 64);
        tree.extend(e.chunks(BLOCK).map(block_sum));
        let at = pyramid(&mut tree);
        Sums {
            lo,
            e,
            tree,
            at,
            scale,
            eos,
            total,
        }
    }

    /// Keeps positions [lo, hi) only (a subset of the current range).
    pub fn cut(&mut self, lo: usize, hi: usize) {
        let (a, b) = (lo - self.lo, hi - self.lo);
        *self = Sums::from_e(lo, self.e[a..b].to_vec(), self.scale, self.eos, self.total);
    }

    pub fn range(&self) -> (usize, usize) {
        (self.lo, self.lo + self.e.len())
    }

    /// e at a position inside the range.
    pub fn at(&self, p: usize) -> f64 {
        self.e[p - self.lo] * self.scale
    }

    /// Σ e over positions [a, b) (inside the range): the partial blocks at both ends one by
    /// one, the whole blocks between by a bottom-up walk of the pyramid.
    pub fn sum(&self, a: usize, b: usize) -> f64 {
        if a >= b {
            return 0.0;
        }
        let (a, b) = (a - self.lo, b - self.lo);
        // Whole blocks [ba, bb): the short last block counts as whole when b is the range's end.
        let ba = a.div_ceil(BLOCK);
        let bb = if b == self.e.len() {
            b.div_ceil(BLOCK)
        } else {
            b / BLOCK
        };
        if ba >= bb {
            return self.e[a..b].iter().sum::<f64>() * self.scale;
        }
        let head: f64 = self.e[a..ba * BLOCK].iter().sum();
        let tail: f64 = self.e[(bb * BLOCK).min(b)..b].iter().sum();
        let (mut a, mut b) = (ba, bb);
        let mut s = head + tail;
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
        s * self.scale
    }
}

/// exp of blocks in place, with what the WebAssembly SIMD loop needs made once per pass.
struct ExpPass {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    k: ExpConsts<std::arch::wasm32::v128>,
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    inf: std::arch::wasm32::v128,
}

impl ExpPass {
    #[inline(always)]
    fn new() -> ExpPass {
        ExpPass {
            // black_box: the constants stay values LLVM cannot fold back into the loop.
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            k: std::hint::black_box(ExpConsts::new()),
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            inf: std::hint::black_box(std::arch::wasm32::f64x2_splat(f64::INFINITY)),
        }
    }

    /// exp of a block in place; true when it held a NaN or +inf (the checks' "not finite").
    #[inline(always)]
    fn run(&self, block: &mut [f64]) -> bool {
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let (mut bad, block) = {
            use std::arch::wasm32::*;
            let mut finite = u64x2_splat(u64::MAX);
            let mut pairs = block.chunks_exact_mut(2);
            for pair in &mut pairs {
                let x = f64x2(pair[0], pair[1]);
                finite = v128_and(finite, f64x2_lt(x, self.inf));
                let v = exp_lanes(x, &self.k);
                pair[0] = f64x2_extract_lane::<0>(v);
                pair[1] = f64x2_extract_lane::<1>(v);
            }
            (!i64x2_all_true(finite), pairs.into_remainder())
        };
        #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
        let mut bad = false;
        for v in block.iter_mut() {
            bad |= VectorKind::LogProbs.refused(*v);
            *v = fast_exp(*v);
        }
        bad
    }
}

/// One value per id (`ids` of them), and at least one per id of the tokenizer.
fn check_length<T>(
    m: &ByteModel,
    q: &[T],
    ids: usize,
    kind: VectorKind,
) -> Result<(), VectorError> {
    if q.len() != ids || q.len() < m.pos.len() {
        return Err(VectorError::Length(kind, q.len()));
    }
    Ok(())
}

/// The checks' verdict once every value is read (`bad`: some value `kind` refuses; `total`: Σ e
/// over every id, unscaled): the first refused id, else whether the total is that of a
/// distribution. Returns the scale the values are read with: 1 for log-probs (taken as given),
/// 1 / total for probabilities.
fn verdict<T: Copy + Into<f64>>(
    q: &[T],
    bad: bool,
    total: f64,
    kind: VectorKind,
) -> Result<f64, VectorError> {
    // `bad` may over-report (probabilities: -0 has its sign bit set) and a NaN or +inf among
    // probabilities shows in the total alone: either way the error path looks for the first
    // refused id, and only where there is none do the total's checks decide.
    if bad || !total.is_finite() {
        if let Some(e) = first_refused(q, kind) {
            return Err(e);
        }
    }
    match kind {
        VectorKind::LogProbs => {
            let lse = total.ln();
            // NaN fails too: a vector with NaN is not a log-softmax.
            if lse.is_nan() || lse.abs() >= 1e-3 {
                return Err(VectorError::NotLogSoftmax(lse));
            }
            Ok(1.0)
        }
        VectorKind::Probs => {
            let tolerance = prob_tolerance(q.len());
            // The sum of finite values may still overflow to +inf (off: inf) or be NaN.
            let off = (total - 1.0).abs();
            if off.is_nan() || off > tolerance {
                return Err(VectorError::NotNormalised { total, tolerance });
            }
            Ok(1.0 / total)
        }
    }
}

/// The error naming the first refused id, if any (the error path only: a second pass, in id
/// order).
fn first_refused<T: Copy + Into<f64>>(q: &[T], kind: VectorKind) -> Option<VectorError> {
    q.iter()
        .map(|&x| -> f64 { x.into() })
        .enumerate()
        .find(|&(_, x)| kind.refused(x))
        .map(|(i, x)| VectorError::Refused(kind, i, x))
}

/// Whether some value of the block has its sign bit set: every negative value (-inf included)
/// and -0. With the total (NaN or +inf when any value is NaN or +inf, as the sum of
/// non-negative finite values can only overflow to +inf, which fails the total's check anyway),
/// this is the probability check: an OR of bits per value, where comparisons cost as much as
/// the sum (the pass is at the copy + sum floor with it).
#[inline(always)]
fn sign_seen(block: &[f64]) -> bool {
    block.iter().fold(0u64, |a, &x| a | x.to_bits()) >> 63 == 1
}

/// Sum of a block by 4 accumulators (independent adds: no latency chain; depth ≤ BLOCK / 4 + 2).
#[inline(always)]
fn block_sum(block: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let mut chunks = block.chunks_exact(4);
    for c in &mut chunks {
        for j in 0..4 {
            acc[j] += c[j];
        }
    }
    for (j, &v) in chunks.remainder().iter().enumerate() {
        acc[j] += v;
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}

/// Builds the pyramid above the leaves in `tree` (level 0 already there): appends each level of
/// pair sums and returns the levels' bounds.
fn pyramid(tree: &mut Vec<f64>) -> Vec<usize> {
    let mut at = vec![0, tree.len()];
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
    at
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Σ by Neumaier's compensated summation (error ~1 ulp of the sum, whatever the order).
    fn exact_sum(xs: impl Iterator<Item = f64>) -> f64 {
        let (mut s, mut c) = (0.0f64, 0.0f64);
        for x in xs {
            let t = s + x;
            c += if s.abs() >= x.abs() {
                (s - t) + x
            } else {
                (x - t) + s
            };
            s = t;
        }
        s + c
    }

    fn xorshift(seed: u64) -> impl FnMut() -> u64 {
        let mut r = seed;
        move || {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            r
        }
    }

    /// The stated bound: relative error ≤ 2e-15 against libm on [-708, 709] (a dense grid and
    /// the ends), 0 below, e^709 above, NaN for NaN.
    #[test]
    fn fast_exp_is_accurate() {
        let n = 4_000_000;
        let mut worst: f64 = 0.0;
        for i in 0..=n {
            let x = -708.0 + 1417.0 * i as f64 / n as f64;
            let (a, b) = (fast_exp(x), x.exp());
            worst = worst.max((a - b).abs() / b);
        }
        // Near 0 too, where log-probabilities of likely tokens are.
        for i in 0..=100_000 {
            let x = -1.0 + 2.0 * i as f64 / 100_000.0;
            worst = worst.max((fast_exp(x) - x.exp()).abs() / x.exp());
        }
        assert!(worst <= 2e-15, "fast_exp relative error {worst:e}");
        assert_eq!(fast_exp(-708.5), 0.0);
        assert_eq!(fast_exp(f64::NEG_INFINITY), 0.0);
        assert_eq!(fast_exp(709.5), fast_exp(709.0));
        assert_eq!(fast_exp(f64::INFINITY), fast_exp(709.0));
        assert!(fast_exp(f64::NAN).is_nan());
        assert_eq!(fast_exp(0.0), 1.0);
    }

    /// Every range sum of e's spanning 700 orders of magnitude is within 1e-13 (relative) of
    /// the compensated sum: the partial blocks and the pyramid's whole blocks, before and after
    /// `cut`, for lengths around the block size and its multiples.
    #[test]
    fn sums_are_accurate() {
        let mut rnd = xorshift(0x9e37_79b9_7f4a_7c15);
        let check = |s: &Sums, e: &[f64], lo: usize, a: usize, b: usize| {
            let want = exact_sum(e[a - lo..b - lo].iter().copied());
            let got = s.sum(a, b);
            assert!(
                (got - want).abs() <= 1e-13 * want,
                "sum({a}, {b}) of {} = {got:e}, want {want:e}",
                e.len()
            );
        };
        for n in [
            0, 1, 2, 15, 16, 17, 31, 32, 33, 47, 64, 100, 257, 1000, 4099,
        ] {
            let e: Vec<f64> = (0..n)
                .map(|_| (-((rnd() % 700_000) as f64) / 1000.0).exp())
                .collect();
            let s = Sums::from_e(0, e.clone(), 1.0, 0.0, 0.0);
            assert_eq!(s.range(), (0, n));
            let pairs: Vec<(usize, usize)> = if n <= 100 {
                (0..=n).flat_map(|a| (a..=n).map(move |b| (a, b))).collect()
            } else {
                (0..3000)
                    .map(|_| {
                        let (x, y) = ((rnd() as usize) % (n + 1), (rnd() as usize) % (n + 1));
                        (x.min(y), x.max(y))
                    })
                    .collect()
            };
            for &(a, b) in &pairs {
                check(&s, &e, 0, a, b);
            }
            if n == 0 {
                continue;
            }
            check(&s, &e, 0, 0, n);
            // A cut keeps a sub-range: its sums (and positions) stay those of the range.
            let (x, y) = ((rnd() as usize) % n, (rnd() as usize) % n);
            let (lo, hi) = (x.min(y), x.max(y) + 1);
            let mut c = Sums::from_e(0, e.clone(), 1.0, 0.0, 0.0);
            c.cut(lo, hi);
            assert_eq!(c.range(), (lo, hi));
            for (p, &v) in e.iter().enumerate().take(hi).skip(lo) {
                assert_eq!(c.at(p), v);
            }
            for a in lo..=hi.min(lo + 40) {
                for b in (a..=hi).rev().take(40) {
                    check(&c, &e[lo..], lo, a, b);
                }
            }
        }
    }

    /// `Sums::new` on a model: e in byte order is exp of the model's value by id, its range
    /// sums agree with direct sums, and the checks refuse what they should, naming the first
    /// bad id; `Sums::check` agrees with it on every vector.
    #[test]
    fn new_reads_by_byte_order_and_checks() {
        let corpus = b"the cat sat on the mat; the rat ate the hat. 0123 0123 ";
        let tok = crate::byteprob::tests::small_tokenizer(corpus, 60, None);
        let m = ByteModel::new(tok).unwrap();
        let ids = m.bytes.len() + 1; // + end of text
        let eos = (ids - 1) as u32;
        let mut rnd = xorshift(7);
        let mut q: Vec<f64> = (0..ids)
            .map(|_| -((rnd() % 30_000) as f64) / 1000.0)
            .collect();
        let lse = exact_sum(q.iter().map(|x| x.exp())).ln();
        q.iter_mut().for_each(|x| *x -= lse);
        let lp = VectorKind::LogProbs;
        let s = Sums::new(&m, &q, eos, ids, lp).unwrap();
        Sums::check(&m, &q, ids, lp).unwrap();
        let n = m.sorted.len();
        assert!(n > 4 * BLOCK, "blocks to walk");
        assert_eq!(s.range(), (0, n));
        for (p, &t) in m.sorted.iter().enumerate() {
            assert_eq!(s.at(p), fast_exp(q[t as usize]));
        }
        assert_eq!(s.eos, fast_exp(q[eos as usize]));
        for a in (0..n).step_by(7) {
            for b in (a..=n).step_by(5) {
                let want = exact_sum(m.sorted[a..b].iter().map(|&t| q[t as usize].exp()));
                assert!((s.sum(a, b) - want).abs() <= 1e-13 * want);
            }
        }
        // The f32 form reads the same values.
        let q32: Vec<f32> = q.iter().map(|&x| x as f32).collect();
        let s32 = Sums::new(&m, &q32, eos, ids, lp).unwrap();
        assert_eq!(s32.at(3), fast_exp(q32[m.sorted[3] as usize] as f64));
        // Refusals, the same from both passes.
        let both = |v: &[f64], ids: usize| {
            let a = Sums::new(&m, v, eos, ids, lp).err();
            let b = Sums::check(&m, v, ids, lp).err();
            assert_eq!(format!("{a:?}"), format!("{b:?}")); // NaN != NaN: compare as text
            a
        };
        assert_eq!(
            both(&q[..ids - 1], ids),
            Some(VectorError::Length(lp, ids - 1))
        );
        assert_eq!(
            both(&q[..ids - 2], ids - 2),
            Some(VectorError::Length(lp, ids - 2)),
            "shorter than the tokenizer's ids"
        );
        for (i, bad) in [(5, f64::NAN), (40, f64::INFINITY), (ids - 1, f64::NAN)] {
            let mut v = q.clone();
            v[i] = bad;
            v[i + 1 - (i + 1) / ids] = f64::NAN; // a later bad id is not the one named
            match both(&v, ids) {
                Some(VectorError::Refused(VectorKind::LogProbs, j, x)) => {
                    assert_eq!(j, i);
                    assert!(x.is_nan() == bad.is_nan());
                }
                e => panic!("{e:?}"),
            }
        }
        let logits: Vec<f64> = q.iter().map(|x| x + 1.0).collect();
        match both(&logits, ids) {
            Some(VectorError::NotLogSoftmax(l)) => assert!((l - 1.0).abs() < 1e-9),
            e => panic!("{e:?}"),
        }
        let mut v = q.clone();
        v[9] = f64::NEG_INFINITY; // a token the model rules out is fine
        v[10] = 800.0; // a finite value whose exp overflows is no log-softmax
        assert!(matches!(both(&v, ids), Some(VectorError::NotLogSoftmax(_))));
    }

    /// A model's distribution, as log-probs (f64) and as probabilities (f64, and f32 as
    /// llama.cpp gives them), with `ids` ids and eos the last.
    fn distribution(m: &ByteModel, seed: u64) -> (Vec<f64>, Vec<f64>, usize) {
        let ids = m.bytes.len() + 1;
        let mut rnd = xorshift(seed);
        let mut q: Vec<f64> = (0..ids)
            .map(|_| -((rnd() % 30_000) as f64) / 1000.0)
            .collect();
        q[3] = f64::NEG_INFINITY; // a token the model rules out: probability 0
        let lse = exact_sum(q.iter().map(|x| x.exp())).ln();
        q.iter_mut().for_each(|x| *x -= lse);
        let p: Vec<f64> = q.iter().map(|x| x.exp()).collect();
        (q, p, ids)
    }

    fn small_model() -> ByteModel {
        let corpus = b"the cat sat on the mat; the rat ate the hat. 0123 0123 ";
        ByteModel::new(crate::byteprob::tests::small_tokenizer(corpus, 60, None)).unwrap()
    }

    /// The probability pass reads what the log-prob pass reads from the same distribution (e,
    /// every range sum, eos) to 1e-13, before and after `cut`, and divides by the total: a
    /// vector off by a factor within the tolerance reads the same, and its total comes back.
    #[test]
    fn probs_read_like_log_probs() {
        let m = small_model();
        let (q, p, ids) = distribution(&m, 11);
        let eos = (ids - 1) as u32;
        let (lp, pr) = (VectorKind::LogProbs, VectorKind::Probs);
        let a = Sums::new(&m, &q, eos, ids, lp).unwrap();
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-13 * y.abs();
        let n = m.sorted.len();
        let compare = |b: &Sums, lo: usize, hi: usize| {
            assert_eq!(b.range(), (lo, hi));
            assert!(close(b.eos, a.eos), "eos {} vs {}", b.eos, a.eos);
            for p in lo..hi {
                assert!(
                    close(b.at(p), a.at(p)),
                    "at({p}): {} vs {}",
                    b.at(p),
                    a.at(p)
                );
            }
            for x in (lo..=hi).step_by(3) {
                for y in (x..=hi).step_by(5) {
                    assert!(close(b.sum(x, y), a.sum(x, y)), "sum({x}, {y})");
                }
            }
        };
        for factor in [1.0, 1.0 + 9e-4, 1.0 - 9e-4] {
            let v: Vec<f64> = p.iter().map(|x| x * factor).collect();
            let b = Sums::new(&m, &v, eos, ids, pr).unwrap();
            assert!(close(b.total, factor), "total {} for {factor}", b.total);
            assert!(close(Sums::check(&m, &v, ids, pr).unwrap(), factor));
            compare(&b, 0, n);
            let mut c = b;
            c.cut(n / 3, n / 2);
            compare(&c, n / 3, n / 2);
        }
        // f32 probabilities read as the f64 values they are, divided by their total.
        let p32: Vec<f32> = p.iter().map(|&x| x as f32).collect();
        let b = Sums::new(&m, &p32, eos, ids, pr).unwrap();
        let t32 = exact_sum(p32.iter().map(|&x| x as f64));
        let t = m.sorted[7] as usize;
        assert!(close(b.at(7), p32[t] as f64 / t32));
    }

    /// Bad probability vectors: each refused with one error naming the first bad id and the
    /// value, or the total and the tolerance; `Sums::new` and `Sums::check` alike.
    #[test]
    fn probs_refused() {
        let m = small_model();
        let (q, p, ids) = distribution(&m, 12);
        let (eos, pr) = ((ids - 1) as u32, VectorKind::Probs);
        let both = |v: &[f64], ids: usize| {
            let a = Sums::new(&m, v, eos, ids, pr).err().expect("refused");
            let b = Sums::check(&m, v, ids, pr).expect_err("refused");
            match (&a, &b) {
                // Totals summed in different orders: the same to rounding.
                (
                    VectorError::NotNormalised { total: x, .. },
                    VectorError::NotNormalised { total: y, .. },
                ) => assert!((x - y).abs() <= 1e-12 * x.abs() || x == y),
                _ => assert_eq!(format!("{a:?}"), format!("{b:?}")), // NaN != NaN: as text
            }
            a
        };
        assert_eq!(both(&p[..ids - 1], ids), VectorError::Length(pr, ids - 1));
        for (i, bad) in [
            (5, f64::NAN),
            (6, -1e-9),
            (40, f64::INFINITY),
            (41, f64::NEG_INFINITY),
            (50, -0.5),
            (ids - 1, f64::NAN),
        ] {
            let mut v = p.clone();
            v[i] = bad;
            v[i + 1 - (i + 1) / ids] = f64::NAN; // a later bad id is not the one named
            match both(&v, ids) {
                VectorError::Refused(VectorKind::Probs, j, x) => {
                    assert_eq!(j, i);
                    assert!(x.is_nan() == bad.is_nan() && (x.is_nan() || x == bad));
                }
                e => panic!("{e:?}"),
            }
        }
        let mut v = p.clone();
        v[6] = -1e-9;
        assert_eq!(
            both(&v, ids).to_string(),
            "nextTokenProbs returned -0.000000001 at id 6 (a probability is finite and ≥ 0)"
        );
        // -0 is a probability (0); a total just inside the tolerance passes, just outside fails.
        let tol = prob_tolerance(ids);
        assert_eq!(tol, 1e-3, "small vocabularies: the log-prob path's 1e-3");
        let mut v = p.clone();
        v[3] = -0.0;
        Sums::new(&m, &v, eos, ids, pr).unwrap();
        for (factor, ok) in [(1.0 + 0.99 * tol, true), (1.0 + 1.01 * tol, false)] {
            let v: Vec<f64> = p.iter().map(|x| x * factor).collect();
            assert_eq!(Sums::new(&m, &v, eos, ids, pr).is_ok(), ok, "{factor}");
            assert_eq!(Sums::check(&m, &v, ids, pr).is_ok(), ok, "{factor}");
        }
        // Far from 1: unnormalised weights, and log-probs handed over as probabilities.
        let twice: Vec<f64> = p.iter().map(|x| 2.0 * x).collect();
        match both(&twice, ids) {
            VectorError::NotNormalised { total, tolerance } => {
                assert!((total - 2.0).abs() < 1e-12 && tolerance == tol)
            }
            e => panic!("{e:?}"),
        }
        assert!(both(&twice, ids)
            .to_string()
            .starts_with("nextTokenProbs must return probabilities (softmax); their total is 2.000000, not 1 ± 1.0e-3"));
        assert!(matches!(both(&q, ids), VectorError::Refused(_, 0, _)));
        let huge: Vec<f64> = p.iter().map(|_| f64::MAX).collect();
        assert!(matches!(
            both(&huge, ids),
            VectorError::NotNormalised { total, .. } if total == f64::INFINITY
        ));
    }

    /// llama.cpp's softmax as node-llama-cpp computes it (f32: exp(l - max), a running f32
    /// sum, each divided by it) over 262k logits: the total of its f32 output is within
    /// `prob_tolerance` (measured here, and far below the bound), so such vectors pass.
    #[test]
    fn llama_cpp_softmax_passes() {
        let mut rnd = xorshift(99);
        for (ids, spread) in [(49_152, 8.0), (262_144, 3.0), (262_144, 30.0)] {
            let logits: Vec<f32> = (0..ids)
                .map(|_| ((rnd() % 100_000) as f32 / 100_000.0 - 0.5) * spread)
                .collect();
            let max = logits.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
            let mut p: Vec<f32> = logits.iter().map(|&l| (l - max).exp()).collect();
            let sum: f32 = p.iter().fold(0.0f32, |s, &x| s + x);
            p.iter_mut().for_each(|x| *x /= sum);
            let total = exact_sum(p.iter().map(|&x| x as f64));
            assert!(
                (total - 1.0).abs() <= prob_tolerance(ids),
                "{ids} ids, spread {spread}: total {total}"
            );
        }
    }
}
