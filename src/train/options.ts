// Every training and counting option checked in one place, before any work (a typo must not cost
// a minute of counting first). The CLI builds TrainOptions from its flags and calls the same
// checks as the API; flags that only mean something together (SuperBPE's) are checked by
// checkCliCombinations, also here.
import { VocabsmithError } from '../errors.js';
import { loadWasm, trainPatternNames, WasmCounter } from '../wasm.js';
import type { TrainOptions } from './train.js';

/** Byte-level BPE starts from all 256 byte chars (initialAlphabet "bytes"). */
const BYTE_ALPHABET = 256;

let names: readonly string[] | undefined;
/** The named pretokenizer patterns (the one list lives in the Rust core: train::spec::PATTERN_NAMES). */
export function patternNames(): readonly string[] {
  loadWasm();
  names ??= trainPatternNames() as string[];
  return names;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest of `choices` to `word` when it is close enough to be a typo. */
export function didYouMean(word: string, choices: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of choices) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** A named pattern, or a VocabsmithError listing the names (raw regexes go in `regex`). */
export function checkPatternName(name: string): void {
  const all = patternNames();
  if (all.includes(name)) return;
  const guess = didYouMean(name, all);
  throw new VocabsmithError(
    `unknown pattern "${name}"${guess ? ` (did you mean ${guess}?)` : ''}; named patterns: ${all.join(', ')}; give a raw regex with --regex (API: regex)`,
  );
}

/** A regex the core's pretokenizer accepts, or a VocabsmithError saying why not. */
export function checkRegex(regex: string): void {
  if (regex === '') throw new VocabsmithError('--regex: empty pattern');
  loadWasm();
  try {
    new WasmCounter(regex).free();
  } catch (e) {
    throw new VocabsmithError(`--regex: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const isCount = (x: unknown, min = 0): x is number => typeof x === 'number' && Number.isInteger(x) && x >= min;

function count(name: string, value: unknown, min = 0): void {
  if (value !== undefined && value !== null && !isCount(value, min)) {
    throw new VocabsmithError(`${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
}

/** Pattern options shared by training and counting: `pattern` (a name) xor `regex`. */
export function checkPatternOptions(o: { pattern?: string; regex?: string; superbpe?: unknown }): void {
  if (o.pattern !== undefined && o.regex !== undefined) throw new VocabsmithError('give --pattern (a name) or --regex, not both');
  if (o.pattern !== undefined) checkPatternName(o.pattern);
  if (o.regex !== undefined) checkRegex(o.regex);
}

/** The special tokens a run writes: `specialTokens`, then any role token not among them. */
export function specialTokenList(o: Pick<TrainOptions, 'specialTokens' | 'bos' | 'eos' | 'pad' | 'unk'>): string[] {
  const out = [...(o.specialTokens ?? [])];
  for (const t of [o.bos, o.eos, o.pad, o.unk]) if (t !== undefined && !out.includes(t)) out.push(t);
  return out;
}

/** Checks every option of train(); throws one VocabsmithError for the first problem. */
export function checkTrainOptions(o: TrainOptions): void {
  if (!isCount(o.vocabSize, 1)) throw new VocabsmithError(`vocabSize must be a positive integer, got ${JSON.stringify(o.vocabSize)}`);
  const hasCorpus = (o.corpus?.length ?? 0) > 0;
  const hasCounts = (o.fromCounts?.length ?? 0) > 0;
  if (hasCorpus === hasCounts) throw new VocabsmithError(hasCorpus ? 'give a corpus or count files, not both' : 'no corpus and no count files given');
  count('minFrequency', o.minFrequency);
  count('limitAlphabet', o.limitAlphabet, 1);
  count('maxTokenLength', o.maxTokenLength, 1);
  count('workers', o.workers);
  count('modelMaxLength', o.modelMaxLength, 1);
  if (o.onInvalidUtf8 !== undefined && o.onInvalidUtf8 !== 'fail' && o.onInvalidUtf8 !== 'skip') {
    throw new VocabsmithError(`onInvalidUtf8 must be "fail" or "skip", got ${JSON.stringify(o.onInvalidUtf8)}`);
  }
  checkPatternOptions(o);
  const given = o.specialTokens ?? [];
  given.forEach((t, i) => {
    if (typeof t !== 'string' || t === '') throw new VocabsmithError(`special token #${i + 1} is empty`);
    if (given.indexOf(t) !== i) throw new VocabsmithError(`special token ${JSON.stringify(t)} is given twice`);
  });
  for (const [role, t] of Object.entries({ bos: o.bos, eos: o.eos, pad: o.pad, unk: o.unk })) {
    if (t !== undefined && (typeof t !== 'string' || t === '')) throw new VocabsmithError(`--${role} must be a non-empty token`);
  }
  const specials = specialTokenList(o).length;
  const bytes = (o.initialAlphabet ?? 'bytes') === 'bytes';
  const base = specials + (bytes ? BYTE_ALPHABET : 0);
  if (bytes && o.vocabSize < base) {
    throw new VocabsmithError(
      `vocab_size ${o.vocabSize} is smaller than the ${specials} special tokens plus the ${BYTE_ALPHABET} alphabet chars: raise it to at least ${base}, or use --initial-alphabet seen (initialAlphabet "seen": only the corpus's chars)`,
    );
  }
  const s = o.superbpe;
  if (s) {
    const points = [s.transition, s.numInheritMerges].filter((x) => x !== undefined).length;
    if (points !== 1) {
      throw new VocabsmithError('SuperBPE needs exactly one transition point: transition (a vocab size, or with transitionIsMergeCount a merge count) or numInheritMerges (official T: T - 1 merges)');
    }
    const official = s.numInheritMerges !== undefined;
    if (official && !isCount(s.numInheritMerges, 1)) {
      throw new VocabsmithError(`numInheritMerges must be an integer >= 1 (head -n T merges.txt keeps T - 1 merges), got ${JSON.stringify(s.numInheritMerges)}`);
    }
    if (!official && !isCount(s.transition, 1)) throw new VocabsmithError(`the SuperBPE transition must be a positive integer, got ${JSON.stringify(s.transition)}`);
    if (s.maxWords !== undefined && s.maxWords !== null) count('maxWords', s.maxWords, 1);
    if (s.stage1Pattern !== undefined && (o.pattern !== undefined || o.regex !== undefined)) {
      throw new VocabsmithError('give the stage-1 pattern once: pattern/regex or superbpe.stage1Pattern');
    }
    // The stage-1 vocabulary at the transition must be smaller than the final one, or stage 2
    // learns nothing; with a byte alphabet both bounds are known before counting.
    const merges = official || s.transitionIsMergeCount;
    const t = official ? (s.numInheritMerges as number) - 1 : (s.transition as number);
    const flag = official ? `--num-inherit-merges ${s.numInheritMerges}` : merges ? `--transition-merges ${t}` : `--transition ${t}`;
    const stage1Vocab = merges ? t + (bytes ? base : 0) : t;
    const what = merges ? `${flag} (${bytes ? `vocabulary ${stage1Vocab}` : 'merges'})` : flag;
    if (stage1Vocab >= o.vocabSize) {
      throw new VocabsmithError(`${what} is not below --vocab-size ${o.vocabSize}: SuperBPE hands over to stage 2 before the final size`);
    }
    if (!merges && bytes && t < base) {
      throw new VocabsmithError(`--transition ${t} is smaller than the ${specials} special tokens plus the ${BYTE_ALPHABET} alphabet chars`);
    }
  }
}

/** Commander flags (name -> whether the user gave it) that only mean something with --superbpe. */
export const SUPERBPE_ONLY_FLAGS = ['transition', 'transitionMerges', 'numInheritMerges', 'paper', 'maxWords', 'allowColonSpace'] as const;

/**
 * Flag combinations only the CLI can get wrong: SuperBPE flags without --superbpe (they would
 * silently train plain BPE), --superbpe without a transition, both transition forms.
 */
export function checkCliCombinations(o: Record<string, unknown>, given: (flag: string) => boolean, needsTransition: boolean): void {
  const kebab = (f: string) => `--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  if (!o.superbpe) {
    const stray = SUPERBPE_ONLY_FLAGS.filter(given);
    if (stray.length) throw new VocabsmithError(`${stray.map(kebab).join(', ')} only apply with --superbpe (without it plain BPE is trained)`);
    return;
  }
  const points = [o.transition, o.transitionMerges, o.numInheritMerges].filter((x) => x !== undefined).length;
  if (points > 1) throw new VocabsmithError('give one of --transition, --transition-merges and --num-inherit-merges, not several');
  if (needsTransition && points === 0) {
    throw new VocabsmithError('--superbpe needs --transition T (a vocabulary size), --transition-merges N (merges inherited) or --num-inherit-merges T (official: T-1 merges)');
  }
}
