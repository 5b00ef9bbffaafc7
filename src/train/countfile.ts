// Count files: word counts of one shard, for training a corpus counted anywhere, in pieces.
//
// Format (version 2), little-endian, read and written as streams:
//   "VSCOUNTS", u32 version = 2, u32 n, n bytes of JSON header
//     { format, version, sequences, patterns: string[], minCount }
//   per pattern, one table of records sorted by the word's UTF-8 bytes, each word once:
//     varint(byteLength + 1), the word's bytes, varint(count)
//   then varint 0, u64 number of words, u64 sum of counts, u32 CRC-32 of the table's bytes
//   (records and the 0), and after the last table "VSCEND\n\n".
// Sorted runs make merging any number of files one linear pass holding one record per input
// (countmerge.ts): memory does not grow with the number of words. The CRC, the word count, the
// order check and the end marker catch a corrupt or truncated file where it is read.
// Merging is associative and commutative (counts add per word; the output is sorted, so any
// grouping and order of the same shards gives the same bytes).
// Version 1 files (one msgpack object, unsorted) are still read.
import { closeSync, fstatSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { unpack } from 'msgpackr';
import { InternalError, OutOfMemoryError, VocabsmithError } from '../errors.js';
import { loadWasm, readFields, WasmWordCounts } from '../wasm.js';
import { release, temporary } from '../output.js';

export const COUNT_FORMAT = 'vocabsmith-counts';
const VERSION = 2;
const MAGIC = Buffer.from('VSCOUNTS');
const END = Buffer.from('VSCEND\n\n');
const CHUNK = 1 << 20;

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
  /** Words counted fewer times than this were dropped (1: nothing dropped). */
  minCount?: number;
}

/** What a count file says about itself before its tables. */
export interface CountHeader {
  sequences: number;
  patterns: string[];
  minCount: number;
}

/** One table's records, one at a time: the current word is `buf[start..end]`. */
export interface RecordSource {
  readonly name: string;
  buf: Buffer;
  start: number;
  end: number;
  count: number;
  /** Advances to the next record; false at the end of the table. */
  next(): boolean;
}

const corrupt = (file: string, what: string) => new VocabsmithError(`corrupt count file (${what})`, file);

/** Streams a count file: header, then each table's records in order. */
export class CountFileReader {
  readonly header: CountHeader;
  #fd: number;
  #buf = Buffer.alloc(CHUNK);
  #pos = 0;
  #len = 0;
  #eof = false;
  #crcFrom = -1; // start in #buf of table bytes not yet in #crc; -1 outside a table
  #crc = 0;
  #tables = 0;
  #v1: CountSet | undefined;
  /** The file's size: no length it declares can be more (a corrupt one must not be allocated). */
  #size = 0;
  /** Bytes read from the file so far (into #buf). */
  #read = 0;

