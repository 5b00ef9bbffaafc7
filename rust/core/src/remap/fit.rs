//! The auxiliary-vector fits of remapping: FOCUS weights (sparsemax of cosine similarities) and
//! OMP coefficients (greedy sparse least squares), both over the tokens copied from the source.
//! Cost per new token is O(|overlap| · dim) — a full scan, as deepfocus and tokensurgeon do.

/// Auxiliary (FOCUS) or donor (OMP) vectors: `dim` floats per target id, row-major.
pub struct Aux<'a> {
    pub vectors: &'a [f32],
    pub dim: usize,
}

pub struct Fitter {
    dim: usize,
    /// Target rows of the auxiliary vectors.
    vectors: Vec<f32>,
    /// Copied tokens that have a vector: (source id, index into `atoms`).
    sources: Vec<u32>,
    /// Their vectors, unit length (FOCUS cosines, OMP atom selection).
    atoms: Vec<f64>,
    /// Their vectors as given (OMP least squares).
    raw: Vec<f64>,
}

fn nonzero(v: &[f32]) -> bool {
    v.iter().any(|&x| x != 0.0)
}

impl Fitter {
    pub fn new(aux: Aux, overlap: &[(u32, u32)]) -> Fitter {
        let d = aux.dim;
        let mut f = Fitter {
            dim: d,
            vectors: aux.vectors.to_vec(),
            sources: vec![],
            atoms: vec![],
            raw: vec![],
        };
        for &(t, s) in overlap {
            let v = &aux.vectors[t as usize * d..(t as usize + 1) * d];
            if !nonzero(v) {
                continue;
            }
            let norm = v.iter().map(|&x| (x as f64).powi(2)).sum::<f64>().sqrt();
            f.sources.push(s);
            f.atoms.extend(v.iter().map(|&x| x as f64 / norm));
            f.raw.extend(v.iter().map(|&x| x as f64));
        }
        f
    }

    fn target(&self, id: u32) -> Option<Vec<f64>> {
        let v = &self.vectors[id as usize * self.dim..(id as usize + 1) * self.dim];
        (nonzero(v) && !self.sources.is_empty()).then(|| v.iter().map(|&x| x as f64).collect())
    }

    /// Four independent sums: a single running sum makes every multiply-add wait for the one
    /// before (FP addition is not reassociated by the compiler), which made FOCUS/OMP planning
    /// — one dot product per copied token per new token — latency-bound.
    fn dot(a: &[f64], b: &[f64]) -> f64 {
        let (mut s0, mut s1, mut s2, mut s3) = (0.0, 0.0, 0.0, 0.0);
        let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
        let tail: f64 = ca
            .remainder()
            .iter()
            .zip(cb.remainder())
            .map(|(x, y)| x * y)
            .sum();
        for (x, y) in ca.zip(cb) {
            s0 += x[0] * y[0];
            s1 += x[1] * y[1];
            s2 += x[2] * y[2];
            s3 += x[3] * y[3];
        }
        (s0 + s1) + (s2 + s3) + tail
    }

    /// FOCUS: sparsemax over cos(f_n, f_o); the support and its weights (sum 1).
    pub fn focus(&self, id: u32) -> Option<Vec<(u32, f32)>> {
        let x = self.target(id)?;
        let norm = Self::dot(&x, &x).sqrt();
        let z: Vec<f64> = self
            .atoms
            .chunks(self.dim)
            .map(|a| Self::dot(a, &x) / norm)
            .collect();
        let tau = sparsemax_threshold(&z);
        let w: Vec<(u32, f32)> = z
            .iter()
            .enumerate()
            .filter(|(_, &v)| v > tau)
            .map(|(i, &v)| (self.sources[i], (v - tau) as f32))
            .collect();
        Some(w)
    }

