// analyze(): every tokenizer x every corpus. Encoding and the per-token counting run in WASM
// (WasmMetrics.measure, one call per tokenizer x corpus); what is left here is arithmetic over
// a few numbers per corpus (ratios, premiums, Gini).
import { Tokenizer } from '../tokenizer.js';
import { loadTokenizer } from '../load.js';
import { loadSteps, type LoadStage } from '../load-progress.js';
import { packTexts } from '../pack.js';
import { handle, loadWasm, readFields, WasmMetrics, gini, type Fields, type WasmCorpusCounts, type WasmPooledCounts } from '../wasm.js';
import { readCorpora, type Corpus, type CorpusFailure } from './corpora.js';
import { resolveUdhrCode } from '../corpora/udhr.js';
import { VocabsmithError } from '../errors.js';
import type { CellMetrics, CorpusInfo, Report, SampleTokens, TokenizerResult, TokenizerSummary } from './types.js';

export interface TokenizerSpec {
  name: string;
  /** tokenizer.json or tiktoken file; or give `tokenizer` already loaded. */
  path?: string;
  tokenizer?: Tokenizer;
}

export interface AnalyzeProgress {
  /** 'read corpora', then per tokenizer `<name> load` and `<name>` (corpora measured). */
  phase: string;
  done: number;
  total: number;
  /** On a `<name> load` phase: the core's load stage; `done` of `total` are thousandths of the load (load-progress.ts). */
  stage?: LoadStage;
}

export interface AnalyzeOptions {
  tokenizers: readonly TokenizerSpec[];
  /** Corpus specs (`udhr:all`, `udhr:eng,fra`, files, directories) or corpora already read. */
  corpora: readonly (string | Corpus)[];
  /** Corpus the parity premium is relative to (a corpus name, or a UDHR code, BCP 47 tag or ISO 639-3 code); default `eng` when present, else the first. */
  reference?: string;
  /** File-name globs to leave out of corpus directories and globs (listed in `report.skippedFiles`). */
  exclude?: readonly string[];
  /** Field of `.jsonl` corpus records (default "text"). */
  jsonlField?: string;
  /** Failures of corpora read beforehand (with readCorpora), carried into the report. */
  corpusFailures?: readonly CorpusFailure[];
  /** Rényi order (default 2.5, Zouhar et al. 2023). */
  alpha?: number;
  /** Characters of each corpus shown in the token viewer (default 120; 0 for none). */
  sampleChars?: number;
  onProgress?: (p: AnalyzeProgress) => void;
}

export const DEFINITIONS: Record<string, string> = {
  word:
    'A word is a maximal run of non-whitespace characters, except in scripts written without spaces ' +
    '(Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar), where each character counts as a word; ' +
    'fertility there is tokens per character and not comparable with space-delimited languages.',
  premiumTotal:
    'Parity premium, ratio of totals: Σ tokens(language) / Σ tokens(reference) over the aligned units ' +
    '(UDHR title, preamble and articles; lines of a file) that both have (Petrov et al. 2023).',
  premiumMean: 'Parity premium, mean of ratios: mean over aligned units of tokens(language unit) / tokens(reference unit).',
  gini:
    'Tokenizer Fairness Gini Σᵢⱼ|cᵢ−cⱼ|/(2n²μ): giniParallel with cᵢ = the premium (ratio of totals) of language i, ' +
    'giniPerByte with cᵢ = tokens/byte of language i. 0 = every language costs the same.',
  renyi: 'Rényi entropy H_α = log₂(Σpᵢ^α)/(1−α) of the token unigram distribution; efficiency = H_α/log₂|V|, |V| the vocabulary size.',
  superword: 'Superword: a token whose bytes contain whitespace between non-whitespace bytes (it spans words, as SuperBPE tokens do).',
  continuedWordRate: 'Proportion of continued words: words covered by two or more tokens / words (Rust et al. 2021).',
};

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

