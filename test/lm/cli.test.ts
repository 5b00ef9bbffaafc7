// `vocabsmith eval` and `generate` end to end on the real model (the compiled CLI: npm test builds
// dist/ first), and the one-line errors: missing runtime, not a GGUF, unsupported tokenizer.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, openSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { smollm2Gguf } from '../helpers/models.js';
import { runProcess, type CliResult } from '../helpers/cli.js';

const cli = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-lm-cli-'));
type Ran = CliResult;
// Asynchronous (test/helpers/cli.ts): a child that runs for minutes must not block the test worker's event loop.
const run = (args: string[], node: string[] = []): Promise<Ran> => runProcess(process.execPath, [...node, cli, ...args]);
const model = smollm2Gguf();

/** One line on stderr, nothing on stdout, exit 1. */
function failsWith(r: Ran, message: RegExp): void {
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
}

/** A GGUF v3 file with metadata only (no tensors): enough to test the tokenizer errors. */
function tinyGguf(meta: [string, string][]): Buffer {
  const parts: Buffer[] = [Buffer.from('GGUF')];
  const u32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    return b;
  };
  const u64 = (v: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    return b;
  };
  const str = (s: string) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
  parts.push(u32(3), u64(0), u64(meta.length));
  for (const [k, v] of meta) parts.push(str(k), u32(8), str(v));
  return Buffer.concat(parts);
}

describe('vocabsmith eval', () => {
  it('bits per byte two ways, as JSON', async () => {
    const r = await run(['eval', '--model', model, '--corpus', 'udhr:eng', '--max-bytes', '24', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const c = out.corpora[0];
    expect(c.corpus).toBe('eng');
    expect(c.bytes).toBe(24);
    expect(c.token.bitsPerByte).toBeGreaterThan(0.3);
    expect(c.token.bitsPerByte).toBeLessThan(6);
    expect(c.byte.exact).toBe(true);
    expect(Math.abs(c.byte.differenceBitsPerByte)).toBeLessThan(0.1);
    expect(c.byte.chainRuleGap).toBeLessThan(1e-4);
    expect(out.total.bytes).toBe(24);
  });

  it('Markdown by default, token level only on request', async () => {
    const r = await run(['eval', '--model', model, '--corpus', 'udhr:fra', '--max-bytes', '64', '--token-only']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\| corpus \| bytes \| tokens \|/);
    expect(r.stdout).toMatch(/\| fra \| (6[0-4]|[1-5]\d) \| \d+ \|/);
  });
});

describe('vocabsmith generate', () => {
  it('continues a prompt that ends mid-token from its last byte (greedy)', async () => {
    const r = await run(['generate', '--model', model, '--prompt', 'def fib(n):\n    ret', '--bytes', '4', '--temperature', '0']);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('urn')).toBe(true);
  });

  it('the same seed gives the same bytes', async () => {
    const args = ['generate', '--model', model, '--prompt', 'Once upon a ti', '--bytes', '3', '--seed', '11'];
    const a = await run(args);
    const b = await run(args);
    expect(a.status).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(0);
    expect(b.stdout).toBe(a.stdout);
  });
});

describe('model command errors: one line, exit 1', () => {
  it('runtime missing: says how to install it', async () => {
    // A resolve hook that makes node-llama-cpp unresolvable, as when it is not installed.
    const hook = join(dir, 'no-runtime.mjs');
    writeFileSync(
      hook,
      `import { register } from 'node:module';\nregister('data:text/javascript,' + encodeURIComponent(${JSON.stringify(
        "export async function resolve(s, c, next) { if (s === 'node-llama-cpp') { const e = new Error('Cannot find package ' + s); e.code = 'ERR_MODULE_NOT_FOUND'; throw e; } return next(s, c); }",
      )}));\n`,
    );
    const r = await run(['generate', '--model', model, '--prompt', 'x'], ['--import', pathToFileURL(hook).href]);
    failsWith(r, /^vocabsmith: the model runtime node-llama-cpp is not installed; install it with: npm i -E node-llama-cpp@3\.21\.1$/m);
  });

  it('not a GGUF file', async () => {
    const bad = join(dir, 'bad.gguf');
    writeFileSync(bad, 'this is not a model');
    failsWith(await run(['eval', '--model', bad, '--corpus', 'udhr:eng']), /^vocabsmith: .*bad\.gguf: not a GGUF file/);
  });

  it('a GGUF cut inside its header', async () => {
    const cut = join(dir, 'cut.gguf');
    const buf = Buffer.alloc(100_000);
    readSync(openSync(model, 'r'), buf, 0, buf.length, 0);
    writeFileSync(cut, buf);
    failsWith(await run(['generate', '--model', cut, '--prompt', 'x']), /^vocabsmith: .*cut\.gguf: corrupt GGUF header/);
  });

  it('an unsupported tokenizer model in the metadata', async () => {
    const spm = join(dir, 'spm.gguf');
    writeFileSync(spm, tinyGguf([['general.architecture', 'llama'], ['tokenizer.ggml.model', 'llama']]));
    failsWith(
      await run(['generate', '--model', spm, '--prompt', 'x']),
      /^vocabsmith: .*spm\.gguf: tokenizer model "llama" \(tokenizer\.ggml\.model\) is not supported/,
    );
  });
});
