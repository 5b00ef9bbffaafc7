// Streamed encoding (Tokenizer.encodeStream, the `encode` command): stdin in chunks cut anywhere,
// encoded part by part at cut points, must give exactly the ids of encoding the whole text, on
// every real tokenizer (Gemma3 has no cut points: it is gathered and encoded whole), with and
// without the post-processor's special tokens; invalid UTF-8 anywhere is still one clean error.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realTokenizer, realTokenizers } from '../helpers/tokenizers.js';
import { CLI } from '../helpers/hostile.js';
import { Tokenizer } from '../../src/tokenizer.js';

/** Lines of words in several scripts, some long lines, runs without whitespace, odd whitespace. */
function corpus(bytes: number, seed: number): string {
  const words = ['the', 'Quick', 'brown', 'Größe', 'naïve', 'привет', '語彙', '2024', "it's", 'x\u0301', '😀', 'a/b', '—', 'tab\there', 'nbsp\u00a0x'];
  const seps = [' ', ' ', ' ', '\n', '  ', '\n\n', '\r\n', '', ', ', '.\n'];
  let x = seed;
  const rnd = (n: number) => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x % n);
  const parts: string[] = [];
  let n = 0;
  while (n < bytes) {
    const p = words[rnd(words.length)]! + seps[rnd(seps.length)]!;
    parts.push(p);
    n += Buffer.byteLength(p);
  }
  return parts.join('');
}

/** `bytes` cut into chunks of random sizes (1 byte to `max`), often inside a character. */
function chunks(bytes: Buffer, max: number, seed: number): Buffer[] {
  let x = seed;
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const n = 1 + (x % max);
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

const joined = (parts: Iterable<Uint32Array>) => Array.from(parts).flatMap((p) => Array.from(p));

describe('Tokenizer.encodeStream', () => {
  for (const t of realTokenizers()) {
    it(`${t.name}: streamed ids equal encode of the whole, chunks cut anywhere`, () => {
      const tok = Tokenizer.fromFile(t.path);
      try {
        for (const [size, max, seed] of [[3000, 7, 1], [60_000, 500, 2], [400_000, 50_000, 3]] as const) {
          const text = corpus(size, seed);
          const bytes = Buffer.from(text);
          for (const addSpecialTokens of [false, true]) {
            const whole = Array.from(tok.encode(text, { addSpecialTokens }));
            const parts = Array.from(tok.encodeStream(chunks(bytes, max, seed), { addSpecialTokens }));
            expect(joined(parts), `${t.name} ${size} bytes`).toEqual(whole);
            // Cut points were found (and used) on every tokenizer that has them.
            if (t.name !== 'gemma3' && size > 1000 && max > 100) expect(parts.length).toBeGreaterThan(2);
            if (t.name === 'gemma3') expect(parts.length).toBe(1);
          }
        }
        expect(joined(tok.encodeStream([]))).toEqual([]);
      } finally {
        tok.free();
      }
    }, 120_000);
  }
});

describe('vocabsmith encode, streamed', () => {
  const llama = realTokenizer('llama3').path;
  const run = (input: Buffer, args: string[] = []) => spawnSync(process.execPath, [CLI, 'encode', '-t', llama, ...args], { input, maxBuffer: 1 << 28 });

  it('a 3 MB input (several 1 MiB reads) prints the ids of the whole text', () => {
    const text = corpus(3_000_000, 9);
    const tok = Tokenizer.fromFile(llama);
    for (const args of [[], ['--add-special-tokens']]) {
      const r = run(Buffer.from(text), args);
      expect(r.status, r.stderr.toString()).toBe(0);
      expect(JSON.parse(r.stdout.toString())).toEqual(Array.from(tok.encode(text, { addSpecialTokens: args.length > 0 })));
    }
    tok.free();
  }, 60_000);

  it('invalid UTF-8 after the first read is one clean error; an input ending inside a char too', () => {
    const bytes = Buffer.concat([Buffer.from(corpus(1_500_000, 4)), Buffer.from([0xff]), Buffer.from(' tail')]);
    for (const input of [bytes, Buffer.from('ab\xe2\x82', 'latin1')]) {
      const r = run(input);
      expect(r.status).not.toBe(0);
      const lines = r.stderr.toString().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^vocabsmith: stdin: not valid UTF-8/);
    }
  });

  // Invalid UTF-8 5 MB in (after the first ids were encoded): what is left on stdout.
  describe('invalid UTF-8 far into the input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-stream-'));
    const bad = Buffer.concat([Buffer.from(corpus(5_000_000, 6)), Buffer.from([0x61, 0xff, 0x62]), Buffer.from(corpus(100_000, 7))]);
    const badFile = join(dir, 'bad.txt');
    writeFileSync(badFile, bad);
    const oneError = (stderr: string | Buffer) => {
      const lines = stderr.toString().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^vocabsmith: stdin: not valid UTF-8/);
    };
    const encode = (stdio: (number | 'pipe')[], input?: Buffer) =>
      spawnSync(process.execPath, [CLI, 'encode', '-t', llama], { stdio: stdio as never, input, maxBuffer: 1 << 28 });

    it('a file on stdin is checked whole first: nothing is printed', () => {
      const fd = openSync(badFile, 'r');
      const r = encode([fd, 'pipe', 'pipe']);
      closeSync(fd);
      expect(r.status).not.toBe(0);
      oneError(r.stderr);
      expect(r.stdout.length).toBe(0);
    });

    it('a pipe into a file (> or >>): the file is cut back to what it held before the run', () => {
      for (const before of ['', 'earlier output\n']) {
        const out = join(dir, 'out.json');
        writeFileSync(out, before);
        const fd = openSync(out, 'a');
        const r = encode(['pipe', fd, 'pipe'], bad);
        closeSync(fd);
        expect(r.status).not.toBe(0);
        oneError(r.stderr);
        expect(readFileSync(out, 'utf8')).toBe(before);
      }
    });

    it('a pipe into a pipe: the ids printed so far, never closed (not valid JSON), and exit 1', () => {
      const r = encode(['pipe', 'pipe', 'pipe'], bad);
      expect(r.status).toBe(1);
      oneError(r.stderr);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(() => JSON.parse(r.stdout.toString())).toThrow();
    });
  });

  it('empty input: an empty array', () => {
    const r = run(Buffer.alloc(0));
    expect(r.stdout.toString()).toBe('[]\n');
  });
});
