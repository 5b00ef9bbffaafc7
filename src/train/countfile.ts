// Count files: word counts of one shard, for training a corpus counted anywhere, in pieces.
//
// msgpack (msgpackr) of { format, version, sequences, tables: [{ pattern, preTokenizer, words,
// lens, counts }] }: one table per pretokenizer pattern (a SuperBPE count has two). Arrays are
// stored as raw little-endian bytes. Merging is associative and commutative (counts add per
// word), so shards can be merged in any grouping and order.
import { readFileSync } from 'node:fs';
import { pack, unpack } from 'msgpackr';
import { VocabsmithError } from '../errors.js';
import { loadWasm, WasmWordCounts } from '../wasm.js';
import { writeFileAtomic } from '../files.js';

export const COUNT_FORMAT = 'vocabsmith-counts';
const VERSION = 1;

export interface CountTable {
  /** Pretokenizer spec the words were split with (a name or a regex). */
  pattern: string;
  counts: WasmWordCounts;
}

export interface CountSet {
  /** Number of sequences counted (lines, records, strings). */
  sequences: number;
  /**
   * Searches of a custom pretokenizer regex that stopped at its backtracking limit while counting:
   * each left the rest of a sequence uncounted (a catastrophic pattern). 0 or absent: none.
   */
  limitHits?: number;
  tables: CountTable[];
}

interface RawTable {
  pattern: string;
  words: Uint8Array;
  lens: Uint8Array;
  counts: Uint8Array;
}

const bytesOf = (a: Uint32Array | BigUint64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function copyAligned(bytes: Uint8Array, width: number, file: string): ArrayBuffer {
  if (bytes.byteLength % width !== 0) throw new VocabsmithError('corrupt count file (array length)', file);
  return new Uint8Array(bytes).buffer; // a copy: msgpackr gives Buffers, whose slice() is a view
}

/** Writes a count file atomically; `inputs` (the corpus, merged count files) are never overwritten. */
export function writeCountFile(path: string, set: CountSet, inputs: readonly string[] = []): void {
  const tables: RawTable[] = set.tables.map((t) => ({
    pattern: t.pattern,
    words: t.counts.words(),
    lens: bytesOf(t.counts.lens()),
    counts: bytesOf(t.counts.counts()),
  }));
  writeFileAtomic(path, pack({ format: COUNT_FORMAT, version: VERSION, sequences: set.sequences, tables }), inputs);
}

export function readCountFile(path: string): CountSet {
  loadWasm(); // `count --merge` alone reaches here before anything else has loaded the core
  let raw: unknown;
  try {
    raw = unpack(readFileSync(path));
  } catch (e) {
    throw new VocabsmithError(`not a count file (${e instanceof Error ? e.message : String(e)})`, path);
  }
  const r = raw as { format?: unknown; version?: unknown; sequences?: unknown; tables?: unknown };
  if (r?.format !== COUNT_FORMAT) throw new VocabsmithError('not a vocabsmith count file', path);
  if (r.version !== VERSION) throw new VocabsmithError(`count file version ${String(r.version)} is not supported`, path);
  if (!Array.isArray(r.tables)) throw new VocabsmithError('corrupt count file (no tables)', path);
  const tables = (r.tables as unknown[]).map((raw, i) => {
    const t = raw as Partial<RawTable> | null;
    if (t === null || typeof t !== 'object' || typeof t.pattern !== 'string' || ![t.words, t.lens, t.counts].every((a) => a instanceof Uint8Array)) {
      throw new VocabsmithError(`corrupt count file (table ${i} is not { pattern, words, lens, counts })`, path);
    }
    const lens = new Uint32Array(copyAligned(t.lens!, 4, path));
    const counts = new BigUint64Array(copyAligned(t.counts!, 8, path));
    checkTotals(lens, counts, path);
    try {
      return { pattern: t.pattern!, counts: WasmWordCounts.fromParts(t.words!, lens, counts) };
    } catch (e) {
      throw new VocabsmithError(`corrupt count file (${e instanceof Error ? e.message : String(e)})`, path);
    }
  });
  const sequences = r.sequences ?? 0;
  if (typeof sequences !== 'number' || !Number.isSafeInteger(sequences) || sequences < 0) throw new VocabsmithError('corrupt count file (sequences)', path);
  return { sequences, tables };
}

/**
 * Training adds counts in u64 (pair counts: a word's count once per adjacent pair), which wraps
 * silently. Sum of count × length below 2^53 keeps every total exact, even merged with others
 * (each file is checked; `readCountFiles` checks the merged sum too).
 */
export const COUNT_TOTAL_LIMIT = 2n ** 53n;

function total(lens: Uint32Array, counts: BigUint64Array): bigint {
  let sum = 0n;
  for (let i = 0; i < counts.length; i++) sum += counts[i]! * BigInt(Math.max(lens[i] ?? 1, 1));
  return sum;
}

function checkTotals(lens: Uint32Array, counts: BigUint64Array, path: string): void {
  if (lens.length !== counts.length) throw new VocabsmithError(`corrupt count file (${lens.length} lengths but ${counts.length} counts)`, path);
  if (total(lens, counts) >= COUNT_TOTAL_LIMIT) throw new VocabsmithError('counts too large: their total (count × length) must stay below 2^53', path);
}

/** Adds `other` into `into`, table by table; the patterns must be the same. */
export function mergeCountSets(into: CountSet, other: CountSet, otherName: string): void {
  const a = into.tables.map((t) => t.pattern).join(' | ');
  const b = other.tables.map((t) => t.pattern).join(' | ');
  if (a !== b) throw new VocabsmithError(`counted with other patterns (${b}) than the first file (${a})`, otherName);
  into.tables.forEach((t, i) => {
    const o = other.tables[i];
    if (o) {
      t.counts.mergeFrom(o.counts);
      o.counts.free();
    }
  });
  into.sequences += other.sequences;
}

/** Reads and merges count files. */
export function readCountFiles(paths: readonly string[]): CountSet {
  if (paths.length === 0) throw new VocabsmithError('no count file given');
  const first = readCountFile(paths[0] as string);
  const sums = first.tables.map((t) => total(t.counts.lens(), t.counts.counts()));
  for (const p of paths.slice(1)) {
    const next = readCountFile(p);
    next.tables.forEach((t, i) => (sums[i] = (sums[i] ?? 0n) + total(t.counts.lens(), t.counts.counts())));
    if (sums.some((s) => s >= COUNT_TOTAL_LIMIT)) throw new VocabsmithError('counts too large once merged: their total (count × length) must stay below 2^53', p);
    mergeCountSets(first, next, p);
  }
  return first;
}
