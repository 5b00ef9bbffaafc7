// Vocabulary trimming of a GGUF: the tokenizer-level trim (counting, selection, merge closure,
// verification: src/trim.ts) on the tokenizer the GGUF describes, then the file rewritten by the
// core (rust/core/src/gguf/trim.rs) and streamed (src/gguf-rewrite.ts): token metadata and the
// token_embd / output rows gathered — quantized rows as whole blocks, never dequantised — and
// every other tensor copied byte for byte.
import { about } from './errors.js';
import { checkGgufOut, readGgufPrefix, writeGguf, type GgufTensorReport } from './gguf-rewrite.js';
import { ggufSourceTokenizer } from './gguf-tokenizer.js';
import { trim, type TrimOptions, type TrimReport } from './trim.js';
import { ggufSeedIds, ggufTrim, loadWasm } from './wasm.js';

export interface GgufTrimReport extends TrimReport {
  gguf: { bytesBefore: number; bytesAfter: number; tensors: GgufTensorReport[] };
}

/** Trims `o.model` (a .gguf file) into `o.out` (a new .gguf file). */
export function trimGguf(o: TrimOptions & { model: string }): { keptIds: Uint32Array; oldToNew: Uint32Array; report: GgufTrimReport } {
  if (o.out !== undefined) checkGgufOut(o.model, o.out);
  loadWasm();
  const { header, prefix } = readGgufPrefix(o.model);
  const { json, label } = ggufSourceTokenizer(o.model, header, o.tokenizer);
  const seeds = about(o.model, () => Array.from(ggufSeedIds(prefix, header.fileSize)));
  const r = trim({ ...o, model: undefined, tokenizer: label, tokenizerJson: json, out: undefined, alwaysKeep: seeds });
  const t0 = performance.now();
  const rw = about(o.model, () => ggufTrim(prefix, header.fileSize, r.keptIds));
  let tensors: GgufTensorReport[] = [];
  try {
    if (o.out !== undefined) tensors = writeGguf(o.model, o.out, rw, (d, t) => o.onProgress?.('weights', d, t));
    const report: GgufTrimReport = {
      ...r.report,
      gguf: { bytesBefore: header.fileSize, bytesAfter: rw.fileLen, tensors },
      written: o.out === undefined ? [] : [o.out],
    };
    report.seconds.weights = (performance.now() - t0) / 1000;
    return { keptIds: r.keptIds, oldToNew: r.oldToNew, report };
  } finally {
    rw.free();
  }
}

export function isGguf(path: string | undefined): path is string {
  return path !== undefined && path.toLowerCase().endsWith('.gguf');
}
