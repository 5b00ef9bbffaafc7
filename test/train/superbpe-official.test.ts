// SuperBPE official mode: the README's one-line CLI recipe reproduces the official scripts'
// output (test/fixtures/superbpe-official, made with PythonNut/superbpe on its pinned tokenizers
// fork) exactly: same vocabulary with the same ids, same merges, same pretokenizer.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPORA_DIR, REPO_ROOT } from '../helpers/corpus.js';

const cli = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-superbpe-official-'));
const fixtures = join(REPO_ROOT, 'test', 'fixtures', 'superbpe-official');

// `cat corpora/en/*.txt > en.txt`: name order, COPYING included (the fixture's input).
const corpus = join(dir, 'en.txt');
const en = join(CORPORA_DIR, 'en');
writeFileSync(corpus, Buffer.concat(readdirSync(en).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(join(en, f)))));

interface Tok {
  pre_tokenizer: unknown;
  added_tokens: unknown[];
  model: { vocab: Record<string, number>; merges: string[][] };
}

const trainCli = (args: string[]) => spawnSync(process.execPath, [cli, 'train', '--corpus', corpus, ...args], { encoding: 'utf8' });

describe('SuperBPE official mode from the CLI reproduces the official scripts exactly', () => {
  it.each([
    ['current-8000-6000', ['--vocab-size', '8000', '--num-inherit-merges', '6000']],
    ['paper-4000-3000', ['--vocab-size', '4000', '--num-inherit-merges', '3000', '--paper']],
  ])('%s', (name, args) => {
    const out = join(dir, name, 'tokenizer.json');
    const r = trainCli(['--superbpe', '--initial-alphabet', 'seen', ...args, '--out', out]);
    expect(r.stderr).toMatch(/trained/);
    expect(r.status).toBe(0);
    const ours = JSON.parse(readFileSync(out, 'utf8')) as Tok;
    const ref = JSON.parse(readFileSync(join(fixtures, name, 'tokenizer.json'), 'utf8')) as Tok;
    expect(Object.keys(ours.model.vocab)).toHaveLength(Object.keys(ref.model.vocab).length);
    expect(ours.model.merges).toEqual(ref.model.merges);
    expect(JSON.stringify(ours.model.vocab)).toBe(JSON.stringify(ref.model.vocab)); // ids, in file order
    expect(ours.pre_tokenizer).toEqual(ref.pre_tokenizer);
    expect(ours.added_tokens).toEqual(ref.added_tokens);
  });

  it('the same T as --transition-merges T-1; --transition T (a vocab size) or the byte alphabet is another tokenizer', () => {
    const ref = JSON.parse(readFileSync(join(fixtures, 'paper-4000-3000', 'tokenizer.json'), 'utf8')) as Tok;
    const run = (args: string[]) => {
      const out = join(dir, args.join('_').replace(/-/g, ''), 'tokenizer.json');
      const r = trainCli(['--superbpe', '--paper', '--vocab-size', '4000', ...args, '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      return (JSON.parse(readFileSync(out, 'utf8')) as Tok).model;
    };
    expect(run(['--initial-alphabet', 'seen', '--transition-merges', '2999']).merges).toEqual(ref.model.merges);
    expect(run(['--initial-alphabet', 'seen', '--transition', '3000']).merges).not.toEqual(ref.model.merges);
    const bytes = run(['--num-inherit-merges', '3000']);
    expect(bytes.merges.length).toBeLessThan(ref.model.merges.length); // 256 byte chars take the room of merges
  });

  it('a vocabulary too small for the byte alphabet suggests the seen alphabet, not --limit-alphabet', () => {
    const small = join(dir, 'small.txt');
    writeFileSync(small, 'ab ab ab\n');
    const r = spawnSync(process.execPath, [cli, 'train', '--corpus', small, '--vocab-size', '100', '--out', join(dir, 'small', 'tokenizer.json')], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--initial-alphabet seen/);
    expect(r.stderr).not.toMatch(/limit.alphabet/);
    const limited = spawnSync(process.execPath, [cli, 'train', '--corpus', small, '--vocab-size', '300', '--limit-alphabet', '50', '--out', join(dir, 'lim', 'tokenizer.json')], { encoding: 'utf8' });
    expect(limited.status).not.toBe(0);
    expect(limited.stderr).toMatch(/limit_alphabet 50 is below the 256/);
    const seen = spawnSync(process.execPath, [cli, 'train', '--corpus', small, '--vocab-size', '100', '--initial-alphabet', 'seen', '--out', join(dir, 'seen', 'tokenizer.json')], { encoding: 'utf8' });
    expect(seen.status, seen.stderr).toBe(0);
  });

  it('exactly one transition point', () => {
    const r = trainCli(['--superbpe', '--vocab-size', '4000', '--transition', '3000', '--num-inherit-merges', '3000', '--out', join(dir, 'x', 'tokenizer.json')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/give one of --transition, --transition-merges and --num-inherit-merges, not several/);
  });
});
