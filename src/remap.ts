/**
 * Zero-shot tokenizer transfer: a model folder moved to a new tokenizer. The Rust core plans every
 * target row (copy / FVT / FOCUS / OMP / fallback, see rust/core/src/remap.rs); here the plan is
 * applied to the vocabulary tensors and the folder is written: new embed_tokens / lm_head (+bias),
 * every other tensor streamed byte for byte (src/formats/safetensors.ts, shared with trimming),
 * config ids and vocab_size updated, the target tokenizer files copied.
 *
 * The row arithmetic runs here on Node buffers, not in WASM: a 128k × 4096 bf16 matrix is 1 GiB,
 * too much to copy into a 4 GiB WASM heap twice. Rows are summed in f64 in plan order, FVT rows
 * divided by their count, then rounded to f32 and to the tensor's dtype (nearest even).
 */
import { closeSync, copyFileSync, existsSync, openSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { about, VocabsmithError } from './errors.js';
import { tokenizerFile } from './files.js';
import { accumulate, floatDtype, FLOAT_BYTES, writeRow, type FloatDtype } from './formats/dtype.js';
import { DTYPE_BYTES, numel, readTensor, writeSafetensors } from './formats/safetensors.js';
import { remapConfig } from './trim-config.js';
import { planWeights, type WeightsPlan } from './trim-weights.js';
import { Tokenizer } from './tokenizer.js';
import { remapPlan, type WasmTokenizer } from './wasm.js';

export type RemapMethod = 'copy' | 'fvt' | 'focus' | 'omp';
export const KIND_NAMES = ['copy', 'fvt', 'focus', 'omp', 'fallback'] as const;

export interface RemapPlan {
  /** Per target id: 0 copy, 1 fvt, 2 focus, 3 omp, 4 fallback (the mean of all source rows). */
  kinds: Uint8Array;
  ptr: Uint32Array;
  sources: Uint32Array;
  weights: Float32Array;
}

export interface AuxVectors {
  /** targetIds × dim, row-major: fastText-style vectors (FOCUS) or a donor model's embeddings (OMP); an all-zero row means none. */
  vectors: Float32Array;
  dim: number;
}

const handle = (t: Tokenizer) => (t as unknown as { inner: WasmTokenizer }).inner;

/** The plan alone: how every target id's row is made from the source's rows. */
export function planRemap(source: Tokenizer, target: Tokenizer, method: RemapMethod, aux?: AuxVectors): RemapPlan {
  const p = about(target.source, () => remapPlan(handle(source), handle(target), method, aux?.vectors, aux?.dim ?? 0));
  try {
    return { kinds: p.kinds(), ptr: p.ptr(), sources: p.sources(), weights: p.weights() };
  } finally {
    p.free();
  }
}

/**
 * Applies a plan to one vocabulary tensor: `src` holds `srcRows` rows of `dim` elements (`dim` 1
 * for a bias); returns the target's rows in the same dtype. Copies are byte copies.
 */
export function applyPlan(plan: RemapPlan, src: Uint8Array, dtype: FloatDtype, dim: number, meanRows: number): Uint8Array {
  const rowBytes = dim * FLOAT_BYTES[dtype];
  const rows = plan.kinds.length;
  const out = new Uint8Array(rows * rowBytes);
  const acc = new Float64Array(dim);
  let mean: Float64Array | undefined;
  for (let i = 0; i < rows; i++) {
    const kind = plan.kinds[i]!;
    const [a, b] = [plan.ptr[i]!, plan.ptr[i + 1]!];
    if (kind === 0) {
      const s = plan.sources[a]!;
      out.set(src.subarray(s * rowBytes, (s + 1) * rowBytes), i * rowBytes);
      continue;
    }
    acc.fill(0);
    if (kind === 4) {
      if (mean === undefined) {
        mean = new Float64Array(dim);
        for (let s = 0; s < meanRows; s++) accumulate(src, s * dim, dim, dtype, mean);
        for (let d = 0; d < dim; d++) mean[d]! /= Math.max(1, meanRows);
      }
      acc.set(mean);
    } else if (kind === 1) {
      for (let k = a; k < b; k++) accumulate(src, plan.sources[k]! * dim, dim, dtype, acc);
      for (let d = 0; d < dim; d++) acc[d]! /= b - a;
    } else {
      for (let k = a; k < b; k++) accumulate(src, plan.sources[k]! * dim, dim, dtype, acc, plan.weights[k]!);
    }
    writeRow(out, i * dim, acc, dtype);
  }
  return out;
}

export interface RemapOptions {
  /** Source model folder: tokenizer.json, config.json, model.safetensors or shards with an index. */
  model: string;
  /** Target tokenizer.json; tokenizer_config.json / special_tokens_map.json beside it are copied too. */
  targetTokenizer: string;
  method: RemapMethod;
  out: string;
  aux?: AuxVectors;
  progress?: (done: number, total: number) => void;
}

export interface RemapReport {
  method: RemapMethod;
  sourceIds: number;
  targetIds: number;
  /** Target rows by how they were made. */
  rows: Record<(typeof KIND_NAMES)[number], number>;
  tied: boolean;
  vocabTensors: string[];
  files: string[];
  seconds: { plan: number; apply: number; write: number };
}

const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'added_tokens.json', 'tokenizer.model', 'vocab.json', 'merges.txt', 'vocab.txt'];

