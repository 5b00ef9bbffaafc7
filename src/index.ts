export { Tokenizer } from './tokenizer.js';
export type { EncodeOptions, EncodingWithOffsets, TiktokenEncoding } from './tokenizer.js';
export { VocabsmithError } from './errors.js';
export { coreVersion, wasmMemoryBytes } from './wasm.js';
export { loadTokenizer } from './load.js';
export { trim, corpusLines } from './trim.js';
export type { TrimOptions, TrimReport, TrimResult } from './trim.js';
export { readSafetensorsHeader, writeSafetensors } from './formats/safetensors.js';
export type { SafetensorsFile, TensorInfo } from './formats/safetensors.js';
