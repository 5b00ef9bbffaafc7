/**
 * The harness of the hostile-input tables: runs the built CLI in a scratch folder and checks the
 * promises every failure must keep — exit ≠ 0, exactly one `vocabsmith:` line naming the file, no
 * stack trace or engine internals, no new or changed file anywhere in the folder (inputs
 * byte-identical by sha256, no temporaries or locks left).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const CLI = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));

export const scratch = (name: string) => mkdtempSync(join(tmpdir(), `vocabsmith-${name}-`));

/** Every entry under `dir` (dotfiles included): files by sha256, links by target, folders by name. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const n of readdirSync(join(dir, rel)).sort()) {
      const r = rel === '' ? n : `${rel}/${n}`;
      const st = lstatSync(join(dir, r));
      if (st.isSymbolicLink()) out[r] = `-> ${readlinkSync(join(dir, r))}`;
      else if (st.isDirectory()) {
        out[r] = 'dir';
        walk(r);
      } else out[r] = createHash('sha256').update(readFileSync(join(dir, r))).digest('hex');
    }
  };
  walk('');
  return out;
}

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (asynchronously: a blocked test worker loses its connection to vitest). */
export function vocabsmith(args: string[], cwd: string, input?: string | Buffer, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, timeout: 120_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', reject);
    p.on('close', (status, signal) => resolve({ status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    p.stdin.on('error', () => undefined); // the CLI may exit before reading all of stdin
    p.stdin.end(input ?? '');
  });
}

const INTERNALS = /^\s+at |node:internal|RuntimeError|unreachable|memory access out of bounds|Cannot read propert|Cannot convert|must be of type|is not a function|Maximum call stack|FATAL ERROR|Aborted|wasm-function/m;

/** Runs the CLI in `dir` and asserts the failure promises; `names` is the file the error line must name. */
export async function expectCleanFailure(args: string[], dir: string, names: string | RegExp, input?: string | Buffer): Promise<Run> {
  const before = snapshot(dir);
  const r = await vocabsmith(args, dir, input);
  const what = `vocabsmith ${args.join(' ')}\n--- stderr:\n${r.stderr}`;
  expect(r.status, what).not.toBe(0);
  expect(r.signal, what).toBeNull();
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('vocabsmith:'));
  expect(lines, what).toHaveLength(1);
  if (typeof names === 'string') expect(lines[0], what).toContain(names);
  else expect(lines[0], what).toMatch(names);
  expect(r.stderr, what).not.toMatch(INTERNALS);
  expect(snapshot(dir), what).toEqual(before);
  return r;
}