/** Measures every tokenizer on every corpus; failures are recorded in the report, never thrown. */
export function analyze(options: AnalyzeOptions): Report {
  const started = performance.now();
  const alpha = options.alpha ?? 2.5;
  const progress = options.onProgress ?? (() => {});
  loadWasm();

  const specs = options.corpora.filter((c): c is string => typeof c === 'string');
  progress({ phase: 'read corpora', done: 0, total: 1 });
  const read = readCorpora(specs, { exclude: options.exclude, jsonlField: options.jsonlField, onProgress: (done, total) => progress({ phase: 'read corpora', done, total }) });
  const corpora = [...options.corpora.filter((c): c is Corpus => typeof c !== 'string'), ...read.corpora];
  const corpusFailures: CorpusFailure[] = [...(options.corpusFailures ?? []), ...read.failures];
  const readCorporaSeconds = (performance.now() - started) / 1000;
  progress({ phase: 'read corpora', done: 1, total: 1 });

  let reference: string | null;
  try {
    reference = resolveReference(options.reference, corpora);
  } catch (e) {
    reference = null;
    corpusFailures.push({ name: options.reference ?? '', error: `${message(e)}: no parity premiums` });
  }
  const sampleChars = options.sampleChars ?? 120;
  const packed = corpora.map((c) => packTexts(c.units.map((u) => u.text)));
  const infos: CorpusInfo[] = corpora.map((c, i) => ({
    name: c.name,
    label: c.label,
    units: c.units.length,
    unitKeys: c.units.map((u) => u.key),
    bytes: packed[i]!.bytes.length,
    sample: sampleOf(c, sampleChars),
  }));

  const tokenizers: TokenizerResult[] = [];
  const viewer: Report['viewer'] = {};
  for (const spec of options.tokenizers) {
    const phase = `${spec.name}`;
    progress({ phase, done: 0, total: corpora.length });
    const t0 = performance.now();
    let tok: Tokenizer;
    try {
      const onProgress = options.onProgress && loadSteps((done, total, stage) => progress({ phase: `${spec.name} load`, done, total, stage }));
      tok = spec.tokenizer ?? loadTokenizer(spec.path ?? spec.name, undefined, { onProgress });
    } catch (e) {
      tokenizers.push({ name: spec.name, source: spec.path, error: `could not load: ${message(e)}` });
      progress({ phase, done: corpora.length, total: corpora.length });
      continue;
    }
    const loadSeconds = (performance.now() - t0) / 1000;
    try {
      const m = new WasmMetrics(handle(tok));
      const cells: Record<string, CellMetrics> = {};
      const t1 = performance.now();
      corpora.forEach((c, ci) => {
        cells[c.name] = cell(readFields(m.measure(handle(tok), packed[ci]!.bytes, packed[ci]!.ends, alpha)));
        progress({ phase, done: ci + 1, total: corpora.length });
      });
      const measureSeconds = (performance.now() - t1) / 1000;
      const pooled = readFields(m.pooled(alpha));
      m.free();
      premiums(cells, corpora, reference);
      const totalBytes = packed.reduce((n, p) => n + p.bytes.length, 0);
      tokenizers.push({
        name: spec.name,
        source: spec.path,
        vocabSize: tok.vocabSize,
        loadSeconds,
        measureSeconds,
        mbPerSecond: totalBytes / 1e6 / measureSeconds,
        summary: summarize(Object.values(cells), pooled),
        corpora: cells,
      });
      if (sampleChars > 0) viewer[spec.name] = Object.fromEntries(infos.map((c) => [c.name, sampleTokens(tok, c.sample)]));
    } catch (e) {
      tokenizers.push({ name: spec.name, source: spec.path, error: `failed while measuring: ${message(e)}` });
    } finally {
      if (!spec.tokenizer) tok.free();
    }
  }
  return {
    tool: 'vocabsmith report',
    created: new Date().toISOString(),
    alpha,
    reference,
    definitions: DEFINITIONS,
    corpora: infos,
    corpusFailures,
    skippedFiles: read.skipped,
    tokenizers,
    viewer,
    timing: { readCorporaSeconds, totalSeconds: (performance.now() - started) / 1000 },
  };
}

/**
 * The corpus name the parity premium is relative to: `wanted` as a corpus name, else as a UDHR
 * code, BCP 47 tag or ISO 639-3 code (`en`, `udhr:en`, `eng` all name the UDHR `eng` corpus), the
 * same resolution as `udhr:` corpus specs. Default: `eng` when present, else the first corpus.
 * Throws when `wanted` names no corpus.
 */
export function resolveReference(wanted: string | undefined, corpora: readonly Pick<Corpus, 'name'>[]): string | null {
  if (wanted === undefined) return corpora.some((c) => c.name === 'eng') ? 'eng' : (corpora[0]?.name ?? null);
  const has = (n: string) => corpora.some((c) => c.name === n);
  if (has(wanted)) return wanted;
  const bare = wanted.startsWith('udhr:') ? wanted.slice(5) : wanted;
  let code: string | undefined;
  try {
    code = resolveUdhrCode(bare);
  } catch {
    code = undefined;
  }
  if (code !== undefined && has(code)) return code;
  const names = corpora.slice(0, 8).map((c) => c.name).join(', ');
  throw new VocabsmithError(
    `reference '${wanted}' is not among the corpora${code !== undefined && code !== bare ? ` (it means UDHR ${code})` : ''}; corpora: ${names}${corpora.length > 8 ? ', ...' : ''}`,
  );
}

