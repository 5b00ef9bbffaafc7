// One vocabsmith training run in its own process, for bench/train.ts and bench/superbpe.ts:
//   node bench/train-run.mjs '<json: {corpus, fromCounts, vocabSize, pattern, superbpe, workers, out}>'
// Imports the built library (dist/; `npm run build` first). Writes the tokenizer.json to `out`
// (when given) and prints one JSON line: train() seconds, process wall seconds, peak RSS.
import { writeFileSync } from 'node:fs';
import { train } from '../dist/train/train.js';

const opts = JSON.parse(process.argv[2]);
const { out, ...trainOpts } = opts;
const t0 = performance.now();
const r = await train(trainOpts);
const trainS = (performance.now() - t0) / 1000;
if (out) writeFileSync(out, r.json);
const ru = process.resourceUsage();
process.stdout.write(
  JSON.stringify({
    trainS,
    processS: performance.now() / 1000, // since process start (includes Node startup and module loading)
    maxRssMB: ru.maxRSS / 1024, // maxRSS is in KiB; whole process, worker threads included
    userS: ru.userCPUTime / 1e6,
    systemS: ru.systemCPUTime / 1e6,
    vocabSize: r.vocabSize,
    merges: r.merges,
    counted: r.counted,
  }) + '\n',
);
