/**
 * Memory and time on single long lines (not a timed test): `vocabsmith encode` and
 * `vocabsmith count` on one line of 1, 4, 16 and 64 MB, each in a child process whose peak RSS
 * (ru_maxrss, /usr/bin/time) and wall time are recorded, as multiples of the input, with the
 * slopes between sizes (exponent of time and of extra memory: 1.0 is linear, 0 is flat).
 *
 * Two lines: `prose` (words and spaces, no newline) and `letters` (one letter run, no whitespace:
 * one pretoken as long as the line); and, for `count`, `letter lines`: the same letters with a
 * newline every MiB (what counting's 1 MiB pieces make of the long line), to show that its memory
 * follows the distinct words, not the line length. Smaller sizes first; a run past --timeout seconds is recorded
 * as timed out and larger sizes of that case are skipped.
 *
 *   npm run build && nice npx tsx bench/limits.ts [--sizes 1,4,16,64] [--timeout 300]
 *
 * Output: bench/results/limits.json and limits.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, openSync, closeSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../test/helpers/corpus.js';
import { realTokenizer } from '../test/helpers/tokenizers.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const SIZES = arg('sizes', '1,4,16,64').split(',').map(Number);
const TIMEOUT = Number(arg('timeout', '300'));
const CLI = join(REPO_ROOT, 'dist', 'cli', 'index.js');
const MB = 1 << 20;
type Line = 'prose' | 'letters' | 'letter lines';
const LINES: Line[] = ['prose', 'letters', 'letter lines'];
const tokenizer = realTokenizer('llama3').path;
const dir = mkdtempSync(join(os.tmpdir(), 'vocabsmith-limits-'));

/** One line of `mb` MiB: deterministic words (prose) or one letter run (letters), no newline. */
function makeLine(kind: Line, mb: number): string {
  const path = join(dir, `${kind}-${mb}.txt`);
  const fd = openSync(path, 'w');
  const words = ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'tokenizer', 'vocabulary', 'Größe', 'naïve'];
  let x = 12345;
  let chunk = '';
  let written = 0;
  while (written < mb * MB) {
    while (chunk.length < 1 << 16) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      chunk += kind === 'prose' ? `${words[x % words.length]} ` : words[x % words.length]!;
    }
    const b = Buffer.from(chunk).subarray(0, Math.min(Buffer.byteLength(chunk), mb * MB - written));
    // Never end inside a UTF-8 character.
    let n = b.length;
    while (n > 0 && (b[n - 1]! & 0xc0) === 0x80) n--;
    if (n > 0 && b[n - 1]! >= 0xc0) n--;
    writeSync(fd, b.subarray(0, n));
    if (kind === 'letter lines' && Math.floor((written + n) / MB) > Math.floor(written / MB)) writeSync(fd, '\n');
    written += n;
    chunk = '';
    if (n === 0) break;
  }
  closeSync(fd);
  return path;
}

interface Run {
  command: 'encode' | 'count';
  line: Line;
  mb: number;
  seconds?: number;
  peakMb?: number;
  /** Peak RSS over the input size, and the extra over the same command on a tiny input. */
  rssTimesInput?: number;
  extraTimesInput?: number;
  timedOut?: boolean;
  error?: string;
}

function measure(command: 'encode' | 'count', file: string): { seconds: number; peakMb: number } | { timedOut: true } | { error: string } {
  const args = command === 'encode' ? [CLI, 'encode', '-t', tokenizer] : [CLI, 'count', '--corpus', file, '-j', '0', '--out', join(dir, 'x.counts')];
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], {
    input: command === 'encode' ? undefined : '',
    stdio: [command === 'encode' ? openSync(file, 'r') : 'pipe', 'ignore', 'pipe'],
    timeout: TIMEOUT * 1000,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - started) / 1000;
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { timedOut: true };
  if (r.signal === 'SIGTERM') return { timedOut: true };
  const lines = r.stderr.trim().split('\n');
  const kb = Number(lines[lines.length - 1]);
  if (r.status !== 0) return { error: lines.slice(-3).join(' | ') };
  return { seconds, peakMb: kb / 1024 };
}

