import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteLM, Tokenizer, VocabsmithError, ngramLM, generateEnsemble } from '../../src/index.js';
import { realTokenizer } from '../helpers/tokenizers.js';
import { logSoftmax64 } from '../helpers/log-softmax.js';

// GPT-2 byte -> char map, to write byte-level vocabularies by hand.
const B2C: string[] = (() => {
  const keep: number[] = [];
  for (let b = 33; b <= 126; b++) keep.push(b);
  for (let b = 161; b <= 172; b++) keep.push(b);
  for (let b = 174; b <= 255; b++) keep.push(b);
  const out: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCodePoint(keep.includes(b) ? b : 256 + extra++);
  return out;
})();
const tokStr = (s: string) => [...new TextEncoder().encode(s)].map((b) => B2C[b]).join('');

/** Byte-level BPE, no pretokenizer split: 256 bytes + merges over "ab " (+ an eos at id 256+m). */
function tinyJson(): { json: object; eos: number } {
  const merges = [['a', 'b'], ['b', 'a'], [' ', 'a'], ['ab', 'a'], [' ', ' '], ['a', ' '], ['ba', 'b'], [' a', 'b']];
  const vocab: Record<string, number> = {};
  for (let b = 0; b < 256; b++) vocab[B2C[b] as string] = b;
  for (const [l, r] of merges) vocab[tokStr((l as string) + (r as string))] ??= Object.keys(vocab).length;
  const eos = Object.keys(vocab).length;
  return {
    eos,
    json: {
      version: '1.0',
      added_tokens: [{ id: eos, content: '<eos>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      post_processor: null,
      decoder: { type: 'ByteLevel' },
      model: { type: 'BPE', vocab, merges: merges.map(([l, r]) => [tokStr(l as string), tokStr(r as string)]) },
    },
  };
}

/** A deterministic stub LM: pseudo-random log-softmax per prefix. */
function stubLM(V: number) {
  return (prefix: Uint32Array) => {
    let h = 2166136261;
    for (const t of prefix) h = Math.imul(h ^ t, 16777619) >>> 0;
    const out = new Float32Array(V);
    let s = 0;
    for (let i = 0; i < V; i++) {
      h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
      out[i] = (h % 1000) / 200;
      s += Math.exp(out[i] as number);
    }
    const l = Math.log(s);
    for (let i = 0; i < V; i++) out[i] = (out[i] as number) - l;
    return out;
  };
}

/**
 * The same stub in float64 (log-softmax to 1e-15) with its probabilities beside it, times
 * `factor` (ByteLM divides them by their total): two models of one distribution, for comparing
 * the two kinds of vector to 1e-12.
 */
function stubPair(V: number, factor = 1) {
  const lm = stubLM(V);
  const logProbs = (prefix: Uint32Array) => logSoftmax64(lm(prefix));
  return { logProbs, probs: (prefix: Uint32Array) => logProbs(prefix).map((x) => Math.exp(x) * factor) };
}

/**
 * Both kinds give the same next-byte distributions at every byte of `text`: each probability
 * to 1e-12 relative, log P(prefix) to 1e-12 of its size, the non-canonical mass (1 − a sum:
 * cancellation) to 1e-12 absolute.
 */
async function sameDistributions(json: string | object, eosId: number, V: number, text: string): Promise<number> {
  // Off by 5e-4 in total: the division by it (core sums and chain weights alike) is tested too.
  const { logProbs, probs } = stubPair(V, 1 + 5e-4);
  const a = ByteLM.fromJSON(json, logProbs, { eosId }).state();
  const b = ByteLM.fromJSON(json, probs, { eosId, output: 'probs' }).state();
  let worst = 0;
  for (const byte of new TextEncoder().encode(text)) {
    const [da, db] = [await a.distribution(), await b.distribution()];
    expect(db.nodes).toBe(da.nodes);
    da.probs.forEach((p, i) => {
      const q = db.probs[i] as number;
      if (p !== q) worst = Math.max(worst, Math.abs(p - q) / p);
    });
    worst = Math.max(worst, Math.abs(da.noncanonicalMass - db.noncanonicalMass));
    worst = Math.max(worst, Math.abs(da.logPrefix - db.logPrefix) / Math.max(Math.abs(da.logPrefix), 1));
    a.push(byte);
    b.push(byte);
  }
  expect(worst).toBeLessThanOrEqual(1e-12);
  expect(await b.logPrefix()).toBeCloseTo(await a.logPrefix(), 10);
  return worst;
}

const { json, eos } = tinyJson();
const tok = Tokenizer.fromJSON(json);
const V = tok.vocabSize;

describe('ByteLM', () => {
  it('gives back the byte LM a canonical token LM was induced from (brute force, 1e-9; 1e-12 relative)', async () => {
    // π over all strings of ≤ 5 chars of "ab "; the token LM is π pushed onto canonical encodings.
    const strs: string[] = [''];
    for (let i = 0, f = ['']; i < 5; i++) strs.push(...(f = f.flatMap((s) => ['a', 'b', ' '].map((c) => s + c))));
    const pi = new Map(strs.map((s, i) => [s, ((i * 7919) % 97) + 1] as const));
    const Z = [...pi.values()].reduce((a, b) => a + b, 0);
    const W = new Map<string, number>();
    const E = new Map<string, number>();
    for (const [s, p] of pi) {
      const ids = [...tok.encode(s)];
      for (let k = 0; k <= ids.length; k++) W.set(ids.slice(0, k).join(), (W.get(ids.slice(0, k).join()) ?? 0) + p / Z);
      E.set(ids.join(), (E.get(ids.join()) ?? 0) + p / Z);
    }
    const lm = (prefix: Uint32Array) => {
      const key = [...prefix].join();
      const w = W.get(key) ?? 0;
      // Float64: the 1e-9 comparison is below float32 resolution.
      const out = new Float64Array(V).fill(-Infinity);
      if (w === 0) {
        out[eos] = 0;
        return out;
      }
      for (let t = 0; t < V; t++) {
        const wt = W.get(key === '' ? `${t}` : `${key},${t}`);
        if (wt !== undefined) out[t] = Math.log(wt / w);
      }
      out[eos] = Math.log((E.get(key) ?? 0) / w);
      return out;
    };
    // Both kinds of vector: the log-probs, and the same distribution as probabilities.
    const probs = (prefix: Uint32Array) => lm(prefix).map(Math.exp);
    const prefixMass = (x: string) => [...pi].filter(([s]) => s.startsWith(x)).reduce((a, [, p]) => a + p / Z, 0);
    for (const blm of [ByteLM.fromJSON(json, lm, { eosId: eos }), ByteLM.fromJSON(json, probs, { eosId: eos, output: 'probs' })])
    for (const x of strs.filter((s) => s.length <= 4)) {
      expect(blm.exact).toBe(true);
      const d = await blm.nextByteDistribution(x);
      const px = prefixMass(x);
      for (const c of ['a', 'b', ' ']) expect(d.probs[c.charCodeAt(0)]).toBeCloseTo(prefixMass(x + c) / px, 9);
      expect(d.probs[256]).toBeCloseTo((pi.get(x) ?? 0) / Z / px, 9);
      // The vector pass's accuracy (exp on WASM SIMD lanes, positive range sums; README: relative
      // errors of order 1e-13): every next-byte probability within 1e-12 of brute force, relatively.
      for (const c of ['a', 'b', ' ']) {
        const want = prefixMass(x + c) / px;
        expect(Math.abs((d.probs[c.charCodeAt(0)] as number) - want)).toBeLessThanOrEqual(1e-12 * want);
      }
      expect(d.noncanonicalMass).toBeCloseTo(0, 9);
      if (x !== '') expect(Math.exp(await blm.logProb(x))).toBeCloseTo(px, 9);
    }
  });

  it('distributions sum to 1 and the chain rule holds (fast-check, stub LM)', async () => {
    const blm = ByteLM.fromJSON(json, stubLM(V), { eosId: eos });
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[ab é]{0,6}$/), fc.constantFrom(...'ab é'), async (x, c) => {
        const s = blm.state(x);
        const d = await s.distribution();
        expect(d.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        // Unnormalised chain rule: P(x) · P(b | x) · (1 − leak) = P(x b) for the first byte of c.
        const b = new TextEncoder().encode(c)[0] as number;
        const xb = new Uint8Array([...new TextEncoder().encode(x), b]);
        const lhs = d.logPrefix + Math.log(d.probs[b] as number) + Math.log(1 - d.noncanonicalMass);
        expect(lhs).toBeCloseTo(await blm.logProb(xb), 9);
      }),
      { numRuns: 60 },
    );
  });

  it('Llama-3: one model call per byte amortised, chain rule, prompt healing', async () => {
    const path = realTokenizer('llama3').path;
    const llama = Tokenizer.fromFile(path);
    const lV = llama.vocabSize;
    const blm = ByteLM.fromFile(path, stubLM(lV), { eosId: 128001 });
    expect(blm.exact).toBe(true);
    const s = blm.state('The quick brown fox jumps over the lazy d');
    await s.distribution(); // the prompt's own encoding costs one call per token, once
    const before = blm.modelCalls;
    const text = new TextEncoder().encode("og's back, 1234 times.");
    for (const b of text) {
      const d = await s.distribution();
      expect(d.probs.reduce((a, c) => a + c, 0)).toBeCloseTo(1, 9);
      expect(d.exact).toBe(true);
      s.push(b);
    }
    expect((blm.modelCalls - before) / text.length).toBeLessThanOrEqual(1.1);
    const d = await s.distribution();
    const lhs = d.logPrefix + Math.log(d.probs[32] as number) + Math.log(1 - d.noncanonicalMass);
    const whole = "The quick brown fox jumps over the lazy dog's back, 1234 times. ";
    expect(lhs).toBeCloseTo(await blm.logProb(whole), 6);
    // Prompt healing: a prompt ending mid-token is extended byte-exactly.
    const out = await blm.generate('Hello wor', { maxBytes: 8, temperature: 0 });
    expect(out.length).toBeGreaterThan(0);
  });

  it('Llama-3 on Python code: one model request per byte, the extra vectors of indentation runs asked for together', async () => {
    // Inside an indentation run the prefix ends two ways (the run's last space may go to the
    // next word), so a byte needs two fresh vectors; they must go to the model in one request
    // (one forward pass on a runtime that batches), as must a whole chain.
    const json = readFileSync(realTokenizer('llama3').path, 'utf8');
    const lm = stubLM(128_256);
    const batches: number[] = [];
    const batch = async (ps: Uint32Array[]) => {
      batches.push(ps.length);
      return ps.map(lm);
    };
    const code = "        if x:\n            return self._split_lines(text, width)\n        parts.append('%*s' % (indent, ''))\n";
    const bytes = new TextEncoder().encode(code);
    const blm = ByteLM.fromJSON(json, lm, { eosId: 128_001, batch });
    const s = blm.state();
    for (const b of bytes) {
      const r0 = blm.modelRequests;
      await s.distribution();
      expect(blm.modelRequests - r0).toBeLessThanOrEqual(1);
      s.push(b);
    }
    expect(blm.modelRequests / bytes.length).toBeLessThanOrEqual(1.05);
    // The run's bytes did need more than one vector each, and got them in one batch.
    expect(blm.modelCalls / bytes.length).toBeGreaterThan(1.1);
    expect(Math.max(...batches)).toBeGreaterThanOrEqual(2);
    // The complete text: E(x)'s chain and the vector after it, one request.
    const fresh = ByteLM.fromJSON(json, lm, { eosId: 128_001, batch });
    const lp = await fresh.logProb(code, { complete: true });
    expect(fresh.modelRequests).toBe(1);
    expect(lp).toBeCloseTo(await blm.logProb(code, { complete: true }), 9);
  });

  it('demo n-gram LM runs end to end; ensembles across tokenizers', async () => {
    const texts = ['ab ab ba ab', 'ba ab  ab', 'aab ab ba'];
    const lm = ngramLM(tok, texts, { eosId: eos });
    const blm = ByteLM.fromJSON(json, lm, { eosId: eos });
    const out = await blm.generate('a', { maxBytes: 20, temperature: 0 });
    expect(out.length).toBeGreaterThan(0);
    const llamaPath = realTokenizer('llama3').path;
    const llama = Tokenizer.fromFile(llamaPath);
    const l2 = ByteLM.fromFile(llamaPath, ngramLM(llama, texts, { eosId: 128001 }), { eosId: 128001 });
    const ens = await generateEnsemble([blm, l2], 'ab', { maxBytes: 6, random: () => 0.5 });
    expect(ens.every((b) => [97, 98, 32].includes(b))).toBe(true);
  });

  it('probability vectors give the distributions of log-prob vectors: Llama-3 prose and code, 1e-12 relative', async () => {
    const path = realTokenizer('llama3').path;
    const json = readFileSync(path, 'utf8');
    await sameDistributions(json, 128_001, 128_256, "Don't stop: 1234 naïve cafés, it's 5 o'clock.");
    await sameDistributions(json, 128_001, 128_256, 'def f(x):\n        if x:\n            return 1\n');
  });

  it('bad probability vectors give one clear error each', async () => {
    const { probs } = stubPair(V);
    const withValue = (i: number, x: number) => (p: Uint32Array) => {
      const v = probs(p);
      v[i] = x;
      return v;
    };
    const cases: [(p: Uint32Array) => Float64Array | Float32Array, RegExp][] = [
      [() => new Float32Array(3), /^nextTokenProbs returned 3 values, expected vocabSize \d+$/],
      [withValue(7, NaN), /^nextTokenProbs returned NaN at id 7 \(a probability is finite and ≥ 0\)$/],
      [withValue(9, -0.25), /^nextTokenProbs returned -0\.25 at id 9 \(a probability is finite and ≥ 0\)$/],
      [withValue(9, Infinity), /^nextTokenProbs returned inf at id 9/],
      [(p) => probs(p).map((x) => 3 * x), /^nextTokenProbs must return probabilities \(softmax\); their total is 3\.000000, not 1 ± 1\.0e-3$/],
      // Log-probs passed as probabilities: negative values.
      [stubPair(V).logProbs, /^nextTokenProbs returned -\d.* at id 0 \(a probability is finite and ≥ 0\)$/],
    ];
    for (const [lm, msg] of cases) {
      const blm = ByteLM.fromJSON(json, lm, { eosId: eos, output: 'probs' });
      await expect(blm.nextByteDistribution('ab')).rejects.toThrow(msg);
      // The same from the check-only pass (a chain link's vector) of the complete text.
      const again = ByteLM.fromJSON(json, lm, { eosId: eos, output: 'probs' });
      await expect(again.logProb('ab', { complete: true })).rejects.toThrow(msg);
    }
    const err = await ByteLM.fromJSON(json, withValue(9, -0.25), { eosId: eos, output: 'probs' })
      .nextByteDistribution('ab')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VocabsmithError);
    expect(() => ByteLM.fromJSON(json, probs, { eosId: eos, output: 'prob' as never })).toThrow(/output prob is not 'logProbs' or 'probs'/);
  });

  it('bad input gives clear errors', async () => {
    const short = ByteLM.fromJSON(json, () => new Float32Array(3), { eosId: eos });
    await expect(short.nextByteDistribution('ab')).rejects.toThrow(/returned 3 values, expected vocabSize/);
    const nan = ByteLM.fromJSON(json, () => new Float32Array(V).fill(NaN), { eosId: eos });
    await expect(nan.nextByteDistribution('ab')).rejects.toThrow(/returned NaN/);
    const logits = ByteLM.fromJSON(json, () => new Float32Array(V).fill(1), { eosId: eos });
    await expect(logits.nextByteDistribution('ab')).rejects.toThrow(/log-softmax/);
    expect(() => ByteLM.fromJSON(json, stubLM(V), { eosId: V + 5 })).toThrow(VocabsmithError);
    // A Unigram model (T5/ALBERT style) cannot be handled: its encoding is no merge sequence.
    const unigram = {
      ...json,
      model: { type: 'Unigram', unk_id: 0, vocab: [['<unk>', 0], ['a', -1], ['b', -1], ['▁', -2]], byte_fallback: false },
    };
    expect(() => ByteLM.fromJSON(unigram, stubLM(4), { eosId: 0 })).toThrow(/only BPE is supported/);
  });
});
