// The shape of a report: every number analyze() computes, as written to report.json.
import type { CorpusFailure } from './corpora.js';
import type { SkippedFile } from '../corpus.js';

/** Counts and metrics of one tokenizer on one corpus. Rates are per token unless named otherwise. */
export interface CellMetrics {
  tokens: number;
  bytes: number;
  chars: number;
  words: number;
  continuedWords: number;
  byteFallback: number;
  unk: number;
  added: number;
  superword: number;
  /** Distinct ids used in this corpus. */
  types: number;
  shannonBits: number;
  renyiBits: number;
  /** H_α / log₂|V|, |V| = the tokenizer's vocabulary size. */
  renyiEfficiency: number;
  bytesPerToken: number;
  charsPerToken: number;
  /** Tokens per word (word: see Report.definitions.word). */
  fertility: number;
  /** Words split into two or more tokens / words. */
  continuedWordRate: number;
  /** Tokens with whitespace inside (spanning words) / tokens. */
  superwordShare: number;
  byteFallbackRate: number;
  unkRate: number;
  typeTokenRatio: number;
  /** Σ tokens(this) / Σ tokens(reference) over the aligned units both have; null without a reference. */
  premiumTotal: number | null;
  /** Mean over aligned units of tokens(this unit) / tokens(reference unit). */
  premiumMean: number | null;
  /** Token occurrences by UTF-8 byte length 0..15, then 16 or more. */
  lenHist: number[];
  /** Tokens per unit, in the order of the corpus's unitKeys. */
  unitTokens: number[];
}

export interface TokenizerSummary {
  tokens: number;
  bytes: number;
  chars: number;
  words: number;
  bytesPerToken: number;
  charsPerToken: number;
  fertility: number;
  continuedWordRate: number;
  superwordShare: number;
  byteFallbackRate: number;
  unkRate: number;
  /** Distinct ids used over all corpora / |V|. */
  vocabUtilisation: number;
  types: number;
  typeTokenRatio: number;
  shannonBits: number;
  renyiBits: number;
  renyiEfficiency: number;
  /** Tokenizer Fairness Gini over per-language parity premiums (ratio of totals). */
  giniParallel: number | null;
  /** Tokenizer Fairness Gini over per-language tokens/byte (TokEval's c_ℓ). */
  giniPerByte: number;
  /** Mean and maximum parity premium (ratio of totals) over languages. */
  meanPremium: number | null;
  maxPremium: number | null;
  lenHist: number[];
}

export interface TokenizerResult {
  name: string;
  source?: string;
  /** Why the tokenizer could not be loaded or measured; no numbers then. */
  error?: string;
  vocabSize?: number;
  loadSeconds?: number;
  /** Encoding plus metrics over all corpora, in WASM. */
  measureSeconds?: number;
  mbPerSecond?: number;
  summary?: TokenizerSummary;
  /** Per corpus name. */
  corpora?: Record<string, CellMetrics>;
}

export interface CorpusInfo {
  name: string;
  label: string;
  units: number;
  unitKeys: string[];
  bytes: number;
  /** Start of the corpus, shown coloured by token in the viewer. */
  sample: string;
}

/** One tokenizer's tokens of one sample: ids and [start, end) in UTF-16 units of the sample. */
export interface SampleTokens {
  ids: number[];
  starts: number[];
  ends: number[];
  /** Token strings as the vocabulary writes them (for hover). */
  pieces: string[];
}

export interface Report {
  tool: string;
  created: string;
  alpha: number;
  reference: string | null;
  definitions: Record<string, string>;
  corpora: CorpusInfo[];
  corpusFailures: CorpusFailure[];
  /** Files the corpus specs named that were not read (hidden, or matching `exclude`). */
  skippedFiles: SkippedFile[];
  tokenizers: TokenizerResult[];
  /** viewer[tokenizer][corpus] */
  viewer: Record<string, Record<string, SampleTokens>>;
  timing: { readCorporaSeconds: number; totalSeconds: number };
}
