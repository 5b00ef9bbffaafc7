// GGUF (llama.cpp's model file): the header — typed metadata, the tokenizer among it, and the
// tensor table — parsed by the core from a prefix of the file, read in growing chunks because a
// header is a few MB (the vocabulary) while the file is GBs. Tensor data is never read here.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { VocabsmithError } from '../errors.js';
import { GgufValueType, loadWasm, parseGgufHeader } from '../wasm.js';

export { GgufValueType };

export interface GgufTensor {
  name: string;
  /** ggml order: `dims[0]` is the row length (`token_embd.weight`: [n_embd, n_vocab]). */
  dims: number[];
  ggmlType: number;
  /** ggml's name of the type: F32, F16, Q4_1, Q6_K, ... */
  typeName: string;
  /** Bytes from the start of the data section. */
  offset: number;
  size: number;
  rowBytes: number;
}

/** A scalar, or a flat array (nested arrays, which no tokenizer key uses, read as `undefined`). */
export type GgufValue = string | number | boolean | string[] | number[];

export interface GgufHeader {
  path: string;
  fileSize: number;
  version: number;
  alignment: number;
  /** Bytes of the header proper; the data section starts at `dataStart` (aligned). */
  headerLen: number;
  dataStart: number;
  /** Metadata in file order, with each value's stored type (an array's is its element type). */
  metadata: Map<string, { type: GgufValueType; array: boolean; value: GgufValue | undefined }>;
  tensors: GgufTensor[];
}

/** First read; doubled until the header fits (the core says when it needs more). */
const FIRST_READ = 4 * 1024 * 1024;

/** Reads and checks a GGUF file's header; one VocabsmithError naming the file on any problem. */
export function readGgufHeader(path: string): GgufHeader {
  loadWasm();
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new VocabsmithError(e instanceof Error ? e.message : String(e), path);
  }
  try {
    const fileSize = fstatSync(fd).size;
    for (let want = Math.min(FIRST_READ, fileSize); ; want = Math.min(want * 2, fileSize)) {
      const buf = Buffer.alloc(want);
      let got = 0;
      while (got < want) {
        const n = readSync(fd, buf, got, want - got, got);
        if (n === 0) break;
        got += n;
      }
      let parsed;
      try {
        parsed = parseGgufHeader(buf.subarray(0, got), fileSize);
      } catch (e) {
        throw new VocabsmithError(e instanceof Error ? e.message : String(e), path);
      }
      if (parsed === undefined) {
        // The core only asks for more while the file has more.
        if (got >= fileSize) throw new VocabsmithError('corrupt GGUF header: the file ends inside it', path);
        continue;
      }
      try {
        return toHeader(parsed, path, fileSize);
      } finally {
        parsed.free();
      }
    }
  } finally {
    closeSync(fd);
  }
}

function toHeader(g: NonNullable<ReturnType<typeof parseGgufHeader>>, path: string, fileSize: number): GgufHeader {
  const metadata: GgufHeader['metadata'] = new Map();
  for (const key of g.keys()) {
    const t = g.valueType(key)!;
    if (t === GgufValueType.Array) {
      const et = g.arrayType(key)!;
      const value =
        et === GgufValueType.String ? g.getStrings(key)
        : et === GgufValueType.Array ? undefined
        : et === GgufValueType.Bool ? Array.from(g.getNumbers(key)!, (x) => x !== 0)
        : Array.from(g.getNumbers(key)!);
      metadata.set(key, { type: et, array: true, value: value as GgufValue | undefined });
    } else {
      const value =
        t === GgufValueType.String ? g.getString(key)!
        : t === GgufValueType.Bool ? g.getNumber(key) !== 0
        : g.getNumber(key)!;
      metadata.set(key, { type: t, array: false, value });
    }
  }
  const tensors = g.tensors().map((t) => {
    const out: GgufTensor = {
      name: t.name, dims: Array.from(t.dims), ggmlType: t.ggmlType, typeName: t.typeName,
      offset: t.offset, size: t.size, rowBytes: t.rowBytes,
    };
    t.free();
    return out;
  });
  return {
    path, fileSize, version: g.version, alignment: g.alignment, headerLen: g.headerLen,
    dataStart: g.dataStart, metadata, tensors,
  };
}
