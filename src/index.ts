export { Tokenizer } from './tokenizer.js';
export type { EncodeOptions, EncodingWithOffsets, TiktokenEncoding } from './tokenizer.js';
export { VocabsmithError } from './errors.js';
export { coreVersion, wasmMemoryBytes } from './wasm.js';
export { loadTokenizer } from './load.js';
export { ByteLM, ByteState, ensembleDistribution, generateEnsemble } from './byteprob.js';
export type { LogProbVector, ByteDistribution, ByteLMOptions, GenerateOptions, NextTokenLogProbs, BatchNextTokenLogProbs } from './byteprob.js';
export { ngramLM } from './ngram.js';
