// Vocabulary trimming of a GGUF: the tokenizer-level trim (counting, selection, merge closure,
// verification: src/trim.ts) on the tokenizer the GGUF describes, then the file rewritten by the
// core (rust/core/src/gguf/trim.rs) and streamed (src/gguf-rewrite.ts): token metadata and the
// token_embd / output rows gathered — quantized rows as whole blocks, never dequantised — and
// every other tensor copied byte for byte.
import { about } from './errors.js';
import { checkGgufOut, readGgufPrefix, writeGguf, type GgufTensorReport } from './gguf-rewrite.js';
import { ggufSourceTokenizer } from './gguf-tokenizer.js';
import type { GgufHeader } from './formats/gguf.js';
import type { ChatTemplate } from './model-folder/index.js';
import { trim, type TrimOptions, type TrimReport } from './trim.js';
import { ggufSeedIds, ggufTrim, loadWasm } from './wasm.js';

/** The GGUF's own chat template (`tokenizer.chat_template`), with its bos/eos strings. */
function ggufChatTemplate(path: string, header: GgufHeader): ChatTemplate | undefined {
  const t = header.metadata.get('tokenizer.chat_template')?.value;
  if (typeof t !== 'string') return undefined;
  const tokens = header.metadata.get('tokenizer.ggml.tokens')?.value as string[];
  const specials: Record<string, string> = {};
  for (const role of ['bos', 'eos', 'unk', 'pad']) {
    const id = header.metadata.get(`tokenizer.ggml.${role}_token_id`)?.value;
    const tok = typeof id === 'number' || typeof id === 'bigint' ? tokens[Number(id)] : undefined;
    if (tok !== undefined) specials[`${role}_token`] = tok;
  }
  return { templates: new Map([['default', t]]), file: path, specials };
}

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
  const r = trim({ ...o, model: undefined, tokenizer: label, tokenizerJson: json, out: undefined, alwaysKeep: seeds, chatTemplate: o.chatTemplate ?? ggufChatTemplate(o.model, header) });
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
