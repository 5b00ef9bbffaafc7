// The safetensors side of a model folder: `model.safetensors`, or shards named by
// `model.safetensors.index.json`. Reading checks every header and shard before anything is
// written; writing streams each file through formats/safetensors.ts with the vocabulary tensors
// rewritten by their row plans, and updates the index's total_size and total_parameters.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { about, VocabsmithError } from '../errors.js';
import { floatDtype, type FloatDtype } from '../formats/dtype.js';
import { DTYPE_BYTES, numel, readSafetensorsHeader, writeSafetensors, type SafetensorsFile, type TensorRewrite } from '../formats/safetensors.js';
import { JsonEdits, member, parseJson, withEntries } from './json-edit.js';
import { streamRows, type RowPlan } from './rows.js';
import type { TensorMeta } from './tensors.js';

export interface SafetensorsWeights {
  format: 'safetensors';
  files: SafetensorsFile[];
  /** The index of a sharded folder, as text (rewritten losslessly). */
  index?: { path: string; text: string };
}

/** The weight files of a folder, checked; undefined when it has none. */
/** Weight formats vocabsmith cannot rewrite: a folder holding only these cannot be trimmed or remapped. */
export const OTHER_WEIGHTS = /^(pytorch_model.*\.bin|.*\.pt|.*\.pth|.*\.ckpt|tf_model\.h5|flax_model\.msgpack|model\.gguf)$/;

export function readWeights(dir: string): SafetensorsWeights | undefined {
  const indexPath = join(dir, 'model.safetensors.index.json');
  if (existsSync(indexPath)) {
    const text = about(indexPath, () => readFileSync(indexPath, 'utf8'));
    const json = about(indexPath, () => JSON.parse(text) as { weight_map?: Record<string, string> });
    const map: unknown = json?.weight_map;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new VocabsmithError('no weight_map object', indexPath);
    const shards = [...new Set(Object.values(map as Record<string, unknown>))].sort() as string[];
    for (const s of shards) {
      // A shard is a plain file name in the model folder: never a path that leads elsewhere.
      if (typeof s !== 'string' || s === '' || s !== basename(s) || s === '.' || s === '..') {
        throw new VocabsmithError(`weight_map names ${JSON.stringify(s)}: a shard must be a file name inside the model folder`, indexPath);
      }
      if (!existsSync(join(dir, s))) throw new VocabsmithError(`shard ${s} named in the index is missing`, indexPath);
    }
    const files = shards.map((s) => readSafetensorsHeader(join(dir, s)));
    for (const [name, shard] of Object.entries(map as Record<string, string>)) {
      const f = files[shards.indexOf(shard)]!;
      if (!f.tensors.some((t) => t.name === name)) throw new VocabsmithError(`tensor ${name} is not in shard ${shard}`, indexPath);
    }
    return { format: 'safetensors', files, index: { path: indexPath, text } };
  }
  if (existsSync(join(dir, 'model.safetensors'))) return { format: 'safetensors', files: [readSafetensorsHeader(join(dir, 'model.safetensors'))] };
  const other = readdirSync(dir).find((n) => OTHER_WEIGHTS.test(n));
  if (other !== undefined) throw new VocabsmithError(`weights in ${other} cannot be read (only safetensors): convert the model to safetensors first`, dir);
  return undefined;
}

/** Every tensor's name, dtype, shape and file: what the planner sees. */
export const tensorList = (w: SafetensorsWeights): TensorMeta[] =>
  w.files.flatMap((f) => f.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, file: f.path })));

/** Names of the files `writeWeights` writes (and that the folder copy must therefore skip). */
export const weightFileNames = (w: SafetensorsWeights): string[] => [
  ...w.files.map((f) => basename(f.path)),
  ...(w.index === undefined ? [] : [basename(w.index.path)]),
];

export interface WeightsWritten {
  files: string[];
  paramsBefore: number;
  paramsAfter: number;
  /** Tensor data bytes (what the index's total_size counts), headers not included. */
  bytesBefore: number;
  bytesAfter: number;
}

/** Writes every weight file into `outDir`, each tensor named in `plans` rewritten by its row plan. */
export function writeWeights(
  w: SafetensorsWeights,
  outDir: string,
  plans: Map<string, RowPlan>,
  progress: (done: number, total: number) => void = () => {},
): WeightsWritten {
  const total = w.files.reduce((n, f) => n + (f.tensors.at(-1)?.end ?? 0), 0);
  let before = 0;
  const r: WeightsWritten = { files: [], paramsBefore: 0, paramsAfter: 0, bytesBefore: 0, bytesAfter: 0 };
  for (const f of w.files) {
    const rewrite = new Map<string, TensorRewrite>();
    for (const t of f.tensors) {
      const plan = plans.get(t.name);
      if (plan === undefined) continue;
      const dim = t.shape.length === 1 ? 1 : t.shape[1]!;
      const allCopies = plan.kinds.every((k) => k === 0);
      // Gathers copy bytes of any dtype; computed rows need floats.
      const dtype: FloatDtype | undefined = allCopies && !['F32', 'F16', 'BF16'].includes(t.dtype) ? undefined : floatDtype(t.dtype, `${t.name} in ${f.path}`);
      const shape = { dtype, dim, rowBytes: dim * DTYPE_BYTES[t.dtype]!, rows: t.shape[0]! };
      rewrite.set(t.name, { rows: plan.kinds.length, fill: (read, write) => streamRows(plan, { read, write }, shape) });
    }
    const name = basename(f.path);
    const out = openSync(join(outDir, name), 'wx');
    try {
      writeSafetensors(f, out, rewrite, (b) => progress(before + b, total));
    } finally {
      closeSync(out);
    }
    for (const t of f.tensors) {
      const n = numel(t);
      const rows = plans.get(t.name)?.kinds.length;
      const after = rows === undefined ? n : (n / t.shape[0]!) * rows;
      r.paramsBefore += n;
      r.paramsAfter += after;
      r.bytesBefore += t.end - t.begin;
      r.bytesAfter += after * DTYPE_BYTES[t.dtype]!;
    }
    before += f.tensors.at(-1)?.end ?? 0;
    r.files.push(name);
  }
  if (w.index !== undefined) {
    writeFileSync(join(outDir, basename(w.index.path)), indexText(w.index, r), { flag: 'wx' });
    r.files.push(basename(w.index.path));
  }
  return r;
}

/** The index with metadata.total_size and total_parameters (when present) updated; nothing else touched. */
function indexText(index: { path: string; text: string }, r: WeightsWritten): string {
  const root = parseJson(index.text, index.path);
  const edits = new JsonEdits(index.text);
  const meta = member(root, 'metadata');
  if (meta?.kind === 'object') {
    const set: [string, number][] = [['total_size', r.bytesAfter]];
    if (member(meta, 'total_parameters') !== undefined) set.push(['total_parameters', r.paramsAfter]);
    const missing: [string, unknown][] = [];
    for (const [k, v] of set) {
      const node = member(meta, k);
      if (node === undefined) missing.push([k, v]);
      else edits.replace(node, String(v));
    }
    if (missing.length > 0) {
      const add = withEntries(index.text, meta, missing);
      edits.replace(add, add.text);
    }
  }
  return edits.apply();
}
