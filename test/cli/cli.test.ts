import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realTokenizer } from '../helpers/tokenizers.js';

// Tests what ships: the compiled CLI (npm test builds dist/ first).
const cli = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));
const run = (args: string[], input: string) => spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-cli-'));

describe('vocabsmith encode / decode', () => {
  const llama = realTokenizer('llama3').path;

  it('encodes stdin to a JSON array and decodes it back', () => {
    const text = 'Hello, world! Ünïcödé 👋\n';
    const enc = run(['encode', '--tokenizer', llama], text);
    expect(enc.status).toBe(0);
    const ids = JSON.parse(enc.stdout) as number[];
    expect(ids.slice(0, 3)).toEqual([9906, 11, 1917]);
    const dec = run(['decode', '--tokenizer', llama], JSON.stringify(ids));
    expect(dec.status).toBe(0);
    expect(dec.stdout).toBe(text);
  });

  const fails = (args: string[], input: string, message: RegExp) => {
    const r = run(args, input);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  };

  it('missing tokenizer file', () => {
    fails(['encode', '--tokenizer', join(dir, 'missing.json')], 'x', /^vocabsmith: .*missing\.json: .*no such file/i);
  });

  it('malformed tokenizer JSON', () => {
    const p = join(dir, 'broken.json');
    writeFileSync(p, '{"model": {"type": "BPE", "vocab": {"a": 0}, ');
    fails(['encode', '--tokenizer', p], 'x', /broken\.json: malformed JSON/);
  });

  it('malformed ids on stdin', () => {
    fails(['decode', '--tokenizer', llama], '[1, 2', /stdin: malformed JSON/);
    fails(['decode', '--tokenizer', llama], '["a"]', /stdin: expected a JSON array of token ids/);
  });

  it('a merge whose parts are not in the vocabulary', () => {
    const p = join(dir, 'merges.json');
    writeFileSync(p, JSON.stringify({ model: { type: 'BPE', vocab: { a: 0, b: 1, ab: 2 }, merges: ['a b', 'a c'] } }));
    fails(['encode', '--tokenizer', p], 'x', /merges\.json: merge #1 \("a" "c"\): right part is not in the vocabulary/);
  });

  it('an unknown model type', () => {
    const p = join(dir, 'wordpiece.json');
    writeFileSync(p, JSON.stringify({ model: { type: 'WordPiece', vocab: {} } }));
    fails(['encode', '--tokenizer', p], 'x', /wordpiece\.json: unknown model .* "WordPiece"/);
  });
});
