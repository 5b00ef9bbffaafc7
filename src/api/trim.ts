// `vocabsmith/trim`: vocabulary trimming of a model folder, a tokenizer.json or a GGUF.
export { trim, corpusLines, DROPPED } from '../trim.js';
export type { TrimOptions, TrimReport, TrimResult } from '../trim.js';
export { trimGguf } from '../gguf-trim.js';
export type { GgufTrimReport } from '../gguf-trim.js';
