import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Tokenizer } from '../../src/index.js';
import { realTokenizers } from '../helpers/tokenizers.js';
import { pythonPath } from '../helpers/oracle.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { udhrLanguages, udhrText } from '../helpers/udhr.js';

const texts = [
  ...udhrLanguages().filter((_, i) => i % 25 === 0).map((l) => udhrText(l.code).slice(0, 1500)),
  'Ünïcödé 👩‍👩‍👧 e\u0301 \u1100\u1161 ΟΔΟΣ  x\t\n',
  'a<|endoftext|>b <start_of_turn>user\nhi',
];

function hfOffsets(path: string): number[][][] {
  const r = spawnSync(pythonPath(), [join(REPO_ROOT, 'scripts', 'hf_offsets.py')], {
    input: JSON.stringify({ tokenizer: path, texts }),
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout).offsets;
}

describe.each(realTokenizers())('offsets equal native HF ($name)', (t) => {
  it('every token span, in JS string indices', () => {
    const tok = Tokenizer.fromFile(t.path);
    const ref = hfOffsets(t.path);
    texts.forEach((text, i) => {
      const { starts, ends } = tok.encodeWithOffsets(text);
      expect(Array.from(starts, (s, k) => [s, ends[k]])).toEqual(ref[i]);
    });
    tok.free();
  });
});
