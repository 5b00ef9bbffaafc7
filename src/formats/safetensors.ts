// safetensors, streamed: the header is parsed and checked, then every tensor is copied in bounded
// chunks through one reused buffer, so memory stays at a few MiB whatever the model size.
// Layout: u64 little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}},
// then the data; offsets are relative to the end of the header.
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { VocabsmithError } from '../errors.js';

export const DTYPE_BYTES: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, F8_E4M3: 1, F8_E5M2: 1,
  I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};

/** Headers above this are refused: real ones are a few hundred KiB; a lie could ask for GiBs. */
const MAX_HEADER = 100 * 1024 * 1024;
/** Bytes moved per read/write: big enough for disk throughput, small against any model. */
const CHUNK = 8 * 1024 * 1024;

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  /** Byte range in the data section. */
  begin: number;
  end: number;
}

export interface SafetensorsFile {
  path: string;
  /** Absolute offset of the data section. */
  dataStart: number;
  /** Tensors in data order. */
  tensors: TensorInfo[];
  metadata?: Record<string, string>;
}

/** Reads and checks the header: sizes agree with shapes and dtypes, ranges inside the file, no overlaps. */
export function readSafetensorsHeader(path: string): SafetensorsFile {
  const bad = (msg: string): never => {
    throw new VocabsmithError(`not a valid safetensors file: ${msg}`, path);
  };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new VocabsmithError(e instanceof Error ? e.message : String(e), path);
  }
  try {
    const size = fstatSync(fd).size;
    if (size < 8) bad(`${size} bytes, shorter than the 8-byte header length`);
    const lenBuf = Buffer.alloc(8);
    readSync(fd, lenBuf, 0, 8, 0);
    const n = lenBuf.readBigUInt64LE(0);
    if (n > BigInt(Math.min(MAX_HEADER, size - 8))) bad(`header length ${n} is absurd for a file of ${size} bytes`);
    const headerBuf = Buffer.alloc(Number(n));
    readSync(fd, headerBuf, 0, headerBuf.length, 8);
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(headerBuf.toString('utf8')) as Record<string, unknown>;
    } catch {
      return bad('the header is not JSON');
    }
    if (header === null || typeof header !== 'object' || Array.isArray(header)) bad('the header is not a JSON object');
    const dataStart = 8 + Number(n);
    const dataLen = size - dataStart;
    const tensors: TensorInfo[] = [];
    let metadata: Record<string, string> | undefined;
    for (const [name, v] of Object.entries(header)) {
      if (name === '__metadata__') {
        metadata = v as Record<string, string>;
        continue;
      }
      const t = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      const elem = typeof t.dtype === 'string' ? DTYPE_BYTES[t.dtype] : undefined;
      if (elem === undefined) bad(`tensor ${name}: unknown dtype ${JSON.stringify(t.dtype)}`);
      const isInt = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
      if (!Array.isArray(t.shape) || !t.shape.every(isInt)) bad(`tensor ${name}: bad shape`);
      const off = t.data_offsets;
      if (!Array.isArray(off) || off.length !== 2 || !off.every(isInt)) bad(`tensor ${name}: bad data_offsets`);
      const [begin, end] = off as [number, number];
      if (begin > end || end > dataLen) {
        bad(`tensor ${name}: data_offsets [${begin}, ${end}] outside the data section (${dataLen} bytes)`);
      }
      const shape = t.shape as number[];
      const want = shape.reduce((a, b) => a * b, 1) * elem!;
      if (end - begin !== want) bad(`tensor ${name}: ${end - begin} bytes for shape [${shape}] ${t.dtype as string}`);
      tensors.push({ name, dtype: t.dtype as string, shape, begin, end });
    }
    tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
    for (let i = 1; i < tensors.length; i++) {
      if (tensors[i]!.begin < tensors[i - 1]!.end) bad(`tensors ${tensors[i - 1]!.name} and ${tensors[i]!.name} overlap`);
    }
    return { path, dataStart, tensors, metadata };
  } finally {
    closeSync(fd);
  }
}

