/**
 * Zero-shot tokenizer transfer: a model folder moved to a new tokenizer. The Rust core plans every
 * target row (copy / FVT / FOCUS / OMP / fallback, see rust/core/src/remap/); here the plan is
 * applied to the vocabulary tensors and the folder is written: new embed_tokens / lm_head (+bias),
 * every other tensor streamed byte for byte (src/formats/safetensors.ts, shared with trimming),
 * config ids and vocab_size updated, the target tokenizer files copied.
 *
 * The row arithmetic runs here on Node buffers, not in WASM: a 128k × 4096 bf16 matrix is 1 GiB,
 * too much to copy into a 4 GiB WASM heap twice. Rows are summed in f64 in plan order, FVT rows
 * divided by their count, then rounded to f32 and to the tensor's dtype (nearest even).
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { about, VocabsmithError } from './errors.js';
import { tokenizerFile } from './files.js';
import { FLOAT_BYTES, type FloatDtype } from './formats/dtype.js';
import {
  checkOutput, COPY, copyOtherFiles, countKinds, editConfig, planVocab, readWeights, streamRows, tensorList, weightFileNames, weightSpread, writeFolder, writeWeights,
  KIND_NAMES, type RowKind, type RowPlan, type WeightSpread,
} from './model-folder/index.js';
import { explicitPairs, fieldRole, pairRoles, readRoles, type RolePair } from './remap-roles.js';
import { Tokenizer } from './tokenizer.js';
import { loadSteps, type LoadStage } from './load-progress.js';
import { handle, readFields, remapPlan, type RemapMethod } from './wasm.js';

export type { RemapMethod };
export { KIND_NAMES };

/** Per target id: its PlanKind (copy, fvt, focus, omp, fallback: the mean of all source rows); see model-folder/rows.ts. */
export type RemapPlan = RowPlan;

export interface AuxVectors {
  /** targetIds × dim, row-major: fastText-style vectors (FOCUS) or a donor model's embeddings (OMP); an all-zero row means none. */
  vectors: Float32Array;
  dim: number;
}

/** The plan alone: how every target id's row is made from the source's rows. */
export function planRemap(
  source: Tokenizer,
  target: Tokenizer,
  method: RemapMethod,
  aux?: AuxVectors,
  /** Called as the rows that are not copies are computed (FOCUS/OMP: seconds to minutes). */
  progress?: (done: number, total: number) => void,
): RemapPlan {
  return readFields(about(target.source, () => remapPlan(handle(source), handle(target), method, aux?.vectors, aux?.dim ?? 0, progress)));
}

/**
 * Applies a plan to one in-memory vocabulary tensor: `src` holds rows of `dim` elements (`dim` 1
 * for a bias); returns the target's rows in the same dtype. remapModel streams the same
 * computation (model-folder/rows.ts) from the files instead.
 */
export function applyPlan(plan: RemapPlan, src: Uint8Array, dtype: FloatDtype, dim: number, meanRows: number): Uint8Array {
  const rowBytes = dim * FLOAT_BYTES[dtype];
  const parts: Uint8Array[] = [];
  streamRows(plan, {
    read: (row, count, into) => into.set(src.subarray(row * rowBytes, (row + count) * rowBytes)),
    write: (bytes) => parts.push(bytes.slice()),
  }, { dtype, dim, rowBytes, rows: meanRows });
  return Buffer.concat(parts);
}

export interface RemapOptions {
  /** Source model folder: tokenizer.json, config.json, model.safetensors or shards with an index. */
  model: string;
  /** Target tokenizer.json (or its folder); tokenizer_config.json, special_tokens_map.json and chat_template.jinja beside it come along. */
  targetTokenizer: string;
  method: RemapMethod;
  /** Output folder (must not exist, or be empty); written atomically. */
  out: string;
  aux?: AuxVectors;
  /** Extra special-token pairs `SOURCE_TOKEN=TARGET_TOKEN` (override the pairs found by role). */
  mapSpecial?: string[];
  /** 'load source' and 'load target' report thousandths of each tokenizer's load, with its stage (load-progress.ts). */
  onProgress?: (phase: 'load source' | 'load target' | 'plan' | 'weights', done: number, total: number, stage?: LoadStage) => void;
}

