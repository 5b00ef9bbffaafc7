// Issue 14 through the shipped CLI (dist/): the traps a new user hits in the first hour.
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realTokenizer } from '../helpers/tokenizers.js';
import { CORPORA_DIR } from '../helpers/corpus.js';
import { tokenizerArgs } from '../../src/cli/tokenizer-args.js';
import { runCli } from '../helpers/cli.js';

const run = runCli;
const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-cli-field-'));
const sonnets = join(CORPORA_DIR, 'en', 'shakespeare-sonnets.txt');
const llama = realTokenizer('llama3').path;

/** A failed command: exit 1, nothing on stdout, one line on stderr matching `message`. */
async function fails(args: string[], message: RegExp) {
  const r = await run(args);
  expect(r.status, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
}

describe('item 1: corpus files are never skipped silently', () => {
  it('count: a README-named file is counted; excluded and hidden files are listed; 0 sequences is an error', async () => {
    const d = join(dir, 'c1');
    mkdirSync(d);
    writeFileSync(join(d, 'README_dataset.txt'), 'a line of data\nanother\n');
    writeFileSync(join(d, '.DS_Store'), 'x');
    const out = join(dir, 'c1.counts');
    const r = await run(['count', '--corpus', d, '--workers', '0', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipped 1 file: .*\.DS_Store \(hidden file\)/);
    expect(r.stderr).toMatch(/counted 2 sequences/);
    const empty = join(dir, 'c1-empty.counts');
    await fails(['count', '--corpus', d, '--exclude', 'readme*', '--workers', '0', '--out', empty], /no corpus files: all 2 files were skipped/);
    writeFileSync(join(dir, 'empty.txt'), '');
    await fails(['count', '--corpus', join(dir, 'empty.txt'), '--workers', '0', '--out', empty], /counted 0 sequences: the corpus is empty/);
    expect(existsSync(empty)).toBe(false);
  });
});

describe('item 4: options checked before any work', () => {
  const out = join(dir, 'never', 'tokenizer.json');
  const train = (...args: string[]) => ['train', '--corpus', sonnets, '--vocab-size', '32000', '--out', out, ...args];
  it('typo in a pattern name, raw regex without --regex', async () => {
    await fails(train('--pattern', 'llama4'), /unknown pattern "llama4" \(did you mean llama3\?\)/);
    await fails(train('--pattern', '\\w+'), /unknown pattern "\\w\+".*--regex/);
  });
  it('SuperBPE flags without --superbpe, transition above the vocab size', async () => {
    await fails(train('--transition', '12000'), /--transition only apply with --superbpe/);
    await fails(train('--paper', '--max-words', '3'), /--paper, --max-words only apply with --superbpe/);
    await fails(train('--superbpe', '--transition', '40000'), /--transition 40000 is not below --vocab-size 32000/);
    await fails(train('--superbpe'), /--superbpe needs --transition/);
    await fails(['count', '--corpus', sonnets, '--paper', '--out', join(dir, 'x.counts')], /--paper only apply with --superbpe/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('item 3: special-token roles from flags', () => {
  it('--eos/--pad are written as given, not from the order of --special', async () => {
    const o = join(dir, 'roles', 'tokenizer.json');
    const r = await run(['train', '--corpus', sonnets, '--vocab-size', '400', '--special', '<|endoftext|>', '<|pad|>', '--bos', '<|begin|>', '--eos', '<|endoftext|>', '--pad', '<|pad|>', '--model-max-length', '1024', '--workers', '0', '--out', o]);
    expect(r.status, r.stderr).toBe(0);
    const cfg = JSON.parse(readFileSync(join(dir, 'roles', 'tokenizer_config.json'), 'utf8'));
    expect(cfg).toMatchObject({ bos_token: '<|begin|>', eos_token: '<|endoftext|>', pad_token: '<|pad|>', model_max_length: 1024 });
    const enc = await run(['encode', '--tokenizer', join(dir, 'roles'), '--add-special-tokens'], 'Hi');
    expect(JSON.parse(enc.stdout)[0]).toBe(2); // <|begin|>, added after the two --special tokens
  });
});

describe('item 5: reference codes resolve like udhr: codes; nothing measured is an error', () => {
  it('--reference en is UDHR eng', async () => {
    const out = join(dir, 'r5', 'r.html');
    const r = await run(['report', '--tokenizer', llama, '--corpus', 'udhr:eng,fra', '--reference', 'en', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'r5', 'r.json'), 'utf8')).reference).toBe('eng');
  });
  it('a reference that names no corpus fails before any tokenizer is loaded; all tokenizers failing writes nothing', async () => {
    const out = join(dir, 'r5b', 'r.html');
    await fails(['report', '--tokenizer', llama, '--corpus', 'udhr:eng,fra', '--reference', 'hi', '--out', out], /reference 'hi' is not among the corpora \(it means UDHR hin\); corpora: eng, fra/);
    const r = await run(['report', '--tokenizer', join(dir, 'nope.json'), '--corpus', 'udhr:eng', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nothing could be measured: the tokenizer failed/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('item 6: tokenizer names are unique; NAME=PATH', () => {
  it('same-named folders take more of their path; explicit names win; the same explicit name twice fails', async () => {
    expect(tokenizerArgs(['runs/a/final/tokenizer.json', 'runs/b/final/tokenizer.json']).map((t) => t.name)).toEqual(['a/final', 'b/final']);
    expect(tokenizerArgs(['runs/a/final', 'runs/b/final/']).map((t) => t.name)).toEqual(['a/final', 'b/final']);
    expect(tokenizerArgs(['mine=runs/a/final/tokenizer.json', 'x/o200k_base.tiktoken'])).toEqual([
      { name: 'mine', path: 'runs/a/final/tokenizer.json' },
      { name: 'o200k_base.tiktoken', path: 'x/o200k_base.tiktoken' },
    ]);
    expect(() => tokenizerArgs(['a=x.json', 'a=y.json'])).toThrow(/two tokenizers are named "a"/);
    expect(() => tokenizerArgs(['x/tokenizer.json', 'x/tokenizer.json'])).toThrow(/NAME=PATH/);
  });
  it('a report of two same-named tokenizers keeps both', async () => {
    for (const name of ['a', 'b']) {
      mkdirSync(join(dir, 'runs', name, 'final'), { recursive: true });
      cpSync(llama, join(dir, 'runs', name, 'final', 'tokenizer.json'));
    }
    const out = join(dir, 'r6', 'r.html');
    const r = await run(['report', '--tokenizer', join(dir, 'runs/a/final/tokenizer.json'), join(dir, 'runs/b/final'), '--corpus', 'udhr:eng', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(readFileSync(join(dir, 'r6', 'r.json'), 'utf8'));
    expect(rep.tokenizers.map((t: { name: string }) => t.name)).toEqual(['a/final', 'b/final']);
    expect(Object.keys(rep.viewer)).toEqual(['a/final', 'b/final']);
  });
});

describe('item 8: folders wherever a tokenizer.json is asked for', () => {
  it('--tokenizer takes a folder; a folder without one, a file given as --model, a hub id: one clear line', async () => {
    const folder = join(dir, 'tokdir');
    mkdirSync(folder);
    cpSync(llama, join(folder, 'tokenizer.json'));
    const r = await run(['encode', '--tokenizer', folder], 'Hello world');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([9906, 1917]);
    await fails(['encode', '--tokenizer', dir + '/runs'], /runs: a folder without tokenizer\.json/);
    await fails(['trim', '--model', join(folder, 'tokenizer.json'), '--corpus', 'udhr:eng', '--out', join(dir, 't8')], /--model takes the model folder \(.*tokdir\), not a file/);
    await fails(['encode', '--tokenizer', 'meta-llama/Llama-3.2-1B'], /meta-llama\/Llama-3\.2-1B: .*download it first.*vocabsmith never fetches models/);
  });
});

describe('item 9: --version', () => {
  it('prints the package version', async () => {
    const r = await run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  });
});

describe('item 10: readable tables, --json for machines', () => {
  it('stats: an aligned table without an (index) column; --json rows', async () => {
    const r = await run(['stats', '--tokenizer', `llama3=${llama}`, '--corpus', sonnets]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^tokenizer\s+tokens\s+bytes\/token\s+encode MB\/s\s+exact round trip$/);
    expect(r.stdout).not.toMatch(/\(index\)|'/);
    expect(lines[2]).toMatch(/^llama3\s+[\d,]+\s+[\d.]+\s+[\d.]+\s+yes$/);
    const j = JSON.parse((await run(['stats', '--tokenizer', `llama3=${llama}`, '--corpus', sonnets, '--json'])).stdout);
    expect(j[0]).toMatchObject({ tokenizer: 'llama3', roundTrip: true });
  });
  it('trim: label/value lines; --json report', async () => {
    const r = await run(['trim', '--tokenizer', llama, '--corpus', 'udhr:en', '--out', join(dir, 't10')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^tokens before\s+128,256$/m);
    expect(r.stdout).not.toMatch(/\(index\)|┌/);
    const j = JSON.parse((await run(['trim', '--tokenizer', llama, '--corpus', 'udhr:en', '--out', join(dir, 't10j'), '--json'])).stdout);
    expect(j.vocabBefore).toBe(128256);
  });
  it('merge-batch lists the new tokens it promises', async () => {
    const batch = join(dir, 'batch.txt');
    writeFileSync(batch, 'Menschenrechtserklärung und Menschenrechtserklärung\nMenschenrechtserklärung heute\n');
    const r = await run(['merge-batch', '-t', llama, '-i', batch, '--merges', '3']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^id\s+new token\s+from ids$/m);
    expect(r.stdout).toMatch(/^128256\s+"rechtser"\s+48731 805$/m);
    const j = JSON.parse((await run(['merge-batch', '-t', llama, '-i', batch, '--merges', '3', '--json'])).stdout);
    expect(j.newTokens).toHaveLength(3);
    expect(typeof j.newTokens[0].surface).toBe('string');
  });
});

describe('item 7: every phase shows progress while it runs', () => {
  // VOCABSMITH_PROGRESS=1 draws the bars without a terminal, one block per redraw. Before the fix
  // the bars were drawn from a timer, which cannot fire during a synchronous WASM call: a phase
  // only appeared once it had ended. Now a phase is drawn when it starts (and every 100 ms).
  const started = (stderr: string, phase: string) => new RegExp(`^ ${phase}\\s*\\|░+\\| 0% \\| 0/\\d+`, 'm').test(stderr);
  it('train: each SuperBPE phase is drawn at 0% before it ends', async () => {
    const r = await run(['train', '--corpus', sonnets, '--vocab-size', '1200', '--superbpe', '--transition', '900', '--workers', '0', '--out', join(dir, 'p7', 'tokenizer.json')], '', { VOCABSMITH_PROGRESS: '1' });
    expect(r.status, r.stderr).toBe(0);
    for (const phase of ['stage 1 merges', 'stage 2 pair counts', 'stage 2 merges']) expect(started(r.stderr, phase), phase).toBe(true);
    expect(r.stderr).not.toMatch(/ETA (LL|NF)s/); // cli-progress's 'NULL'/'INF' cut to two characters
    expect(r.stderr).toMatch(/\| ETA --$/m);
  });
  it('report: reading corpora and each tokenizer are drawn', async () => {
    const r = await run(['report', '--tokenizer', `llama3=${llama}`, '--corpus', 'udhr:eng,fra,deu', '--out', join(dir, 'p7r', 'r.html')], '', { VOCABSMITH_PROGRESS: '1' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^ read corpora\s*\|.*\| 3\/3 corpora/m);
    expect(started(r.stderr, 'report llama3')).toBe(true);
  });
  it('trim: the closure phase (one long core call on big vocabularies) is drawn when it starts', async () => {
    const r = await run(['trim', '--tokenizer', llama, '--corpus', 'udhr:eng', '--out', join(dir, 'p7t')], '', { VOCABSMITH_PROGRESS: '1' });
    expect(r.status, r.stderr).toBe(0);
    expect(started(r.stderr, 'closure')).toBe(true);
    expect(r.stderr).toMatch(/^ load: parse\s*\|░+\| 0% \| 0\/1000 ‰/m);
  });
  it('encode: loading Gemma3 (33 MB, one core call of seconds) is one bar that moves, labelled with its stage', async () => {
    const r = await run(['encode', '--tokenizer', realTokenizer('gemma3').path], 'Hello world', { VOCABSMITH_PROGRESS: '1' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('[9259,1902]\n');
    // Redrawn at most every 100 ms from inside the load: a load of a second or more is drawn
    // several times strictly between 0% and 100%.
    const inside = r.stderr.match(/^ load: (parse|vocab|merges|merge table|added)\s*\|[█░]+\| [1-9]\d?% \| \d+\/1000 ‰/gm) ?? [];
    expect(new Set(inside).size, r.stderr.slice(0, 2000)).toBeGreaterThanOrEqual(2);
  });
});
