import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer, VocabsmithError, loadFraction, loadTokenizer, type LoadStage } from '../../src/index.js';
import { realTokenizer } from '../helpers/tokenizers.js';

const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-unit-'));

/** A tiny byte-level BPE tokenizer.json: bytes, merges h+e, he+l, l+o, and one special token. */
function tinyJson(merges: unknown = [['h', 'e'], ['he', 'l'], ['l', 'o']]): Record<string, unknown> {
  const vocab: Record<string, number> = { '<|end|>': 0 };
  const byteChars: string[] = [];
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    byteChars.push(printable ? String.fromCodePoint(b) : '');
  }
  let n = 0;
  for (let b = 0; b < 256; b++) if (byteChars[b] === '') byteChars[b] = String.fromCodePoint(256 + n++);
  byteChars.forEach((c, i) => (vocab[c] = i + 1));
  for (const t of ['he', 'hel', 'lo']) vocab[t] = Object.keys(vocab).length;
  return {
    version: '1.0',
    added_tokens: [{ id: 0, content: '<|end|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges },
  };
}

describe('Tokenizer on a hand-made vocabulary', () => {
  const tok = Tokenizer.fromJSON(tinyJson());

  it('applies merges by rank and splits special tokens out first', () => {
    const ids = tok.encode('hello<|end|>');
    expect(Array.from(ids, (i) => tok.idToToken(i))).toEqual(['hel', 'lo', '<|end|>']);
    expect(tok.decode(ids)).toBe('hello<|end|>');
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe('hello');
  });

  it('accepts both merge formats', () => {
    const legacy = Tokenizer.fromJSON(tinyJson(['h e', 'he l', 'l o']));
    expect(Array.from(legacy.encode('hello'))).toEqual(Array.from(tok.encode('hello')));
  });

  it('gives offsets in UTF-16 units of the input', () => {
    const text = 'é hello';
    const { ids, starts, ends } = tok.encodeWithOffsets(text);
    expect(ids.length).toBe(starts.length);
    const pieces = Array.from(starts, (s, i) => text.slice(s, ends[i]));
    // The two bytes of é are two tokens covering the same char.
    expect(pieces).toEqual(['é', 'é', ' ', 'hel', 'lo']);
  });

  it('round-trips any string through encode/decode', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => tok.decode(tok.encode(s)) === s));
  });

  it('encodeBatch equals encode one by one', () => {
    const texts = ['hello', '', 'ü<|end|>x', 'lo lo'];
    expect(tok.encodeBatch(texts).map((a) => Array.from(a))).toEqual(texts.map((t) => Array.from(tok.encode(t))));
  });

  it('knows its vocabulary', () => {
    expect(tok.vocabSize).toBe(260);
    expect(tok.tokenToId('hel')).toBe(258);
    expect(tok.tokenToId('nope')).toBeUndefined();
    expect(tok.idToToken(100000)).toBeUndefined();
  });

  it('refuses use after free', () => {
    const t = Tokenizer.fromJSON(tinyJson());
    t.free();
    expect(() => t.encode('x')).toThrow(/freed/);
  });
});

describe('bad input gets one clear error naming the file', () => {
  const write = (name: string, content: string) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };

  it('missing file', () => {
    expect(() => Tokenizer.fromFile(join(dir, 'nope.json'))).toThrow(/nope\.json: .*no such file/i);
  });

  it('malformed JSON', () => {
    const p = write('bad.json', '{"model": ');
    expect(() => Tokenizer.fromFile(p)).toThrow(VocabsmithError);
    expect(() => Tokenizer.fromFile(p)).toThrow(/bad\.json: malformed JSON/);
  });

  it('a merge whose part is not in the vocabulary', () => {
    const p = write('merge.json', JSON.stringify(tinyJson([['h', 'e'], ['x', 'zz']])));
    expect(() => Tokenizer.fromFile(p)).toThrow(/merge\.json: merge #1 \("x" "zz"\): right part is not in the vocabulary/);
  });

  it('an unknown model type', () => {
    const json = tinyJson();
    (json.model as Record<string, unknown>).type = 'WordPiece';
    const p = write('wordpiece.json', JSON.stringify(json));
    expect(() => Tokenizer.fromFile(p)).toThrow(/wordpiece\.json: unknown model \(BPE and Unigram are supported\) type "WordPiece"/);
  });

  it('a Unigram model with a BPE-style vocabulary', () => {
    const json = tinyJson();
    (json.model as Record<string, unknown>).type = 'Unigram';
    const p = write('unigram.json', JSON.stringify(json));
    expect(() => Tokenizer.fromFile(p)).toThrow(/unigram\.json: .*model\.vocab/);
  });

  it('a tiktoken file with a broken line', () => {
    const p = write('o200k_base.tiktoken', 'IQ== 0\nnot-base64!! 1\n');
    expect(() => loadTokenizer(p)).toThrow(/o200k_base\.tiktoken: tiktoken rank file line 2: bad base64/);
  });
});

