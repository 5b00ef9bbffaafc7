/**
 * Training speed and memory: vocabsmith vs native Hugging Face `tokenizers`.
 *
 *   npm run bench:train              (= tsx bench/train.ts; needs `npm run build` first)
 *   tsx bench/train.ts --sizes 10,30,100 --vocab 32000 --transition 24000 --runs 1
 *
 * Corpus: the mixed corpus of bench/mixed-corpus.ts (>= 100 MB of prose in ~500
 * languages, Python, Rust, JS/TS, C, Markdown; built once into bench/data/mixed/),
 * prefixes of 10, 30 and 100 MB (whole ~10 MB parts).
 *
 * Each run is its own child process, so peak RSS is per run:
 *   vocabsmith: node bench/train-run.mjs (imports dist/), process.resourceUsage().maxRSS
 *   native HF : python bench/hf-train-run.py (runs scripts/hf_train.py), getrusage(SELF).ru_maxrss
 * Settings: byte-level BPE, vocab 32000, pattern o200k, initial alphabet = the 256
 * byte chars, no special tokens, min_frequency 0, all cores (vocabsmith: one counting
 * worker per core; HF: rayon). SuperBPE: vocab 32000, transition 24000 (vocabsmith
 * only: HF has no SuperBPE trainer).
 *
 * Before timing is reported, the merges (and vocab) of both are compared; a difference
 * is reported in the results, never hidden.
 *
 * Output: bench/results/train.json and bench/results/train.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../test/helpers/corpus.js';
import { pythonPath } from '../test/helpers/oracle.js';
import { loadWasm, WasmCounter } from '../src/wasm.js';
import { ensureMixedCorpus, mixedPrefix } from './mixed-corpus.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
}
const SIZES = arg('sizes', '10,30,100').split(',').map(Number);
const VOCAB = Number(arg('vocab', '32000'));
const TRANSITION = Number(arg('transition', '24000'));
const RUNS = Number(arg('runs', '1'));
const PATTERN = arg('pattern', 'o200k');
const OUT_DIR = join(REPO_ROOT, 'bench', 'results');
const WORK = join(REPO_ROOT, 'bench', 'data', 'train-bench');
const RUNNER = join(REPO_ROOT, 'bench', 'train-run.mjs');
const HF_RUNNER = join(REPO_ROOT, 'bench', 'hf-train-run.py');

interface RunResult {
  trainS: number;
  processS: number;
  /** wall seconds of the child process as seen from here (spawn to exit) */
  wallS: number;
  maxRssMB: number;
  userS: number;
  systemS: number;
  vocabSize?: number;
  merges?: number;
}

function child(cmd: string, args: string[]): RunResult {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, TOKENIZERS_PARALLELISM: 'true' } });
  const wallS = (performance.now() - t0) / 1000;
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args[0]} exited ${r.status}: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() as string;
  return { ...(JSON.parse(line) as Omit<RunResult, 'wallS'>), wallS };
}

function vocabsmithRun(opts: object, out?: string): RunResult {
  return child(process.execPath, [RUNNER, JSON.stringify({ ...opts, out })]);
}

function hfRun(files: string[], out: string, preTokenizer: unknown): RunResult & { version: string } {
  const req = join(WORK, 'hf-request.json');
  writeFileSync(
    req,
    JSON.stringify({ files, vocab_size: VOCAB, min_frequency: 0, special_tokens: [], pretokenizer: preTokenizer, limit_alphabet: null, max_token_length: null }),
  );
  return child(pythonPath(), [HF_RUNNER, req, out]) as RunResult & { version: string };
}

interface Model {
  model: { vocab: Record<string, number>; merges: [string, string][] | string[] };
}

