// Zero-shot tokenizer transfer of a GGUF: the row plan of src/remap.ts (copy / FVT / FOCUS / OMP
// / fallback, rust/core/src/remap/) with the GGUF's own tokenizer as the source; the core
// rewrites the tokenizer metadata for the target (rust/core/src/gguf/remap.rs) and computes the
// new rows (F16, or F32 for an F32/BF16 source; a remap whose rows are all copies keeps the
// source's type and bytes); src/gguf-rewrite.ts streams the file.
import { about } from './errors.js';
import { checkGgufOut, readGgufPrefix, writeGguf, type GgufTensorReport } from './gguf-rewrite.js';
import { ggufSourceTokenizer } from './gguf-tokenizer.js';
import type { AuxVectors, RemapMethod } from './remap.js';
import { countKinds, weightSpread, type RowKind, type WeightSpread } from './model-folder/index.js';
import { Tokenizer } from './tokenizer.js';
import { loadSteps, type LoadStage } from './load-progress.js';
import { ggufRemap, handle, loadWasm } from './wasm.js';

export interface GgufRemapOptions {
  /** The source .gguf file. */
  model: string;
  /** Target tokenizer.json (byte-level BPE: llama.cpp's gpt2 tokenizer model). */
  targetTokenizer: string;
  method: RemapMethod;
  /** The output .gguf file (must not exist). */
  out: string;
  aux?: AuxVectors;
  /** The GGUF's own tokenizer as tokenizer.json (checked against its vocabulary). */
  tokenizer?: string;
  progress?: (done: number, total: number) => void;
  /** Rows computed while planning (the non-copies; FOCUS/OMP take seconds to minutes). */
  planProgress?: (done: number, total: number) => void;
  /** Thousandths of each tokenizer's load, with its stage (load-progress.ts). */
  loadProgress?: (which: 'source' | 'target', done: number, total: number, stage: LoadStage) => void;
}

export interface GgufRemapReport {
  method: RemapMethod;
  sourceIds: number;
  targetIds: number;
  rows: Record<RowKind, number>;
  /** How far computed rows can grow past the model's longest (OMP's coefficients are unbounded). */
  weights: WeightSpread;
  tensors: GgufTensorReport[];
  bytesBefore: number;
  bytesAfter: number;
  seconds: { plan: number; write: number };
}

export function remapGguf(o: GgufRemapOptions): GgufRemapReport {
  checkGgufOut(o.model, o.out);
  loadWasm();
  const t0 = performance.now();
  const { header, prefix } = readGgufPrefix(o.model);
  const { json, label } = ggufSourceTokenizer(o.model, header, o.tokenizer);
  const load = (which: 'source' | 'target') => ({ onProgress: o.loadProgress && loadSteps((d, t, stage) => o.loadProgress?.(which, d, t, stage)) });
  const source = Tokenizer.fromJSON(json, label, load('source'));
  const target = Tokenizer.fromFile(o.targetTokenizer, load('target'));
  try {
    const rw = about(o.targetTokenizer, () => ggufRemap(prefix, header.fileSize, handle(source), handle(target), o.method, o.aux?.vectors, o.aux?.dim ?? 0, o.planProgress));
    try {
      const kinds = rw.kinds();
      const t1 = performance.now();
      const tensors = writeGguf(o.model, o.out, rw, o.progress);
      const rows = countKinds({ kinds });
      const weights = weightSpread({ ptr: rw.ptr(), weights: rw.weights() });
      const n = header.metadata.get('tokenizer.ggml.tokens')!.value as string[];
      return {
        method: o.method, sourceIds: n.length, targetIds: kinds.length, rows, weights, tensors,
        bytesBefore: header.fileSize, bytesAfter: rw.fileLen,
        seconds: { plan: (t1 - t0) / 1000, write: (performance.now() - t1) / 1000 },
      };
    } finally {
      rw.free();
    }
  } finally {
    source.free();
    target.free();
  }
}
