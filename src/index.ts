export { Tokenizer } from './tokenizer.js';
export type { EncodeOptions, EncodingWithOffsets, TiktokenEncoding } from './tokenizer.js';
export { VocabsmithError } from './errors.js';
export { coreVersion, wasmMemoryBytes } from './wasm.js';
export { loadTokenizer } from './load.js';
export { analyze, writeReport, renderHtml, renderMarkdown, reportJson, readCorpora } from './report/index.js';
export type { AnalyzeOptions, TokenizerSpec, Report, CellMetrics, TokenizerSummary, TokenizerResult, Corpus } from './report/index.js';
export { udhrLanguages, udhrText, udhrUnits } from './corpora/udhr.js';
