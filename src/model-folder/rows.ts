// How each output row of a vocabulary tensor is made from the input's rows — the one shape shared
// by trimming (every row a copy: a gather) and remapping (copy / FVT mean / FOCUS or OMP weighted
// sum / fallback mean of all rows) — and the streaming applier. The applier is format-neutral: a
// weight format (safetensors today, GGUF later) supplies `read` (rows of the input tensor) and
// `write` (bytes of the output tensor, in order); memory stays at one chunk of rows plus one f64
// accumulator, whatever the vocabulary or hidden size.
//
// Arithmetic: rows are summed in f64 in plan order, FVT sums divided by their count, then rounded
// to f32 and to the tensor's dtype (nearest even); copies are byte copies.
import { accumulate, writeRow, type FloatDtype } from '../formats/dtype.js';
import { PlanKind } from '../wasm.js';

/** A row kind by its report name ('copy', 'fvt', 'focus', 'omp', 'fallback'): PlanKind's names. */
export type RowKind = Lowercase<keyof typeof PlanKind>;
/** Report names by PlanKind code (the codes are declared once, in rust/bindings/src/remap.rs). */
export const KIND_NAMES: readonly RowKind[] = (() => {
  const names: RowKind[] = [];
  for (const [name, code] of Object.entries(PlanKind)) if (typeof code === 'number') names[code] = name.toLowerCase() as RowKind;
  return names;
})();
export const COPY = PlanKind.Copy;
export const FVT = PlanKind.Fvt;
export const FALLBACK = PlanKind.Fallback;

/** Per output row i: kinds[i], and its sources/weights at ptr[i]..ptr[i+1] (CSR). */
export interface RowPlan {
  kinds: Uint8Array;
  ptr: Uint32Array;
  sources: Uint32Array;
  weights: Float32Array;
}

/** Trimming's plan: output row i is a copy of input row ids[i]. */
export function gatherPlan(ids: Uint32Array): RowPlan {
  const ptr = new Uint32Array(ids.length + 1);
  for (let i = 0; i <= ids.length; i++) ptr[i] = i;
  return { kinds: new Uint8Array(ids.length), ptr, sources: ids, weights: new Float32Array(ids.length).fill(1) };
}

/** Reads `count` rows of the input tensor starting at `row` into `into`; writes output bytes in order. */
export interface RowIO {
  read(row: number, count: number, into: Uint8Array): void;
  write(bytes: Uint8Array): void;
}

export interface TensorShape {
  /** Element type, when the rows are floats: needed for any row that is not a copy. */
  dtype: FloatDtype | undefined;
  /** Elements per row (1 for a bias), and their bytes. */
  dim: number;
  rowBytes: number;
  /** Rows the input tensor has: sources at or past it have no row (ids past the embedding). */
  rows: number;
}

/** Rows buffered per read or write. */
const CHUNK_BYTES = 8 << 20;

/**
 * Streams the output tensor of `plan` through `io`. A source id the input has no row for (the
 * tokenizer has more ids than the embedding has rows) is left out of a mean or sum; a row left
 * with no source — and every fallback row — gets the mean of all input rows.
 */
