// Reading a count file fails with the right name for the failure: bytes that do not check out are
// "corrupt count file" naming the file; the core's memory running out, a JavaScript allocation
// failing or an internal error say what they are, with the file and the table being read (a
// SuperBPE stage-2 table at 3 GB of text once read as "corrupt (attempted to take ownership of
// Rust value while it was borrowed)": a trap, then free() of the replaced instance's tables).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutOfMemoryError, VocabsmithError } from '../../src/errors.js';
import { CountFileWriter, readCountFile, writeCountFile } from '../../src/train/countfile.js';
import { allocForTest, coreResets, loadWasm, panicForTest, readFields, WasmWordCounts } from '../../src/wasm.js';

loadWasm();
const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-count-read-'));

/** Asks the core for 2 GiB at a time until 32-bit WebAssembly's 4 GiB cannot hold it: a real exhaustion. */
function exhaustCoreMemory(): never {
  for (let i = 0; i < 4; i++) allocForTest(2 ** 31 - 2 ** 16);
  throw new Error('the core never ran out of memory');
}

/** A SuperBPE-shaped count file: a stage-1 and a stage-2 table. */
function superbpeFile(name: string): string {
  const f = join(dir, name);
  const w = new CountFileWriter(f, { sequences: 2, patterns: ['superbpe-stage1', 'superbpe'], minCount: 1 });
  for (const [word, n] of [['a', 3], ['b', 2]] as const) w.record(Buffer.from(word), 0, word.length, n);
  w.endTable();
  for (const [word, n] of [['a b', 2], ['b a', 1]] as const) w.record(Buffer.from(word), 0, word.length, n);
  w.endTable();
  w.commit();
  return f;
}

/** Makes the `n`th addParts call (1-based) run `fail` instead; the others go through. */
function failAddParts(n: number, fail: () => never): void {
  const original = WasmWordCounts.prototype.addParts;
  let calls = 0;
  vi.spyOn(WasmWordCounts.prototype, 'addParts').mockImplementation(function (this: WasmWordCounts, ...args: Parameters<typeof original>) {
    if (++calls === n) fail();
    return original.apply(this, args);
  });
}

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

afterEach(() => vi.restoreAllMocks());

describe('the core running out of memory', () => {
  it('is an OutOfMemoryError naming the call, the size and the memory held, and the core works after it', () => {
    const before = coreResets();
    const e = caught(exhaustCoreMemory);
    expect(e).toBeInstanceOf(OutOfMemoryError);
    expect(e.message).toMatch(/^out of memory in allocForTest: an allocation of 2048 MB failed with \d+ MB of WebAssembly memory in use \(32-bit WebAssembly: 4 GiB at most\)$/);
    expect(coreResets()).toBe(before + 1);
    const t = new WasmWordCounts();
    t.addParts(Buffer.from('ab'), Uint32Array.of(2), BigUint64Array.of(5n));
    expect(t.size).toBe(1);
    t.free();
  });

  it('a buffer past 2 GiB (Rust\'s "capacity overflow" on wasm32) is out of memory too', () => {
    const e = caught(() => allocForTest(2 ** 31));
    expect(e).toBeInstanceOf(OutOfMemoryError);
    expect(e.message).toMatch(/^out of memory in allocForTest: one buffer would pass 2 GiB \(capacity overflow \(at [^)]*\); 32-bit WebAssembly: no allocation over 2 GiB, 4 GiB in all\)$/);
  });
});