const runs: Run[] = [];
const baseline: Record<string, number> = {};
const tiny = join(dir, 'tiny.txt');
writeFileSync(tiny, 'hello');
for (const command of ['encode', 'count'] as const) {
  const m = measure(command, tiny);
  baseline[command] = 'peakMb' in m ? m.peakMb : 0;
}
for (const line of LINES) {
  for (const command of line === 'letter lines' ? (['count'] as const) : (['encode', 'count'] as const)) {
    for (const mb of SIZES) {
      const file = makeLine(line, mb);
      const m = measure(command, file);
      rmSync(join(dir, 'x.counts'), { force: true });
      const run: Run = { command, line, mb, ...m };
      if ('peakMb' in m) {
        run.rssTimesInput = +(m.peakMb / mb).toFixed(2);
        run.extraTimesInput = +((m.peakMb - baseline[command]!) / mb).toFixed(2);
        run.seconds = +m.seconds.toFixed(2);
        run.peakMb = +m.peakMb.toFixed(1);
      }
      runs.push(run);
      process.stderr.write(`${command} ${line} ${mb} MB: ${JSON.stringify(m)}\n`);
      rmSync(file);
      if (!('peakMb' in m)) break;
    }
  }
}

/** Exponents between consecutive sizes: log(ratio) / log(size ratio). */
const slopes = LINES.flatMap((line) =>
  (['encode', 'count'] as const).flatMap((command) => {
    const rs = runs.filter((r) => r.line === line && r.command === command && r.seconds !== undefined);
    return rs.slice(1).map((r, i) => {
      const p = rs[i]!;
      const k = Math.log(r.mb / p.mb);
      return {
        command,
        line,
        from: p.mb,
        to: r.mb,
        timeRatio: +(r.seconds! / p.seconds!).toFixed(2),
        timeExponent: +(Math.log(r.seconds! / p.seconds!) / k).toFixed(2),
        extraMemoryExponent: +(Math.log(Math.max(r.peakMb! - baseline[command]!, 1) / Math.max(p.peakMb! - baseline[command]!, 1)) / k).toFixed(2),
      };
    });
  }),
);

const result = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, load: os.loadavg() },
  tokenizer: 'llama3 (encode)',
  count: 'o200k pattern, -j 0 (one thread)',
  baselineMb: baseline,
  runs,
  slopes,
};
writeFileSync(join(REPO_ROOT, 'bench', 'results', 'limits.json'), JSON.stringify(result, null, 2) + '\n');
const md = [
  '# Long single lines: peak memory and time',
  '',
  `Generated by \`npm run bench:limits\` (bench/limits.ts) on ${result.date.slice(0, 10)}: ${result.machine.cpus} × ${result.machine.model}, node ${result.machine.node}, load average ${result.machine.load.map((l) => l.toFixed(1)).join(' ')} (a shared machine: times are noisy).`,
  `Baseline peak RSS on a 5-byte input: encode ${baseline.encode!.toFixed(0)} MB, count ${baseline.count!.toFixed(0)} MB.`,
  '',
  '| command | line | MB | seconds | peak RSS MB | RSS / input | (RSS − baseline) / input |',
  '|---|---|---:|---:|---:|---:|---:|',
  ...runs.map((r) => `| ${r.command} | ${r.line} | ${r.mb} | ${r.seconds ?? (r.timedOut ? `> ${TIMEOUT}` : 'error')} | ${r.peakMb ?? ''} | ${r.rssTimesInput ?? ''} | ${r.extraTimesInput ?? r.error ?? ''} |`),
  '',
  'Slopes between consecutive sizes (exponent 1.0 = linear; a ×4 input taking ×4 time):',
  '',
  '| command | line | MB → MB | time × | time exponent | extra-memory exponent |',
  '|---|---|---|---:|---:|---:|',
  ...slopes.map((s) => `| ${s.command} | ${s.line} | ${s.from} → ${s.to} | ${s.timeRatio} | ${s.timeExponent} | ${s.extraMemoryExponent} |`),
  '',
];
writeFileSync(join(REPO_ROOT, 'bench', 'results', 'limits.md'), md.join('\n'));
rmSync(dir, { recursive: true, force: true });
process.stdout.write(md.join('\n'));
