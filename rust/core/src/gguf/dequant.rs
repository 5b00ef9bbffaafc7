//! Rows of ggml tensors as f32, the way ggml's `dequantize_row_*` computes them (f16 scales to
//! f32, then the same products in the same order), and f32 back to F16/BF16 with round to nearest
//! even. Only remapping needs this: a computed row (FVT and the others) is a weighted sum of
//! source rows, which needs their values. Trimming never dequantises.
//!
//! Supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K — the types
//! llama.cpp's quantizers give `token_embd` / `output` (Q8_0 and Q6_K most often). Others are
//! refused by name, never guessed. Checked against gguf-py's `quants.dequantize` (tests).
use super::types::GgmlType;

pub fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h as u32) & 0x8000) << 16;
    let exp = ((h >> 10) & 0x1f) as u32;
    let man = (h & 0x3ff) as u32;
    let bits = match exp {
        0 if man == 0 => sign,
        0 => {
            // Subnormal: normalise.
            let mut e = 127 - 15 + 1;
            let mut m = man;
            while m & 0x400 == 0 {
                m <<= 1;
                e -= 1;
            }
            sign | (e << 23) | ((m & 0x3ff) << 13)
        }
        31 => sign | 0x7f80_0000 | (man << 13),
        _ => sign | ((exp + 127 - 15) << 23) | (man << 13),
    };
    f32::from_bits(bits)
}

/// Round to nearest even; overflow to ±inf; NaN stays NaN.
pub fn f32_to_f16(x: f32) -> u16 {
    let b = x.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xff) as i32;
    let man = b & 0x7f_ffff;
    if exp == 0xff {
        return sign | 0x7c00 | if man != 0 { 0x200 } else { 0 };
    }
    let e = exp - 127 + 15;
    if e >= 0x1f {
        return sign | 0x7c00;
    }
    if e <= 0 {
        if e < -10 {
            return sign;
        }
        let m = man | 0x80_0000;
        let shift = (14 - e) as u32;
        let half = 1u32 << (shift - 1);
        let mut r = m >> shift;
        let rest = m & ((1 << shift) - 1);
        if rest > half || (rest == half && r & 1 == 1) {
            r += 1;
        }
        return sign | r as u16;
    }
    // Rounding may carry into the exponent (and up to inf): the bit layout makes that right.
    let mut r = ((e as u32) << 10) | (man >> 13);
    let rest = man & 0x1fff;
    if rest > 0x1000 || (rest == 0x1000 && r & 1 == 1) {
        r += 1;
    }
    sign | r as u16
}

pub fn bf16_to_f32(h: u16) -> f32 {
    f32::from_bits((h as u32) << 16)
}

fn f16_at(b: &[u8], i: usize) -> f32 {
    f16_to_f32(u16::from_le_bytes([b[i], b[i + 1]]))
}

/// Whether [`row`] can dequantise this type.
pub fn supported(t: GgmlType) -> bool {
    matches!(t.0, 0 | 1 | 30 | 2 | 3 | 6 | 7 | 8 | 12 | 13 | 14)
}

/// Dequantises one row (`out.len()` elements, a whole number of blocks) from `src`.
pub fn row(t: GgmlType, src: &[u8], out: &mut [f32]) -> Result<(), String> {
    let n = out.len();
    let need = t
        .row_bytes(n as u64)
        .ok_or_else(|| format!("{n} elements are not whole {t} blocks"))?;
    if src.len() as u64 != need {
        return Err(format!(
            "a {t} row of {n} elements is {need} bytes, got {}",
            src.len()
        ));
    }
    let bb = t.block_bytes() as usize;
    match t.0 {
        0 => src.chunks_exact(4).zip(out.iter_mut()).for_each(|(c, y)| *y = f32::from_le_bytes(c.try_into().unwrap())),
        1 => src.chunks_exact(2).zip(out.iter_mut()).for_each(|(c, y)| *y = f16_to_f32(u16::from_le_bytes([c[0], c[1]]))),
        30 => src.chunks_exact(2).zip(out.iter_mut()).for_each(|(c, y)| *y = bf16_to_f32(u16::from_le_bytes([c[0], c[1]]))),
        2 | 3 | 6 | 7 | 8 => {
            for (b, y) in src.chunks_exact(bb).zip(out.chunks_exact_mut(32)) {
                legacy(t.0, b, y);
            }
        }
        12..=14 => {
            for (b, y) in src.chunks_exact(bb).zip(out.chunks_exact_mut(256)) {
                k_quant(t.0, b, y);
            }
        }
        _ => return Err(format!("dequantising {t} is not supported (F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K are)")),
    }
    Ok(())
}

