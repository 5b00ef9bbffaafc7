// `vocabsmith/remap`: zero-shot tokenizer transfer of a model folder or a GGUF, and dynamic
// batch-level merging (new tokens embedded from their decompositions).
export { remapModel, planRemap, applyPlan } from '../remap.js';
export type { RemapMethod, RemapOptions, RemapReport, RemapPlan, AuxVectors } from '../remap.js';
export { remapGguf } from '../gguf-remap.js';
export type { GgufRemapOptions, GgufRemapReport } from '../gguf-remap.js';
export { mergeBatch, expandMerged, meanEmbedder, embedNewTokens, inputsEmbeds } from '../dynamic.js';
export type { MergeBatchOptions, MergeBoundary, MergedBatch, NewToken, Embedder } from '../dynamic.js';
