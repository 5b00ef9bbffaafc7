// Bounded memory by construction: long lines are counted in pieces of at most
// SEQUENCE_BYTES_LIMIT, cut where the text allows, never inside a UTF-8 character, and the pieces
// put together give the input back; worker counts are capped at the cores.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { availableParallelism } from 'node:os';
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { cutPoint, fileBatches, SEQUENCE_BYTES_LIMIT } from '../../src/train/inputs.js';
import { countWorkers } from '../../src/train/count.js';
import { CLI, scratch, vocabsmith } from '../helpers/hostile.js';
import { realTokenizer } from '../helpers/tokenizers.js';

describe('cutPoint', () => {
  it('cuts within the cap, after whitespace in the second half when there is one, never inside a character', () => {
    const text = fc.array(fc.oneof(fc.constantFrom(' ', '\t', 'a', 'é', '語', '😀'), fc.string({ minLength: 1, maxLength: 3 })), { maxLength: 400 }).map((a) => Buffer.from(a.join('')));
    fc.assert(
      fc.property(text, fc.integer({ min: 4, max: 64 }), (buf, cap) => {
        let at = 0;
        const pieces: Buffer[] = [];
        while (at < buf.length) {
          const end = cutPoint(buf, at, cap);
          expect(end).toBeGreaterThan(at);
          expect(end - at).toBeLessThanOrEqual(cap);
          if (end < buf.length) {
            expect(buf[end]! & 0xc0).not.toBe(0x80);
            const ws = buf.subarray(at + (cap >> 1), at + cap).some((b) => b === 32 || b === 9);
            if (ws) expect([32, 9]).toContain(buf[end - 1]);
          }
          pieces.push(buf.subarray(at, end));
          at = end;
        }
        expect(Buffer.concat(pieces).equals(buf)).toBe(true);
        if (isUtf8(buf)) for (const p of pieces) expect(isUtf8(p)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('fileBatches on long lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-limits-'));

  it.each([
    ['one 3.5 MiB line of letters', Buffer.from('abcdéfgh語'.repeat(Math.ceil((3.5 * SEQUENCE_BYTES_LIMIT) / 13)))],
    ['one 3 MiB line of words, then short lines', Buffer.from('the quick brown fox '.repeat((3 * SEQUENCE_BYTES_LIMIT) / 20) + '\nshort\nlines\n')],
    ['short lines around a long one', Buffer.from('a\n' + 'x'.repeat(2 * SEQUENCE_BYTES_LIMIT + 5) + '\nb\n')],
  ])('%s: every sequence ≤ the limit, the bytes unchanged and in order', async (_name, bytes) => {
    const file = join(dir, 'f.txt');
    writeFileSync(file, bytes);
    const parts: Buffer[] = [];
    for await (const b of fileBatches(file, { batchBytes: 1 << 16 })) {
      let start = 0;
      for (const end of b.ends) {
        expect(end - start).toBeLessThanOrEqual(SEQUENCE_BYTES_LIMIT);
        start = end;
      }
      expect(start).toBe(b.bytes.length);
      parts.push(Buffer.from(b.bytes));
    }
    expect(Buffer.concat(parts).equals(bytes)).toBe(true);
  });
});

describe('countWorkers', () => {
  it('caps at the core count and refuses what is not a non-negative integer', () => {
    expect(countWorkers(undefined)).toBe(availableParallelism());
    expect(countWorkers(200)).toBe(availableParallelism());
    expect(countWorkers(0)).toBe(0);
    for (const bad of [NaN, -1, 1.5, Infinity]) expect(() => countWorkers(bad)).toThrow(/workers must be a non-negative integer/);
  });
});

describe('a catastrophic pretokenizer regex', () => {
  it('is reported after counting: how often it hit its backtracking limit, and what that lost', async () => {
    const dir = scratch('regex');
    writeFileSync(join(dir, 'c.txt'), `${'a'.repeat(28)}c\nhello world\n`);
    const pattern = '(?:a|a)*(?=b)|\\w+|\\s+';
    const bad = await vocabsmith(['count', '--corpus', 'c.txt', '--regex', pattern, '-j', '1', '--out', 'x.counts'], dir);
    expect(bad.status, bad.stderr).toBe(0);
    expect(bad.stderr).toMatch(/^vocabsmith: warning: the pretokenizer regex stopped at its backtracking limit 1 time\(s\); the rest of each such line was not counted/m);
    const fine = await vocabsmith(['count', '--corpus', 'c.txt', '--regex', '\\w+|\\s+', '-j', '0', '--out', 'y.counts'], dir);
    expect(fine.status, fine.stderr).toBe(0);
    expect(fine.stderr).not.toMatch(/warning/);
  });
});

describe('encode of one long line: peak memory within 3× the input over a 5-byte run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-rss-'));
  // Loaded before the CLI: prints the process's peak RSS (KiB) as its last stderr line.
  const probe = join(dir, 'maxrss.cjs');
  writeFileSync(probe, "process.on('exit', () => require('fs').writeSync(2, `\\nmaxrss ${process.resourceUsage().maxRSS}\\n`));\n");
  const words = ['the', 'quick', 'brown', 'fox', 'tokenizer', 'vocabulary', 'Größe', 'naïve'];
  const letters = (mb: number) => {
    const parts: string[] = [];
    for (let x = 7, n = 0; n < mb << 20; ) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      parts.push(words[x % words.length]!);
      n += Buffer.byteLength(parts[parts.length - 1]!);
    }
    return parts.join('');
  };
  /** Peak RSS in MiB of `command` with the file on stdin (and stdout into `out`, if given). */
  const peak = (tokenizer: string, file: string, command = 'encode', out?: string) => {
    const fd = openSync(file, 'r');
    const to = out === undefined ? 'ignore' : openSync(out, 'w');
    const r = spawnSync(process.execPath, ['-r', probe, CLI, command, '-t', tokenizer], { stdio: [fd, to, 'pipe'], encoding: 'utf8' });
    closeSync(fd);
    if (typeof to === 'number') closeSync(to);
    expect(r.status, r.stderr).toBe(0);
    return Number(/maxrss (\d+)\s*$/.exec(r.stderr)![1]) / 1024;
  };

  // Under Llama-3's and Qwen3's `\p{L}+` the line is one pretoken of 16 MB (Qwen3 also NFC).
  it.each(['llama3', 'qwen3'] as const)('16 MB of letters with no whitespace, %s', (name) => {
    const tokenizer = realTokenizer(name).path;
    const tiny = join(dir, 'tiny.txt');
    writeFileSync(tiny, 'hello');
    const file = join(dir, 'letters.txt');
    writeFileSync(file, letters(16));
    const base = peak(tokenizer, tiny);
    const extra = peak(tokenizer, file) - base;
    expect(extra / 16, `${extra.toFixed(0)} MiB over ${base.toFixed(0)}`).toBeLessThanOrEqual(3);
  }, 120_000);
});

describe('decode of the ids of a long line: peak memory within 3× its input over a 2-id run', () => {
  it('the ids (20 MB of JSON) of 13 MB of letters, llama3', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-rss-'));
    const probe = join(dir, 'maxrss.cjs');
    writeFileSync(probe, "process.on('exit', () => require('fs').writeSync(2, `\\nmaxrss ${process.resourceUsage().maxRSS}\\n`));\n");
    const tokenizer = realTokenizer('llama3').path;
    const words = ['the', 'quick', 'brown', 'fox', 'tokenizer', 'vocabulary', 'Größe', 'naïve'];
    const text = Array.from({ length: 2_400_000 }, (_, i) => words[(i * 7919) % 8]).join('');
    // The ids from a file, as `decode < ids.json` (from a pipe, reading stdin whole costs ~0.7× more).
    const run = (command: string, input: string | Buffer) => {
      const file = join(dir, 'stdin');
      writeFileSync(file, input);
      const fd = openSync(file, 'r');
      const r = spawnSync(process.execPath, ['-r', probe, CLI, command, '-t', tokenizer], { stdio: [fd, 'pipe', 'pipe'], maxBuffer: 1 << 28 });
      closeSync(fd);
      expect(r.status, r.stderr.toString()).toBe(0);
      return { stdout: r.stdout, mb: Number(/maxrss (\d+)\s*$/.exec(r.stderr.toString())![1]) / 1024 };
    };
    const ids = run('encode', text).stdout;
    const base = run('decode', '[1,2]').mb;
    const decoded = run('decode', ids);
    expect(decoded.stdout.toString()).toBe(text);
    const extra = decoded.mb - base;
    expect(extra / (ids.length / 2 ** 20), `${extra.toFixed(0)} MiB over ${base.toFixed(0)} for ${(ids.length / 2 ** 20).toFixed(0)} MiB`).toBeLessThanOrEqual(3);
  }, 180_000);
});