/** Remaps a model folder to a target tokenizer; writes `out` whole or not at all. */
export function remapModel(o: RemapOptions): RemapReport {
  if (existsSync(o.out) && readdirSync(o.out).length > 0) throw new VocabsmithError('the output folder exists and is not empty', o.out);
  const t0 = performance.now();
  const source = Tokenizer.fromFile(join(o.model, 'tokenizer.json'));
  const targetFile = tokenizerFile(o.targetTokenizer);
  const target = Tokenizer.fromFile(targetFile);
  const sourceIds = idBound(source);
  const weights = planWeights(o.model, sourceIds);
  if (weights === undefined) throw new VocabsmithError('no model.safetensors or model.safetensors.index.json', o.model);
  const byName = new Map(weights.files.flatMap((f) => f.tensors.map((t) => [t.name, { f, t }] as const)));
  const vocab = weights.vocabTensors.map((n) => byName.get(n)!);
  for (const { f, t } of vocab) {
    floatDtype(t.dtype, `${t.name} in ${f.path}`);
    const isBias = t.name.endsWith('.bias');
    if (t.shape.length !== (isBias ? 1 : 2)) {
      throw new VocabsmithError(`unknown tensor layout: ${t.name} has shape [${t.shape}], expected [vocab${isBias ? '' : ', hidden'}]`, f.path);
    }
  }
  const plan = planRemap(source, target, o.method, o.aux);
  const targetIds = plan.kinds.length;
  const t1 = performance.now();
  const replace = new Map<string, Uint8Array>();
  for (const { f, t } of vocab) {
    const dim = t.shape.length === 1 ? 1 : t.shape[1]!;
    replace.set(t.name, applyPlan(plan, readTensor(f, t), t.dtype as FloatDtype, dim, Math.min(sourceIds, t.shape[0]!)));
  }
  const t2 = performance.now();
  // Ids named in config.json / generation_config.json follow their token (by content / bytes).
  const oldToNew = new Uint32Array(Math.max(sourceIds, ...vocab.map(({ t }) => t.shape[0]!))).fill(0xffffffff);
  for (let i = targetIds - 1; i >= 0; i--) if (plan.kinds[i] === 0) oldToNew[plan.sources[plan.ptr[i]!]!] = i;
  const configs = ['config.json', 'generation_config.json']
    .filter((n) => existsSync(join(o.model, n)))
    .map((n) => {
      const file = join(o.model, n);
      const json = about(file, () => JSON.parse(readFileSync(file, 'utf8')) as unknown);
      try {
        return [n, remapConfig(json, oldToNew, targetIds, file)] as const;
      } catch (e) {
        const id = /token id (\d+)/.exec(String(e))?.[1];
        const tok = id === undefined ? undefined : source.idToToken(Number(id));
        throw new VocabsmithError(`names token id ${id} (${JSON.stringify(tok)}), which the target tokenizer lacks: add it to the target as an added token`, file);
      }
    });
  const tmp = join(dirname(o.out), `.${basename(o.out)}.${process.pid}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const written = writeWeights(weights, tmp, replace, o.progress);
    for (const [n, json] of configs) writeFileSync(join(tmp, n), JSON.stringify(json, null, 2) + '\n');
    copyFileSync(targetFile, join(tmp, 'tokenizer.json'));
    for (const n of ['tokenizer_config.json', 'special_tokens_map.json']) {
      const p = join(dirname(targetFile), n);
      if (existsSync(p)) copyFileSync(p, join(tmp, n));
    }
    const weightFiles = new Set(written);
    for (const n of readdirSync(o.model)) {
      const p = join(o.model, n);
      if (weightFiles.has(n) || TOKENIZER_FILES.includes(n) || n === 'config.json' || n === 'generation_config.json') continue;
      if (statSync(p).isFile()) copyFileSync(p, join(tmp, n));
    }
    if (existsSync(o.out)) rmSync(o.out, { recursive: true });
    renameSync(tmp, o.out);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const t3 = performance.now();
  const rows = { copy: 0, fvt: 0, focus: 0, omp: 0, fallback: 0 };
  for (const k of plan.kinds) rows[KIND_NAMES[k]!]++;
  source.free();
  target.free();
  return {
    method: o.method,
    sourceIds,
    targetIds,
    rows,
    tied: weights.tied,
    vocabTensors: weights.vocabTensors,
    files: readdirSync(o.out).sort(),
    seconds: { plan: (t1 - t0) / 1000, apply: (t2 - t1) / 1000, write: (t3 - t2) / 1000 },
  };
}

/** One more than the largest id (added tokens included): the rows a model needs. */
function idBound(t: Tokenizer): number {
  let hi = t.vocabSize;
  // Ids may have holes or added tokens above the model vocabulary; probe upwards.
  while (t.idToToken(hi) !== undefined) hi++;
  return hi;
}

/** Streams every weight file into `dir` with the vocabulary tensors replaced; returns the file names. */
function writeWeights(plan: WeightsPlan, dir: string, replace: Map<string, Uint8Array>, progress?: (done: number, total: number) => void): string[] {
  const total = plan.files.reduce((n, f) => n + (f.tensors.at(-1)?.end ?? 0), 0);
  let before = 0;
  let dataBytes = 0;
  const names: string[] = [];
  for (const f of plan.files) {
    const name = basename(f.path);
    const out = openSync(join(dir, name), 'wx');
    try {
      writeSafetensors(f, out, new Map(), (b) => progress?.(before + b, total), replace);
    } finally {
      closeSync(out);
    }
    for (const t of f.tensors) dataBytes += replace.get(t.name)?.length ?? numel(t) * DTYPE_BYTES[t.dtype]!;
    before += f.tensors.at(-1)?.end ?? 0;
    names.push(name);
  }
  if (plan.index !== undefined) {
    const json = { ...plan.index.json, metadata: { ...plan.index.json.metadata, total_size: dataBytes } };
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify(json, null, 2) + '\n');
    names.push('model.safetensors.index.json');
  }
  return names;
}
