// `vocabsmith/byteprob`: byte-level probabilities from a token-level language model, ensembles
// of models with different tokenizers, and the n-gram model the tests and demos use.
export { ByteLM, ByteState, ensembleDistribution, generateEnsemble } from '../byteprob.js';
export type {
  LogProbVector,
  ProbVector,
  TokenVector,
  VectorOutput,
  ByteDistribution,
  ByteLMOptions,
  GenerateOptions,
  NextTokenLogProbs,
  BatchNextTokenLogProbs,
  NextTokenProbs,
  BatchNextTokenProbs,
} from '../byteprob.js';
export { ngramLM } from '../ngram.js';
