// Data loss: every command, every way an output path can name one of its inputs (the same path
// spelled differently, a symlink, a hard link, a symlinked folder, a report's sibling file), must
// be refused with one error line and leave the folder byte-identical. Outputs are one transaction;
// temporaries never outlive a run. Runs the built CLI (npm run build first).
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { basename, dirname, extname, join } from 'node:path';
import { expectCleanFailure, scratch, snapshot, vocabsmith } from '../helpers/hostile.js';
import { makeModel } from '../remap/model.js';

const CORPUS = 'the quick brown fox jumps over the lazy dog\nthe lazy dog sleeps\nhello world, hello there\n'.repeat(20);
let base: string;

beforeAll(async () => {
  base = scratch('dataloss-base');
  writeFileSync(join(base, 'corpus.txt'), CORPUS);
  writeFileSync(join(base, 'corpus.json'), CORPUS); // a corpus named like an output, for train's .json rule
  mkdirSync(join(base, 'texts'));
  writeFileSync(join(base, 'texts', 'a.txt'), CORPUS);
  writeFileSync(join(base, 'batch.txt'), 'the quick brown fox\nthe lazy dog\n');
  mkdirSync(join(base, 'sub'));
  const t = await vocabsmith(['train', '--corpus', 'corpus.txt', '-v', '280', '-j', '0', '--out', 'tok/tokenizer.json'], base);
  expect(t.status, t.stderr).toBe(0);
  const c = await vocabsmith(['count', '--corpus', 'corpus.txt', '-j', '0', '--out', 'base.counts'], base);
  expect(c.status, c.stderr).toBe(0);
  cpSync(join(base, 'base.counts'), join(base, 'counts.json'));
});

/** A fresh copy of the base folder. */
function fresh(): string {
  const dir = scratch('dataloss');
  cpSync(base, dir, { recursive: true });
  return dir;
}

/** Ways of naming the input `p` (relative to the folder) as an output; some make a link first. */
const ALIASES: Record<string, (dir: string, p: string) => string> = {
  same: (_d, p) => p,
  dotslash: (_d, p) => `./${p}`,
  absolute: (d, p) => join(d, p),
  dotdot: (_d, p) => `sub/../${p}`,
  symlink: (d, p) => {
    const l = `alias-symlink${extname(p)}`;
    symlinkSync(join(d, p), join(d, l));
    return l;
  },
  hardlink: (d, p) => {
    const l = `alias-hardlink${extname(p)}`;
    linkSync(join(d, p), join(d, l));
    return l;
  },
  'symlinked folder': (d, p) => {
    symlinkSync(join(d, dirname(p)), join(d, 'alias-dir'));
    return `alias-dir/${basename(p)}`;
  },
};

/** Commands, the input their output is aimed at, and the arguments with that output. */
const COMMANDS: { name: string; input: string; args: (out: string) => string[] }[] = [
  { name: 'count --corpus', input: 'corpus.txt', args: (o) => ['count', '--corpus', 'corpus.txt', '-j', '0', '--out', o] },
  { name: 'count --corpus <folder>', input: 'texts/a.txt', args: (o) => ['count', '--corpus', 'texts', '-j', '0', '--out', o] },
  { name: 'count --corpus <glob>', input: 'texts/a.txt', args: (o) => ['count', '--corpus', 'texts/*.txt', '-j', '0', '--out', o] },
  { name: 'count --merge', input: 'base.counts', args: (o) => ['count', '--merge', 'base.counts', '--out', o] },
  { name: 'train --corpus', input: 'corpus.json', args: (o) => ['train', '--corpus', 'corpus.json', '-v', '270', '-j', '0', '--out', o] },
  { name: 'train --from-counts', input: 'counts.json', args: (o) => ['train', '--from-counts', 'counts.json', '-v', '270', '--out', o] },
  { name: 'report over its corpus', input: 'corpus.txt', args: (o) => ['report', '-t', 'tok/tokenizer.json', '-c', 'corpus.txt', '--out', o] },
  { name: 'report over its tokenizer', input: 'tok/tokenizer.json', args: (o) => ['report', '-t', 'tok/tokenizer.json', '-c', 'corpus.txt', '--out', o] },
  { name: 'merge-batch over its input', input: 'batch.txt', args: (o) => ['merge-batch', '-t', 'tok/tokenizer.json', '-i', 'batch.txt', '-m', '2', '-o', o] },
  { name: 'merge-batch over its tokenizer', input: 'tok/tokenizer.json', args: (o) => ['merge-batch', '-t', 'tok/tokenizer.json', '-i', 'batch.txt', '-m', '2', '-o', o] },
];

