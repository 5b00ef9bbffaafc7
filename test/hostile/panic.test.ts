// A panic inside the core (the release build aborts: a bare `RuntimeError: unreachable`) becomes
// one VocabsmithError naming the call and carrying the panic message; the instance is replaced,
// objects of the old one refuse further use with a clear error, new ones work; and a report
// keeps the rows of the healthy tokenizers when one fails while being measured.
import { describe, expect, it } from 'vitest';
import { analyze, Tokenizer, VocabsmithError } from '../../src/index.js';
import { coreResets, loadWasm, panicForTest, WasmCounter, WasmWordCounts } from '../../src/wasm.js';
import { realTokenizer } from '../helpers/tokenizers.js';

const llama = realTokenizer('llama3').path;

describe('a panic in the core', () => {
  it('is one VocabsmithError with the message and the call, and the core keeps working', () => {
    loadWasm();
    const before = coreResets();
    const old = Tokenizer.fromFile(llama);
    let caught: unknown;
    try {
      panicForTest('boom at id 4294967295');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(VocabsmithError);
    expect((caught as Error).message).toMatch(/^internal error in panicForTest: boom at id 4294967295 \(at bindings\/src\/panic\.rs:\d+\)$/);
    expect(coreResets()).toBe(before + 1);
    // An object of the replaced instance: a clear error, not "borrowed" or memory garbage.
    expect(() => old.encode('hello')).toThrow(VocabsmithError);
    expect(() => old.encode('hello')).toThrow(/belongs to a core instance that stopped after an internal error/);
    expect(() => old.free()).not.toThrow();
    // New objects, all kinds: as before.
    const fresh = Tokenizer.fromFile(llama);
    expect(Array.from(fresh.encode('Hello world'))).toEqual([9906, 1917]);
    new WasmCounter('o200k').free();
    fresh.free();
  });

  it('free() of an object of the replaced instance leaves the new instance alone', () => {
    loadWasm();
    const table = (words: string[]) => {
      const t = new WasmWordCounts();
      t.addParts(Buffer.from(words.join('')), Uint32Array.from(words, (w) => w.length), BigUint64Array.from(words, () => 1n));
      return t;
    };
    const old = table(['a', 'b', 'c']);
    expect(() => panicForTest('boom')).toThrow('boom');
    // Made the same way, the new object may sit where the old one sat in the old memory.
    const fresh = table(['x', 'y']);
    expect((fresh as unknown as { __wbg_inst: number }).__wbg_inst).toBe(coreResets());
    // wasm-bindgen's own free() would hand the old pointer to the new instance: "attempted to
    // take ownership of Rust value while it was borrowed", or the new object freed under us.
    expect(() => old.free()).not.toThrow();
    expect(fresh.size).toBe(2);
    expect(Buffer.from(fresh.words()).toString()).toBe('xy');
    fresh.free();
  });

  it('many panics in a row: each one an error, the core still answers', () => {
    for (let i = 0; i < 20; i++) expect(() => panicForTest(`panic ${i}`)).toThrow(`panic ${i}`);
    const t = Tokenizer.fromFile(llama);
    expect(t.decode(t.encode('still here'))).toBe('still here');
    t.free();
  });

  it('a constructor that panics is wrapped too (new Wasm*)', () => {
    // A pattern the core refuses is a normal error, not a crash: the wrapper leaves it alone.
    expect(() => new WasmCounter('(unclosed')).toThrow(/invalid regex|unclosed/i);
    expect(() => new WasmCounter('(unclosed')).not.toThrow(/internal error/);
  });
});

describe('report: a tokenizer that fails while measured is contained like a load failure', () => {
  it('the healthy rows stay, the failing one has its error', () => {
    const crashing = Object.create(Tokenizer.prototype) as Tokenizer;
    // The handle wasm.ts's handle() reaches (the class's private getter), made to crash.
    Object.defineProperty(crashing, 'inner', { get: () => panicForTest('crashed while measuring') });
    Object.defineProperty(crashing, 'vocabSize', { get: () => 1 });
    const corpora = [{ name: 'eng', label: 'English', units: [{ key: '1', text: 'Hello world, this is a test.' }] }];
    const report = analyze({
      tokenizers: [
        { name: 'first', path: llama },
        { name: 'crashing', tokenizer: crashing },
        { name: 'after', path: llama },
      ],
      corpora,
    });
    const rows = Object.fromEntries(report.tokenizers.map((t) => [t.name, t]));
    expect(rows.first!.error).toBeUndefined();
    expect(rows.after!.error).toBeUndefined();
    expect(rows.after!.summary).toEqual(rows.first!.summary);
    expect(rows.crashing!.error).toMatch(/failed while measuring: internal error in panicForTest: crashed while measuring/);
  });
});
