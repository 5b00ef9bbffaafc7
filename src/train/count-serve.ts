// `vocabsmith count --serve`: one long-lived process counts many blocks sent over stdin, each
// into its own count file, so an engine's worker (dist-engines/ray) pays Node's start-up and the
// WASM compile once, not per block.
//
// Protocol (all integers little-endian u32), one request after another on stdin:
//   header length n, n bytes of JSON { name, out, kind: "lines" | "sequences", firstLine? },
//   number of sequences k, byte length m, then (kind "sequences") k end offsets, then m bytes.
// kind "lines": the bytes are a text file (or a run of its whole lines): each line with its
// ending is a sequence, exactly as `count --corpus FILE`; `firstLine` numbers lines in messages.
// kind "sequences": the end offset of each sequence is given (JSONL or Parquet records).
// Each request is answered by one line of JSON on stdout: { ok: true, sequences, words } once
// `out` is written (atomically), or { ok: false, error } naming `name`; the process keeps serving.
import { isUtf8 } from 'node:buffer';
import { VocabsmithError } from '../errors.js';
import { loadWasm, WasmCounter, WasmWordCounts } from '../wasm.js';
import { mergeCountFiles } from './countmerge.js';
import { lineBatch } from './inputs.js';

interface Request {
  name: string;
  out: string;
  kind: 'lines' | 'sequences';
  firstLine?: number;
}

/** Reads exactly `n` bytes from an async byte stream, or undefined at a clean end. */
class Reader {
  #chunks: Buffer[] = [];
  #have = 0;
  #it: AsyncIterator<Buffer>;
  constructor(stream: AsyncIterable<Buffer>) {
    this.#it = stream[Symbol.asyncIterator]();
  }
  async take(n: number): Promise<Buffer | undefined> {
    while (this.#have < n) {
      const r = await this.#it.next();
      if (r.done) {
        if (this.#have === 0) return undefined;
        throw new VocabsmithError(`stdin ended inside a request (${this.#have} of ${n} bytes)`);
      }
      this.#chunks.push(r.value);
      this.#have += r.value.length;
    }
    const all = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    this.#chunks = all.length > n ? [all.subarray(n)] : [];
    this.#have -= n;
    return all.subarray(0, n);
  }
}

export interface ServeOptions {
  patterns: string[];
  onInvalidUtf8: 'fail' | 'skip';
  minCount: number;
}

export async function serveCounts(input: AsyncIterable<Buffer>, write: (line: string) => void, o: ServeOptions): Promise<void> {
  loadWasm();
  const counters = o.patterns.map((p) => new WasmCounter(p));
  const r = new Reader(input);
  for (;;) {
    const len = await r.take(4);
    if (!len) return;
    const req = JSON.parse((await r.take(len.readUInt32LE(0)))!.toString('utf8')) as Request;
    const sizes = (await r.take(8))!;
    const k = sizes.readUInt32LE(0);
    const m = sizes.readUInt32LE(4);
    const endsRaw = req.kind === 'sequences' ? Buffer.from((await r.take(4 * k))!) : undefined;
    const bytes = m ? Buffer.from((await r.take(m))!) : Buffer.alloc(0);
    try {
      let batch: { bytes: Uint8Array; ends: Uint32Array };
      if (req.kind === 'lines') {
        batch = lineBatch(bytes, req.name, req.firstLine ?? 0, o.onInvalidUtf8);
      } else {
        const ends = new Uint32Array(endsRaw!.buffer, endsRaw!.byteOffset, k);
        if (k > 0 && ends[k - 1] !== m) throw new VocabsmithError(`the last sequence ends at ${ends[k - 1]}, not at the block's ${m} bytes`, req.name);
        if (!isUtf8(bytes)) throw new VocabsmithError('a sequence is not valid UTF-8', req.name);
        batch = { bytes, ends };
      }
      const tables = o.patterns.map(() => new WasmWordCounts());
      try {
        counters.forEach((c, i) => c.countSequences(batch.bytes, batch.ends, tables[i] as WasmWordCounts));
        const set = { sequences: batch.ends.length, tables: tables.map((counts, i) => ({ pattern: o.patterns[i] as string, counts })) };
        const res = mergeCountFiles([], req.out, { extra: set, extraName: req.name, minCount: o.minCount });
        write(JSON.stringify({ ok: true, sequences: res.sequences, words: res.words }));
      } finally {
        tables.forEach((t) => t.free());
      }
    } catch (e) {
      write(JSON.stringify({ ok: false, error: e instanceof Error ? e.message : String(e) }));
    }
  }
}
