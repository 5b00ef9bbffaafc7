/**
 * A token-level language model as vocabsmith sees it: the `nextTokenLogProbs` callback of
 * ByteLM (src/byteprob.ts), its optional batched form, and the three ids a byte-level view needs.
 * Any runtime fits (llama.cpp through `llamaCpp`, a Python server, the `ngramLM` demo): vectors
 * are log-softmax over the model's ids, in the model's id order.
 */
import type { BatchNextTokenLogProbs, NextTokenLogProbs } from '../byteprob.js';

export interface LanguageModel {
  /** Length of every vector (the model's id count). */
  readonly vocabSize: number;
  /** Ids placed before every text: BOS, or the document separator the model was trained with. */
  readonly contextIds: readonly number[];
  /** Id that ends a text (what `generate` stops at and `logProb(…, { complete: true })` scores). */
  readonly eosId: number;
  /** log P(next token | prefixIds) for every id. `prefixIds` starts with `contextIds`. */
  readonly nextTokenLogProbs: NextTokenLogProbs;
  /** The same for several prefixes at once, where the runtime can batch them. */
  readonly batchNextTokenLogProbs?: BatchNextTokenLogProbs;
}
