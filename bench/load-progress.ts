/**
 * What load progress costs (issue 14 item 7): Gemma3's 33 MB tokenizer.json loaded in Node by
 * the WASM core, variants interleaved (in rotated order) so that each sees the same machine state:
 *   - baseline: `WasmTokenizer.fromJson(text)` of another build (`--baseline REV`: its committed
 *     wasm/, e.g. the commit before load progress), when given;
 *   - no callback: this build's `fromJson(text)` (serde_json's parse, as the baseline's);
 *   - callback: this build's `fromJson(text, cb)` with a callback that does what a progress
 *     bar's does per report (loadFraction + a closure call), counting the reports.
 * Also the seconds each stage takes (from its first report to the next stage's), which set the
 * stage shares in src/load-progress.ts.
 *
 * Two settings: `warm`, all rounds in this process (after the first, the module is compiled and
 * its memory grown); `cold`, each load in a fresh child process, as a CLI command loads (the
 * first load in a process takes several times longer: tier-up compilation, memory growth).
 *
 *   npx tsx bench/load-progress.ts [--rounds 7] [--cold-rounds 5] [--tokenizer gemma3] [--baseline a77b60b]
 *
 * Output: bench/results/load-progress.json (with the load average before and after).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as glue from '../wasm/vocabsmith_wasm.js';
import { loadFraction, type LoadStage } from '../src/load-progress.js';
import { REPO_ROOT } from '../test/helpers/corpus.js';
import { realTokenizer, type RealTokenizerName } from '../test/helpers/tokenizers.js';

const arg = (name: string, dflt?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const rounds = Number(arg('rounds', '7'));
const coldRounds = Number(arg('cold-rounds', '5'));
const child = arg('child') as Variant | undefined;
const name = arg('tokenizer', 'gemma3') as RealTokenizerName;
const baselineRev = arg('baseline');

type Glue = typeof glue;
const wasmBytes = (dir: string) => readFileSync(join(dir, 'vocabsmith_wasm_bg.wasm'));

glue.initSync({ module: wasmBytes(join(REPO_ROOT, 'wasm')) });
let baseline: Glue | undefined;
if (baselineRev !== undefined) {
  // The other build's glue and module, as committed at that revision, in a module of their own.
  // Every child makes both (whichever it times): the same work before each load, since what a
  // fresh process does before its first load (V8 compiling the module in the background)
  // changes that load's time by more than the difference measured.
  const dir = mkdtempSync(join(os.tmpdir(), 'vocabsmith-load-baseline-'));
  for (const f of ['vocabsmith_wasm.js', 'vocabsmith_wasm_bg.wasm']) {
    writeFileSync(join(dir, f), execFileSync('git', ['show', `${baselineRev}:wasm/${f}`], { cwd: REPO_ROOT, maxBuffer: 1 << 30 }));
  }
  baseline = (await import(pathToFileURL(join(dir, 'vocabsmith_wasm.js')).href)) as Glue;
  baseline.initSync({ module: wasmBytes(dir) });
}

type Variant = 'baseline' | 'noCallback' | 'callback';
const path = realTokenizer(name).path;
const text = readFileSync(path, 'utf8');

/** One load of `variant`: its seconds, the reports it made and the seconds of each stage. */
function loadOnce(variant: Variant): { seconds: number; cpuSeconds: number; reports: number; stages: Record<string, number> } {
  let reports = 0;
  let bar = 0;
  const marks: [LoadStage, number][] = [];
  const cb = (stage: LoadStage, done: number, total: number) => {
    reports++;
    bar = Math.max(bar, loadFraction(stage, done, total));
    if (marks.at(-1)?.[0] !== stage) marks.push([stage, performance.now()]);
  };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const t = variant === 'baseline' ? baseline!.WasmTokenizer.fromJson(text) : variant === 'noCallback' ? glue.WasmTokenizer.fromJson(text) : glue.WasmTokenizer.fromJson(text, cb);
  const end = performance.now();
  const cpu = process.cpuUsage(c0);
  t.free();
  if (variant === 'callback' && bar < 0.999) throw new Error(`the bar ended at ${bar}`);
  const stages: Record<string, number> = {};
  marks.forEach(([stage, at], i) => (stages[stage] = ((marks[i + 1]?.[1] ?? end) - at) / 1000));
  // CPU time of the process (all its threads: V8 compiles the module in the background): less
  // moved than wall time by other work on a busy machine.
  return { seconds: (end - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, reports, stages };
}

if (child !== undefined) {
  process.stdout.write(JSON.stringify(loadOnce(child)));
  process.exit(0);
}
const loadavg = () => os.loadavg().map((x) => +x.toFixed(2));
const before = loadavg();

const variants: Variant[] = baseline ? ['baseline', 'noCallback', 'callback'] : ['noCallback', 'callback'];
const times: Record<string, number[]> = {};
const cpuTimes: Record<string, number[]> = {};
const stageSeconds: Record<string, number[]> = {};
let reports = 0;
/** The variants in round `r`: interleaved, and rotated so that none always comes first or after the same one. */
const order = (r: number) => variants.map((_, i) => variants[(i + r) % variants.length]!);
for (let r = 0; r < rounds; r++) {
  for (const v of order(r)) {
    const one = loadOnce(v);
    (times[v] ??= []).push(one.seconds);
    (cpuTimes[v] ??= []).push(one.cpuSeconds);
    if (v === 'callback') {
      reports = one.reports;
      for (const [k, x] of Object.entries(one.stages)) (stageSeconds[k] ??= []).push(x);
    }
  }
}
// Cold: each load in a fresh process, the variants in turn.
const cold: Record<string, number[]> = {};
const coldCpu: Record<string, number[]> = {};
const coldStages: Record<string, number[]> = {};
const self = fileURLToPath(import.meta.url);
for (let r = 0; r < coldRounds; r++) {
  for (const v of order(r)) {
    const args = ['--import', 'tsx', self, '--child', v, '--tokenizer', name, ...(baselineRev ? ['--baseline', baselineRev] : [])];
    const one = JSON.parse(execFileSync(process.execPath, args, { cwd: REPO_ROOT, maxBuffer: 1 << 24 }).toString()) as ReturnType<typeof loadOnce>;
    (cold[v] ??= []).push(one.seconds);
    (coldCpu[v] ??= []).push(one.cpuSeconds);
    if (v === 'callback') for (const [k, x] of Object.entries(one.stages)) (coldStages[k] ??= []).push(x);
  }
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const medians = (o: Record<string, number[]>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, +median(v).toFixed(3)]));
const overhead = (m: Record<string, number>) => ({
  callbackVsNoCallback: +(m.callback! / m.noCallback! - 1).toFixed(3),
  ...(m.baseline ? { noCallbackVsBaseline: +(m.noCallback! / m.baseline - 1).toFixed(3), callbackVsBaseline: +(m.callback! / m.baseline - 1).toFixed(3) } : {}),
});
const shares = (stages: Record<string, number>) => {
  const sum = Object.values(stages).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, +(v / sum).toFixed(3)]));
};
const warm = medians(times);
const coldM = medians(cold);
const result = {
  tokenizer: name,
  bytes: statSync(path).size,
  baselineRev,
  reportsPerLoad: reports,
  warm: { rounds, secondsMedian: warm, overhead: overhead(warm), cpuSecondsMedian: medians(cpuTimes), cpuOverhead: overhead(medians(cpuTimes)), stageSecondsMedian: medians(stageSeconds), stageShares: shares(medians(stageSeconds)), all: times, allCpu: cpuTimes },
  cold: coldRounds > 0 ? { rounds: coldRounds, secondsMedian: coldM, overhead: overhead(coldM), cpuSecondsMedian: medians(coldCpu), cpuOverhead: overhead(medians(coldCpu)), stageSecondsMedian: medians(coldStages), stageShares: shares(medians(coldStages)), all: cold, allCpu: coldCpu } : undefined,
  loadavg: { before, after: loadavg() },
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
  date: new Date().toISOString(),
};
console.log(JSON.stringify(result, null, 2));
writeFileSync(join(REPO_ROOT, 'bench', 'results', `load-progress${name === 'gemma3' ? '' : `-${name}`}.json`), `${JSON.stringify(result, null, 2)}\n`);