describe('reading a count file: a failure that is not the file is not "corrupt"', () => {
  it('out of memory in the stage-2 table: names memory, the file and the table', () => {
    const f = superbpeFile('oom.counts');
    failAddParts(2, exhaustCoreMemory);
    const e = caught(() => readCountFile(f));
    expect(e).toBeInstanceOf(OutOfMemoryError);
    expect(e.message).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: out of memory reading the stage-2 table \\(WebAssembly's 4 GiB; the file is not corrupt\\): out of memory in allocForTest: an allocation of 2048 MB failed`));
    expect(e.message).not.toMatch(/corrupt count file|borrowed|ownership/);
    vi.restoreAllMocks();
    // The same file reads fine afterwards (the core was replaced, the file is good).
    const set = readCountFile(f);
    expect(set.tables.map((t) => t.counts.size)).toEqual([2, 2]);
    set.tables.forEach((t) => t.counts.free());
  });

  it('a JavaScript allocation that fails (RangeError) names memory too', () => {
    const f = superbpeFile('js-oom.counts');
    failAddParts(2, () => {
      throw new RangeError('Array buffer allocation failed');
    });
    const e = caught(() => readCountFile(f));
    expect(e).toBeInstanceOf(OutOfMemoryError);
    expect(e.message).toBe(`${f}: out of memory reading the stage-2 table (a JavaScript allocation failed; the file is not corrupt): Array buffer allocation failed`);
  });

  it('a panic in the core is an internal error naming the file and the table', () => {
    const f = superbpeFile('panic.counts');
    failAddParts(1, () => panicForTest('boom') as never);
    const e = caught(() => readCountFile(f));
    expect(e).toBeInstanceOf(VocabsmithError);
    expect(e).not.toBeInstanceOf(OutOfMemoryError);
    expect(e.message).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: internal error in panicForTest: boom \\(at [^)]*\\), reading the stage-1 table$`));
  });
});

describe('reading a count file: bytes that do not check out are still "corrupt", naming the file', () => {
  it('a flipped byte in the stage-2 table fails its check', () => {
    const f = superbpeFile('flipped.counts');
    const b = readFileSync(f);
    const at = b.indexOf('b a');
    b[at] = 'c'.charCodeAt(0);
    writeFileSync(f, b);
    expect(() => readCountFile(f)).toThrow(`${f}: corrupt count file (table 2 fails its check)`);
  });

  it('a word that is not UTF-8 (checksums right: as written)', () => {
    const f = join(dir, 'latin1.counts');
    const w = new CountFileWriter(f, { sequences: 1, patterns: ['o200k'], minCount: 1 });
    w.record(Buffer.from([0x61, 0xff]), 0, 2, 1);
    w.endTable();
    w.commit();
    const e = caught(() => readCountFile(f));
    expect(e.message).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: corrupt count file \\(.*not valid UTF-8`));
  });

  it('a word length longer than the file is corrupt, not an attempt to allocate it', () => {
    const f = superbpeFile('long.counts');
    const b = readFileSync(f);
    // The first record of table 1: varint(2) 'a' varint(3). Declare 2^42 bytes instead.
    const start = b.indexOf(Buffer.from([2, 0x61, 3]));
    const huge = Buffer.from([0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]); // 1 + 2^42
    writeFileSync(f, Buffer.concat([b.subarray(0, start), huge, b.subarray(start + 1)]));
    expect(() => readCountFile(f)).toThrow(`${f}: corrupt count file (table 1, word 1 declares 4398046511104 bytes, more than the whole file)`);
  });
});

describe('writing a table: records in order, the table untouched, no second copy', () => {
  it('more words than one chunk: the file holds them sorted; the table keeps its order', () => {
    const t = new WasmWordCounts();
    // 150,000 distinct words in a scrambled order (past the 65,536 words of one chunk).
    const n = 150_000;
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(`w${((i * 7919) % n).toString(36)}é`);
    const bytes = Buffer.from(words.join(''));
    t.addParts(bytes, Uint32Array.from(words, (w) => Buffer.byteLength(w)), BigUint64Array.from(words, (_, i) => BigInt(i + 1)));
    const before = Buffer.from(t.words());
    const f = join(dir, 'many.counts');
    writeCountFile(f, { sequences: 1, tables: [{ pattern: 'o200k', counts: t }] });
    expect(Buffer.from(t.words()).equals(before)).toBe(true);
    // The same file written by hand from the words sorted in JS.
    const ref = join(dir, 'many-ref.counts');
    const w = new CountFileWriter(ref, { sequences: 1, patterns: ['o200k'], minCount: 1 });
    const sorted = words.map((word, i) => ({ b: Buffer.from(word), c: i + 1 })).sort((a, b) => Buffer.compare(a.b, b.b));
    for (const r of sorted) w.record(r.b, 0, r.b.length, r.c);
    w.endTable();
    w.commit();
    expect(readFileSync(f).equals(readFileSync(ref))).toBe(true);
    t.free();
  });

  it('partsAt refuses an entry past the table', () => {
    const t = new WasmWordCounts();
    t.addParts(Buffer.from('ab'), Uint32Array.of(1, 1), BigUint64Array.of(1n, 1n));
    expect(readFields(t.partsAt(Uint32Array.of(1, 0))).words).toEqual(Uint8Array.from(Buffer.from('ba')));
    expect(() => t.partsAt(Uint32Array.of(2))).toThrow('entry 2 is past a table of 2 words');
    t.free();
  });
});

describe('reading a count file: the last table is reserved at once', () => {
  it('reserves the bytes left in the file for the last table (no doubling of its arena)', () => {
    const f = superbpeFile('reserve.counts');
    const reserve = vi.spyOn(WasmWordCounts.prototype, 'reserve');
    const set = readCountFile(f);
    // Only the stage-2 table: its words ("a b", "b a": 6 bytes) plus per record a length and a
    // count varint (4 bytes), the table's end (1 + 20) and the end marker (8).
    expect(reserve.mock.calls).toEqual([[0, 6 + 4 + 21 + 8]]);
    expect(set.tables[1]!.counts.arenaBytes).toBe(6);
    set.tables.forEach((t) => t.counts.free());
  });
});
