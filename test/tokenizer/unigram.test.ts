/**
 * Unigram parity: vocabsmith vs native HF `tokenizers` (Python) on the Unigram fixtures of
 * test/fixtures/unigram (made by make_unigram_fixtures.py): HF-trained NFKC, XLM-R layout with a
 * real SentencePiece Precompiled charsmap, SentencePiece byte fallback. Texts: the first paragraphs
 * of every UDHR language (whole declarations with VOCABSMITH_FULL_PARITY=1) — most of them outside
 * the training languages, so unknown chars, fused unks and byte fallback all occur — plus seeded
 * fast-check strings. Ids must be equal, with and without special tokens, and encodeBatch == encode.
 */
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../../src/index.js';
import { UNIGRAM_FIXTURES, unigramFixture } from '../helpers/unigram.js';
import { hfPythonDecode, hfPythonEncode, hfPythonVersion, toWellFormed } from '../helpers/oracle.js';
import { fcCases, FULL, udhrCases } from './parity-lib.js';


const python = hfPythonVersion();
const N = FULL ? 3000 : 300;

describe.skipIf(python === undefined).each(UNIGRAM_FIXTURES)('Unigram parity: %s', (name) => {
  const path = unigramFixture(name);
  const cases = [...udhrCases(), ...fcCases('tricky', N), ...fcCases('full-unicode', N)];
  const texts = cases.map((c) => toWellFormed(c.text));

  it(`UDHR (all languages) and ${2 * N} fast-check strings: same ids as HF Python`, () => {
    const tok = Tokenizer.fromFile(path);
    try {
      for (const special of [false, true]) {
        const want = hfPythonEncode(path, texts, special);
        const got = texts.map((t) => Array.from(tok.encode(t, { addSpecialTokens: special })));
        const bad = cases.filter((_, i) => JSON.stringify(got[i]) !== JSON.stringify(want[i])).map((c) => c.label);
        expect(bad, `${bad.length}/${cases.length} differ`).toEqual([]);
        expect(tok.encodeBatch(texts, { addSpecialTokens: special }).map((x) => Array.from(x))).toEqual(got);
      }
      const unk = tok.tokenToId('<unk>')!;
      const unks = texts.reduce((n, t) => n + tok.encode(t).filter((id) => id === unk).length, 0);
      if (name !== 'spm-bytefallback') expect(unks).toBeGreaterThan(0); // unknown chars were exercised
    } finally {
      tok.free();
    }
  });

  it('decodes like HF Python', () => {
    const tok = Tokenizer.fromFile(path);
    try {
      const sample = texts.slice(0, 80);
      const ids = hfPythonEncode(path, sample, true);
      expect(ids.map((x) => tok.decode(Uint32Array.from(x)))).toEqual(hfPythonDecode(path, ids));
    } finally {
      tok.free();
    }
  });
});
