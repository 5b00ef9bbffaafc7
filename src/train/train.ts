// Training byte-level BPE and SuperBPE tokenizers: count (in parallel, or from count files),
// train in the Rust core, write HF tokenizer.json + tokenizer_config.json.
import { join, dirname } from 'node:path';
import { VocabsmithError } from '../errors.js';
import { writeOutputs } from '../output.js';
import { Tokenizer } from '../tokenizer.js';
import { loadWasm, WasmCounter, WasmTrained, type CoreTrainPhase, type WasmWordCounts } from '../wasm.js';
import { countInputs, type CountProgress } from './count.js';
import { checkTrainOptions, specialTokenList } from './options.js';
import { readCountFiles, type CountSet } from './countfile.js';
import type { TrainInput } from './inputs.js';
import type { SkippedFile } from '../corpus.js';

export interface SuperBpeOptions {
  /**
   * Transition point t: stage 1 hands over when its vocabulary (specials + alphabet + merges)
   * reaches this size, the paper's t (or a merge count, see below). Give this or `numInheritMerges`.
   */
  transition?: number;
  /** Read `transition` as the exact number of stage-1 merges stage 2 inherits. */
  transitionIsMergeCount?: boolean;
  /**
   * The official scripts' `num_inherit_merges` T: stage 2 starts from `head -n T merges.txt` of
   * stage 1, whose line 1 is `#version`, so it inherits T - 1 merges. With
   * `initialAlphabet: 'seen'` this reproduces an official SuperBPE run exactly.
   */
  numInheritMerges?: number;
  /** Use the paper-era patterns (digits grouped by three, GPT-2-like stage 1). Default: the current official ones. */
  paper?: boolean;
  stage1Pattern?: string;
  stage2Pattern?: string;
  /** Most space-separated words in one token (official: 4); null for no limit. */
  maxWords?: number | null;
  /** Forbid tokens that span ": " (official: true). */
  forbidColonSpace?: boolean;
}

/** 'count' (here, in TS), then the core's phases. */
export type TrainPhase = 'count' | CoreTrainPhase;

export interface TrainProgress {
  phase: TrainPhase;
  /** SuperBPE stage (1 or 2) of a training phase. */
  stage?: 1 | 2;
  done: number;
  total: number;
}

export interface TrainOptions {
  /** Files, directories, globs, JSONL, .gz, streams, iterables, `{ text }`. */
  corpus?: readonly TrainInput[];
  /** Count files (from `vocabsmith count`) instead of a corpus; they are merged. */
  fromCounts?: readonly string[];
  vocabSize: number;
  minFrequency?: number;
  specialTokens?: readonly string[];
  /**
   * Chars always in the alphabet: "bytes" (default: the 256 byte chars, as HF's
   * ByteLevelBPETokenizer, so every input encodes), "seen" (only chars of the corpus, as a bare
   * HF `BpeTrainer()` and the official SuperBPE scripts; "" means the same), or a string of chars.
   */
  initialAlphabet?: 'bytes' | 'seen' | (string & {});
  limitAlphabet?: number;
  maxTokenLength?: number;
  /** Named pretokenizer: gpt2, llama3, qwen2, cl100k, o200k (default), ... (`patternNames()`); unknown names throw. */
  pattern?: string;
  /** A raw pretokenizer regex instead of a named pattern (HF `Split`, Isolated). */
  regex?: string;
  /**
   * Roles of special tokens in tokenizer_config.json (transformers' bos_token, eos_token,
   * pad_token, unk_token). A role token not in `specialTokens` is added after them. With `bos`,
   * tokenizer.json gets a post-processor that puts it before each sequence. Default: no roles
   * (the order of `specialTokens` means nothing beyond their ids).
   */
  bos?: string;
  eos?: string;
  pad?: string;
  unk?: string;
  /** `model_max_length` in tokenizer_config.json (default: not written; transformers then has no limit). */
  modelMaxLength?: number;
  superbpe?: SuperBpeOptions;
  workers?: number;
  jsonlField?: string;
  /** File-name globs to leave out of corpus directories and globs (e.g. `['README*', 'LICENSE*']`); default none. */
  exclude?: readonly string[];
  onInvalidUtf8?: 'fail' | 'skip';
  onProgress?: (p: TrainProgress) => void;
}

export interface TrainResult {
  /** The HF tokenizer.json. */
  json: string;
  /** A matching tokenizer_config.json (transformers). */
  configJson: string;
  vocabSize: number;
  merges: number;
  /** Sequences and distinct words counted, per pattern; files of the corpus specs not read (hidden, excluded); searches that hit the regex backtracking limit. */
  counted: { sequences: number; words: Record<string, number>; skipped: SkippedFile[]; limitHits: number };
  /** Loads the result as a vocabsmith Tokenizer. */
  tokenizer(): Tokenizer;
  /** Writes tokenizer.json (to `path`, or `path`/tokenizer.json for a directory) and tokenizer_config.json beside it. */
  save(path: string): string;
}

/** The file paths among training inputs and count files (never to be written over). */
export function trainInputPaths(o: Pick<TrainOptions, 'corpus' | 'fromCounts'>): string[] {
  const corpus = (o.corpus ?? []).flatMap((i) => (typeof i === 'string' ? [i] : typeof i === 'object' && i !== null && 'jsonl' in i ? [i.jsonl] : []));
  return [...corpus, ...(o.fromCounts ?? [])];
}

/** What `save(path)` writes: tokenizer.json (`path`, or inside the folder `path`) and tokenizer_config.json beside it. */
export function trainOutputs(path: string): [string, string] {
  const file = path.endsWith('.json') ? path : join(path, 'tokenizer.json');
  return [file, join(dirname(file), 'tokenizer_config.json')];
}

