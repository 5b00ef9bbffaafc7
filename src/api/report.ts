// `vocabsmith/report`: tokenizer x corpus metrics and the HTML / JSON / Markdown report, with the
// bundled UDHR corpora.
export { analyze, writeReport, renderHtml, renderMarkdown, reportJson, readCorpora, DEFINITIONS } from '../report/index.js';
export type { AnalyzeOptions, AnalyzeProgress, TokenizerSpec, Report, CellMetrics, TokenizerSummary, TokenizerResult, Corpus, CorpusUnit, CorpusFailure } from '../report/index.js';
export { udhrLanguages, udhrText, udhrUnits } from '../corpora/udhr.js';
