/**
 * A small demo token LM, so byte probabilities run end to end without a GPU: a bigram model over
 * token ids with Dirichlet smoothing towards an add-k unigram,
 *   p(t | prev) = (c(prev, t) + β·pu(t)) / (c(prev) + β),   pu(t) = (c(t) + k) / (N + k·V),
 * normalised by construction (each text ends with the eos id). Returns log-probabilities.
 */
import type { NextTokenLogProbs } from './byteprob.js';
import type { Tokenizer } from './tokenizer.js';

export interface NgramOptions {
  eosId: number;
  /** Length of the vectors (default: the tokenizer's id count). */
  vocabSize?: number;
  k?: number;
  beta?: number;
}

export function ngramLM(tokenizer: Tokenizer, texts: readonly string[], options: NgramOptions): NextTokenLogProbs {
  const V = options.vocabSize ?? tokenizer.vocabSize;
  const k = options.k ?? 0.01;
  const beta = options.beta ?? 2;
  const uni = new Float64Array(V);
  const bi = new Map<number, Map<number, number>>();
  const from = new Map<number, number>();
  let total = 0;
  for (const text of texts) {
    let prev = -1;
    for (const t of [...tokenizer.encode(text), options.eosId]) {
      uni[t] = (uni[t] as number) + 1;
      total++;
      let row = bi.get(prev);
      if (row === undefined) bi.set(prev, (row = new Map()));
      row.set(t, (row.get(t) ?? 0) + 1);
      from.set(prev, (from.get(prev) ?? 0) + 1);
      prev = t;
    }
  }
  const pu = uni.map((c) => (c + k) / (total + k * V));
  return (prefix: Uint32Array) => {
    const prev = prefix.length === 0 ? -1 : (prefix[prefix.length - 1] as number);
    const c = from.get(prev) ?? 0;
    const row = bi.get(prev);
    const out = new Float32Array(V);
    for (let t = 0; t < V; t++) out[t] = Math.log((beta * (pu[t] as number)) / (c + beta));
    if (row !== undefined) {
      for (const [t, n] of row) out[t] = Math.log((n + beta * (pu[t] as number)) / (c + beta));
    }
    return out;
  };
}
