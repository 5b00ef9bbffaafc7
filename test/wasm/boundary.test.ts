// The Rust <-> TS boundary (src/wasm.ts): the one handle access, result structs read by name and
// freed, enum names the public types and report keys depend on.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Tokenizer, VocabsmithError } from '../../src/index.js';
import { countKinds, KIND_NAMES } from '../../src/model-folder/index.js';
import { droppedId, handle, loadWasm, readFields, tiktokenEncodings, WasmMetrics } from '../../src/wasm.js';
import { DROPPED } from '../../src/trim.js';
import { packTexts } from '../../src/pack.js';
import { realTokenizer } from '../helpers/tokenizers.js';

describe('src/wasm.ts: the one way across', () => {
  it('handle() reaches a live tokenizer, and a freed one is a VocabsmithError', () => {
    const t = Tokenizer.fromFile(realTokenizer('llama3').path);
    expect(handle(t).vocabSize).toBe(t.vocabSize);
    t.free();
    expect(() => handle(t)).toThrow(VocabsmithError);
    expect(() => handle(t)).toThrow(/freed/);
  });

  it('readFields copies every named field of a result struct and frees it', () => {
    loadWasm();
    const t = Tokenizer.fromFile(realTokenizer('llama3').path);
    const m = new WasmMetrics(handle(t));
    const { bytes, ends } = packTexts(['Hello world', 'Hello  world, again']);
    const raw = m.measure(handle(t), bytes, ends, 2.5);
    const c = readFields(raw);
    expect(Object.keys(c).sort()).toEqual(
      ['added', 'byteFallback', 'bytes', 'chars', 'continuedWords', 'lenHist', 'renyiBits', 'renyiEfficiency', 'shannonBits', 'superword', 'tokens', 'types', 'unitTokens', 'unk', 'words'],
    );
    expect(c.tokens).toBe(t.encode('Hello world').length + t.encode('Hello  world, again').length);
    expect(Array.from(c.unitTokens)).toEqual([t.encode('Hello world').length, t.encode('Hello  world, again').length]);
    expect(c.lenHist.reduce((a, b) => a + b, 0)).toBe(c.tokens);
    expect(() => raw.tokens).toThrow(); // freed by readFields
    const p = readFields(m.pooled(2.5));
    expect(p).toMatchObject({ tokens: c.tokens, types: c.types, vocabSize: t.vocabSize });
    m.free();
    t.free();
  });

  it('encodeBatch splits by the counts it is given, empty texts and an empty batch included', () => {
    const t = Tokenizer.fromFile(realTokenizer('llama3').path);
    const texts = ['', 'Hello world', '', 'a'];
    expect(t.encodeBatch(texts).map((x) => Array.from(x))).toEqual(texts.map((s) => Array.from(t.encode(s))));
    expect(t.encodeBatch([])).toEqual([]);
    const e = t.encodeWithOffsets('héllo wörld');
    expect(Array.from(e.ids)).toEqual(Array.from(t.encode('héllo wörld')));
    expect([e.starts.length, e.ends.length]).toEqual([e.ids.length, e.ids.length]);
    expect([e.starts[0], e.ends[e.ends.length - 1]]).toEqual([0, 'héllo wörld'.length]);
    t.free();
  });

  it('row kinds keep their report names (PlanKind, rust/bindings/src/remap.rs)', () => {
    expect(KIND_NAMES).toEqual(['copy', 'fvt', 'focus', 'omp', 'fallback']);
    expect(Object.keys(countKinds({ kinds: Uint8Array.from([0, 0, 1, 4]) }))).toEqual(['copy', 'fvt', 'focus', 'omp', 'fallback']);
    expect(countKinds({ kinds: Uint8Array.from([0, 0, 1, 4]) })).toEqual({ copy: 2, fvt: 1, focus: 0, omp: 0, fallback: 1 });
  });
});

describe('one definition in the core, read through the bindings', () => {
  it('idBound is one more than the largest id of tokenizer.json, added tokens included', () => {
    for (const name of ['llama3', 'gemma3'] as const) {
      const path = realTokenizer(name).path;
      const v = JSON.parse(readFileSync(path, 'utf8')) as { model: { vocab: Record<string, number> }; added_tokens: { id: number }[] };
      let max = 0;
      for (const id of [...Object.values(v.model.vocab), ...v.added_tokens.map((t) => t.id)]) max = Math.max(max, id);
      const t = Tokenizer.fromFile(path);
      expect(t.idBound).toBe(max + 1);
      t.free();
    }
    // A hole in the ids: vocabSize counts tokens, idBound the rows.
    const holes = Tokenizer.fromJSON({
      model: { type: 'BPE', vocab: { a: 0, b: 5 }, merges: [] },
      added_tokens: [{ id: 9, content: '<s>', special: true, single_word: false, lstrip: false, rstrip: false, normalized: false }],
    });
    expect([holes.vocabSize, holes.idBound]).toEqual([3, 10]);
    expect(holes.tokenBytes(3)).toBeUndefined();
    holes.free();
  });

  it('tokenBytes: byte-level chars, SentencePiece spaces and <0xNN> pieces as the bytes decoding gives', () => {
    const llama = Tokenizer.fromFile(realTokenizer('llama3').path);
    const the = llama.tokenToId('Ġthe')!;
    expect(Array.from(llama.tokenBytes(the)!)).toEqual(Array.from(Buffer.from(' the')));
    expect(Buffer.from(llama.tokenBytes(the)!).toString()).toBe(llama.decode([the]));
    llama.free();
    const gemma = Tokenizer.fromFile(realTokenizer('gemma3').path);
    expect(Buffer.from(gemma.tokenBytes(gemma.tokenToId('▁the')!)!).toString()).toBe(' the');
    expect(Array.from(gemma.tokenBytes(gemma.tokenToId('<0x0A>')!)!)).toEqual([10]);
    gemma.free();
  });

  it('DROPPED and the tiktoken encodings are the core\'s', () => {
    loadWasm();
    expect(DROPPED).toBe(droppedId());
    expect(tiktokenEncodings()).toEqual(['o200k_base', 'cl100k_base', 'r50k_base', 'p50k_base']);
  });
});