export function streamRows(plan: RowPlan, io: RowIO, s: TensorShape): void {
  const rowBytes = s.rowBytes;
  const n = plan.kinds.length;
  const per = Math.max(1, Math.floor(CHUNK_BYTES / rowBytes));
  const outBuf = new Uint8Array(Math.min(n, per) * rowBytes);
  const inBuf = new Uint8Array(per * rowBytes);
  const one = new Uint8Array(rowBytes);
  const acc = new Float64Array(s.dim);
  let mean: Float64Array | undefined;
  const dtype = (): FloatDtype => {
    if (s.dtype === undefined) throw new Error('a computed row of a non-float tensor: the planner must refuse this');
    return s.dtype;
  };
  const meanRow = (): Float64Array => {
    if (mean !== undefined) return mean;
    mean = new Float64Array(s.dim);
    for (let r = 0; r < s.rows; r += per) {
      const k = Math.min(per, s.rows - r);
      io.read(r, k, inBuf);
      for (let j = 0; j < k; j++) accumulate(inBuf, j * s.dim, s.dim, dtype(), mean);
    }
    for (let d = 0; d < s.dim; d++) mean[d]! /= Math.max(1, s.rows);
    return mean;
  };
  let filled = 0;
  const flush = () => {
    io.write(outBuf.subarray(0, filled * rowBytes));
    filled = 0;
  };
  for (let i = 0; i < n; ) {
    const kind = plan.kinds[i]!;
    const a = plan.ptr[i]!;
    const b = plan.ptr[i + 1]!;
    const at = filled * rowBytes;
    if (kind === COPY && plan.sources[a]! < s.rows) {
      // A run of copies of consecutive rows is one read (kept ids cluster; identity remaps are one run).
      let j = i + 1;
      const first = plan.sources[a]!;
      while (j < n && j - i < per - filled && plan.kinds[j] === COPY && plan.sources[plan.ptr[j]!] === first + (j - i) && first + (j - i) < s.rows) j++;
      io.read(first, j - i, outBuf.subarray(at, at + (j - i) * rowBytes));
      filled += j - i;
      i = j;
    } else {
      acc.fill(0);
      let used = 0;
      if (kind !== FALLBACK) {
        for (let k = a; k < b; k++) {
          const src = plan.sources[k]!;
          if (src >= s.rows) continue;
          io.read(src, 1, one);
          accumulate(one, 0, s.dim, dtype(), acc, kind === COPY || kind === FVT ? 1 : plan.weights[k]!);
          used++;
        }
      }
      if (used === 0) acc.set(meanRow());
      else if (kind === FVT) for (let d = 0; d < s.dim; d++) acc[d]! /= used;
      writeRow(outBuf, filled * s.dim, acc, dtype());
      filled++;
      i++;
    }
    if (filled === per || i === n) flush();
  }
}

/**
 * A row whose weights' absolute values sum past this can be that many times longer than the
 * longest input row. Copies, FVT means and FOCUS's sparsemax mixtures sum to exactly 1; OMP's
 * least-squares coefficients are unbounded (nearly collinear donor vectors give large ones of
 * both signs).
 */
export const LARGE_WEIGHT_SUM = 2;

export interface WeightSpread {
  /** Largest Σ|weight| of a row (a fallback row, the mean of all rows, counts as 1). */
  max: number;
  /** Rows whose Σ|weight| exceeds LARGE_WEIGHT_SUM. */
  large: number;
}

/** How far a plan's rows can grow past the input's longest row (see LARGE_WEIGHT_SUM). */
export function weightSpread(plan: Pick<RowPlan, 'ptr' | 'weights'>): WeightSpread {
  let max = plan.ptr.length > 1 ? 1 : 0;
  let large = 0;
  for (let i = 0; i + 1 < plan.ptr.length; i++) {
    let sum = 0;
    for (let k = plan.ptr[i]!; k < plan.ptr[i + 1]!; k++) sum += Math.abs(plan.weights[k]!);
    if (sum > max) max = sum;
    if (sum > LARGE_WEIGHT_SUM) large++;
  }
  return { max, large };
}

/** The stderr line for a plan with large rows, or undefined. */
export function weightWarning(s: WeightSpread, method: string): string | undefined {
  if (s.large === 0) return undefined;
  return `warning: ${s.large.toLocaleString('en-US')} target rows are ${method} combinations whose weights sum to more than ${LARGE_WEIGHT_SUM} in absolute value (largest ${s.max.toFixed(1)}): those embeddings can be up to ${s.max.toFixed(0)}× longer than any of the model's and can dominate its predictions. OMP needs donor vectors aligned with the model's embedding space (a donor model's embeddings of the target vocabulary); with fastText-style vectors use --method focus.`;
}

/** Rows of each kind in a plan. */
export function countKinds(plan: Pick<RowPlan, 'kinds'>): Record<RowKind, number> {
  const rows = Object.fromEntries(KIND_NAMES.map((k) => [k, 0])) as Record<RowKind, number>;
  for (const k of plan.kinds) rows[KIND_NAMES[k]!]++;
  return rows;
}
