// The real model in the loop: SmolLM2-135M-Instruct (Q4_1 GGUF) run by node-llama-cpp, its
// tokenizer read from the GGUF. Texts are kept to a few hundred bytes: the machine is shared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByteLM, Tokenizer } from '../../src/index.js';
import { evaluate } from '../../src/lm/eval.js';
import { loadGguf, type LoadedGguf } from '../../src/lm/from-gguf.js';
import { llamaCpp } from '../../src/lm/llama-cpp.js';
import { checkTokenizer } from '../../src/lm/tokenizer-check.js';
import { udhrParagraphs } from '../helpers/udhr.js';
import { smollm2Gguf } from '../helpers/models.js';

let g: LoadedGguf;
beforeAll(async () => {
  g = await loadGguf(smollm2Gguf(), { gpu: false });
});
afterAll(async () => {
  await g?.model.dispose();
});

/** max |log a − log b| over ids (equal values, zeros included, count 0): vectors compared as before, in log space. */
const logDiff = (a: Float32Array, b: Float32Array): number => {
  let d = 0;
  a.forEach((x, i) => {
    if (x !== b[i]) d = Math.max(d, Math.abs(Math.log(x) - Math.log(b[i] as number)));
  });
  return d;
};

const PROSE = 'All human beings are born free and equal in dignity and rights. They are endowed with reason and conscience.';
const CODE = 'def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n';

