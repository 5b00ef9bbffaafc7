/**
 * Long single pretokens (a run of letters with no whitespace, a Gemma3 line that its tokenizer
 * never pretokenizes) take the long-piece BPE path (linked list + merge queue), and texts over
 * 1 MiB are encoded block by block. Their ids must equal native HF `tokenizers` on every real
 * tokenizer.
 */
import { describe, expect, it } from 'vitest';
import { hfPythonEncode, hfPythonVersion } from '../helpers/oracle.js';
import { realTokenizers } from '../helpers/tokenizers.js';
import { Tokenizer } from '../../src/tokenizer.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const haveHf = hfPythonVersion() !== undefined;
if (process.env.CI && !haveHf) throw new Error('HF Python tokenizers is not importable');

/** Deterministic words joined with `sep` until `bytes` UTF-8 bytes. */
function run(words: string[], sep: string, bytes: number, seed: number): string {
  let x = seed;
  const parts: string[] = [];
  let n = 0;
  while (n < bytes) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const w = words[x % words.length]! + sep;
    parts.push(w);
    n += Buffer.byteLength(w);
  }
  return parts.join('');
}

const LATIN = ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'tokenizer', 'vocabulary', 'Größe', 'naïve'];
const MIXED = ['привет', 'мир', 'Straße', 'ελληνικά', 'ação', 'token', 'İstanbul', 'Ωmega'];

const LONG_CASES: [string, string][] = [
  ['300 KB of letters, no whitespace', run(LATIN, '', 300_000, 1)],
  ['100 KB of mixed-script letters, no whitespace', run(MIXED, '', 100_000, 2)],
  ['100 KB of random ASCII letters', run('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''), '', 100_000, 3)],
  ['100 KB of one letter', 'a'.repeat(100_000)],
  ['100 KB of prose on one line', run(LATIN, ' ', 100_000, 4)],
  // Several of the core's 64 Ki-symbol blocks, made and merged a window at a time (models/bpe/blocks.rs).
  ['3 MB of letters, no whitespace', run(LATIN, '', 3_000_000, 6)],
  // Over the core's 1 MiB block: encoded block by block, cut at cut points (rust/core/src/tokenizer/cut.rs).
  ['1.5 MB of prose lines', run([...LATIN, 'end.\n', 'line\nbreak', '42'], ' ', 1_500_000, 5)],
];

describe.skipIf(!haveHf)('long pieces equal HF tokenizers', () => {
  for (const t of realTokenizers()) {
    it(`${t.name}`, () => {
      const tok = Tokenizer.fromFile(t.path);
      try {
        const texts = LONG_CASES.map((c) => c[1]);
        const expected = hfPythonEncode(t.path, texts);
        LONG_CASES.forEach(([name, text], i) => {
          const ids = Array.from(tok.encode(text));
          expect(ids.length, `${t.name}: ${name}`).toBe(expected[i]!.length);
          expect(ids, `${t.name}: ${name}`).toEqual(expected[i]);
        });
      } finally {
        tok.free();
      }
    }, 120_000);
  }
});

/** Tokens a, aa, aaaa, … a^(2^17): merges that make tokens longer than a block of symbols. */
function powersOfA(): object {
  const vocab: Record<string, number> = { a: 0, b: 1 };
  const merges: string[] = [];
  let tok = 'a';
  for (let k = 1; k <= 17; k++) {
    merges.push(`${tok} ${tok}`);
    tok += tok;
    vocab[tok] = k + 1;
  }
  return { version: '1.0', model: { type: 'BPE', vocab, merges }, added_tokens: [] };
}

describe.skipIf(!haveHf)('a letter run whose tokens are longer than a block equals HF tokenizers', () => {
  it('powers of a', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vocabsmith-long-')), 'tokenizer.json');
    writeFileSync(path, JSON.stringify(powersOfA()));
    const texts = ['a'.repeat(1_048_576 + 12_345) + 'b' + 'a'.repeat(600_000), 'a'.repeat(400_001)];
    const expected = hfPythonEncode(path, texts);
    const tok = Tokenizer.fromFile(path);
    try {
      texts.forEach((text, i) => expect(Array.from(tok.encode(text)), `text ${i}`).toEqual(expected[i]));
    } finally {
      tok.free();
    }
  }, 120_000);
});
