// Training inputs, turned into batches of sequences for the counting workers.
//
// Sequences follow HF `train_from_files`: each line of a text file, with its ending ("\n" or
// "\r\n" kept), is one sequence; each JSONL record's field and each string of an iterable is one
// sequence (HF `train_from_iterator`). Batches are UTF-8 bytes plus the end offset of every
// sequence, so they cross into WASM and between threads as two typed arrays.
import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { expandCorpus, isJsonl, splitLines as linesOf, type CorpusOptions, type CorpusSource, type ExpandedCorpus } from '../corpus.js';
import { udhrText } from '../corpora/udhr.js';
import { VocabsmithError } from '../errors.js';

/** A file path, directory or glob; an in-memory string (`{ text }`); strings from an iterable or stream. */
export type TrainInput =
  | string
  | { text: string }
  | { jsonl: string; field: string }
  | Iterable<string>
  | AsyncIterable<string>
  | Readable;

export interface Batch {
  bytes: Uint8Array;
  /** End offset in `bytes` of each sequence. */
  ends: Uint32Array;
  /** Where the batch came from, for messages and progress. */
  source: string;
  /** Input bytes consumed (compressed size for .gz), for progress. */
  consumed: number;
}

export interface InputOptions extends CorpusOptions {
  /** Invalid UTF-8: fail (default) with the file and line, or skip the line. */
  onInvalidUtf8?: 'fail' | 'skip';
  /** Target batch size in bytes. */
  batchBytes?: number;
}

/**
 * Longest sequence counted whole: 1 MiB. A longer line (a minified file, a dump with no newline) is
 * counted in pieces of at most this size, so memory while counting stays bounded whatever the line
 * length. A piece ends after the last space, tab or other ASCII whitespace in its second half, else
 * at a character boundary; only the pretokens that cross a cut are counted differently from HF
 * (which would count the whole line as one sequence).
 */
export const SEQUENCE_BYTES_LIMIT = 1 << 20;

/** End of the piece of `buf` that starts at `start`, at most `cap` bytes long (see SEQUENCE_BYTES_LIMIT). */
export function cutPoint(buf: Uint8Array, start: number, cap = SEQUENCE_BYTES_LIMIT): number {
  const limit = start + cap;
  if (limit >= buf.length) return buf.length;
  for (let i = limit - 1; i >= start + (cap >> 1); i--) {
    const b = buf[i]!;
    if (b === 32 || b === 9 || b === 11 || b === 12 || b === 13) return i + 1;
  }
  let i = limit;
  while (i > start + 1 && (buf[i]! & 0xc0) === 0x80) i--; // never inside a UTF-8 sequence
  return i;
}

/** Expands path inputs (corpus specs: files, directories, globs, `udhr:`) to their sources and skipped files. */
export function expandPaths(inputs: readonly string[], options: CorpusOptions = {}): ExpandedCorpus {
  return expandCorpus(inputs, options);
}

/** Total bytes of the file sources (for progress bars; UDHR texts are small and not counted). */
export function totalBytes(sources: readonly CorpusSource[]): number {
  return sources.reduce((n, s) => n + (s.kind === 'file' ? statSync(s.path).size : 0), 0);
}

/** Batches of one source: a file, or a UDHR declaration (one sequence per line). */
export async function* sourceBatches(source: CorpusSource, options: InputOptions = {}): AsyncGenerator<Batch> {
  if (source.kind === 'file') yield* fileBatches(source.path, options);
  else yield* batches(linesOf(udhrText(source.code)), `udhr:${source.code}`, options.batchBytes);
}

