/**
 * One machine, growing corpora: BPE 32k and SuperBPE (t = 75 %: transition 24000) on prefixes of
 * the scale corpus (bench/scale-corpus.ts), against native HF BpeTrainer on the same files.
 *
 *   npm run bench:scale                       (= tsx bench/scale.ts; builds dist/ first)
 *   tsx bench/scale.ts --sizes 100,300,1000,3000 --hf-max 1000
 *   tsx bench/scale.ts --runs superbpe        (only these runs; the others of a row are kept when
 *                                              the row was measured on the same bytes)
 *   tsx bench/scale.ts --rows-from other.json (no runs: the runs of another run's scale.json, made
 *                                              in parallel, replace those of the row of the same
 *                                              size when measured on the same bytes; else the row)
 *   tsx bench/scale.ts --out-dir DIR          (results in DIR/scale.{json,md}, read back from there:
 *                                              two runs in parallel, merged after with --rows-from)
 *
 * Every run is its own child process (bench/train-run.mjs, bench/hf-train-run.py: peak RSS per
 * run). Merges and vocab of vocabsmith and HF are compared before any time is reported. Growth
 * slopes are log(y2/y1) / log(size2/size1) between consecutive sizes (1 = linear). Results are
 * written after every size (bench/results/scale.json + .md), so a run cut short keeps what it has.
 * The load average at the start and end of each run is recorded: on a shared machine wall time
 * is inflated, CPU time much less so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../test/helpers/corpus.js';
import { pythonPath } from '../test/helpers/oracle.js';
import { loadWasm, WasmCounter } from '../src/wasm.js';
import { ensureScaleCorpus, scalePrefix } from './scale-corpus.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
}
const SIZES = arg('sizes', '100,300,1000,3000').split(',').map(Number);
const HF_MAX = Number(arg('hf-max', '1000'));
/** Which runs to make; a row's other runs are kept from the last results if measured on the same bytes. */
const RUNS = new Set(arg('runs', 'bpe,superbpe,hf').split(','));
for (const r of RUNS) if (!['bpe', 'superbpe', 'hf'].includes(r)) throw new Error(`--runs: unknown run ${r} (bpe, superbpe, hf)`);
const VOCAB = 32000;
const TRANSITION = 24000;
const OUT_DIR = arg('out-dir', join(REPO_ROOT, 'bench', 'results'));
const WORK = join(REPO_ROOT, 'bench', 'data', 'scale-bench');

interface Run {
  wallS: number;
  trainS: number | null;
  cpuS: number;
  maxRssMB: number;
  loadBefore: number;
  loadAfter: number;
  words?: Record<string, number>;
  merges?: number;
}

function child(cmd: string, args: string[]): Run {
  const loadBefore = os.loadavg()[0] as number;
  const t0 = performance.now();
  const r = spawnSync('nice', ['-n', '10', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args[0]} exited ${r.status}: ${r.stderr}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop() as string);
  return { wallS, trainS: j.trainS ?? null, cpuS: j.userS + j.systemS, maxRssMB: j.maxRssMB, loadBefore, loadAfter: os.loadavg()[0] as number, words: j.counted?.words, merges: j.merges };
}

const model = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { model: { vocab: Record<string, number>; merges: unknown[] } }).model;

interface Row {
  sizeMB: number;
  bytes: number;
  /** Absent only while a run of other kinds (--runs without bpe, in parallel) has not been merged in yet. */
  bpe?: Run;
  superbpe?: Run;
  /** Why SuperBPE has no figures at this size (its run failed: the error's first line). */
  superbpeFailed?: string;
  hf?: Run & { identical: boolean };
  hfSkipped?: string;
}

const slope = (a: number, b: number, x1: number, x2: number) => Math.log(b / a) / Math.log(x2 / x1);