function sampleOf(c: Corpus, chars: number): string {
  const text = c.units.map((u) => u.text).join('\n');
  if (text.length <= chars) return text;
  // Cut at a whitespace near the limit so the sample ends with a whole word.
  const cut = text.lastIndexOf(' ', chars);
  return text.slice(0, cut > chars / 2 ? cut : chars);
}

function sampleTokens(tok: Tokenizer, text: string): SampleTokens {
  const e = tok.encodeWithOffsets(text);
  const ids = Array.from(e.ids);
  return { ids, starts: Array.from(e.starts), ends: Array.from(e.ends), pieces: ids.map((id) => tok.idToToken(id) ?? '') };
}

function cell(c: Fields<WasmCorpusCounts>): CellMetrics {
  const { tokens, bytes, chars, words, continuedWords, byteFallback, unk, added, superword, types } = c;
  return {
    tokens,
    bytes,
    chars,
    words,
    continuedWords,
    byteFallback,
    unk,
    added,
    superword,
    types,
    shannonBits: c.shannonBits,
    renyiBits: c.renyiBits,
    renyiEfficiency: c.renyiEfficiency,
    bytesPerToken: ratio(bytes, tokens),
    charsPerToken: ratio(chars, tokens),
    fertility: ratio(tokens, words),
    continuedWordRate: ratio(continuedWords, words),
    superwordShare: ratio(superword, tokens),
    byteFallbackRate: ratio(byteFallback, tokens),
    unkRate: ratio(unk, tokens),
    typeTokenRatio: ratio(types, tokens),
    premiumTotal: null,
    premiumMean: null,
    lenHist: Array.from(c.lenHist),
    unitTokens: Array.from(c.unitTokens),
  };
}

/** Fills premiumTotal and premiumMean of every cell against the reference corpus's cell. */
function premiums(cells: Record<string, CellMetrics>, corpora: Corpus[], reference: string | null): void {
  const ref = reference === null ? undefined : corpora.find((c) => c.name === reference);
  const refCell = reference === null ? undefined : cells[reference];
  if (!ref || !refCell) return;
  const refByKey = new Map(ref.units.map((u, i) => [u.key, refCell.unitTokens[i] ?? 0]));
  for (const c of corpora) {
    const m = cells[c.name]!;
    let a = 0;
    let b = 0;
    const ratios: number[] = [];
    c.units.forEach((u, i) => {
      const r = refByKey.get(u.key);
      if (r === undefined || r === 0) return;
      const t = m.unitTokens[i] ?? 0;
      a += t;
      b += r;
      ratios.push(t / r);
    });
    if (ratios.length === 0) continue;
    m.premiumTotal = a / b;
    m.premiumMean = ratios.reduce((x, y) => x + y, 0) / ratios.length;
  }
}

function summarize(cells: CellMetrics[], pooled: Fields<WasmPooledCounts>): TokenizerSummary {
  const sum = (k: keyof CellMetrics) => cells.reduce((n, c) => n + (c[k] as number), 0);
  const tokens = sum('tokens');
  const { types, shannonBits, renyiBits, renyiEfficiency, vocabSize } = pooled;
  const prem = cells.map((c) => c.premiumTotal).filter((p): p is number => p !== null);
  const lenHist = cells[0]?.lenHist.map((_, i) => cells.reduce((n, c) => n + (c.lenHist[i] ?? 0), 0)) ?? [];
  return {
    tokens,
    bytes: sum('bytes'),
    chars: sum('chars'),
    words: sum('words'),
    bytesPerToken: ratio(sum('bytes'), tokens),
    charsPerToken: ratio(sum('chars'), tokens),
    fertility: ratio(tokens, sum('words')),
    continuedWordRate: ratio(sum('continuedWords'), sum('words')),
    superwordShare: ratio(sum('superword'), tokens),
    byteFallbackRate: ratio(sum('byteFallback'), tokens),
    unkRate: ratio(sum('unk'), tokens),
    vocabUtilisation: ratio(types, vocabSize),
    types,
    typeTokenRatio: ratio(types, tokens),
    shannonBits,
    renyiBits,
    renyiEfficiency,
    giniParallel: prem.length > 1 ? gini(Float64Array.from(prem)) : null,
    giniPerByte: gini(Float64Array.from(cells.map((c) => ratio(c.tokens, c.bytes)))),
    meanPremium: prem.length ? prem.reduce((a, b) => a + b, 0) / prem.length : null,
    maxPremium: prem.length ? Math.max(...prem) : null,
    lenHist,
  };
}