describe('an output that is an input is refused, the input intact', () => {
  for (const c of COMMANDS) {
    it.each(Object.keys(ALIASES))(`${c.name}: output named %s`, async (alias) => {
      const dir = fresh();
      const out = ALIASES[alias]!(dir, c.input);
      await expectCleanFailure(c.args(out), dir, out);
      expect(readFileSync(join(dir, c.input))).toEqual(readFileSync(join(base, c.input)));
    });
  }

  it.each([
    ['a report whose .json sibling is the tokenizer', ['report', '-t', 'tok/tokenizer.json', '-c', 'corpus.txt', '--out', 'tok/tokenizer.html'], 'tok/tokenizer.json'],
    ['a report whose .md sibling is the corpus', ['report', '-t', 'tok/tokenizer.json', '-c', 'corpus.md', '--out', 'corpus.html'], 'corpus.md'],
    ['train whose tokenizer_config.json is the corpus', ['train', '--corpus', 'sub/tokenizer_config.json', '-v', '270', '-j', '0', '--out', 'sub/tokenizer.json'], 'sub/tokenizer_config.json'],
    ['train into a folder holding its corpus', ['train', '--corpus', 'texts', '-v', '270', '-j', '0', '--out', 'texts/a.txt/..'], 'texts'],
    ['count into an existing file inside its corpus folder', ['count', '--corpus', 'texts', '-j', '0', '--out', 'texts/b.counts'], 'texts/b.counts'],
    ['trim into the folder of its tokenizer', ['trim', '--tokenizer', 'tok/tokenizer.json', '--corpus', 'corpus.txt', '--out', 'tok'], 'tok'],
  ])('%s', async (_name, args, named) => {
    const dir = fresh();
    writeFileSync(join(dir, 'corpus.md'), CORPUS);
    writeFileSync(join(dir, 'sub', 'tokenizer_config.json'), CORPUS);
    writeFileSync(join(dir, 'texts', 'b.counts'), readFileSync(join(base, 'base.counts')));
    await expectCleanFailure(args, dir, named);
  });
});

describe('trim and remap of a model folder into itself', () => {
  it.each([
    ['trim', ['trim', '--model', 'model', '--corpus', 'corpus.txt', '--out', 'model']],
    ['remap', ['remap', '--model', 'model', '--target-tokenizer', 'tok/tokenizer.json', '--out', 'model']],
    ['remap, --out spelled with a trailing slash', ['remap', '--model', 'model', '--target-tokenizer', 'tok/tokenizer.json', '--out', 'model/']],
  ])('%s is refused, the folder intact', async (_name, args) => {
    const dir = fresh();
    makeModel(join(dir, 'model'), { tokenizer: join(dir, 'tok', 'tokenizer.json'), rows: 280, dim: 8, dtype: 'F32', tied: true });
    await expectCleanFailure(args, dir, 'model');
  });
});