function compare(a: Model, b: Model) {
  const ma = a.model.merges.map((m) => (Array.isArray(m) ? m.join(' ') : m));
  const mb = b.model.merges.map((m) => (Array.isArray(m) ? m.join(' ') : m));
  let first = -1;
  for (let i = 0; i < Math.max(ma.length, mb.length); i++) {
    if (ma[i] !== mb[i]) {
      first = i;
      break;
    }
  }
  const vocabSame = JSON.stringify(Object.entries(a.model.vocab).sort((x, y) => x[1] - y[1])) === JSON.stringify(Object.entries(b.model.vocab).sort((x, y) => x[1] - y[1]));
  return {
    mergesIdentical: first < 0,
    vocabIdentical: vocabSame,
    mergeCounts: [ma.length, mb.length] as [number, number],
    firstDifference: first < 0 ? null : { index: first, vocabsmith: ma[first] ?? null, hf: mb[first] ?? null },
  };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
/** Summary of repeated runs: the fastest run's times (the least disturbed by other load on a shared
 * machine), the median train time beside it, and the largest peak RSS. */
const best = (rs: RunResult[]) => {
  const fastest = rs.reduce((a, b) => (b.trainS < a.trainS ? b : a));
  return { ...fastest, medianTrainS: median(rs.map((r) => r.trainS)), maxRssMB: Math.max(...rs.map((r) => r.maxRssMB)) };
};

function cpuModel(): string {
  try {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1]!.trim();
  } catch {
    /* */
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

async function main() {
  if (process.argv.includes('--md-only')) {
    writeFileSync(join(OUT_DIR, 'train.md'), markdown(JSON.parse(readFileSync(join(OUT_DIR, 'train.json'), 'utf8'))));
    return;
  }
  if (!existsSync(join(REPO_ROOT, 'dist', 'train', 'train.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const manifest = ensureMixedCorpus();
  mkdirSync(WORK, { recursive: true });
  mkdirSync(OUT_DIR, { recursive: true });
  loadWasm();
  const counter = new WasmCounter(PATTERN);
  const preTokenizer = JSON.parse(counter.preTokenizerJson());
  counter.free();
  const pyv = spawnSync(pythonPath(), ['--version'], { encoding: 'utf8' }).stdout.trim();
  const gitRev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim();
  const gitDirty = spawnSync('git', ['status', '--porcelain', 'src', 'rust', 'wasm'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim() !== '';
  let hfVersion = '';

  const loadBefore = os.loadavg();
  const rows = [];
  for (const mb of SIZES) {
    const { files, bytes } = mixedPrefix(manifest, mb);
    process.stderr.write(`\n== ${mb} MB (${(bytes / 1e6).toFixed(1)} MB, ${files.length} files)\n`);
    const hfOut = join(WORK, `hf-${mb}.json`);
    const vsOut = join(WORK, `vs-${mb}.json`);
    const hf: RunResult[] = [];
    const vs: RunResult[] = [];
    const sup: RunResult[] = [];
    for (let run = 0; run < RUNS; run++) {
      // the three kinds alternate, so slow phases of other load on the machine spread over all of them
      const h = hfRun(files, hfOut, preTokenizer);
      hfVersion = h.version;
      hf.push(h);
      process.stderr.write(`  HF          train ${h.trainS.toFixed(2)} s, process ${h.wallS.toFixed(2)} s, RSS ${h.maxRssMB.toFixed(0)} MB\n`);
      const v = vocabsmithRun({ corpus: files, vocabSize: VOCAB, pattern: PATTERN }, vsOut);
      vs.push(v);
      process.stderr.write(`  vocabsmith  train ${v.trainS.toFixed(2)} s, process ${v.wallS.toFixed(2)} s, RSS ${v.maxRssMB.toFixed(0)} MB\n`);
      const s = vocabsmithRun({ corpus: files, vocabSize: VOCAB, superbpe: { transition: TRANSITION } });
      sup.push(s);
      process.stderr.write(`  SuperBPE    train ${s.trainS.toFixed(2)} s, process ${s.wallS.toFixed(2)} s, RSS ${s.maxRssMB.toFixed(0)} MB\n`);
    }
    const cmp = compare(JSON.parse(readFileSync(vsOut, 'utf8')), JSON.parse(readFileSync(hfOut, 'utf8')));
    process.stderr.write(`  merges identical: ${cmp.mergesIdentical}, vocab identical: ${cmp.vocabIdentical}${cmp.firstDifference ? ` (first difference at merge ${cmp.firstDifference.index}: ${JSON.stringify(cmp.firstDifference)})` : ''}\n`);
    if (!cmp.mergesIdentical) {
      // keep both for investigation
      writeFileSync(join(WORK, `mismatch-${mb}.json`), JSON.stringify(cmp, null, 1));
    } else {
      rmSync(hfOut, { force: true });
      rmSync(vsOut, { force: true });
    }
    rows.push({ mb, bytes, files: files.length, hf: best(hf), vocabsmith: best(vs), superbpe: best(sup), runs: { hf, vocabsmith: vs, superbpe: sup }, comparison: cmp });
  }

  const result = {
    benchmark: 'train',
    date: new Date().toISOString(),
    machine: {
      cpu: cpuModel(),
      cores: os.availableParallelism(),
      memGB: +(os.totalmem() / 2 ** 30).toFixed(1),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      loadavgBefore: loadBefore.map((x) => +x.toFixed(2)),
      loadavgAfter: os.loadavg().map((x) => +x.toFixed(2)),
    },
    versions: {
      vocabsmith: JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version,
      git: gitRev + (gitDirty ? ' (src/rust/wasm modified)' : ''),
      node: process.version,
      python: pyv,
      hfTokenizers: hfVersion,
    },
    settings: { vocabSize: VOCAB, pattern: PATTERN, initialAlphabet: '256 byte-level chars', specialTokens: [], minFrequency: 0, superbpeTransition: TRANSITION, runs: RUNS, workers: os.availableParallelism() },
    corpus: { recipe: 'bench/mixed-corpus.ts', totalBytes: manifest.totalBytes, sources: manifest.sources, parts: manifest.parts },
    notes: [
      'trainS: seconds inside train() (vocabsmith: counting + merges + writing the JSON string; HF: Tokenizer.train(files, trainer), i.e. reading, pre-tokenizing, counting, merging).',
      'wallS: the child process from spawn to exit (Node/Python start-up, imports, writing tokenizer.json included).',
      'maxRssMB: peak resident set of the child process (getrusage ru_maxrss), all threads.',
      'With several runs: the fastest run (by trainS) is reported, medianTrainS beside it, maxRssMB is the largest of the runs. cpuS = userS + systemS of the child.',
      'HF tokenizers has no SuperBPE trainer: SuperBPE is vocabsmith only.',
    ],
    rows,
  };
  writeFileSync(join(OUT_DIR, 'train.json'), JSON.stringify(result, null, 1) + '\n');
  writeFileSync(join(OUT_DIR, 'train.md'), markdown(result));
  process.stderr.write(`\nwrote bench/results/train.json and bench/results/train.md\n`);
}

type Summary = RunResult & { medianTrainS: number };
type Result = {
  date: string;
  machine: { cpu: string; cores: number; memGB: number; os: string; loadavgBefore?: number[]; loadavgAfter?: number[] };
  versions: Record<string, string>;
  settings: { vocabSize: number; pattern: string; superbpeTransition: number; runs: number };
  corpus: { totalBytes: number; sources: Record<string, { docs: number; bytes: number }> };
  rows: {
    mb: number;
    bytes: number;
    hf: Summary;
    vocabsmith: Summary;
    superbpe: Summary;
    comparison: ReturnType<typeof compare>;
  }[];
};

function markdown(r: Result): string {
  const f = (x: number, d = 2) => x.toFixed(d);
  const L: string[] = [];
  L.push('# Training: vocabsmith vs native HF tokenizers', '');
  L.push(
    `Byte-level BPE, vocab ${r.settings.vocabSize}, pattern ${r.settings.pattern}, 256 byte chars as initial alphabet, no special tokens, min_frequency 0; ` +
      `SuperBPE: vocab ${r.settings.vocabSize}, transition ${r.settings.superbpeTransition} (vocabsmith only: HF tokenizers has no SuperBPE trainer). ` +
      'Each run in its own process. MB = 10^6 bytes.',
    '',
  );
  L.push(
    `Corpus: prefixes of the mixed corpus (bench/mixed-corpus.ts, ${f(r.corpus.totalBytes / 1e6, 1)} MB: ` +
      Object.entries(r.corpus.sources)
        .map(([k, v]) => `${k} ${f(v.bytes / 1e6, 1)} MB`)
        .join(', ') +
      ').',
    '',
  );
  L.push(`Machine: ${r.machine.cpu} (${r.machine.cores} logical CPUs, ${r.machine.memGB} GiB), ${r.machine.os}; Node ${r.versions.node}, ${r.versions.python}, tokenizers ${r.versions.hfTokenizers}, vocabsmith ${r.versions.vocabsmith} (${r.versions.git}); ${r.date.slice(0, 10)}.`, '');
  const cpu = (x: RunResult) => x.userS + x.systemS;
  const load = r.machine.loadavgBefore ? ` Load average (1/5/15 min) before: ${r.machine.loadavgBefore.join(' / ')}, after: ${r.machine.loadavgAfter?.join(' / ')} (shared machine: other jobs ran beside the benchmark, so wall times are noisy; the CPU-time columns are less sensitive to that).` : '';
  L.push(`Each kind ran ${r.settings.runs}× per size, alternating; the table shows the fastest run (median in the JSON) and the largest peak RSS.${load}`, '');
  L.push('## BPE (merges compared with HF first)', '');
  L.push('| corpus | merges = HF | HF train s | vocabsmith train s | time vs/HF | HF CPU s | vocabsmith CPU s | CPU vs/HF | HF peak RSS MB | vocabsmith peak RSS MB | RSS vs/HF |');
  L.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of r.rows) {
    const c = row.comparison;
    const same = c.mergesIdentical && c.vocabIdentical ? `yes (${c.mergeCounts[0]})` : c.mergesIdentical ? 'merges yes, vocab NO' : `**NO** (first at ${c.firstDifference?.index})`;
    L.push(
      `| ${f(row.bytes / 1e6, 1)} MB | ${same} | ${f(row.hf.trainS)} | ${f(row.vocabsmith.trainS)} | ${f(row.vocabsmith.trainS / row.hf.trainS)}× | ${f(cpu(row.hf))} | ${f(cpu(row.vocabsmith))} | ${f(cpu(row.vocabsmith) / cpu(row.hf))}× | ${f(row.hf.maxRssMB, 0)} | ${f(row.vocabsmith.maxRssMB, 0)} | ${f(row.vocabsmith.maxRssMB / row.hf.maxRssMB)}× |`,
    );
  }
  L.push('', 'Ratios are vocabsmith / HF: below 1× means vocabsmith takes less time or memory.');
  L.push('', '## SuperBPE (vocabsmith only; HF tokenizers has no SuperBPE trainer)', '');
  L.push('| corpus | train s | CPU s | peak RSS MB | time vs vocabsmith BPE | RSS vs vocabsmith BPE |');
  L.push('|---|---:|---:|---:|---:|---:|');
  for (const row of r.rows) {
    L.push(
      `| ${f(row.bytes / 1e6, 1)} MB | ${f(row.superbpe.trainS)} | ${f(cpu(row.superbpe))} | ${f(row.superbpe.maxRssMB, 0)} | ${f(row.superbpe.trainS / row.vocabsmith.trainS)}× | ${f(row.superbpe.maxRssMB / row.vocabsmith.maxRssMB)}× |`,
    );
  }
  if (r.rows.length > 1) {
    const a = r.rows[0]!;
    const b = r.rows[r.rows.length - 1]!;
    const k = b.bytes / a.bytes;
    const mid = r.rows.length > 2 ? r.rows[1]! : undefined;
    L.push('', `## Growth with corpus size (relative to ${f(a.bytes / 1e6, 1)} MB)`, '');
    L.push(`| | ${mid ? `train time at ${f(mid.bytes / 1e6, 0)} MB | ` : ''}train time at ${f(b.bytes / 1e6, 0)} MB (${f(k, 1)}× data) | CPU time at ${f(b.bytes / 1e6, 0)} MB | peak RSS at ${f(b.bytes / 1e6, 0)} MB |`);
    L.push(`|---|${mid ? '---:|' : ''}---:|---:|---:|`);
    for (const [name, key] of [['HF BPE', 'hf'], ['vocabsmith BPE', 'vocabsmith'], ['vocabsmith SuperBPE', 'superbpe']] as const) {
      L.push(`| ${name} | ${mid ? `${f(mid[key].trainS / a[key].trainS)}× | ` : ''}${f(b[key].trainS / a[key].trainS)}× | ${f(cpu(b[key]) / cpu(a[key]))}× | ${f(b[key].maxRssMB / a[key].maxRssMB)}× |`);
    }
  }
  const bad = r.rows.filter((x) => !x.comparison.mergesIdentical);
  if (bad.length) {
    L.push('', '## Merge differences', '');
    for (const x of bad) L.push(`- ${f(x.bytes / 1e6, 1)} MB: ${JSON.stringify(x.comparison)}`);
  }
  L.push(
    '',
    'train s: inside the train call (vocabsmith: reading + counting in worker threads + WASM merges + JSON; HF: `Tokenizer.train`). ' +
      'CPU s: user + system CPU time of the whole child process (all threads; start-up included). Process wall time (spawn to exit) is in the JSON as wallS. Peak RSS: getrusage ru_maxrss of the child process.',
    '',
  );
  return L.join('\n');
}

await main();
