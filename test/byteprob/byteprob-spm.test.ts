import { describe, expect, it } from 'vitest';
import { ByteLM, Tokenizer, ngramLM } from '../../src/index.js';
import { realTokenizer } from '../helpers/tokenizers.js';
import { logSoftmax64 } from '../helpers/log-softmax.js';

// Gemma3: SentencePiece-style BPE with byte fallback (module doc of rust/core/src/byteprob/spm.rs).
const path = realTokenizer('gemma3').path;
const gemma = Tokenizer.fromFile(path);
const EOS = 1;
// 𠀋 and 𪚥 are not in Gemma3's vocabulary: they are encoded as <0xNN> byte tokens.
const TEXTS = ['Hello, world! naïve café', '日本語のテキスト', 'Привет, мир', 'rare 𠀋𪚥 and 😀'];
const lm = ngramLM(gemma, TEXTS, { eosId: EOS });
const blm = ByteLM.fromFile(path, lm, { eosId: EOS });

describe('ByteLM on Gemma3 (SentencePiece BPE, byte fallback)', () => {
  it('probability vectors give the distributions of log-prob vectors (1e-12 relative), mid-char prefixes included', async () => {
    // The n-gram LM's log-probs renormalised in float64 (log-softmax to 1e-15), and the same
    // distribution as probabilities.
    const norm = (p: Uint32Array) => logSoftmax64(lm(p) as Float32Array);
    const a = ByteLM.fromFile(path, norm, { eosId: EOS });
    const b = ByteLM.fromFile(path, (p) => norm(p).map(Math.exp), { eosId: EOS, output: 'probs' });
    for (const text of ['Hi 日本', 'rare 𠀋𪚥 and 😀']) {
      const bytes = new TextEncoder().encode(text);
      for (let n = 0; n <= bytes.length; n++) {
        const [da, db] = [await a.nextByteDistribution(bytes.subarray(0, n)), await b.nextByteDistribution(bytes.subarray(0, n))];
        da.probs.forEach((p, i) => expect(Math.abs(p - (db.probs[i] as number))).toBeLessThanOrEqual(1e-12 * p));
        expect(Math.abs(da.logPrefix - db.logPrefix)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(da.logPrefix)));
      }
      expect(await b.logProb(text, { complete: true })).toBeCloseTo(await a.logProb(text, { complete: true }), 10);
    }
  });

  it('loads as exact; rare chars need byte fallback', () => {
    expect(blm.exact).toBe(true);
    const ids = [...gemma.encode('𠀋', { addSpecialTokens: false })];
    expect(ids.map((t) => gemma.idToToken(t))).toEqual(['<0xF0>', '<0xA0>', '<0x80>', '<0x8B>']);
  });

  it('distributions sum to 1 and the chain rule holds, mid-char prefixes included', async () => {
    for (const text of ['Hi 日本', 'мир 𠀋!', ' a𪚥']) {
      const bytes = new TextEncoder().encode(text);
      for (let n = 0; n < bytes.length; n++) {
        const s = blm.state(bytes.subarray(0, n));
        const d = await s.distribution();
        expect(d.exact).toBe(true);
        expect(d.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        const b = bytes[n] as number;
        const lhs = d.logPrefix + Math.log(d.probs[b] as number) + Math.log(1 - d.noncanonicalMass);
        expect(lhs).toBeCloseTo(await blm.logProb(bytes.subarray(0, n + 1)), 6);
      }
    }
  });

  it('one model call per byte amortised on prose (older nodes no token extends are not asked again)', async () => {
    const counted = ByteLM.fromFile(path, lm, { eosId: EOS });
    const s = counted.state('Hello');
    await s.distribution();
    const before = counted.modelCalls;
    const text = new TextEncoder().encode(', world! It is a fine day for a long walk by the river.');
    for (const b of text) {
      await s.distribution();
      s.push(b);
    }
    expect((counted.modelCalls - before) / text.length).toBeLessThanOrEqual(1.05);
  });

  it('the whole text: prefix of the last byte plus end of text is the complete text', async () => {
    const x = 'rare 𠀋';
    const d = await blm.nextByteDistribution(x);
    const lhs = d.logPrefix + Math.log(d.probs[256] as number) + Math.log(1 - d.noncanonicalMass);
    expect(lhs).toBeCloseTo(await blm.logProb(x, { complete: true }), 6);
  });

  it('inside a byte-fallback char only its continuation bytes are possible; generation finishes it', async () => {
    // The n-gram LM saw "rare 𠀋𪚥" (𠀋 = F0 A0 80 8B): after F0 A0 only continuation bytes.
    const prompt = new TextEncoder().encode('rare 𠀋').subarray(0, 7);
    const d = await blm.nextByteDistribution(prompt);
    // Up to rounding: the end-of-prefix mass is all tokens' mass minus the invalid ones'.
    d.probs.forEach((p, b) => {
      if (b < 0x80 || b > 0xbf) expect(p).toBeLessThan(1e-12);
    });
    const out = await blm.generate(prompt, { maxBytes: 6, temperature: 0 });
    expect([...out.subarray(0, 2)]).toEqual([0x80, 0x8b]);
  });
});