describe('a command writes all its outputs or none', () => {
  it('train: tokenizer_config.json cannot be written → the old tokenizer.json is back, nothing new', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'out', 'tokenizer_config.json'), { recursive: true });
    writeFileSync(join(dir, 'out', 'tokenizer.json'), 'the previous run\n');
    await expectCleanFailure(['train', '--corpus', 'corpus.txt', '-v', '270', '-j', '0', '--out', 'out/tokenizer.json'], dir, 'out/tokenizer_config.json');
    expect(readFileSync(join(dir, 'out', 'tokenizer.json'), 'utf8')).toBe('the previous run\n');
  });

  it('report: the .html cannot be written → neither .json nor .md appears', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'r.html'));
    await expectCleanFailure(['report', '-t', 'tok/tokenizer.json', '-c', 'corpus.txt', '--out', 'r.html'], dir, 'r.html');
  });

  it('trim --model of a folder whose weights are pytorch_model.bin is refused, not copied untrimmed', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'model'));
    cpSync(join(dir, 'tok', 'tokenizer.json'), join(dir, 'model', 'tokenizer.json'));
    writeFileSync(join(dir, 'model', 'config.json'), JSON.stringify({ vocab_size: 280, bos_token_id: 1 }));
    writeFileSync(join(dir, 'model', 'pytorch_model.bin'), Buffer.alloc(4096, 7));
    await expectCleanFailure(['trim', '--model', 'model', '--corpus', 'corpus.txt', '--out', 'trimmed'], dir, /model: weights in pytorch_model\.bin cannot be read/);
    await expectCleanFailure(['remap', '--model', 'model', '--target-tokenizer', 'tok/tokenizer.json', '--out', 'remapped'], dir, /model: weights in pytorch_model\.bin cannot be read/);
  });

  it('two concurrent train runs on one --out end with files of one run, never a mix', async () => {
    const dir = fresh();
    const once = (special: string) =>
      new Promise<number>((done) => {
        const p = spawn(process.execPath, [join(import.meta.dirname, '../../dist/cli/index.js'), 'train', '--corpus', 'corpus.txt', '-v', '270', '-j', '0', '--special', special, '--bos', special, '--out', 'out/tokenizer.json'], { cwd: dir, stdio: 'ignore' });
        p.on('exit', (code) => done(code ?? -1));
      });
    for (let round = 0; round < 4; round++) {
      expect(await Promise.all([once('<a>'), once('<b>')])).toEqual([0, 0]);
      const tok = JSON.parse(readFileSync(join(dir, 'out', 'tokenizer.json'), 'utf8')) as { added_tokens: { content: string }[] };
      const config = JSON.parse(readFileSync(join(dir, 'out', 'tokenizer_config.json'), 'utf8')) as { bos_token?: string };
      expect(config.bos_token).toBe(tok.added_tokens[0]!.content);
      expect(readdirSync(join(dir, 'out')).sort()).toEqual(['tokenizer.json', 'tokenizer_config.json']);
    }
  });
});

describe('temporaries never outlive their run', () => {
  it('those of dead processes are swept by the next write in the folder; a live one is kept', async () => {
    const dir = fresh();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const sleeper = spawn('sleep', ['30']);
    try {
      const stale = [`.x.counts.vocabsmith-${dead}-0badf00d.tmp`, `.tok.vocabsmith-${dead}-deadbeef.tmp`];
      writeFileSync(join(dir, stale[0]!), 'half a file');
      mkdirSync(join(dir, stale[1]!));
      writeFileSync(join(dir, stale[1]!, 'model-00001-of-00002.safetensors'), Buffer.alloc(1 << 16));
      const mine = `.y.vocabsmith-${sleeper.pid}-00c0ffee.tmp`;
      writeFileSync(join(dir, mine), 'being written');
      const r = await vocabsmith(['count', '--corpus', 'corpus.txt', '-j', '0', '--out', 'x.counts'], dir);
      expect(r.status, r.stderr).toBe(0);
      for (const s of stale) expect(existsSync(join(dir, s))).toBe(false);
      expect(existsSync(join(dir, mine))).toBe(true);
    } finally {
      sleeper.kill();
    }
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s while a temporary exists removes it and still ends the process by that signal', (signal) => {
    const dir = fresh();
    const output = new URL('../../dist/output.js', import.meta.url).href;
    const script = `
      const { temporary } = await import(${JSON.stringify(output)});
      const { writeFileSync } = await import('node:fs');
      const t = temporary(${JSON.stringify(join(dir, 'big.safetensors'))});
      writeFileSync(t, 'partial');
      process.kill(process.pid, ${JSON.stringify(signal)});
      setTimeout(() => process.exit(0), 5000);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.signal).toBe(signal);
    expect(readdirSync(dir).filter((n) => n.includes('vocabsmith-'))).toEqual([]);
  });

  it('a successful run leaves only its outputs (no temporaries, no lock)', async () => {
    const dir = fresh();
    const before = Object.keys(snapshot(dir));
    const r = await vocabsmith(['report', '-t', 'tok/tokenizer.json', '-c', 'corpus.txt', '--out', 'rep/r.html'], dir);
    expect(r.status, r.stderr).toBe(0);
    const after = Object.keys(snapshot(dir)).filter((k) => !before.includes(k));
    expect(after.sort()).toEqual(['rep', 'rep/r.html', 'rep/r.json', 'rep/r.md']);
    rmSync(dir, { recursive: true });
  });
});