/** Elements of a tensor. */
export const numel = (t: { shape: number[] }): number => t.shape.reduce((a, b) => a * b, 1);

/**
 * A tensor rewritten row by row (trimming gathers rows, remapping computes them): the output has
 * `rows` rows of the input's row size; `fill` reads input rows and writes the output's bytes in order.
 */
export interface TensorRewrite {
  rows: number;
  fill(read: (row: number, count: number, into: Uint8Array) => void, write: (bytes: Uint8Array) => void): void;
}

/**
 * Writes `src` to the open file `out`, each tensor named in `rewrite` produced by its `fill`, every
 * other tensor copied byte for byte. `progress` is called with the source bytes handled so far.
 */
export function writeSafetensors(
  src: SafetensorsFile,
  out: number,
  rewrite: Map<string, TensorRewrite>,
  progress: (bytes: number) => void = () => {},
): { bytesWritten: number } {
  const shapes = src.tensors.map((t) => {
    const r = rewrite.get(t.name);
    return r === undefined ? t.shape : [r.rows, ...t.shape.slice(1)];
  });
  const header: Record<string, unknown> = {};
  if (src.metadata !== undefined) header.__metadata__ = src.metadata;
  let at = 0;
  src.tensors.forEach((t, i) => {
    const bytes = numel({ shape: shapes[i]! }) * DTYPE_BYTES[t.dtype]!;
    header[t.name] = { dtype: t.dtype, shape: shapes[i], data_offsets: [at, at + bytes] };
    at += bytes;
  });
  // Pad with spaces to a multiple of 8, as the reference writer does, so the data stays aligned.
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((Buffer.byteLength(json) + 8) % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  let pos = 0;
  const put = (b: Uint8Array, n = b.length) => {
    let done = 0;
    while (done < n) done += writeSync(out, b, done, n - done, pos + done);
    pos += n;
  };
  put(len);
  put(Buffer.from(json, 'utf8'));
  const fd = openSync(src.path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  let handled = 0;
  const copy = (from: number, n: number) => {
    for (let off = 0; off < n; ) {
      const k = Math.min(buf.length, n - off);
      readFully(fd, buf, k, src.dataStart + from + off);
      put(buf, k);
      off += k;
    }
  };
  try {
    for (const t of src.tensors) {
      const r = rewrite.get(t.name);
      if (r === undefined) {
        copy(t.begin, t.end - t.begin);
      } else {
        const rowBytes = (t.end - t.begin) / t.shape[0]!;
        const start = pos;
        r.fill(
          (row, count, into) => {
            if (row + count > t.shape[0]!) throw new VocabsmithError(`rows ${row}..${row + count} outside tensor ${t.name}`, src.path);
            readFully(fd, into, count * rowBytes, src.dataStart + t.begin + row * rowBytes);
          },
          (bytes) => put(bytes),
        );
        if (pos - start !== r.rows * rowBytes) throw new Error(`${t.name}: wrote ${pos - start} bytes for ${r.rows} rows (a bug in the row plan)`);
      }
      handled += t.end - t.begin;
      progress(handled);
    }
  } finally {
    closeSync(fd);
  }
  return { bytesWritten: pos };
}

/** The bytes of one tensor (for the vocabulary tensors, which are rewritten whole). */
export function readTensor(file: SafetensorsFile, t: TensorInfo): Buffer {
  const buf = Buffer.allocUnsafe(t.end - t.begin);
  const fd = openSync(file.path, 'r');
  try {
    readFully(fd, buf, buf.length, file.dataStart + t.begin);
  } finally {
    closeSync(fd);
  }
  return buf;
}

function readFully(fd: number, buf: Uint8Array, n: number, position: number): void {
  let done = 0;
  while (done < n) {
    const k = readSync(fd, buf, done, n - done, position + done);
    if (k === 0) throw new VocabsmithError('unexpected end of file');
    done += k;
  }
}
