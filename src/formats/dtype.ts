// Floating-point element codecs for embedding rows: F32, F16 and BF16 little-endian, decoded to
// numbers and encoded with round-to-nearest-even (what torch's .to(dtype) does), so a value
// that came from the dtype goes back to the same bits.
import { VocabsmithError } from '../errors.js';

export type FloatDtype = 'F32' | 'F16' | 'BF16';
export const FLOAT_BYTES: Record<FloatDtype, number> = { F32: 4, F16: 2, BF16: 2 };

export function floatDtype(dtype: string, where: string): FloatDtype {
  if (dtype === 'F32' || dtype === 'F16' || dtype === 'BF16') return dtype;
  throw new VocabsmithError(`unsupported dtype ${dtype} for ${where} (F32, F16, BF16)`);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function f16ToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m === 0 ? s * Infinity : NaN;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** f32 bits -> f16 bits, round to nearest even (overflow to ±inf, NaN kept quiet). */
function f32BitsToF16(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let man = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (man !== 0 ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    man |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let r = man >>> shift;
    const rest = man & ((1 << shift) - 1);
    if (rest > half || (rest === half && (r & 1) === 1)) r++;
    return sign | r;
  }
  let r = man >>> 13;
  const rest = man & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (r & 1) === 1)) {
    r++;
    if (r === 0x400) {
      r = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | r;
}

/** Element k of a row buffer as a number. */
export function readElem(buf: Uint8Array, k: number, dtype: FloatDtype): number {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dtype === 'F32') return dv.getFloat32(k * 4, true);
  const h = dv.getUint16(k * 2, true);
  if (dtype === 'BF16') {
    u32[0] = h << 16;
    return f32[0]!;
  }
  return f16ToNumber(h);
}

/** Decodes `n` elements starting at element `start` into `out` (adds `w ×` each when `w` is given). */
export function accumulate(buf: Uint8Array, start: number, n: number, dtype: FloatDtype, out: Float64Array, w = 1): void {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let k = 0; k < n; k++) {
    let v: number;
    if (dtype === 'F32') v = dv.getFloat32((start + k) * 4, true);
    else if (dtype === 'BF16') {
      u32[0] = dv.getUint16((start + k) * 2, true) << 16;
      v = f32[0]!;
    } else v = f16ToNumber(dv.getUint16((start + k) * 2, true));
    out[k]! += w === 1 ? v : w * v;
  }
}

/** Writes `values` (rounded to f32 first, then to the dtype) as elements at `start` of `buf`. */
export function writeRow(buf: Uint8Array, start: number, values: Float64Array, dtype: FloatDtype): void {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let k = 0; k < values.length; k++) {
    f32[0] = values[k]!;
    if (dtype === 'F32') dv.setFloat32((start + k) * 4, f32[0]!, true);
    else if (dtype === 'BF16') {
      const x = u32[0]!;
      const h = Number.isNaN(f32[0]) ? 0x7fc0 : ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
      dv.setUint16((start + k) * 2, h, true);
    } else dv.setUint16((start + k) * 2, f32BitsToF16(u32[0]!), true);
  }
}