/// One 32-element block of Q4_0, Q4_1, Q5_0, Q5_1 or Q8_0 (ggml-quants.c).
fn legacy(t: u32, b: &[u8], y: &mut [f32]) {
    let d = f16_at(b, 0);
    match t {
        2 => {
            for j in 0..16 {
                y[j] = ((b[2 + j] & 0xf) as i32 - 8) as f32 * d;
                y[j + 16] = ((b[2 + j] >> 4) as i32 - 8) as f32 * d;
            }
        }
        3 => {
            let m = f16_at(b, 2);
            for j in 0..16 {
                y[j] = (b[4 + j] & 0xf) as f32 * d + m;
                y[j + 16] = (b[4 + j] >> 4) as f32 * d + m;
            }
        }
        6 | 7 => {
            let (m, qh_at) = if t == 7 { (f16_at(b, 2), 4) } else { (0.0, 2) };
            let qh = u32::from_le_bytes(b[qh_at..qh_at + 4].try_into().unwrap());
            let qs = &b[qh_at + 4..];
            for j in 0..16 {
                let h0 = (((qh >> j) << 4) & 0x10) as u8;
                let h1 = ((qh >> (j + 12)) & 0x10) as u8;
                let (x0, x1) = ((qs[j] & 0xf) | h0, (qs[j] >> 4) | h1);
                if t == 6 {
                    y[j] = (x0 as i32 - 16) as f32 * d;
                    y[j + 16] = (x1 as i32 - 16) as f32 * d;
                } else {
                    y[j] = x0 as f32 * d + m;
                    y[j + 16] = x1 as f32 * d + m;
                }
            }
        }
        _ => {
            for j in 0..32 {
                y[j] = b[2 + j] as i8 as f32 * d;
            }
        }
    }
}

/// Scale and min number `j` of a K-quant's 12 packed 6-bit pairs (ggml's `get_scale_min_k4`).
fn scale_min(j: usize, q: &[u8]) -> (u8, u8) {
    if j < 4 {
        (q[j] & 63, q[j + 4] & 63)
    } else {
        (
            (q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4),
            (q[j + 4] >> 4) | ((q[j] >> 6) << 4),
        )
    }
}

/// One 256-element block of Q4_K, Q5_K or Q6_K.
fn k_quant(t: u32, b: &[u8], y: &mut [f32]) {
    if t == 14 {
        let (ql, qh, sc) = (&b[0..128], &b[128..192], &b[192..208]);
        let d = f16_at(b, 208);
        for half in 0..2 {
            let (ql, qh, sc, y) = (
                &ql[64 * half..],
                &qh[32 * half..],
                &sc[8 * half..],
                &mut y[128 * half..],
            );
            for l in 0..32 {
                let is = l / 16;
                let q1 = ((ql[l] & 0xf) | ((qh[l] & 3) << 4)) as i32 - 32;
                let q2 = ((ql[l + 32] & 0xf) | (((qh[l] >> 2) & 3) << 4)) as i32 - 32;
                let q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) as i32 - 32;
                let q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) as i32 - 32;
                y[l] = d * (sc[is] as i8 as f32) * q1 as f32;
                y[l + 32] = d * (sc[is + 2] as i8 as f32) * q2 as f32;
                y[l + 64] = d * (sc[is + 4] as i8 as f32) * q3 as f32;
                y[l + 96] = d * (sc[is + 6] as i8 as f32) * q4 as f32;
            }
        }
        return;
    }
    let (d, min) = (f16_at(b, 0), f16_at(b, 2));
    let scales = &b[4..16];
    let (qh, qs): (&[u8], &[u8]) = if t == 13 {
        (&b[16..48], &b[48..176])
    } else {
        (&[], &b[16..144])
    };
    for (g, chunk) in y.chunks_exact_mut(64).enumerate() {
        let (sc1, m1) = scale_min(2 * g, scales);
        let (sc2, m2) = scale_min(2 * g + 1, scales);
        let (d1, m1, d2, m2) = (
            d * sc1 as f32,
            min * m1 as f32,
            d * sc2 as f32,
            min * m2 as f32,
        );
        let q = &qs[32 * g..];
        for l in 0..32 {
            let (h1, h2) = if t == 13 {
                (
                    if qh[l] & (1 << (2 * g)) != 0 { 16 } else { 0 },
                    if qh[l] & (2 << (2 * g)) != 0 { 16 } else { 0 },
                )
            } else {
                (0, 0)
            };
            chunk[l] = d1 * ((q[l] & 0xf) + h1) as f32 - m1;
            chunk[l + 32] = d2 * ((q[l] >> 4) + h2) as f32 - m2;
        }
    }
}
