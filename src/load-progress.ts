// Loading a large tokenizer.json is seconds of one core call (Gemma3's 33 MB: ~3 s in Node). The
// core reports each stage of it (rust/core/src/tokenizer/progress.rs); this turns those reports
// into one fraction, so that a command shows the load as one bar that only moves forward.
import type { LoadStage } from './wasm.js';

export type { LoadStage };

/** `done` of `total` units of `stage`: bytes parsed, then tokens and merges built. */
export type LoadProgressCallback = (stage: LoadStage, done: number, total: number) => void;

/**
 * The stages in the order they run, each with its share of the load's time: Gemma3's
 * tokenizer.json loaded by a fresh Node process, as a command loads it (bench/load-progress.ts,
 * `cold.stageShares`, across runs: parse 0.54-0.63, vocab 0.07-0.09, merges 0.05-0.06, merge
 * table 0.22-0.30, added 0.02; in a process that has loaded before, parsing is much faster: 0.22
 * and the merge table 0.55). Other
 * tokenizers split differently (Llama-3 writes merges as "a b" strings, Gemma3 as pairs), which
 * only makes the bar's speed uneven: the fraction only grows, and reaches 1 when the load ends.
 */
const STAGES: readonly (readonly [LoadStage, number])[] = [
  ['parse', 0.53],
  ['vocab', 0.09],
  ['merges', 0.05],
  ['merge table', 0.3],
  ['added', 0.03],
];

/** The fraction (0..1) of a whole load done at a stage's report. */
export function loadFraction(stage: LoadStage, done: number, total: number): number {
  let before = 0;
  for (const [s, share] of STAGES) {
    if (s === stage) return Math.min(1, before + share * (total > 0 ? Math.min(done / total, 1) : 1));
    before += share;
  }
  return before;
}

/** The units of a load's progress in the commands' callbacks (trim, remap, report): thousandths. */
export const LOAD_STEPS = 1000;

/** A core load callback that calls `report(thousandths done, LOAD_STEPS, stage)`. */
export function loadSteps(report: (done: number, total: number, stage: LoadStage) => void): LoadProgressCallback {
  return (stage, done, total) => report(Math.round(LOAD_STEPS * loadFraction(stage, done, total)), LOAD_STEPS, stage);
}