export interface RemapReport {
  method: RemapMethod;
  sourceIds: number;
  targetIds: number;
  /** Target rows by how they were made. */
  rows: Record<RowKind, number>;
  /** How far computed rows can grow past the model's longest (OMP's coefficients are unbounded). */
  weights: WeightSpread;
  /** Special tokens matched by role (or --map-special): the target token got the source token's row. */
  specialMapped: { role: string; source: string; target: string }[];
  /** Target ids past the embedding's rows (copies of source ids that had no row either). */
  idsPastRows: number;
  tied: boolean;
  vocabTensors: string[];
  files: string[];
  seconds: { plan: number; write: number };
}

/** Tokenizer files of the source: the target's replace them (never the source's chat template). */
const TOKENIZER_FILES = new Set([
  'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'added_tokens.json', 'chat_template.jinja',
  'chat_template.json', 'tokenizer.model', 'vocab.json', 'merges.txt', 'vocab.txt',
]);
/** Files beside the target tokenizer.json that describe it and travel with it. */
const TARGET_SIDE_FILES = ['tokenizer_config.json', 'special_tokens_map.json', 'chat_template.jinja'];

/** The plan with each pair's target row made a copy of its source row. */
function withPairs(plan: RowPlan, pairs: RolePair[]): RowPlan {
  if (pairs.length === 0) return plan;
  const over = new Map(pairs.map((p) => [p.target.id, p.source.id]));
  const n = plan.kinds.length;
  const kinds = plan.kinds.slice();
  const ptr = new Uint32Array(n + 1);
  const sources: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = over.get(i);
    if (s !== undefined) {
      kinds[i] = COPY;
      sources.push(s);
      weights.push(1);
    } else {
      for (let k = plan.ptr[i]!; k < plan.ptr[i + 1]!; k++) {
        sources.push(plan.sources[k]!);
        weights.push(plan.weights[k]!);
      }
    }
    ptr[i + 1] = sources.length;
  }
  return { kinds, ptr, sources: Uint32Array.from(sources), weights: Float32Array.from(weights) };
}

/** The first `n` rows of a plan. */
const head = (p: RowPlan, n: number): RowPlan =>
  n === p.kinds.length ? p : { kinds: p.kinds.subarray(0, n), ptr: p.ptr.subarray(0, n + 1), sources: p.sources, weights: p.weights };