/** Batches of one file: lines of text, or one field of each JSONL record. */
export async function* fileBatches(path: string, options: InputOptions = {}): AsyncGenerator<Batch> {
  let stream: Readable = createReadStream(path, { highWaterMark: options.batchBytes ?? 1 << 20 });
  let consumedRaw = 0;
  stream.on('data', (c: Buffer) => (consumedRaw += c.length));
  if (/\.gz$/i.test(path)) stream = stream.pipe(createGunzip());
  if (isJsonl(path)) {
    const seqs = jsonlSequences(lines(stream, path, options), path, options.jsonlField ?? 'text');
    yield* batches(seqs, path, options.batchBytes, () => consumedRaw);
    return;
  }
  // Plain text stays bytes: lines are found by scanning for "\n", UTF-8 checked natively.
  let lineNo = 0;
  let done = 0;
  for await (const buf of lineChunks(stream, path)) {
    const { bytes, ends, lines } = lineBatch(buf, path, lineNo, options.onInvalidUtf8 ?? 'fail');
    lineNo += lines;
    yield { bytes, ends, source: path, consumed: consumedRaw - done };
    done = consumedRaw;
  }
}

/**
 * The lines of `buf` (whole lines, or pieces of at most SEQUENCE_BYTES_LIMIT bytes of a longer one; the last may lack its "\n") as one batch; `firstLine` lines of
 * `path` came before (for messages). Invalid UTF-8 lines fail or are dropped.
 */
export function lineBatch(buf: Buffer, path: string, firstLine: number, mode: 'fail' | 'skip'): { bytes: Uint8Array; ends: Uint32Array; lines: number } {
  const ends: number[] = [];
  for (let at = 0; at < buf.length; ) {
    const nl = buf.indexOf(10, at);
    let end = nl < 0 ? buf.length : nl + 1;
    if (end - at > SEQUENCE_BYTES_LIMIT) end = cutPoint(buf, at);
    ends.push(end);
    at = end;
  }
  let bytes: Uint8Array = buf;
  let kept = ends;
  if (!isUtf8(buf)) ({ bytes, kept } = dropInvalidLines(buf, ends, path, firstLine, mode));
  return { bytes, ends: Uint32Array.from(kept), lines: ends.length };
}

/**
 * Chunks of whole lines (the last one may lack its "\n"), or of whole pieces of a line longer than
 * SEQUENCE_BYTES_LIMIT. The unfinished line is kept as a list of chunks and joined once (joining
 * at every chunk made long lines quadratic), and never grows past the limit plus one chunk.
 */
async function* lineChunks(stream: Readable, path: string): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const nl = chunk.lastIndexOf(10);
      if (nl < 0) {
        parts.push(chunk);
        size += chunk.length;
        if (size > SEQUENCE_BYTES_LIMIT) {
          // Whole pieces of the long line go now; the rest waits for more of it.
          const buf = Buffer.concat(parts, size);
          let at = 0;
          while (buf.length - at > SEQUENCE_BYTES_LIMIT) at = cutPoint(buf, at);
          parts = [Buffer.from(buf.subarray(at))];
          size = parts[0]!.length;
          yield buf.subarray(0, at);
        }
        continue;
      }
      // Keep the tail before yielding: the consumer may transfer (detach) the yielded buffer.
      const tail = Buffer.from(chunk.subarray(nl + 1));
      const head = size > 0 ? Buffer.concat([...parts, chunk.subarray(0, nl + 1)]) : chunk.subarray(0, nl + 1);
      parts = tail.length > 0 ? [tail] : [];
      size = tail.length;
      yield head;
    }
  } catch (e) {
    throw new VocabsmithError(`cannot read: ${e instanceof Error ? e.message : String(e)}`, path);
  }
  if (size > 0) yield Buffer.concat(parts, size);
}

/** Fails on the first invalid line (naming it), or drops the invalid lines. */
function dropInvalidLines(buf: Buffer, ends: number[], path: string, firstLine: number, mode: 'fail' | 'skip') {
  const parts: Buffer[] = [];
  const kept: number[] = [];
  let size = 0;
  let start = 0;
  ends.forEach((end, i) => {
    const line = buf.subarray(start, end);
    if (isUtf8(line)) {
      parts.push(line);
      size += line.length;
      kept.push(size);
    } else if (mode === 'fail') {
      throw new VocabsmithError(`invalid UTF-8 on line ${firstLine + i + 1} (--on-invalid-utf8 skip skips such lines)`, path);
    }
    start = end;
  });
  return { bytes: new Uint8Array(Buffer.concat(parts)), kept };
}