/** The patterns a training run counts with: one for BPE, two for SuperBPE. */
export function trainPatterns(o: Pick<TrainOptions, 'pattern' | 'regex' | 'superbpe'>): string[] {
  const s = o.superbpe;
  const given = o.regex ?? o.pattern;
  if (!s) return [given ?? 'o200k'];
  return [
    s.stage1Pattern ?? given ?? (s.paper ? 'superbpe-paper-stage1' : 'superbpe-stage1'),
    s.stage2Pattern ?? (s.paper ? 'superbpe-paper' : 'superbpe'),
  ];
}

/** Where stage 1 hands over: a vocabulary size, or an exact count of inherited merges. */
export function superbpeTransition(s: SuperBpeOptions): { value: number; isVocabSize: boolean } {
  const given = [s.transition !== undefined, s.numInheritMerges !== undefined].filter(Boolean).length;
  if (given !== 1) {
    throw new VocabsmithError('SuperBPE needs exactly one transition point: transition (a vocab size or, with transitionIsMergeCount, a merge count) or numInheritMerges (official T: T - 1 merges)');
  }
  if (s.numInheritMerges !== undefined) {
    if (!Number.isInteger(s.numInheritMerges) || s.numInheritMerges < 1) {
      throw new VocabsmithError(`numInheritMerges must be an integer >= 1 (head -n T merges.txt keeps T - 1 merges), got ${s.numInheritMerges}`);
    }
    return { value: s.numInheritMerges - 1, isVocabSize: false };
  }
  const t = s.transition as number;
  if (!Number.isInteger(t) || t < 0) throw new VocabsmithError(`transition must be a non-negative integer, got ${t}`);
  return { value: t, isVocabSize: !s.transitionIsMergeCount };
}

/** The trainer's `initialAlphabet` setting: "seen" is the empty forced alphabet. */
function initialAlphabet(a: string | undefined): string {
  if (a === undefined || a === 'bytes') return 'bytes';
  return a === 'seen' ? '' : a;
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  loadWasm();
  checkTrainOptions(options);
  const specialTokens = specialTokenList(options);
  const patterns = trainPatterns(options);
  const transition = options.superbpe ? superbpeTransition(options.superbpe) : undefined;
  let set: CountSet;
  let skipped: SkippedFile[] = [];
  if (options.fromCounts?.length) {
    set = readCountFiles(options.fromCounts);
    const have = set.tables.map((t) => t.pattern);
    if (JSON.stringify(have) !== JSON.stringify(patterns)) {
      throw new VocabsmithError(
        `the count files were made with patterns [${have.join(', ')}], this training needs [${patterns.join(', ')}]`,
        options.fromCounts[0],
      );
    }
  } else {
    const c = await countInputs(options.corpus ?? [], {
      patterns,
      workers: options.workers,
      jsonlField: options.jsonlField,
      exclude: options.exclude,
      onInvalidUtf8: options.onInvalidUtf8,
      onProgress: (p: CountProgress) => options.onProgress?.(p),
    });
    set = c;
    skipped = c.skipped;
  }
  const counted = { sequences: set.sequences, words: Object.fromEntries(set.tables.map((t) => [t.pattern, t.counts.size])), skipped, limitHits: set.limitHits ?? 0 };
  const first = set.tables[0]?.counts as WasmWordCounts;
  if (first.total === 0) throw new VocabsmithError('the corpus is empty: nothing to train on');
  const config = JSON.stringify({
    vocabSize: options.vocabSize,
    minFrequency: options.minFrequency ?? 0,
    specialTokens,
    initialAlphabet: initialAlphabet(options.initialAlphabet),
    limitAlphabet: options.limitAlphabet ?? null,
    maxTokenLength: options.maxTokenLength ?? null,
  });
  const report = (stage: 1 | 2 | undefined) => (phase: CoreTrainPhase, done: number, total: number) =>
    options.onProgress?.({ phase, stage, done, total });
  let trained = WasmTrained.trainBpe(first, config, report(options.superbpe ? 1 : undefined));
  const s = options.superbpe;
  if (s && transition) {
    const second = set.tables[1]?.counts as WasmWordCounts;
    const stage1 = trained;
    // Stage 2 never reads the stage-1 words: free them now so its trainer reuses that memory
    // (WASM memory only grows; what is freed before stage 2 is what keeps the peak down).
    // extend() empties `second` itself as soon as its phrases are symbols, for the same reason.
    first.free();
    trained = WasmTrained.extend(
      second,
      stage1,
      transition.value,
      transition.isVocabSize,
      config,
      s.maxWords === null ? undefined : (s.maxWords ?? 4),
      s.forbidColonSpace ?? true,
      report(2),
    );
    stage1.free();
  }
  const last = patterns[patterns.length - 1] as string;
  const counter = new WasmCounter(last);
  const json = trained.tokenizerJson(counter.preTokenizerJson(), options.bos);
  counter.free();
  const configJson = trained.tokenizerConfigJson(options.bos, options.eos, options.pad, options.unk, options.modelMaxLength);
  const result = { vocabSize: trained.vocabSize, merges: trained.mergeCount };
  trained.free();
  set.tables.forEach((t, i) => (i === 0 && s ? undefined : t.counts.free()));
  return {
    json,
    configJson,
    ...result,
    counted,
    tokenizer: () => Tokenizer.fromJSON(json),
    save(path: string) {
      const [file, config] = trainOutputs(path);
      // One transaction, never over an input: the corpus and count files this result came from.
      writeOutputs(
        [
          { path: file, data: json },
          { path: config, data: configJson },
        ],
        trainInputPaths(options),
      );
      return file;
    },
  };
}
