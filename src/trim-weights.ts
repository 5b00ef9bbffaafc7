// The weight side of trimming: find the vocabulary tensors by name suffix, check every shard and
// header before writing anything, then stream each file through writeSafetensors.
import { existsSync, openSync, closeSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { about, VocabsmithError } from './errors.js';
import { DTYPE_BYTES, numel, readSafetensorsHeader, writeSafetensors, type SafetensorsFile } from './formats/safetensors.js';

/** Input embeddings (Llama/Mistral/Qwen/Gemma `embed_tokens`, GPT-2 `wte`, XLM-R `word_embeddings`, mT5 `shared`). */
const INPUT_SUFFIXES = ['embed_tokens.weight', 'wte.weight', 'word_embeddings.weight', 'shared.weight'];
/** Output heads and their biases; absent when the head is tied to the input embedding. */
const OUTPUT_SUFFIXES = ['lm_head.weight', 'lm_head.bias', 'lm_head.decoder.weight', 'lm_head.decoder.bias'];

/** Weight formats vocabsmith cannot rewrite: a folder holding only these cannot be trimmed or remapped. */
export const OTHER_WEIGHTS = /^(pytorch_model.*\.bin|.*\.pt|.*\.pth|.*\.ckpt|tf_model\.h5|flax_model\.msgpack|model\.gguf)$/;

const matches = (name: string, suffixes: string[]) => suffixes.some((s) => name === s || name.endsWith(`.${s}`));

export interface WeightsReport {
  files: string[];
  /** Tensors row-gathered (input embedding, and the head and its bias when untied). */
  vocabTensors: string[];
  tied: boolean;
  rowsBefore: number;
  paramsBefore: number;
  paramsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
}

interface IndexJson {
  metadata?: Record<string, unknown>;
  weight_map: Record<string, string>;
}

export interface WeightsPlan {
  files: SafetensorsFile[];
  index?: { path: string; json: IndexJson };
  vocabTensors: string[];
  tied: boolean;
  rows: number;
}

/** Weight files of a model folder, checked: headers valid, shards present, vocabulary tensors agree. */
export function planWeights(dir: string, idSpace: number): WeightsPlan | undefined {
  const indexPath = join(dir, 'model.safetensors.index.json');
  let files: SafetensorsFile[];
  let index: WeightsPlan['index'];
  if (existsSync(indexPath)) {
    const json = about(indexPath, () => JSON.parse(readFileSync(indexPath, 'utf8')) as IndexJson);
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
    files = shards.map((s) => readSafetensorsHeader(join(dir, s)));
    for (const [name, shard] of Object.entries(json.weight_map)) {
      const f = files[shards.indexOf(shard)]!;
      if (!f.tensors.some((t) => t.name === name)) throw new VocabsmithError(`tensor ${name} is not in shard ${shard}`, indexPath);
    }
    index = { path: indexPath, json };
  } else if (existsSync(join(dir, 'model.safetensors'))) {
    files = [readSafetensorsHeader(join(dir, 'model.safetensors'))];
  } else {
    const other = readdirSync(dir).find((n) => OTHER_WEIGHTS.test(n));
    if (other !== undefined) {
      throw new VocabsmithError(`weights in ${other} cannot be read (only safetensors): convert the model to safetensors first`, dir);
    }
    return undefined;
  }
  const all = files.flatMap((f) => f.tensors.map((t) => ({ t, f })));
  const input = all.filter(({ t }) => matches(t.name, INPUT_SUFFIXES));
  const output = all.filter(({ t }) => matches(t.name, OUTPUT_SUFFIXES));
  if (input.length === 0) {
    throw new VocabsmithError(`no input embedding tensor (names ending in ${INPUT_SUFFIXES.join(', ')})`, dir);
  }
  const vocab = [...input, ...output];
  for (const { t, f } of vocab) {
    // [rows, hidden] matrices; only a head's bias is [rows].
    const want = t.name.endsWith('.bias') ? 1 : 2;
    if (t.shape.length !== want || t.shape.some((d) => !Number.isSafeInteger(d) || d <= 0)) {
      throw new VocabsmithError(`tensor ${t.name} has shape [${t.shape.join(', ')}], expected [vocab${want === 2 ? ', hidden' : ''}]`, f.path);
    }
  }
  const rows = vocab[0]!.t.shape[0]!;
  for (const { t, f } of vocab) {
    if (t.shape[0] !== rows) {
      throw new VocabsmithError(`tensor ${t.name} has ${t.shape[0]} rows but ${vocab[0]!.t.name} has ${rows}`, f.path);
    }
  }
  // Rows past the tokenizer's ids are padding (Qwen3: 151,936 rows for 151,669 ids); fewer rows
  // than ids means the weights belong to another tokenizer.
  if (rows < idSpace) {
    throw new VocabsmithError(
      `vocabulary size mismatch: the tokenizer has ${idSpace} ids but ${vocab[0]!.t.name} has ${rows} rows`,
      vocab[0]!.f.path,
    );
  }
  return { files, index, vocabTensors: vocab.map(({ t }) => t.name), tied: output.length === 0, rows };
}

/** Writes every weight file of `plan` into `outDir` with the vocabulary tensors row-gathered to `keptIds`. */
export function writeWeights(
  plan: WeightsPlan,
  outDir: string,
  keptIds: Uint32Array,
  progress: (done: number, total: number) => void = () => {},
): WeightsReport {
  const gather = new Map(plan.vocabTensors.map((n) => [n, keptIds]));
  const total = plan.files.reduce((n, f) => n + (f.tensors.at(-1)?.end ?? 0), 0);
  let before = 0;
  const r: WeightsReport = {
    files: [], vocabTensors: plan.vocabTensors, tied: plan.tied, rowsBefore: plan.rows,
    paramsBefore: 0, paramsAfter: 0, bytesBefore: 0, bytesAfter: 0,
  };
  let dataAfter = 0;
  for (const f of plan.files) {
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    const out = openSync(join(outDir, name), 'wx');
    try {
      r.bytesAfter += writeSafetensors(f, out, gather, (b) => progress(before + b, total)).bytesWritten;
    } finally {
      closeSync(out);
    }
    for (const t of f.tensors) {
      const n = numel(t);
      const after = gather.has(t.name) ? (n / t.shape[0]!) * keptIds.length : n;
      r.paramsBefore += n;
      r.paramsAfter += after;
      dataAfter += after * DTYPE_BYTES[t.dtype]!;
      r.bytesBefore += t.end - t.begin;
    }
    before += f.tensors.at(-1)?.end ?? 0;
    r.files.push(name);
  }
  if (plan.index !== undefined) {
    const json = { ...plan.index.json, metadata: { ...plan.index.json.metadata, total_size: dataAfter } };
    writeFileSync(join(outDir, 'model.safetensors.index.json'), JSON.stringify(json, null, 2) + '\n', { flag: 'wx' });
    r.files.push('model.safetensors.index.json');
  }
  // Report tensor data (what the index's total_size counts), not headers.
  r.bytesAfter = dataAfter;
  return r;
}