/** Batches of any input kind. */
export async function* inputBatches(input: TrainInput, options: InputOptions = {}): AsyncGenerator<Batch> {
  if (typeof input === 'string') {
    for (const s of expandPaths([input], options).sources) yield* sourceBatches(s, options);
  } else if ('text' in input && typeof input.text === 'string') {
    yield* batches(splitLines(input.text), 'text', options.batchBytes);
  } else if ('jsonl' in input) {
    yield* fileBatches(input.jsonl, { ...options, jsonlField: input.field });
  } else {
    // Strings of an iterable or stream: each one is a sequence, as HF `train_from_iterator`.
    yield* batches(strings(input as Iterable<string> | AsyncIterable<string>), 'iterable', options.batchBytes);
  }
}

async function* strings(it: Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
  for await (const s of it as AsyncIterable<unknown>) {
    if (typeof s === 'string') yield s;
    else if (s instanceof Uint8Array) yield new TextDecoder().decode(s);
    else throw new VocabsmithError(`expected strings, got ${typeof s}`, 'iterable');
  }
}

function* splitLines(text: string): Generator<string> {
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    yield text.slice(start, nl + 1);
    start = nl + 1;
  }
  if (start < text.length) yield text.slice(start);
}

/** Lines with their endings, decoded strictly (invalid UTF-8 is reported with its line number). */
async function* lines(stream: Readable, path: string, options: InputOptions): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  const decode = (buf: Buffer): string | undefined => {
    lineNo++;
    try {
      return decoder.decode(buf);
    } catch {
      if (options.onInvalidUtf8 === 'skip') return undefined;
      throw new VocabsmithError(`invalid UTF-8 on line ${lineNo} (--on-invalid-utf8 skip skips such lines)`, path);
    }
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl < 0) break;
        const s = decode(buf.subarray(start, nl + 1));
        if (s !== undefined) yield s;
        start = nl + 1;
      }
      buf = buf.subarray(start);
      pending = Buffer.from(buf);
    }
  } catch (e) {
    if (e instanceof VocabsmithError) throw e;
    throw new VocabsmithError(`cannot read: ${e instanceof Error ? e.message : String(e)}`, path);
  }
  if (pending.length) {
    const s = decode(pending);
    if (s !== undefined) yield s;
  }
}

async function* jsonlSequences(src: AsyncIterable<string>, path: string, field: string): AsyncGenerator<string> {
  let n = 0;
  for await (const line of src) {
    n++;
    if (line.trim() === '') continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      throw new VocabsmithError(`line ${n} is not valid JSON`, path);
    }
    const v = (rec as Record<string, unknown> | null)?.[field];
    if (typeof v !== 'string') throw new VocabsmithError(`line ${n} has no string field "${field}"`, path);
    yield v;
  }
}

/** Packs sequences into batches of about `target` bytes. */
async function* batches(
  seqs: Iterable<string> | AsyncIterable<string>,
  source: string,
  target = 1 << 20,
  consumed?: () => number,
): AsyncGenerator<Batch> {
  const encoder = new TextEncoder();
  let parts: Uint8Array[] = [];
  let ends: number[] = [];
  let size = 0;
  let done = 0;
  const flush = (): Batch => {
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    const now = consumed?.() ?? done + size;
    const b = { bytes, ends: Uint32Array.from(ends), source, consumed: now - done };
    done = now;
    parts = [];
    ends = [];
    size = 0;
    return b;
  };
  for await (const s of seqs) {
    const p = encoder.encode(s);
    parts.push(p);
    size += p.length;
    ends.push(size);
    if (size >= target) yield flush();
  }
  if (ends.length) yield flush();
}