    /// OMP: greedily pick up to k atoms (largest |<residual, unit atom>|), refit all coefficients
    /// by least squares each time; stop early when the residual vanishes.
    pub fn omp(&self, id: u32, k: usize) -> Option<Vec<(u32, f32)>> {
        let x = self.target(id)?;
        let d = self.dim;
        let mut support: Vec<usize> = vec![];
        let mut coef: Vec<f64> = vec![];
        let mut r = x.clone();
        for _ in 0..k.min(self.sources.len()) {
            let best = self
                .atoms
                .chunks(d)
                .enumerate()
                .filter(|(i, _)| !support.contains(i))
                .map(|(i, a)| (i, Self::dot(a, &r).abs()))
                .max_by(|a, b| a.1.total_cmp(&b.1))?;
            if best.1 <= 1e-12 * Self::dot(&x, &x).sqrt() {
                break;
            }
            support.push(best.0);
            let cols: Vec<&[f64]> = support
                .iter()
                .map(|&i| &self.raw[i * d..(i + 1) * d])
                .collect();
            coef = least_squares(&cols, &x)?;
            r = x.clone();
            for (c, col) in coef.iter().zip(&cols) {
                for (ri, ai) in r.iter_mut().zip(col.iter()) {
                    *ri -= c * ai;
                }
            }
        }
        Some(
            support
                .iter()
                .zip(coef)
                .map(|(&i, c)| (self.sources[i], c as f32))
                .collect(),
        )
    }
}

/// τ such that Σ max(z − τ, 0) = 1 (Martins & Astudillo 2016).
pub fn sparsemax_threshold(z: &[f64]) -> f64 {
    // τ ≥ max − 1, so no z ≤ max − 1 is in the support: 1 + k·z_(k) ≤ Σ_{j≤k} z_(j) for such a
    // z_(k), and the scan below stops before it. Sorting only the rest gives the same τ, bit for
    // bit, at a fraction of the cost (FOCUS sorts one score per copied token, per new token).
    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut s: Vec<f64> = z.iter().copied().filter(|&v| v > max - 1.0).collect();
    s.sort_by(|a, b| b.total_cmp(a));
    let (mut sum, mut tau) = (0.0, s[0] - 1.0);
    for (k, &v) in s.iter().enumerate() {
        sum += v;
        let t = (sum - 1.0) / (k + 1) as f64;
        if v > t {
            tau = t;
        } else {
            break;
        }
    }
    tau
}

/// Solves min ||Σ c_i col_i − x|| by the normal equations (k ≤ 8 columns), with a tiny ridge so
/// that nearly parallel atoms do not blow up.
fn least_squares(cols: &[&[f64]], x: &[f64]) -> Option<Vec<f64>> {
    let k = cols.len();
    let mut a = vec![0.0; k * (k + 1)];
    for i in 0..k {
        for j in 0..k {
            a[i * (k + 1) + j] = Fitter::dot(cols[i], cols[j]) + if i == j { 1e-10 } else { 0.0 };
        }
        a[i * (k + 1) + k] = Fitter::dot(cols[i], x);
    }
    // Gaussian elimination with partial pivoting on the augmented k × (k+1) matrix.
    for c in 0..k {
        let p = (c..k).max_by(|&i, &j| {
            a[i * (k + 1) + c]
                .abs()
                .total_cmp(&a[j * (k + 1) + c].abs())
        })?;
        for j in 0..=k {
            a.swap(c * (k + 1) + j, p * (k + 1) + j);
        }
        let piv = a[c * (k + 1) + c];
        if piv.abs() < 1e-300 {
            return None;
        }
        for i in 0..k {
            if i != c {
                let f = a[i * (k + 1) + c] / piv;
                for j in c..=k {
                    a[i * (k + 1) + j] -= f * a[c * (k + 1) + j];
                }
            }
        }
    }
    Some(
        (0..k)
            .map(|i| a[i * (k + 1) + k] / a[i * (k + 1) + i])
            .collect(),
    )
}
