// Writes a rewritten GGUF (trimmed or remapped) from the plan the Rust core made: the new header,
// then every tensor at its aligned offset — copied byte for byte, gathered as whole rows, or
// computed a block of rows at a time — streamed in chunks, never the whole model in memory.
// Written to a temporary file beside the output and renamed at the end: a failed run leaves
// nothing, and the input is only ever read.
import { closeSync, existsSync, ftruncateSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { VocabsmithError } from './errors.js';
import { readGgufHeader, type GgufHeader } from './formats/gguf.js';
import { GgufSource, type WasmGgufRewrite } from './wasm.js';

const CHUNK = 8 << 20;
/** Target rows computed per call into WASM. */
const ROW_BLOCK = 2048;

export interface GgufTensorReport {
  name: string;
  source: 'copy' | 'rows' | 'computed';
  type: string;
  bytes: number;
}

/** The header and the exact bytes the core parses (the first `dataStart` bytes). */
export function readGgufPrefix(path: string): { header: GgufHeader; prefix: Uint8Array } {
  const header = readGgufHeader(path);
  return { header, prefix: readAt(path, 0, header.dataStart) };
}

function readAt(path: string, at: number, n: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    readFully(fd, buf, 0, n, at, path);
    return buf;
  } finally {
    closeSync(fd);
  }
}

function readFully(fd: number, buf: Uint8Array, off: number, n: number, at: number, path: string): void {
  for (let got = 0; got < n; ) {
    const k = readSync(fd, buf, off + got, n - got, at + got);
    if (k === 0) throw new VocabsmithError(`the file ends at byte ${at + got}, inside tensor data the header promises`, path);
    got += k;
  }
}

function writeFully(fd: number, buf: Uint8Array, n: number, at: number): void {
  for (let done = 0; done < n; ) done += writeSync(fd, buf, done, n - done, at + done);
}

/** Checks `out` before any work: a new .gguf file that is not the input. */
export function checkGgufOut(input: string, out: string): void {
  if (resolve(out) === resolve(input)) throw new VocabsmithError('the output is the input file', out);
  if (existsSync(out)) throw new VocabsmithError('the output file already exists', out);
  if (!existsSync(dirname(resolve(out)))) throw new VocabsmithError('the output folder does not exist', out);
}

/** Streams `rw` from `input` into `out` atomically; returns what each tensor became. */
export function writeGguf(input: string, out: string, rw: WasmGgufRewrite, progress?: (done: number, total: number) => void): GgufTensorReport[] {
  checkGgufOut(input, out);
  const tensors = rw.tensors();
  const rowIds = rw.rowIds();
  const fileLen = rw.fileLen;
  const tmp = join(dirname(resolve(out)), `.${basename(out)}.${process.pid}.tmp`);
  const inFd = openSync(input, 'r');
  let outFd: number | undefined;
  const report: GgufTensorReport[] = [];
  try {
    const inSize = statSync(input).size;
    outFd = openSync(tmp, 'wx');
    const header = rw.header();
    writeFully(outFd, header, header.length, 0);
    const buf = Buffer.alloc(CHUNK);
    let done = header.length;
    for (let i = 0; i < tensors.length; i++) {
      const t = tensors[i]!;
      if (t.srcOffset + t.srcSize > inSize) throw new VocabsmithError(`tensor ${t.name} goes past the end of the file`, input);
      let at = t.outOffset;
      if (t.source === GgufSource.Copy) {
        for (let k = 0; k < t.srcSize; k += CHUNK) {
          const n = Math.min(CHUNK, t.srcSize - k);
          readFully(inFd, buf, 0, n, t.srcOffset + k, input);
          writeFully(outFd, buf, n, at);
          at += n;
        }
      } else if (t.source === GgufSource.Rows) {
        // Runs of consecutive ids (a trim keeps ids ascending) are read in one go.
        const rb = t.srcRowBytes;
        const perChunk = Math.max(1, Math.floor(CHUNK / rb));
        const big = rb > CHUNK ? Buffer.alloc(rb) : buf;
        let fill = 0;
        for (let r = 0; r < rowIds.length; ) {
          let run = 1;
          while (r + run < rowIds.length && run < perChunk - fill && rowIds[r + run] === rowIds[r]! + run) run++;
          readFully(inFd, big, fill * rb, run * rb, t.srcOffset + rowIds[r]! * rb, input);
          fill += run;
          r += run;
          if (fill >= perChunk || r === rowIds.length) {
            writeFully(outFd, big, fill * rb, at);
            at += fill * rb;
            fill = 0;
          }
        }
      } else {
        const src = Buffer.alloc(t.srcSize);
        readFully(inFd, src, 0, t.srcSize, t.srcOffset, input);
        const rows = rw.rowComputer(i, src);
        try {
          for (let r = 0; r < rows.rows; r += ROW_BLOCK) {
            const bytes = rows.compute(r, Math.min(rows.rows, r + ROW_BLOCK));
            writeFully(outFd, bytes, bytes.length, at);
            at += bytes.length;
          }
        } finally {
          rows.free();
        }
      }
      if (at - t.outOffset !== t.outSize) {
        throw new VocabsmithError(`internal: tensor ${t.name} wrote ${at - t.outOffset} bytes, expected ${t.outSize}`, out);
      }
      done += t.outSize;
      progress?.(done, fileLen);
      report.push({ name: t.name, source: (['copy', 'rows', 'computed'] as const)[t.source], type: t.typeName, bytes: t.outSize });
      t.free();
    }
    // Padding between tensors is never written (holes read as zeros); the last pad sets the length.
    ftruncateSync(outFd, fileLen);
    closeSync(outFd);
    outFd = undefined;
    renameSync(tmp, out);
  } catch (e) {
    if (outFd !== undefined) closeSync(outFd);
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    closeSync(inFd);
  }
  return report;
}