describe('SmolLM2 through llama.cpp', () => {
  it('reads the ids it needs from the GGUF', () => {
    expect(g.model.vocabSize).toBe(49152);
    // No BOS (add_bos_token false): texts start after <|endoftext|>, as in pretraining.
    expect(g.model.contextIds).toEqual([0]);
    expect(g.model.eosId).toBe(0);
    expect(g.model.threads).toBeGreaterThan(0);
    expect(g.checked).toBeGreaterThan(200);
    expect(g.byteLM.exact).toBe(true);
  });

  it('gives full probability vectors: the capital of France', async () => {
    expect(g.model.output).toBe('probs');
    expect(g.byteLM.output).toBe('probs');
    const ids = g.tokenizer.encode('The capital of France is');
    const v = await g.model.nextTokenProbs(Uint32Array.from([...g.model.contextIds, ...ids]));
    expect(v).toBeInstanceOf(Float32Array);
    expect(v.length).toBe(49152);
    // llama.cpp's f32 softmax (an f32 running sum drops the smallest terms): the total of its f32
    // values is above 1 by 3e-5 to 2.1e-4 (measured over 29 prefixes of prose and code), inside
    // the core's tolerance |V| · 2^-24 = 2.9e-3 (masses.rs prob_tolerance).
    let s = 0;
    for (const x of v) {
      expect(x).toBeGreaterThanOrEqual(0);
      s += x;
    }
    expect(Math.abs(s - 1)).toBeLessThan(1e-3);
    const best = v.indexOf(Math.max(...v));
    expect(g.tokenizer.decode([best])).toBe(' Paris');
  });

  it('ByteLM: the probability contract gives the distributions of the log-prob one (same vectors, 1e-12 relative)', async () => {
    // The model's vectors recorded once, then read two ways: as the probabilities llama.cpp gives
    // (g.byteLM's contract) and as float64 log-probs log(p / Σp) (the adapter's former output).
    const seen = new Map<string, Float32Array>();
    const probs = async (p: Uint32Array) => {
      const key = p.join();
      let v = seen.get(key);
      if (v === undefined) seen.set(key, (v = await g.model.nextTokenProbs(p)));
      return v;
    };
    const logProbs = async (p: Uint32Array) => {
      const v = await probs(p);
      const total = v.reduce((a, x) => a + x, 0);
      return Float64Array.from(v, (x) => Math.log(x / total));
    };
    const ids = { eosId: g.model.eosId, contextIds: g.model.contextIds, vocabSize: g.model.vocabSize };
    const a = ByteLM.fromJSON(g.json, probs, { ...ids, output: 'probs' }).state();
    const b = ByteLM.fromJSON(g.json, logProbs, ids).state();
    let worst = 0;
    for (const byte of new TextEncoder().encode(CODE.slice(0, 24))) {
      const [da, db] = [await a.distribution(), await b.distribution()];
      da.probs.forEach((p, i) => {
        if (p !== db.probs[i]) worst = Math.max(worst, Math.abs(p - (db.probs[i] as number)) / p);
      });
      expect(Math.abs(da.logPrefix - db.logPrefix)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(da.logPrefix)));
      a.push(byte);
      b.push(byte);
    }
    expect(worst).toBeLessThanOrEqual(1e-12);
  }, 900_000);

  it('reuses the KV cache: same numbers as a fresh model, fewer tokens evaluated', async () => {
    const ids = [...g.model.contextIds, ...g.tokenizer.encode(PROSE)];
    const fresh = await llamaCpp(smollm2Gguf(), { gpu: false, sequences: 1 });
    try {
      // Trunk, divergence (erase from the split point), and back: each vector vs a fresh model
      // that evaluates the whole prefix from an empty cache.
      const asks = [12, 14, 9, 20, 13].map((n) => Uint32Array.from(ids.slice(0, n)));
      asks[2] = Uint32Array.from([...ids.slice(0, 8), 28]); // diverges at position 8
      const before = { ...g.model.stats };
      let maxDiff = 0;
      for (const p of asks) {
        const a = await g.model.nextTokenProbs(p);
        await fresh.clear();
        const b = await fresh.nextTokenProbs(p);
        maxDiff = Math.max(maxDiff, logDiff(a, b));
      }
      const evaluated = g.model.stats.evaluatedTokens - before.evaluatedTokens;
      expect(maxDiff).toBeLessThan(1e-4);
      // Fresh evaluation would feed 12 + 14 + 9 + 20 + 13 = 68 tokens.
      expect(evaluated).toBeLessThan(68 / 2);
    } finally {
      await fresh.dispose();
    }
  });

  it('serves nested prefixes with one evaluation (batch) and equal numbers', async () => {
    const ids = Uint32Array.from([...g.model.contextIds, ...g.tokenizer.encode(CODE)]);
    const prefixes = Array.from({ length: 10 }, (_, k) => ids.subarray(0, 3 + 2 * k));
    const e0 = g.model.stats.evaluations;
    const batch = await g.model.batchNextTokenProbs(prefixes);
    expect(g.model.stats.evaluations - e0).toBe(1);
    for (const k of [0, 4, 9]) {
      const one = await g.model.nextTokenProbs(prefixes[k] as Uint32Array);
      expect(logDiff(one, batch[k] as Float32Array)).toBeLessThan(1e-4);
    }
  });

  it('ByteLM on code: one forward pass per byte, the extra vectors of indentation runs decoded together', async () => {
    await g.model.clear();
    const st = g.model.stats;
    const s0 = { ...st };
    const c0 = g.byteLM.modelCalls;
    const bytes = new TextEncoder().encode(CODE);
    const s = g.byteLM.state();
    for (const b of bytes) {
      await s.distribution();
      s.push(b);
    }
    expect(st.forwardPasses).toBeTypeOf('number');
    const passes = (st.forwardPasses as number) - (s0.forwardPasses as number);
    const n = bytes.length;
    expect(passes / n).toBeLessThanOrEqual(1.05);
    expect(st.batches - s0.batches).toBe(passes);
    // More vectors (and sequences evaluated) than passes: a run's two end nodes share one.
    expect(st.evaluations - s0.evaluations).toBeGreaterThan(passes);
    expect(g.byteLM.modelCalls - c0).toBe(st.vectors - s0.vectors);
    expect((g.byteLM.modelCalls - c0) / n).toBeGreaterThan(1.05);
  });

  it('tokenizer from the GGUF equals node-llama-cpp tokenize on UDHR text', () => {
    const texts = ['eng', 'fra', 'vie', 'rus', 'cmn_hans', 'hin', 'arb', 'kor', 'tha', 'amh'].flatMap((l) => udhrParagraphs(l));
    expect(texts.length).toBeGreaterThan(500);
    expect(checkTokenizer(g.tokenizer, (t) => g.model.tokenize(t), 'SmolLM2', texts)).toBe(texts.length);
  });

  it('a tokenizer that encodes differently is an error naming the text', () => {
    // Without the digit split: "a  1" is [a, "  ", 1] for the runtime, [a, " ", " ", 1] here.
    const doc = JSON.parse(g.json) as { pre_tokenizer: { pretokenizers: unknown[] } };
    const broken = Tokenizer.fromJSON({ ...doc, pre_tokenizer: doc.pre_tokenizer.pretokenizers[1] });
    expect(() => checkTokenizer(broken, (t) => g.model.tokenize(t), 'SmolLM2', ['fine text', 'a  1'])).toThrow(/differs from the runtime's on "a {2}1"/);
  });

  it('chain rule over real text: Σ log P(byte | prefix) + Σ log(1 − leak) = log P(text)', async () => {
    const text = PROSE.slice(0, 40);
    const s = g.byteLM.state();
    let sum = 0;
    let leak = 0;
    for (const b of new TextEncoder().encode(text)) {
      const d = await s.distribution();
      expect(d.exact).toBe(true);
      expect(d.probs.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 9);
      sum += Math.log(d.probs[b] as number);
      leak += Math.log1p(-d.noncanonicalMass);
      s.push(b);
    }
    const direct = await g.byteLM.logProb(text);
    // Float32 vectors, summed in float64: 1e-6 relative.
    expect(Math.abs(sum + leak - direct)).toBeLessThan(1e-6 * Math.abs(direct));
  }, 900_000);

  it('ByteLM bits/byte vs token-level bits/byte on the same text agree up to the non-canonical mass', async () => {
    const r = await evaluate(PROSE, g.model, g.tokenizer, g.byteLM, { maxBytes: 32 });
    expect(r.bytes).toBe(30); // cut before the space: "… born free"
    const b = r.byte!;
    expect(b.exact).toBe(true);
    expect(b.chainRuleGap).toBeLessThan(1e-4);
    expect(r.token.bitsPerByte).toBeGreaterThan(0.5);
    expect(r.token.bitsPerByte).toBeLessThan(5);
    expect(Math.abs(b.differenceBitsPerByte)).toBeLessThan(0.05);
    expect(b.noncanonicalBitsPerByte).toBeLessThan(0.05);
    expect(b.modelCalls / r.bytes).toBeLessThan(1.5);
  }, 900_000);

  it('generates from a prompt that ends mid-token (prompt healing), reproducibly', async () => {
    const out = new TextDecoder().decode(await g.byteLM.generate('def fib(n):\n    ret', { maxBytes: 5, temperature: 0 }));
    expect(out.startsWith('urn')).toBe(true);
    const again = new TextDecoder().decode(await g.byteLM.generate('def fib(n):\n    ret', { maxBytes: 5, temperature: 0 }));
    expect(again).toBe(out);
  });
});