/** Remaps a model folder to a target tokenizer; writes `out` whole or not at all. */
export function remapModel(o: RemapOptions): RemapReport {
  const progress = o.onProgress ?? (() => {});
  const targetFile = tokenizerFile(o.targetTokenizer);
  checkOutput(o.out, [o.model, targetFile]);
  const t0 = performance.now();
  const targetDir = dirname(targetFile);
  // Only a caller that shows progress asks the core for it (otherwise serde_json's parse, as before).
  const load = (phase: 'load source' | 'load target') => ({ onProgress: o.onProgress && loadSteps((d, t, stage) => progress(phase, d, t, stage)) });
  const source = Tokenizer.fromFile(join(o.model, 'tokenizer.json'), load('load source'));
  const target = Tokenizer.fromFile(targetFile, load('load target'));
  try {
    const sourceIds = source.idBound;
    const weights = readWeights(o.model);
    if (weights === undefined) throw new VocabsmithError('no model.safetensors or model.safetensors.index.json', o.model);
    const vocab = planVocab(tensorList(weights), sourceIds, o.model);
    for (const t of vocab.tensors) if (!['F32', 'F16', 'BF16'].includes(t.dtype)) throw new VocabsmithError(`unsupported dtype ${t.dtype} for ${t.name} (F32, F16, BF16)`, t.file);
    const pairs = pairRoles(
      readRoles(o.model, join(o.model, 'tokenizer.json'), source),
      readRoles(targetDir, targetFile, target),
      explicitPairs(o.mapSpecial ?? [], source, target),
    );
    const full = withPairs(planRemap(source, target, o.method, o.aux, (d, t) => progress('plan', d, t)), pairs);
    const targetIds = full.kinds.length;
    // Trailing target ids that copy source ids past the rows stay past the rows (Gemma-3's image token).
    let rows = targetIds;
    while (rows > 0 && full.kinds[rows - 1] === COPY && full.sources[full.ptr[rows - 1]!]! >= vocab.rows) rows--;
    const plan = head(full, rows);
    const t1 = performance.now();

    // Config ids follow their token: the target id whose row copies it (lowest first), else the field's role.
    const oldToNew = new Map<number, number>();
    const copies = new Map<number, number[]>();
    for (let i = targetIds - 1; i >= 0; i--) {
      if (full.kinds[i] !== COPY) continue;
      const s = full.sources[full.ptr[i]!]!;
      oldToNew.set(s, i);
      copies.set(s, [i, ...(copies.get(s) ?? [])]);
    }
    const targetRoles = readRoles(targetDir, targetFile, target);
    const describe = (id: number) => `${id} (${JSON.stringify(source.idToToken(id))})`;
    const sizes = new Map<number, number>([[vocab.rows, rows]]);
    if (vocab.perLayerRows !== undefined) sizes.set(vocab.perLayerRows, rows);
    const edited = ['config.json', 'generation_config.json'].flatMap((name) => {
      const file = join(o.model, name);
      if (!existsSync(file)) return [];
      const text = about(file, () => readFileSync(file, 'utf8'));
      const out = editConfig(text, file, {
        map: (id) => oldToNew.get(id),
        mapAll: (id) => copies.get(id) ?? [],
        byField: (_id, key) => {
          const role = fieldRole(key);
          if (role === undefined) return undefined;
          return targetRoles[role]?.id ?? null;
        },
        sizes,
        describe: (id) => `${describe(id)}; the target tokenizer has no token with its content or role (pair one with --map-special SRC=TGT)`,
      });
      return [[name, out] as const];
    });

    writeFolder(o.out, [o.model, targetFile], (tmp) => {
      // A per-layer embedding gets the same plan: sources past its rows fall back to its mean (rows.ts).
      const plans = new Map(vocab.tensors.map((t) => [t.name, plan]));
      const w = writeWeights(weights, tmp, plans, (d, t) => progress('weights', d, t));
      for (const [n, text] of edited) writeFileSync(join(tmp, n), text, { flag: 'wx' });
      copyFileSync(targetFile, join(tmp, 'tokenizer.json'));
      for (const n of TARGET_SIDE_FILES) if (existsSync(join(targetDir, n))) copyFileSync(join(targetDir, n), join(tmp, n));
      const skip = new Set([...weightFileNames(weights), 'config.json', 'generation_config.json']);
      copyOtherFiles(o.model, tmp, (n) => skip.has(n) || TOKENIZER_FILES.has(n));
      return w;
    });
    const t2 = performance.now();
    return {
      method: o.method,
      sourceIds,
      targetIds,
      rows: countKinds(full),
      weights: weightSpread(full),
      specialMapped: pairs.map((p) => ({ role: p.role, source: p.source.token, target: p.target.token })),
      idsPastRows: targetIds - rows,
      tied: vocab.tied,
      vocabTensors: vocab.tensors.map((t) => t.name),
      files: readdirSync(o.out).sort(),
      seconds: { plan: (t1 - t0) / 1000, write: (t2 - t1) / 1000 },
    };
  } finally {
    source.free();
    target.free();
  }
}