function write(rows: Row[]) {
  // Consecutive sizes, then the whole range when there are more than two.
  const pairs: [Row, Row][] = rows.slice(1).map((r, i) => [rows[i] as Row, r]);
  if (rows.length > 2) pairs.push([rows[0] as Row, rows[rows.length - 1] as Row]);
  const slopes = pairs.map(([p, r]) => {
    const s = (f: (x: Row) => number | undefined) => {
      const a = f(p);
      const b = f(r);
      return a && b ? Number(slope(a, b, p.bytes, r.bytes).toFixed(2)) : null;
    };
    return {
      from: p.sizeMB,
      to: r.sizeMB,
      bpeCpu: s((x) => x.bpe?.cpuS),
      bpeRss: s((x) => x.bpe?.maxRssMB),
      bpeWords: s((x) => x.bpe?.words?.o200k),
      superbpeCpu: s((x) => x.superbpe?.cpuS),
      superbpeRss: s((x) => x.superbpe?.maxRssMB),
      superbpeWords: s((x) => x.superbpe?.words?.superbpe),
      hfCpu: s((x) => x.hf?.cpuS),
      hfRss: s((x) => x.hf?.maxRssMB),
    };
  });
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  const note =
    'Machine shared with other agents while this ran (2 cores; 1-min load average at the start and end of each run in the last column, 2.2-6.8 in the committed run, where BPE+HF and SuperBPE ran as two parallel processes merged with --rows-from): wall times are inflated and noisy, CPU times and peak RSS are the figures to compare. Each run is niced.';
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, 'scale.json'), JSON.stringify({ date: new Date().toISOString(), machine, note, vocab: VOCAB, transition: TRANSITION, rows, slopes }, null, 1));
  const f = (x: number | undefined | null, d = 1) => (x === undefined || x === null ? '—' : x.toFixed(d));
  const load = (r: Run | undefined) => (r ? `${f(r.loadBefore)}–${f(r.loadAfter)}` : '—');
  const md = [
    '# Training at scale: BPE 32k and SuperBPE (t = 24000) vs native HF BpeTrainer',
    '',
    note,
    '',
    `Machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memGB} GB, Node ${machine.node}. Corpus: prefixes of the scale corpus (bench/scale-corpus.ts). Pattern o200k, 256 byte chars as initial alphabet, all cores.`,
    '',
    '| size | distinct words (o200k) | vocabsmith BPE wall / CPU s | peak RSS MB | SuperBPE wall / CPU s | peak RSS MB | SuperBPE stage-2 words | HF BPE wall / CPU s | peak RSS MB | merges identical | load avg BPE / SuperBPE / HF (start–end) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.sizeMB} MB | ${r.bpe?.words?.o200k ?? '—'} | ${r.bpe ? `${f(r.bpe.wallS)} / ${f(r.bpe.cpuS)}` : 'not run'} | ${f(r.bpe?.maxRssMB, 0)} | ${r.superbpe ? `${f(r.superbpe.wallS)} / ${f(r.superbpe.cpuS)}` : (r.superbpeFailed ?? 'not finished')} | ${f(r.superbpe?.maxRssMB, 0)} | ${r.superbpe?.words?.superbpe ?? '—'} | ${r.hf ? `${f(r.hf.wallS)} / ${f(r.hf.cpuS)}` : (r.hfSkipped ?? '—')} | ${f(r.hf?.maxRssMB, 0)} | ${r.hf ? (r.hf.identical ? 'yes' : '**NO**') : '—'} | ${load(r.bpe)} / ${load(r.superbpe)} / ${load(r.hf)} |`,
    ),
    '',
    'Growth slopes (log-log between consecutive sizes; 1 = linear):',
    '',
    '| from → to | BPE CPU | BPE RSS | distinct words | SuperBPE CPU | SuperBPE RSS | stage-2 words | HF CPU | HF RSS |',
    '|---|---|---|---|---|---|---|---|---|',
    ...slopes.map((s) => `| ${s.from} → ${s.to} MB | ${f(s.bpeCpu, 2)} | ${f(s.bpeRss, 2)} | ${f(s.bpeWords, 2)} | ${f(s.superbpeCpu, 2)} | ${f(s.superbpeRss, 2)} | ${f(s.superbpeWords, 2)} | ${f(s.hfCpu, 2)} | ${f(s.hfRss, 2)} |`),
    '',
  ];
  writeFileSync(join(OUT_DIR, 'scale.md'), md.join('\n'));
}

function hf(row: Row, files: string[], size: number, ours: string, pre: unknown) {
  process.stderr.write(`${size} MB: native HF ...\n`);
  const req = join(WORK, 'hf-request.json');
  const hfOut = join(WORK, `hf-${size}.json`);
  writeFileSync(req, JSON.stringify({ files, vocab_size: VOCAB, min_frequency: 0, special_tokens: [], pretokenizer: pre, limit_alphabet: null, max_token_length: null }));
  try {
    const run = child(pythonPath(), [join(REPO_ROOT, 'bench', 'hf-train-run.py'), req, hfOut]);
    const a = model(ours);
    const b = model(hfOut);
    const identical = JSON.stringify(a.merges) === JSON.stringify(b.merges) && JSON.stringify(a.vocab) === JSON.stringify(b.vocab);
    row.hf = { ...run, identical };
    delete row.hfSkipped;
  } catch (e) {
    row.hfSkipped = `failed: ${(e as Error).message.slice(0, 80)}`;
  }
}

/** Why HF is not run past --hf-max: its time there, extrapolated from the last two sizes it ran. */
function hfProjection(rows: Row[], bytes: number): string {
  const done = rows.filter((r) => r.hf && r.bytes < bytes);
  const [a, b] = done.slice(-2);
  if (!a?.hf || !b?.hf) return `not run (--hf-max ${HF_MAX})`;
  const at = (x1: number, x2: number) => x2 * (bytes / b.bytes) ** slope(x1, x2, a.bytes, b.bytes);
  return `not run (--hf-max ${HF_MAX}): projected ~${Math.round(at(a.hf.cpuS, b.hf.cpuS))} s CPU, ~${Math.round(at(a.hf.wallS, b.hf.wallS))} s wall from ${a.sizeMB}→${b.sizeMB} MB`;
}