describe('real tokenizers', () => {
  it('adds the post-processor tokens only when asked, as HF add_special_tokens', () => {
    // HF: gemma3 gives [2, 9259, 1902] with and [9259, 1902] without; this llama3 file's
    // post-processor is ByteLevel only, so HF adds nothing there.
    const gemma = Tokenizer.fromFile(realTokenizer('gemma3').path);
    expect(Array.from(gemma.encode('Hello world'))).toEqual([9259, 1902]);
    expect(Array.from(gemma.encode('Hello world', { addSpecialTokens: true }))).toEqual([2, 9259, 1902]);
    gemma.free();
    const llama = Tokenizer.fromFile(realTokenizer('llama3').path);
    expect(Array.from(llama.encode('Hello world', { addSpecialTokens: true }))).toEqual([9906, 1917]);
    llama.free();
  });

  it('loading Gemma3 (33 MB) reports each stage as it runs, from 0 to its total (issue 14 item 7)', () => {
    const path = realTokenizer('gemma3').path;
    const calls: [LoadStage, number, number][] = [];
    const tok = Tokenizer.fromFile(path, { onProgress: (stage, done, total) => calls.push([stage, done, total]) });
    expect(tok.vocabSize).toBeGreaterThan(262_000);
    tok.free();
    const stages = calls.map((c) => c[0]).filter((s, i, all) => s !== all[i - 1]);
    expect(stages).toEqual(['parse', 'vocab', 'merges', 'merge table', 'added']);
    for (const stage of stages) {
      const of = calls.filter((c) => c[0] === stage);
      expect(of[0]![1], stage).toBe(0);
      expect(of.at(-1)![1], stage).toBe(of[0]![2]);
      expect(of.every((c, i) => c[2] === of[0]![2] && (i === 0 || c[1] >= of[i - 1]![1])), stage).toBe(true);
    }
    // Bytes parsed: the file's size, in ~1 MiB steps; merges in 16k steps.
    expect(calls.find((c) => c[0] === 'parse')![2]).toBe(statSync(path).size);
    expect(calls.filter((c) => c[0] === 'parse').length).toBeGreaterThan(20);
    expect(calls.filter((c) => c[0] === 'merges' && c[1] > 0 && c[1] < c[2]).length).toBeGreaterThan(20);
    // One bar over the whole load: only forward, to the end.
    const bar = calls.map(([stage, done, total]) => loadFraction(stage, done, total));
    expect(bar.every((f, i) => i === 0 || f >= bar[i - 1]!)).toBe(true);
    expect(bar.at(-1)).toBeCloseTo(1, 9);
  });

  it('a progress callback that throws does not break the load', () => {
    const path = realTokenizer('llama3').path;
    let n = 0;
    const tok = Tokenizer.fromFile(path, {
      onProgress: () => {
        n++;
        throw new Error('a broken display');
      },
    });
    expect(n).toBeGreaterThan(5);
    expect(Array.from(tok.encode('Hello world'))).toEqual([9906, 1917]);
    tok.free();
  });

  it('a 1 MB piece without whitespace encodes (Gemma3 never splits on whitespace either)', () => {
    const tok = Tokenizer.fromFile(realTokenizer('gemma3').path);
    const text = 'ab1'.repeat(350_000);
    const ids = tok.encode(text);
    expect(ids.length).toBeGreaterThan(0);
    expect(tok.decode(ids)).toBe(text);
    tok.free();
  });
});
