import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Tokenizer, wasmMemoryBytes } from '../../src/index.js';
import { realTokenizer } from '../helpers/tokenizers.js';
import { englishCorpus } from '../helpers/corpus.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('what ships', () => {
  it('the built package imports by its name in a child node (ESM) and encodes', () => {
    const path = realTokenizer('llama3').path;
    const script = `import { Tokenizer, coreVersion } from 'vocabsmith';
      const t = Tokenizer.fromFile(${JSON.stringify(path)});
      console.log(JSON.stringify({ v: coreVersion(), ids: Array.from(t.encode('Hello world')) }));`;
    // Self-reference by package name resolves through package.json "exports" to dist/.
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ v: '0.1.0', ids: [9906, 1917] });
  });

  it('WASM memory stops growing over many calls and tokenizers', () => {
    const text = englishCorpus().slice(0, 200_000);
    const round = () => {
      const tok = Tokenizer.fromFile(realTokenizer('qwen3').path);
      for (let i = 0; i < 5; i++) tok.encodeBatch([text, text.slice(1000)]);
      tok.encodeWithOffsets(text);
      tok.free();
    };
    for (let i = 0; i < 3; i++) round();
    const warm = wasmMemoryBytes();
    for (let i = 0; i < 6; i++) round();
    expect(wasmMemoryBytes()).toBe(warm);
  });
});
