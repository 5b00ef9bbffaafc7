/**
 * Property: for any corpus, trimming with closure keeps its encoding (trim's own verification
 * re-encodes every line; here it must find every line identical), on real tokenizers, with
 * fast-check text full of the hard cases: mixed scripts, digits, whitespace runs, emoji.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { trim } from '../../src/index.js';
import { realTokenizer, type RealTokenizerName } from '../helpers/tokenizers.js';

const piece = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom(' the', '  ', '\n\n', '1234567', "'re", 'ﬁ', 'नमस्ते', '日本語', '👋🏽', '\t', 'Über', 'ǅ'),
);
const corpus = fc.array(fc.array(piece, { maxLength: 20 }).map((p) => p.join('')), { minLength: 1, maxLength: 8 });

describe.each([
  ['llama3', 15],
  ['qwen3', 15],
  ['gemma3', 4],
] as [RealTokenizerName, number][])('closure keeps the encoding of any corpus: %s', (name, runs) => {
  const tokenizer = realTokenizer(name).path;
  it(`${runs} random corpora`, async () => {
    // An async property with a turn of the event loop per run: each trim is seconds of
    // synchronous WASM, and a minute of them in a row would starve vitest's worker RPC.
    await fc.assert(
      fc.asyncProperty(corpus, async (texts) => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        const r = trim({ tokenizer, texts });
        expect(r.report.verified!.skipped).toBe(0);
        expect(r.report.verified!.identical).toBe(r.report.verified!.checked);
      }),
      { numRuns: runs, seed: 20240601 },
    );
  });
});
