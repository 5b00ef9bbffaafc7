export { Tokenizer } from './tokenizer.js';
export type { EncodeOptions, EncodingWithOffsets, LoadOptions, TiktokenEncoding } from './tokenizer.js';
export { loadFraction } from './load-progress.js';
export type { LoadStage, LoadProgressCallback } from './load-progress.js';
export { VocabsmithError } from './errors.js';
export { coreVersion, wasmMemoryBytes } from './wasm.js';
export { loadTokenizer } from './load.js';
export { train, trainPatterns } from './train/train.js';
export type { TrainOptions, TrainResult, TrainProgress, SuperBpeOptions } from './train/train.js';
export { countInputs } from './train/count.js';
export type { CountOptions } from './train/count.js';
export { readCountFile, readCountFiles, writeCountFile, mergeCountSets, CountFileReader, CountFileWriter } from './train/countfile.js';
export { mergeCountFiles, type MergeCountsOptions, type MergeCountsResult } from './train/countmerge.js';
export type { TrainInput } from './train/inputs.js';
export { ByteLM, ByteState, ensembleDistribution, generateEnsemble } from './byteprob.js';
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
} from './byteprob.js';
export { ngramLM } from './ngram.js';
export { mergeBatch, expandMerged, meanEmbedder, embedNewTokens, inputsEmbeds } from './dynamic.js';
export type { MergeBatchOptions, MergeBoundary, MergedBatch, NewToken, Embedder } from './dynamic.js';
export { trim, corpusLines } from './trim.js';
export type { TrimOptions, TrimReport, TrimResult } from './trim.js';
export { readSafetensorsHeader, writeSafetensors } from './formats/safetensors.js';
export type { SafetensorsFile, TensorInfo } from './formats/safetensors.js';
export { analyze, writeReport, renderHtml, renderMarkdown, reportJson, readCorpora } from './report/index.js';
export type { AnalyzeOptions, TokenizerSpec, Report, CellMetrics, TokenizerSummary, TokenizerResult, Corpus } from './report/index.js';
export { udhrLanguages, udhrText, udhrUnits } from './corpora/udhr.js';
export { remapModel, planRemap, applyPlan } from './remap.js';
export type { RemapMethod, RemapOptions, RemapReport, RemapPlan, AuxVectors } from './remap.js';
export { trimGguf } from './gguf-trim.js';
export type { GgufTrimReport } from './gguf-trim.js';
export { remapGguf } from './gguf-remap.js';
export type { GgufRemapOptions, GgufRemapReport } from './gguf-remap.js';
export type { LanguageModel, LogProbModel, ProbModel } from './lm/language-model.js';
export { llamaCpp, LlamaCppModel } from './lm/llama-cpp.js';
export type { LlamaCppOptions, LlamaCppStats } from './lm/llama-cpp.js';
export { loadGguf } from './lm/from-gguf.js';
export type { GgufOptions, LoadedGguf } from './lm/from-gguf.js';
export { ggufTokenizerJson, tokenizerFromGguf } from './lm/gguf-tokenizer.js';
export { evaluate } from './lm/eval.js';
export type { EvalOptions, EvalResult } from './lm/eval.js';
