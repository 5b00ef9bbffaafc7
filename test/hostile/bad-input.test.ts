// Bad input through the built CLI: malformed tokenizer.json fields, tiktoken rank files, count
// files, model folders, --keep lists, stdin and options. Each variant must end in exactly one
// `vocabsmith:` line naming the file (or stdin, or the option), with no engine internals
// (`unreachable`, `Cannot read properties`, stack frames), no file written and every input
// byte-identical. Values that silently did the wrong thing (ids that wrap, duplicate tokens) are
// here too: refused the same way.
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pack } from 'msgpackr';
import { expectCleanFailure, scratch, vocabsmith } from '../helpers/hostile.js';
import { makeModel } from '../remap/model.js';

const CORPUS = 'the quick brown fox jumps over the lazy dog\nhello world, hello there\n'.repeat(10);
let base: string;
let tok: { model: { vocab: Record<string, number>; merges: unknown }; added_tokens: object[]; [k: string]: unknown };
let countsGood: { format: string; version: number; sequences: number; tables: { pattern: string; words: Uint8Array; lens: Uint8Array; counts: Uint8Array }[] };

beforeAll(async () => {
  base = scratch('bad-base');
  writeFileSync(join(base, 'corpus.txt'), CORPUS);
  const t = await vocabsmith(['train', '--corpus', 'corpus.txt', '-v', '280', '-j', '0', '--out', 'tok/tokenizer.json'], base);
  expect(t.status, t.stderr).toBe(0);
  tok = JSON.parse(readFileSync(join(base, 'tok', 'tokenizer.json'), 'utf8'));
  const c = await vocabsmith(['count', '--corpus', 'corpus.txt', '-j', '0', '--out', 'good.counts'], base);
  expect(c.status, c.stderr).toBe(0);
  // The forged files are version 1 (msgpack, still read): built here with the pattern `count` used.
  const v2 = readFileSync(join(base, 'good.counts'));
  const header = JSON.parse(v2.subarray(16, 16 + v2.readUInt32LE(12)).toString('utf8')) as { patterns: string[]; sequences: number };
  const words = ['Ġthe', 'Ġcat', 'hello', 'Ġworld'].map((w) => Buffer.from(w));
  countsGood = {
    format: 'vocabsmith-counts',
    version: 1,
    sequences: header.sequences,
    tables: header.patterns.map((pattern) => ({
      pattern,
      words: Buffer.concat(words),
      lens: new Uint8Array(Uint32Array.from(words.map((w) => w.length)).buffer),
      counts: new Uint8Array(BigUint64Array.from([5n, 3n, 2n, 1n]).buffer),
    })),
  };
});

