/**
 * A token-level language model as vocabsmith sees it: the callback of ByteLM (src/byteprob.ts),
 * its optional batched form, and the three ids a byte-level view needs. Any runtime fits
 * (llama.cpp through `llamaCpp`, a Python server, the `ngramLM` demo). Vectors hold one value
 * per id, in the model's id order: log-probabilities (log-softmax; `nextTokenLogProbs`) or,
 * where the runtime has them, the probabilities themselves (softmax; `output: 'probs'` and
 * `nextTokenProbs`), which spares a log per id in the runtime and an exp per id in ByteLM.
 */
import type { BatchNextTokenLogProbs, BatchNextTokenProbs, NextTokenLogProbs, NextTokenProbs, TokenVector, VectorOutput } from '../byteprob.js';

interface ModelIds {
  /** Length of every vector (the model's id count). */
  readonly vocabSize: number;
  /** Ids placed before every text: BOS, or the document separator the model was trained with. */
  readonly contextIds: readonly number[];
  /** Id that ends a text (what `generate` stops at and `logProb(…, { complete: true })` scores). */
  readonly eosId: number;
}

/** A model that gives log-probabilities (the default kind). */
export interface LogProbModel extends ModelIds {
  readonly output?: 'logProbs';
  /** log P(next token | prefixIds) for every id. `prefixIds` starts with `contextIds`. */
  readonly nextTokenLogProbs: NextTokenLogProbs;
  /** The same for several prefixes at once, where the runtime can batch them. */
  readonly batchNextTokenLogProbs?: BatchNextTokenLogProbs;
}

/** A model that gives probabilities (finite, ≥ 0, total 1 to rounding; ByteLM divides by it). */
export interface ProbModel extends ModelIds {
  readonly output: 'probs';
  /** P(next token | prefixIds) for every id. `prefixIds` starts with `contextIds`. */
  readonly nextTokenProbs: NextTokenProbs;
  /** The same for several prefixes at once, where the runtime can batch them. */
  readonly batchNextTokenProbs?: BatchNextTokenProbs;
}

export type LanguageModel = LogProbModel | ProbModel;

/** What a model's vectors hold. */
export const outputOf = (model: LanguageModel): VectorOutput => model.output ?? 'logProbs';

/** The model's vectors after several prefixes: its batched callback, else its single one per prefix. */
export function batchOf(model: LanguageModel): (prefixes: Uint32Array[]) => Promise<TokenVector[]> {
  if (model.output === 'probs') return model.batchNextTokenProbs ?? ((ps) => Promise.all(ps.map((p) => model.nextTokenProbs(p))));
  return model.batchNextTokenLogProbs ?? ((ps) => Promise.all(ps.map((p) => model.nextTokenLogProbs(p))));
}

/**
 * log P(id) from a vector of kind `output`: the value itself, or log(p / Σp) for probabilities
 * (divided by their total, as ByteLM reads them; O(|V|) for the total).
 */
export function logProbAt(output: VectorOutput, v: TokenVector, id: number): number {
  const x = v[id] as number;
  if (output === 'logProbs') return x;
  let total = 0;
  for (let i = 0; i < v.length; i++) total += v[i] as number;
  return Math.log(x / total);
}