function main() {
  const m = ensureScaleCorpus();
  loadWasm();
  const counter = new WasmCounter('o200k');
  const pre = JSON.parse(counter.preTokenizerJson());
  counter.free();
  mkdirSync(WORK, { recursive: true });
  // Rows of sizes not measured in this run are kept from the last results (runs can be split up).
  const prev = join(OUT_DIR, 'scale.json');
  const rows: Row[] = existsSync(prev) ? (JSON.parse(readFileSync(prev, 'utf8')) as { rows: Row[] }).rows : [];
  const from = arg('rows-from', '');
  if (from) {
    for (const r of (JSON.parse(readFileSync(from, 'utf8')) as { rows: Row[] }).rows) {
      const i = rows.findIndex((x) => x.sizeMB === r.sizeMB);
      const old = rows[i];
      if (old && old.bytes === r.bytes) {
        // Same bytes: the runs the other file has replace ours, the rest of ours is kept.
        if (r.bpe) old.bpe = r.bpe;
        if (r.superbpe) {
          old.superbpe = r.superbpe;
          delete old.superbpeFailed;
        } else if (r.superbpeFailed) old.superbpeFailed = r.superbpeFailed;
        if (r.hf) {
          old.hf = r.hf;
          delete old.hfSkipped;
        } else if (r.hfSkipped && !old.hf) old.hfSkipped = r.hfSkipped;
        continue;
      }
      if (i >= 0) rows.splice(i, 1);
      rows.push(r);
    }
    rows.sort((a, b) => a.sizeMB - b.sizeMB);
    write(rows);
    return;
  }
  for (const size of SIZES) {
    const files = scalePrefix(m, size);
    const bytes = files.reduce((n, f) => n + readFileSync(f).length, 0);
    if (bytes < size * 1e6 * 0.95) {
      process.stderr.write(`only ${(bytes / 1e6).toFixed(0)} MB of material: stopping before ${size} MB\n`);
      break;
    }
    const runner = join(REPO_ROOT, 'bench', 'train-run.mjs');
    const ours = join(WORK, `bpe-${size}.json`);
    let row = rows.find((r) => r.sizeMB === size);
    if (row && row.bytes !== bytes) {
      // Measured on other bytes (an older corpus): nothing of it is kept.
      rows.splice(rows.indexOf(row), 1);
      row = undefined;
    }
    if (!row) {
      if (RUNS.has('hf') && !RUNS.has('bpe')) throw new Error(`no BPE run for ${size} MB on these bytes in ${prev} to compare HF with: include bpe in --runs`);
      row = { sizeMB: size, bytes };
      rows.push(row);
      rows.sort((a, b) => a.sizeMB - b.sizeMB);
    }
    if (RUNS.has('hf') && !RUNS.has('bpe') && !row.bpe) throw new Error(`no BPE run for ${size} MB in ${prev} to compare HF with: include bpe in --runs`);
    if (RUNS.has('bpe')) {
      process.stderr.write(`${size} MB: vocabsmith BPE ...\n`);
      row.bpe = child(process.execPath, [runner, JSON.stringify({ corpus: files, vocabSize: VOCAB, out: ours })]);
      delete row.hf; // compared against the tokenizer just written
      // Partial rows are written as they come: a run cut short keeps every finished measurement.
      write(rows);
    }
    if (RUNS.has('superbpe')) {
      process.stderr.write(`${size} MB: vocabsmith SuperBPE ...\n`);
      try {
        row.superbpe = child(process.execPath, [runner, JSON.stringify({ corpus: files, vocabSize: VOCAB, superbpe: { transition: TRANSITION }, out: join(WORK, `superbpe-${size}.json`) })]);
        delete row.superbpeFailed;
      } catch (e) {
        // Recorded, not thrown: the other runs of the row and the other sizes still count.
        const line = (e as Error).message.split('\n').find((l) => /Error\b/.test(l) && !l.includes('exited')) ?? (e as Error).message.split('\n')[0];
        row.superbpeFailed = `failed: ${line?.trim().slice(0, 160)}`;
        delete row.superbpe;
        process.stderr.write(`${size} MB: SuperBPE ${row.superbpeFailed}\n`);
      }
      write(rows);
    }
    if (RUNS.has('hf')) {
      if (size <= HF_MAX) hf(row, files, size, ours, pre);
      else row.hfSkipped = hfProjection(rows, bytes);
      write(rows);
    }
    process.stderr.write(`${size} MB done\n`);
  }
}

main();
