export { Tokenizer } from './tokenizer.js';
export type { EncodeOptions, EncodingWithOffsets, TiktokenEncoding } from './tokenizer.js';
export { VocabsmithError } from './errors.js';
export { coreVersion, wasmMemoryBytes } from './wasm.js';
export { loadTokenizer } from './load.js';
export { mergeBatch, expandMerged, meanEmbedder, embedNewTokens, inputsEmbeds } from './dynamic.js';
export type { MergeBatchOptions, MergeBoundary, MergedBatch, NewToken, Embedder } from './dynamic.js';
