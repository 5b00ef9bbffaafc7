//! Computes a remapped vocabulary tensor's rows from the source tensor's bytes, a range of
//! target rows at a time (so the caller writes as it goes). Arithmetic is that of the
//! safetensors path (`src/remap.ts` `applyPlan`): rows dequantised to f32, summed in f64 in plan
//! order, FVT rows divided by their count, FOCUS/OMP rows weighted, fallback rows the mean of
//! every source token's row; then rounded to f32 and to the output type (nearest even).
use super::dequant::{self, f32_to_f16};
use super::types::GgmlType;
use crate::remap::{Kind, Plan};

pub struct RowComputer {
    plan: Plan,
    src: Vec<u8>,
    src_type: GgmlType,
    out_type: GgmlType,
    /// Elements per row.
    ne: usize,
    src_row_bytes: usize,
    /// Source rows that belong to tokens (the fallback mean's rows).
    n_tokens: usize,
    mean: Option<Vec<f64>>,
}

impl RowComputer {
    /// `src`: the whole source tensor, rows of `ne` elements of `src_type`.
    pub fn new(
        plan: Plan,
        src: Vec<u8>,
        src_type: GgmlType,
        ne: usize,
        n_tokens: usize,
        out_type: GgmlType,
    ) -> Result<RowComputer, String> {
        let src_row_bytes = src_type
            .row_bytes(ne as u64)
            .ok_or_else(|| format!("{ne} elements are not whole {src_type} blocks"))?
            as usize;
        if !dequant::supported(src_type) {
            return Err(format!("dequantising {src_type} is not supported"));
        }
        if out_type != GgmlType::F32 && out_type != GgmlType::F16 {
            return Err(format!(
                "remapped rows are written as F32 or F16, not {out_type}"
            ));
        }
        let rows = src.len() / src_row_bytes.max(1);
        if !src.len().is_multiple_of(src_row_bytes.max(1)) || n_tokens > rows {
            return Err(format!(
                "{} bytes are not {n_tokens} rows of {src_row_bytes} bytes",
                src.len()
            ));
        }
        if let Some(&s) = plan.src.iter().find(|&&s| s as usize >= rows) {
            return Err(format!("the plan uses source row {s} of {rows}"));
        }
        Ok(RowComputer {
            plan,
            src,
            src_type,
            out_type,
            ne,
            src_row_bytes,
            n_tokens,
            mean: None,
        })
    }

    pub fn rows(&self) -> usize {
        self.plan.kinds.len()
    }

    fn src_row(&self, s: u32, buf: &mut [f32]) {
        let a = s as usize * self.src_row_bytes;
        dequant::row(self.src_type, &self.src[a..a + self.src_row_bytes], buf)
            .expect("row sizes checked in new()");
    }

    /// Target rows `start..end` in the output type.
    pub fn compute(&mut self, start: usize, end: usize) -> Vec<u8> {
        let end = end.min(self.rows());
        let mut out = Vec::with_capacity(end.saturating_sub(start) * self.ne * 4);
        let mut buf = vec![0f32; self.ne];
        let mut acc = vec![0f64; self.ne];
        if self.mean.is_none() && self.plan.kinds[start..end].contains(&Kind::Fallback) {
            let mut m = vec![0f64; self.ne];
            for s in 0..self.n_tokens {
                self.src_row(s as u32, &mut buf);
                m.iter_mut().zip(&buf).for_each(|(a, &x)| *a += x as f64);
            }
            m.iter_mut().for_each(|a| *a /= self.n_tokens.max(1) as f64);
            self.mean = Some(m);
        }
        for i in start..end {
            let (a, b) = (self.plan.ptr[i] as usize, self.plan.ptr[i + 1] as usize);
            acc.fill(0.0);
            match self.plan.kinds[i] {
                Kind::Fallback => acc.copy_from_slice(self.mean.as_ref().expect("computed above")),
                kind => {
                    for k in a..b {
                        self.src_row(self.plan.src[k], &mut buf);
                        let w = if kind == Kind::Focus || kind == Kind::Omp {
                            self.plan.weights[k] as f64
                        } else {
                            1.0
                        };
                        acc.iter_mut()
                            .zip(&buf)
                            .for_each(|(x, &y)| *x += w * y as f64);
                    }
                    if kind == Kind::Fvt {
                        acc.iter_mut().for_each(|x| *x /= (b - a) as f64);
                    }
                }
            }
            for &x in &acc {
                let v = x as f32;
                if self.out_type == GgmlType::F32 {
                    out.extend_from_slice(&v.to_le_bytes());
                } else {
                    out.extend_from_slice(&f32_to_f16(v).to_le_bytes());
                }
            }
        }
        out
    }
}