  constructor(readonly file: string) {
    try {
      this.#fd = openSync(file, 'r');
    } catch (e) {
      throw new VocabsmithError(`cannot read: ${e instanceof Error ? e.message : String(e)}`, file);
    }
    try {
      this.#size = fstatSync(this.#fd).size;
      this.#fill(8);
      if (this.#len >= 8 && this.#buf.subarray(0, 8).equals(MAGIC)) {
        this.header = this.#readHeader();
      } else {
        closeSync(this.#fd);
        this.#fd = -1;
        this.#v1 = readV1(file);
        this.header = { sequences: this.#v1.sequences, patterns: this.#v1.tables.map((t) => t.pattern), minCount: 1 };
      }
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** Makes `n` bytes available at #pos, or fewer at the end of the file. */
  #fill(n: number): void {
    if (this.#len - this.#pos >= n || this.#eof) return;
    if (this.#crcFrom >= 0) {
      this.#crc = crc32(this.#buf.subarray(this.#crcFrom, this.#pos), this.#crc);
      this.#crcFrom = 0;
    }
    this.#buf.copy(this.#buf, 0, this.#pos, this.#len);
    this.#len -= this.#pos;
    this.#pos = 0;
    if (n > this.#buf.length) {
      const bigger = Buffer.alloc(Math.max(n, this.#buf.length * 2));
      this.#buf.copy(bigger, 0, 0, this.#len);
      this.#buf = bigger;
    }
    while (this.#len < n) {
      const got = readSync(this.#fd, this.#buf, this.#len, this.#buf.length - this.#len, null);
      if (got === 0) {
        this.#eof = true;
        return;
      }
      this.#len += got;
      this.#read += got;
    }
  }

  #need(n: number, what: string): void {
    this.#fill(n);
    if (this.#len - this.#pos < n) throw new VocabsmithError(`truncated count file (ends inside ${what})`, this.file);
  }

  #varint(what: string): number {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      this.#need(1, what);
      const b = this.#buf[this.#pos++] as number;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
    }
    throw corrupt(this.file, `bad number in ${what}`);
  }

  #readHeader(): CountHeader {
    this.#need(16, 'the header');
    const version = this.#buf.readUInt32LE(8);
    if (version !== VERSION) throw new VocabsmithError(`count file version ${version} is not supported (this vocabsmith reads 1 and 2)`, this.file);
    const n = this.#buf.readUInt32LE(12);
    if (n > this.#size) throw corrupt(this.file, `header of ${n} bytes in a file of ${this.#size}`);
    this.#pos = 16;
    this.#need(n, 'the header');
    let h: { format?: unknown; sequences?: unknown; patterns?: unknown; minCount?: unknown };
    try {
      h = JSON.parse(this.#buf.toString('utf8', this.#pos, this.#pos + n));
    } catch {
      throw corrupt(this.file, 'header');
    }
    this.#pos += n;
    const ok = h.format === COUNT_FORMAT && Number.isInteger(h.sequences) && Array.isArray(h.patterns) && h.patterns.every((p) => typeof p === 'string');
    if (!ok) throw corrupt(this.file, 'header');
    return { sequences: h.sequences as number, patterns: h.patterns as string[], minCount: Number.isInteger(h.minCount) ? (h.minCount as number) : 1 };
  }

  /** Bytes of the file not read yet (0 for a version-1 file, read whole). */
  get remaining(): number {
    return this.#v1 ? 0 : this.#size - (this.#read - (this.#len - this.#pos));
  }

  /** The next table's records (tables come in `header.patterns` order; read each to its end). */
  table(): RecordSource {
    const index = this.#tables++;
    if (index >= this.header.patterns.length) throw new Error('count file: no more tables');
    if (this.#v1) return memorySource(this.#v1.tables[index]!.counts, this.file);
    this.#crcFrom = this.#pos;
    this.#crc = 0;
    let words = 0;
    let total = 0;
    // The previous word, copied: a refill moves the buffer under it. Words must increase.
    let prev = Buffer.alloc(64);
    let prevLen = 0;
    const src: RecordSource = {
      name: this.file,
      buf: this.#buf,
      start: 0,
      end: 0,
      count: 0,
      next: () => {
        const what = `table ${index + 1}, word ${words + 1}`;
        if (words > 0) {
          prevLen = src.end - src.start;
          if (prevLen > prev.length) prev = Buffer.alloc(prevLen * 2);
          src.buf.copy(prev, 0, src.start, src.end);
        }
        const len = this.#varint(what);
        if (len === 0) {
          this.#endTable(index, words, total);
          return false;
        }
        if (len - 1 > this.#size) throw corrupt(this.file, `${what} declares ${len - 1} bytes, more than the whole file`);
        // The word and its count in the buffer at once: a refill while reading the count would
        // move the bytes under src.start..src.end.
        this.#fill(len - 1 + 10);
        this.#need(len - 1, what);
        src.buf = this.#buf;
        src.start = this.#pos;
        src.end = this.#pos + len - 1;
        this.#pos = src.end;
        src.count = this.#varint(what);
        if (words > 0 && prev.compare(src.buf, src.start, src.end, 0, prevLen) >= 0) {
          throw corrupt(this.file, `${what} is out of order`);
        }
        words++;
        total += src.count;
        return true;
      },
    };
    return src;
  }

  #endTable(index: number, words: number, total: number): void {
    this.#crc = crc32(this.#buf.subarray(this.#crcFrom, this.#pos), this.#crc);
    this.#crcFrom = -1;
    this.#need(20, `the end of table ${index + 1}`);
    const n = Number(this.#buf.readBigUInt64LE(this.#pos));
    const sum = Number(this.#buf.readBigUInt64LE(this.#pos + 8));
    const crc = this.#buf.readUInt32LE(this.#pos + 16);
    this.#pos += 20;
    if (n !== words || sum !== total || crc !== this.#crc) throw corrupt(this.file, `table ${index + 1} fails its check`);
  }

  /** Checks the end marker and that nothing follows it, then closes. */
  finish(): void {
    if (!this.#v1) {
      this.#need(END.length, 'the end marker');
      if (!this.#buf.subarray(this.#pos, this.#pos + END.length).equals(END)) throw corrupt(this.file, 'end marker');
      this.#pos += END.length;
      this.#fill(1);
      if (this.#len > this.#pos) throw corrupt(this.file, 'bytes after the end marker');
    }
    this.close();
  }

  close(): void {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }
}

/** Words fetched from the core per call when an in-memory table is streamed. */
const PARTS_CHUNK = 1 << 16;

/**
 * Records of an in-memory table in the order of their bytes. The table is left as it is: the sort
 * is an order of entry numbers (4 bytes a word), and the words come out of the core in chunks of
 * that order, so writing a table costs no second copy of it (SuperBPE's stage-2 table at 3 GB of
 * text did not fit twice in WebAssembly's 4 GiB).
 */
export function memorySource(counts: WasmWordCounts, name: string): RecordSource {
  const order = counts.orderByWord();
  let from = 0;
  let words: Buffer = Buffer.alloc(0);
  let lens: Uint32Array = new Uint32Array(0);
  let nums: BigUint64Array = new BigUint64Array(0);
  let i = -1;
  let at = 0;
  const src: RecordSource = {
    name,
    buf: words,
    start: 0,
    end: 0,
    count: 0,
    next() {
      if (++i >= lens.length) {
        if (from >= order.length) return false;
        const parts = readFields(counts.partsAt(order.subarray(from, from + PARTS_CHUNK)));
        from += parts.lens.length;
        words = Buffer.from(parts.words.buffer, parts.words.byteOffset, parts.words.byteLength);
        lens = parts.lens;
        nums = parts.counts;
        src.buf = words;
        i = 0;
        at = 0;
      }
      src.start = at;
      at += lens[i] as number;
      src.end = at;
      src.count = Number(nums[i]);
      return true;
    },
  };
  return src;
}

/** Writes a count file record by record to a temporary file; `commit` renames it into place. */
export class CountFileWriter {
  #fd: number;
  #tmp: string;
  #buf = Buffer.alloc(CHUNK);
  #pos = 0;
  #crcFrom = 0;
  #crc = 0;
  #words = 0;
  #total = 0;

  constructor(
    readonly file: string,
    header: CountHeader,
  ) {
    // Registered (src/output.ts): removed on SIGINT/SIGTERM, swept by a later run after a SIGKILL.
    this.#tmp = temporary(file);
    this.#fd = openSync(this.#tmp, 'w');
    const json = Buffer.from(JSON.stringify({ format: COUNT_FORMAT, version: VERSION, ...header }));
    const head = Buffer.alloc(16);
    MAGIC.copy(head);
    head.writeUInt32LE(VERSION, 8);
    head.writeUInt32LE(json.length, 12);
    this.#bytes(head);
    this.#bytes(json);
    this.#crcFrom = this.#pos;
    this.#crc = 0;
  }

  #flush(): void {
    this.#crc = crc32(this.#buf.subarray(this.#crcFrom, this.#pos), this.#crc);
    let at = 0;
    while (at < this.#pos) at += writeSync(this.#fd, this.#buf, at, this.#pos - at);
    this.#pos = 0;
    this.#crcFrom = 0;
  }

  #room(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    this.#flush();
    if (n > this.#buf.length) this.#buf = Buffer.alloc(n);
  }

  #bytes(b: Uint8Array): void {
    this.#room(b.length);
    this.#buf.set(b, this.#pos);
    this.#pos += b.length;
  }

  #varint(v: number): void {
    while (v >= 0x80) {
      this.#buf[this.#pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.#buf[this.#pos++] = v;
  }

  /** Appends a record; words must come in increasing byte order within a table. */
  record(buf: Uint8Array, start: number, end: number, count: number): void {
    if (!Number.isSafeInteger(count)) throw new VocabsmithError(`a count of ${count} is past 2^53`, this.file);
    this.#room(end - start + 20);
    this.#varint(end - start + 1);
    this.#buf.set(buf.subarray(start, end), this.#pos);
    this.#pos += end - start;
    this.#varint(count);
    this.#words++;
    this.#total += count;
  }

  /** Ends the current table (its check values follow it). */
  endTable(): { words: number; total: number } {
    this.#room(21);
    this.#varint(0);
    this.#crc = crc32(this.#buf.subarray(this.#crcFrom, this.#pos), this.#crc);
    this.#crcFrom = this.#pos + 20; // the check values are not part of any table's CRC
    this.#buf.writeBigUInt64LE(BigInt(this.#words), this.#pos);
    this.#buf.writeBigUInt64LE(BigInt(this.#total), this.#pos + 8);
    this.#buf.writeUInt32LE(this.#crc >>> 0, this.#pos + 16);
    this.#pos += 20;
    const done = { words: this.#words, total: this.#total };
    this.#crc = 0;
    this.#words = 0;
    this.#total = 0;
    return done;
  }

  /** Writes the end marker and renames the file into place. */
  commit(): void {
    this.#bytes(END);
    this.#flush();
    closeSync(this.#fd);
    this.#fd = -1;
    renameSync(this.#tmp, this.file);
    release(this.#tmp, false);
  }

  /** Drops the temporary file (after an error): nothing partial is left. */
  abort(): void {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
    release(this.#tmp);
  }
}

/** Writes a count set (its tables are left as they are: records go out in order, chunk by chunk). */
export function writeCountFile(path: string, set: CountSet): void {
  loadWasm();
  const w = new CountFileWriter(path, { sequences: set.sequences, patterns: set.tables.map((t) => t.pattern), minCount: set.minCount ?? 1 });
  try {
    for (const t of set.tables) {
      const src = memorySource(t.counts, path);
      while (src.next()) w.record(src.buf, src.start, src.end, src.count);
      w.endTable();
    }
    w.commit();
  } catch (e) {
    w.abort();
    if (e instanceof VocabsmithError) throw e;
    throw new VocabsmithError(e instanceof Error ? e.message : String(e), path);
  }
}

/** What a table is called in messages: SuperBPE count files hold a stage-1 and a stage-2 table. */
function tableName(patterns: readonly string[], i: number): string {
  return patterns.length === 2 ? `the stage-${i + 1} table` : patterns.length === 1 ? 'the table' : `table ${i + 1}`;
}

/** A JavaScript allocation that failed (typed arrays, Buffers): RangeError, by V8's messages. */
const jsOutOfMemory = (e: unknown) => e instanceof RangeError && /allocation failed|invalid (typed )?array (buffer )?length|array buffer length|out of memory/i.test(e.message);

/**
 * The error of a failed read of `file` at `step`: what the reader found wrong with the bytes stays
 * "corrupt"/"truncated" (a VocabsmithError from the reader, or a word the core refused as invalid);
 * anything else is not the file's fault and says what it is: the core's memory full, a JavaScript
 * allocation that failed, an internal error.
 */
function readFailure(file: string, step: string, e: unknown): VocabsmithError {
  if (e instanceof OutOfMemoryError) {
    return new OutOfMemoryError(`out of memory reading ${step} (WebAssembly's 4 GiB; the file is not corrupt): ${e.message}`, file);
  }
  if (e instanceof InternalError) return new InternalError(`${e.message}, reading ${step}`, file);
  if (jsOutOfMemory(e)) {
    return new OutOfMemoryError(`out of memory reading ${step} (a JavaScript allocation failed; the file is not corrupt): ${(e as Error).message}`, file);
  }
  if (e instanceof VocabsmithError) return e;
  return new InternalError(`internal error reading ${step}: ${e instanceof Error ? e.message : String(e)}`, file);
}

/** Adds a count file's tables into `into` (one table per pattern), streaming it in chunks. */
function addFile(into: WasmWordCounts[] | undefined, file: string, expect: string[] | undefined): CountSet {
  let step = 'the header';
  const r = (() => {
    try {
      return new CountFileReader(file);
    } catch (e) {
      throw readFailure(file, step, e);
    }
  })();
  try {
    const { patterns, sequences, minCount } = r.header;
    if (expect && patterns.join('\u0000') !== expect.join('\u0000')) {
      throw new VocabsmithError(`counted with other patterns [${patterns.join(', ')}] than the first file [${expect.join(', ')}]`, file);
    }
    const tables = into ?? patterns.map(() => new WasmWordCounts());
    try {
      patterns.forEach((_, i) => {
        step = tableName(patterns, i);
        // The last table runs to the end of the file, so its words' bytes are known within its
        // record overhead: reserved at once, its arena does not double (SuperBPE's stage-2 table
        // at 3 GB: 1.03 GiB of phrases would double past 2 GiB, over isize::MAX on wasm32).
        if (!into && i === patterns.length - 1) (tables[i] as WasmWordCounts).reserve(0, r.remaining);
        streamTable(r.table(), tables[i] as WasmWordCounts, file);
      });
      step = 'the end marker';
      r.finish();
    } catch (e) {
      // Freeing must not replace the error: after a trap the tables belong to a replaced core.
      if (!into) for (const t of tables) t.free();
      throw e;
    }
    return { sequences, tables: patterns.map((pattern, i) => ({ pattern, counts: tables[i] as WasmWordCounts })), minCount };
  } catch (e) {
    r.close();
    throw readFailure(file, step, e);
  }
}

/** Adds a table's records into `table` in chunks of ~16 MB of words (never the whole file at once). */
function streamTable(src: RecordSource, table: WasmWordCounts, file: string): void {
  let words = Buffer.alloc(16 << 20);
  let lens: number[] = [];
  let nums: bigint[] = [];
  let at = 0;
  const flush = () => {
    try {
      table.addParts(words.subarray(0, at), Uint32Array.from(lens), BigUint64Array.from(nums));
    } catch (e) {
      // The core refuses a word that is not UTF-8 (with a plain Error): the file's bytes are bad.
      // A trap (InternalError) or a failed allocation (RangeError) is not the file's fault.
      if (e instanceof Error && !(e instanceof VocabsmithError) && !(e instanceof RangeError)) throw corrupt(file, e.message);
      throw e;
    }
    lens = [];
    nums = [];
    at = 0;
  };
  while (src.next()) {
    const n = src.end - src.start;
    if (at + n > words.length) {
      flush();
      if (n > words.length) words = Buffer.alloc(n);
    }
    src.buf.copy(words, at, src.start, src.end);
    at += n;
    lens.push(n);
    nums.push(BigInt(src.count));
  }
  flush();
}

export function readCountFile(path: string): CountSet {
  loadWasm();
  return addFile(undefined, path, undefined);
}

/** Reads and merges count files into one table per pattern (memory: the merged table). */
export function readCountFiles(paths: readonly string[]): CountSet {
  if (paths.length === 0) throw new VocabsmithError('no count file given');
  const first = readCountFile(paths[0] as string);
  const patterns = first.tables.map((t) => t.pattern);
  const tables = first.tables.map((t) => t.counts);
  try {
    for (const p of paths.slice(1)) {
      const s = addFile(tables, p, patterns);
      first.sequences += s.sequences;
      first.minCount = Math.max(first.minCount ?? 1, s.minCount ?? 1);
    }
  } catch (e) {
    tables.forEach((t) => t.free());
    throw e;
  }
  return first;
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
  into.minCount = Math.max(into.minCount ?? 1, other.minCount ?? 1);
}

// Version 1: one msgpack object { format, version: 1, sequences, tables: [{ pattern, words, lens, counts }] }.
function readV1(path: string): CountSet {
  loadWasm();
  let raw: unknown;
  try {
    raw = unpack(readFileSync(path));
  } catch (e) {
    throw new VocabsmithError(`not a count file (${e instanceof Error ? e.message : String(e)})`, path);
  }
  const r = raw as { format?: unknown; version?: unknown; sequences?: unknown; tables?: unknown };
  if (r?.format !== COUNT_FORMAT) throw new VocabsmithError('not a vocabsmith count file', path);
  if (r.version !== 1) throw new VocabsmithError(`count file version ${String(r.version)} is not supported`, path);
  if (!Array.isArray(r.tables)) throw corrupt(path, 'no tables');
  const aligned = (bytes: Uint8Array, width: number) => {
    if (bytes.byteLength % width !== 0) throw corrupt(path, 'array length');
    return new Uint8Array(bytes).buffer;
  };
  const tables = (r.tables as unknown[]).map((raw, i) => {
    const t = raw as { pattern?: unknown; words?: unknown; lens?: unknown; counts?: unknown } | null;
    if (t === null || typeof t !== 'object' || typeof t.pattern !== 'string' || ![t.words, t.lens, t.counts].every((a) => a instanceof Uint8Array)) {
      throw corrupt(path, `table ${i} is not { pattern, words, lens, counts }`);
    }
    const lens = new Uint32Array(aligned(t.lens as Uint8Array, 4));
    const counts = new BigUint64Array(aligned(t.counts as Uint8Array, 8));
    if (lens.length !== counts.length) throw corrupt(path, `${lens.length} lengths but ${counts.length} counts`);
    // Counts are summed as f64 downstream: their total (count × length) must stay exact.
    let sum = 0n;
    for (let j = 0; j < lens.length; j++) sum += BigInt(lens[j]!) * counts[j]!;
    if (sum >= 2n ** 53n) throw new VocabsmithError('counts too large: their total (count × length) must stay below 2^53', path);
    try {
      const c = WasmWordCounts.fromParts(t.words as Uint8Array, lens, counts);
      c.sortByWord();
      return { pattern: t.pattern, counts: c };
    } catch (e) {
      throw corrupt(path, e instanceof Error ? e.message : String(e));
    }
  });
  const sequences = r.sequences ?? 0;
  if (typeof sequences !== 'number' || !Number.isSafeInteger(sequences) || sequences < 0) throw corrupt(path, 'sequences');
  return { sequences, tables };
}