function fresh(): string {
  const dir = scratch('bad');
  cpSync(base, dir, { recursive: true });
  return dir;
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const added = (id: unknown) => ({ id, content: '<big>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
const XLMR = JSON.parse(readFileSync(new URL('../fixtures/unigram/spm-xlmr.json', import.meta.url), 'utf8')) as { normalizer: { normalizers: { precompiled_charsmap?: string }[] } };

/** tokenizer.json variants: a change to the trained tokenizer, and what the error must say. */
const TOKENIZERS: [string, (t: typeof tok) => unknown, RegExp][] = [
  ['vocab id 2^31 + 5', (t) => (t.model.vocab['zzq'] = 2 ** 31 + 5), /model\.vocab.*2147483653.*2\^24/],
  ['vocab id 2^32 - 1', (t) => (t.model.vocab['zzq'] = 2 ** 32 - 1), /model\.vocab.*2\^24/],
  ['vocab id 2^32 + 7 (would wrap to 7)', (t) => (t.model.vocab['zzq'] = 2 ** 32 + 7), /model\.vocab/],
  ['vocab id 3e9', (t) => (t.model.vocab['zzq'] = 3e9), /model\.vocab/],
  ['vocab id -1', (t) => (t.model.vocab['zzq'] = -1), /model\.vocab.*not a non-negative integer/],
  ['vocab id 1.5', (t) => (t.model.vocab['zzq'] = 1.5), /model\.vocab/],
  ['vocab id "5"', (t) => ((t.model.vocab as Record<string, unknown>)['zzq'] = '5'), /model\.vocab/],
  ['two tokens with one id', (t) => (t.model.vocab['zzq'] = 5), /model\.vocab.*id 5 is given to two tokens/],
  ['merges as a string', (t) => (t.model.merges = 'a b'), /model\.merges.*a string/],
  ['merges as a number', (t) => (t.model.merges = 5), /model\.merges.*a number/],
  ['merges as an object', (t) => (t.model.merges = { a: 'b' }), /model\.merges.*an object/],
  ['a merge that is a number', (t) => (t.model.merges = [5]), /model\.merges\[0\]/],
  ['added token id 3e9', (t) => t.added_tokens.push(added(3e9)), /added_tokens\[\d+\]\.id.*2\^24/],
  ['added token id 2^32 + 1 (would wrap to 1)', (t) => t.added_tokens.push(added(2 ** 32 + 1)), /added_tokens\[\d+\]\.id/],
  ['added token id -1', (t) => t.added_tokens.push(added(-1)), /added_tokens\[\d+\]\.id/],
  ['added token without an id', (t) => t.added_tokens.push({ content: '<x>' }), /added_tokens\[\d+\]\.id/],
  ['added_tokens not a list', (t) => (t.added_tokens = { a: 1 } as unknown as object[]), /added_tokens.*an object/],
  [
    'post-processor id 2^32 + 1',
    (t) =>
      (t.post_processor = {
        type: 'TemplateProcessing',
        single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
        pair: [],
        special_tokens: { '<s>': { id: '<s>', ids: [2 ** 32 + 1], tokens: ['<s>'] } },
      }),
    /post_processor\.special_tokens/,
  ],
  ['BertProcessing cls id 3e9', (t) => (t.post_processor = { type: 'BertProcessing', cls: ['[CLS]', 3e9], sep: ['[SEP]', 1] }), /post_processor\.cls/],
  ['Precompiled charsmap "AAAA"', (t) => (t.normalizer = { type: 'Precompiled', precompiled_charsmap: 'AAAA' }), /normalizer\.precompiled_charsmap/],
  ['Precompiled charsmap of a huge trie size', (t) => (t.normalizer = { type: 'Precompiled', precompiled_charsmap: '/////w==' }), /normalizer\.precompiled_charsmap/],
  ...[
    ['its root unit pointing far outside the trie', (b: Buffer) => (b.writeUInt32LE(0xfffffc00, 4), b)],
    ['its strings cut short (leaves point past them)', (b: Buffer) => b.subarray(0, 4 + b.readUInt32LE(0) + 16)],
    ['its trie size larger than the file', (b: Buffer) => (b.writeUInt32LE(b.length * 2, 0), b)],
    ['a string table that is not UTF-8', (b: Buffer) => Buffer.concat([b, Buffer.from([0xff, 0xfe])])],
  ].map(
    ([name, breakIt]): [string, (t: typeof tok) => unknown, RegExp] => [
      `the XLM-R charsmap with ${name as string}`,
      (t) => {
        const bytes = (breakIt as (b: Buffer) => Buffer)(Buffer.from(XLMR.normalizer.normalizers[0]!.precompiled_charsmap!, 'base64'));
        t.normalizer = { type: 'Precompiled', precompiled_charsmap: bytes.toString('base64') };
      },
      /normalizer\.precompiled_charsmap/,
    ],
  ),
];

describe('tokenizer.json: one clear error, through every command that loads one', () => {
  it.each(TOKENIZERS.map(([name, f, msg]) => [name, f, msg] as const))('%s', async (_name, change, message) => {
    const dir = fresh();
    const t = clone(tok);
    change(t);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(t));
    for (const args of [
      ['encode', '-t', 'bad.json'],
      ['decode', '-t', 'bad.json'],
      ['trim', '--tokenizer', 'bad.json', '--corpus', 'corpus.txt', '--out', 'trimmed'],
      ['merge-batch', '-t', 'bad.json', '-i', 'corpus.txt', '-m', '2'],
    ]) {
      const r = await expectCleanFailure(args, dir, 'bad.json', args[0] === 'decode' ? '[1]' : 'hello zzq <big>\n');
      expect(r.stderr).toMatch(message);
    }
  });

  it('a file that is not valid UTF-8 (two keys would collide once read as U+FFFD)', async () => {
    const dir = fresh();
    const json = JSON.stringify(tok).replace('"zzz_a"', '"x"');
    const at = json.indexOf('"model"');
    const bytes = Buffer.concat([Buffer.from(json.slice(0, at)), Buffer.from('"k\xff":1,', 'latin1'), Buffer.from(json.slice(at))]);
    writeFileSync(join(dir, 'bad.json'), bytes);
    await expectCleanFailure(['encode', '-t', 'bad.json'], dir, /bad\.json: not valid UTF-8/, 'x');
  });
});

const b64 = (b: number[] | string) => Buffer.from(typeof b === 'string' ? b : Uint8Array.from(b)).toString('base64');
const BYTES = Array.from({ length: 256 }, (_, i) => `${b64([i])} ${i}`);

describe('tiktoken rank files', () => {
  it.each([
    ['a rank of 3e8', [...BYTES, `${b64('ab')} 300000000`], /rank/],
    ['a rank of 1e6 (dense ranks: below the line count)', [...BYTES, `${b64('ab')} 1000000`], /rank 1000000 is not below the number of tokens \(257\)/],
    ['a rank of 4e9', [...BYTES, `${b64('ab')} 4000000000`], /rank/],
    ['a rank of -1', [...BYTES, `${b64('ab')} -1`], /bad rank/],
    ['a rank that is not a number', [...BYTES, `${b64('ab')} x`], /bad rank/],
    ['one rank twice', [...BYTES, `${b64('ab')} 256`, `${b64('cd')} 256`], /rank 256 appears twice/],
    ['one token twice', [...BYTES, `${b64('a')} 256`], /each token must appear once/],
    ['single bytes missing', BYTES.slice(0, 100), /byte 0x64 has no rank/],
    ['bad base64', [...BYTES, `@@@ 256`], /bad base64/],
    ['no space', [...BYTES, `abc`], /expected `<base64> <rank>`/],
  ])('%s', async (_name, lines, message) => {
    const dir = fresh();
    writeFileSync(join(dir, 'ranks.tiktoken'), lines.join('\n') + '\n');
    const r = await expectCleanFailure(['encode', '-t', 'ranks.tiktoken', '--encoding', 'cl100k_base'], dir, 'ranks.tiktoken', 'hello ab');
    expect(r.stderr).toMatch(message);
  });
});

describe('trim --keep', () => {
  it.each([
    ['an object (read as a token list)', { a: 1 }, /not in the vocabulary/],
    ['a float id', [1.5], /1\.5 is not a token id/],
    ['an id past 2^32', [2 ** 33], /is not a token id/],
    ['an id past the vocabulary', [280], /280 is not a token id \(0\.\.279\)/],
    ['a negative id', [-1], /-1 is not a token id/],
    ['null', [null], /null is neither an id nor a token/],
    ['a nested list', [[1]], /neither an id nor a token/],
    ['an unknown token', ['no-such-token'], /not in the vocabulary/],
  ])('%s', async (_name, keep, message) => {
    const dir = fresh();
    writeFileSync(join(dir, 'keep.json'), JSON.stringify(keep));
    const r = await expectCleanFailure(['trim', '--tokenizer', 'tok/tokenizer.json', '--keep', 'keep.json', '--out', 'trimmed'], dir, 'keep.json');
    expect(r.stderr).toMatch(message);
  });
});

describe('count files', () => {
  const u64 = (xs: bigint[]) => new Uint8Array(BigUint64Array.from(xs).buffer);
  const variants: [string, (c: typeof countsGood) => unknown, RegExp][] = [
    ['a null table', (c) => (c.tables = [null as never]), /table 0 is not/],
    ['an empty table', (c) => (c.tables = [{} as never]), /table 0 is not/],
    ['a pattern that is a number', (c) => ((c.tables[0] as { pattern: unknown }).pattern = 1), /table 0 is not/],
    ['tables not a list', (c) => (c.tables = 'x' as never), /no tables/],
    ['counts of 2^64 - 1', (c) => (c.tables[0]!.counts = u64(Array.from({ length: c.tables[0]!.counts.length / 8 }, () => 2n ** 64n - 1n))), /counts too large/],
    ['counts shorter than the words', (c) => (c.tables[0]!.counts = c.tables[0]!.counts.subarray(0, 8)), /lengths but 1 counts|corrupt count file/],
    ['counts of odd length', (c) => (c.tables[0]!.counts = c.tables[0]!.counts.subarray(0, 7)), /array length/],
    ['sequences -1', (c) => (c.sequences = -1), /sequences/],
    ['another format', (c) => (c.format = 'x'), /not a vocabsmith count file/],
  ];
  it.each(variants)('%s', async (_name, change, message) => {
    const dir = fresh();
    const c = { ...countsGood, tables: countsGood.tables.map((t) => ({ ...t })) };
    change(c);
    writeFileSync(join(dir, 'bad.counts'), pack(c));
    for (const args of [
      ['count', '--merge', 'bad.counts', '--out', 'x.counts'],
      ['train', '--from-counts', 'bad.counts', '-v', '270', '--out', 'x/tokenizer.json'],
    ]) {
      const r = await expectCleanFailure(args, dir, 'bad.counts');
      expect(r.stderr).toMatch(message);
    }
  });

  it('two count files whose merged counts would overflow', async () => {
    const dir = fresh();
    const c = { ...countsGood, tables: countsGood.tables.map((t) => ({ ...t })) };
    const n = c.tables[0]!.counts.length / 8;
    c.tables[0]!.counts = u64(Array.from({ length: n }, (_, i) => (i === 0 ? 2n ** 50n : 1n)));
    writeFileSync(join(dir, 'a.counts'), pack(c));
    await expectCleanFailure(['count', '--merge', 'a.counts', 'a.counts', 'a.counts', 'a.counts', 'a.counts', 'a.counts', 'a.counts', 'a.counts', '--out', 'x.counts'], dir, /counts too large once merged|past 2\^53/);
  });
});

describe('model folders', () => {
  const variants: [string, (dir: string) => void, string | RegExp][] = [
    ['an index without weight_map', (d) => writeFileSync(join(d, 'model.safetensors.index.json'), '{}'), /model\.safetensors\.index\.json: no weight_map/],
    ['weight_map null', (d) => writeFileSync(join(d, 'model.safetensors.index.json'), '{"weight_map": null}'), /no weight_map/],
    ['a shard name that is a number', (d) => writeFileSync(join(d, 'model.safetensors.index.json'), '{"weight_map": {"model.embed_tokens.weight": 1}}'), /weight_map names 1/],
    ['a shard outside the folder', (d) => writeFileSync(join(d, 'model.safetensors.index.json'), '{"weight_map": {"model.embed_tokens.weight": "../corpus.txt"}}'), /"\.\.\/corpus\.txt": a shard must be a file name inside the model folder/],
    ['an absolute shard path', (d) => writeFileSync(join(d, 'model.safetensors.index.json'), '{"weight_map": {"model.embed_tokens.weight": "/etc/passwd"}}'), /a shard must be a file name/],
  ];
  it.each(variants)('%s', async (_name, breakIt, message) => {
    const dir = fresh();
    makeModel(join(dir, 'model'), { tokenizer: join(dir, 'tok', 'tokenizer.json'), rows: 280, dim: 8, dtype: 'F32', tied: true });
    breakIt(join(dir, 'model'));
    for (const args of [
      ['trim', '--model', 'model', '--corpus', 'corpus.txt', '--out', 'trimmed'],
      ['remap', '--model', 'model', '--target-tokenizer', 'tok/tokenizer.json', '--out', 'remapped'],
    ]) {
      await expectCleanFailure(args, dir, message);
    }
  });

  it.each([
    ['a 0-d embedding', []],
    ['a 1-d embedding', [280]],
  ])('%s', async (_name, shape) => {
    const dir = fresh();
    makeModel(join(dir, 'model'), { tokenizer: join(dir, 'tok', 'tokenizer.json'), rows: 280, dim: 8, dtype: 'F32', tied: true, embedShape: shape });
    await expectCleanFailure(['trim', '--model', 'model', '--corpus', 'corpus.txt', '--out', 'trimmed'], dir, /model\.safetensors: (unknown tensor layout: )?(tensor )?model\.embed_tokens\.weight has shape/);
  });
});

describe('stdin and options', () => {
  it('decode of an id past the vocabulary', async () => {
    const dir = fresh();
    await expectCleanFailure(['decode', '-t', 'tok/tokenizer.json'], dir, /stdin: id 99999 is past the vocabulary \(280 ids\)/, '[5, 99999]');
  });

  it('encode of invalid UTF-8', async () => {
    const dir = fresh();
    await expectCleanFailure(['encode', '-t', 'tok/tokenizer.json'], dir, /stdin: not valid UTF-8/, Buffer.from([0x61, 0xff, 0xfe, 0x62]));
  });

  it.each(['abc', '-1', '1.5', 'NaN'])('count -j %s', async (j) => {
    const dir = fresh();
    await expectCleanFailure(['count', '--corpus', 'corpus.txt', `-j${j}`, '--out', 'x.counts'], dir, /workers|-j|integer/);
  });

  it.each(['1e8', '65537'])('merge-batch --max-len %s', async (n) => {
    const dir = fresh();
    await expectCleanFailure(['merge-batch', '-t', 'tok/tokenizer.json', '-i', 'corpus.txt', '-m', '2', '--max-len', n, '-o', 'm.json'], dir, /maxLen must be an integer in 0\.\.65536/);
  });

  it('train -j 200 runs no more threads than cores', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'out'));
    const r = await vocabsmith(['train', '--corpus', 'corpus.txt', '-v', '270', '-j', '200', '--out', 'out/tokenizer.json'], dir);
    expect(r.status, r.stderr).toBe(0);
  });
});
