// Count files as sorted runs: `count --merge` streams, is associative byte for byte, prunes with
// --min-count, and fails on a corrupt, truncated or mismatched input naming it, writing nothing.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pack } from 'msgpackr';
import { CountFileReader, CountFileWriter, readCountFile } from '../../src/train/countfile.js';
import { mergeCountFiles } from '../../src/train/countmerge.js';
import { train } from '../../src/train/train.js';
import { CORPORA_DIR } from '../helpers/corpus.js';

const cli = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-countmerge-'));
const en = readdirSync(join(CORPORA_DIR, 'en'))
  .filter((f) => f.endsWith('.txt') && !f.startsWith('COPYING'))
  .sort()
  .map((f) => join(CORPORA_DIR, 'en', f));
const shards = [en.slice(0, 4), en.slice(4, 8), en.slice(8, 12), en.slice(12)];

const counted = shards.map((files, i) => {
  const out = join(dir, `s${i}.counts`);
  const r = run(['count', '--corpus', ...files, '--superbpe', '--workers', '1', '--out', out]);
  if (r.status !== 0) throw new Error(r.stderr);
  return out;
});

/** Records of every table of a count file, as [pattern, word, count] rows. */
function rows(file: string): [string, string, number][] {
  const r = new CountFileReader(file);
  const out: [string, string, number][] = [];
  for (const p of r.header.patterns) {
    const t = r.table();
    while (t.next()) out.push([p, t.buf.toString('utf8', t.start, t.end), t.count]);
  }
  r.finish();
  return out;
}

const noPartial = (d: string) => expect(readdirSync(d).filter((f) => f.includes('.tmp') || f.startsWith('out'))).toEqual([]);

describe('vocabsmith count --merge', () => {
  it('merges count files without --corpus (the example in the help)', () => {
    const out = join(dir, 'two.counts');
    const r = run(['count', '--merge', counted[0] as string, counted[1] as string, '--out', out]);
    expect(r.stderr).toMatch(/^counted \d+ sequences/);
    expect(r.status).toBe(0);
    const a = readCountFile(counted[0] as string);
    const b = readCountFile(counted[1] as string);
    const m = readCountFile(out);
    expect(m.sequences).toBe(a.sequences + b.sequences);
    expect(m.tables[0]!.counts.total).toBe(a.tables[0]!.counts.total + b.tables[0]!.counts.total);
  });

  it('is associative and commutative byte for byte, and equals counting everything at once', () => {
    const [a, b, c, d] = counted as [string, string, string, string];
    const m = (name: string, ins: string[]) => {
      const out = join(dir, name);
      mergeCountFiles(ins, out);
      return out;
    };
    const left = m('l3.counts', [m('l2.counts', [m('l1.counts', [a, b]), c]), d]);
    const right = m('r3.counts', [a, m('r2.counts', [b, m('r1.counts', [d, c])])]);
    const flat = m('flat.counts', [d, b, a, c]);
    const whole = join(dir, 'whole.counts');
    expect(run(['count', '--corpus', ...en, '--superbpe', '--out', whole]).status).toBe(0);
    const bytes = readFileSync(whole);
    expect(readFileSync(left).equals(bytes)).toBe(true);
    expect(readFileSync(right).equals(bytes)).toBe(true);
    expect(readFileSync(flat).equals(bytes)).toBe(true);
    // Sorted, distinct words (the reader checks; here it is shown).
    const words = rows(whole).filter((r) => r[0] === 'superbpe').map((r) => r[1]);
    expect(words.length).toBeGreaterThan(10_000);
    expect([...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)))).toEqual(words);
  });

  it('trains from a tree-merged count file exactly as from the corpus', async () => {
    const o = { vocabSize: 3000, superbpe: { transition: 2000 } };
    const whole = await train({ ...o, corpus: en });
    const tree = join(dir, 'tree.counts');
    mergeCountFiles([join(dir, 'l1.counts'), join(dir, 'r1.counts')], tree);
    expect((await train({ ...o, fromCounts: [tree] })).json).toBe(whole.json);
  });

  it('--min-count drops words whose merged count is lower, and says so', () => {
    const out = join(dir, 'pruned.counts');
    const r = run(['count', '--merge', ...counted, '--min-count', '3', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const all = rows(join(dir, 'flat.counts'));
    const kept = rows(out);
    expect(kept).toEqual(all.filter((x) => x[2] >= 3));
    const dropped = all.filter((x) => x[0] === 'superbpe-stage1' && x[2] < 3).length;
    expect(r.stderr).toContain(`${dropped} pruned`);
    // Merging a pruned file again warns that its counts are lower bounds.
    const again = run(['count', '--merge', out, counted[0] as string, '--out', join(dir, 'again.counts')]);
    expect(again.stderr).toMatch(/pruned \(min count 3\)/);
  });

  it('streams files many times its read buffer (records straddling refills)', () => {
    // ~6 MB: words of varied lengths and counts of 1 to 9 bytes as varints land on every offset.
    const words = Array.from({ length: 200_000 }, (_, i) => `w${String(i).padStart(6, '0')}${'x'.repeat(i % 37)}`);
    const files = [0, 1].map((k) => {
      const f = join(dir, `big${k}.counts`);
      const w = new CountFileWriter(f, { sequences: 1, patterns: ['o200k'], minCount: 1 });
      words.forEach((word, i) => {
        if (i % 2 === k || i % 5 === 0) w.record(Buffer.from(word), 0, word.length, 1 + ((i * 7919) % 2 ** (1 + (i % 50))));
      });
      w.endTable();
      w.commit();
      return f;
    });
    const out = join(dir, 'big.counts');
    mergeCountFiles(files, out);
    const got = rows(out);
    expect(got).toHaveLength(words.length);
    const expected = words.map((word, i) => {
      const c = 1 + ((i * 7919) % 2 ** (1 + (i % 50)));
      return ['o200k', word, i % 5 === 0 ? 2 * c : c];
    });
    expect(got).toEqual(expected);
    expect(readCountFile(out).tables[0]!.counts.size).toBe(words.length);
  });

  it('reads version-1 (msgpack) count files', () => {
    const v1 = join(dir, 'v1.counts');
    const words = Buffer.from('bĠaaĠb');
    const lens = new Uint32Array([1, 3, 1, 3]);
    const counts = new BigUint64Array([5n, 1n, 2n, 3n]);
    const bytes = (a: Uint32Array | BigUint64Array) => new Uint8Array(a.buffer);
    writeFileSync(v1, pack({ format: 'vocabsmith-counts', version: 1, sequences: 3, tables: [{ pattern: 'o200k', words, lens: bytes(lens), counts: bytes(counts) }] }));
    const out = join(dir, 'from-v1.counts');
    mergeCountFiles([v1], out);
    expect(rows(out)).toEqual([
      ['o200k', 'a', 2],
      ['o200k', 'b', 5],
      ['o200k', 'Ġa', 1],
      ['o200k', 'Ġb', 3],
    ]);
  });
});

describe('bad count files in a tree merge: one error naming the file, nothing written', () => {
  const bad = join(dir, 'bad');
  mkdirSync(bad, { recursive: true });
  const good = readFileSync(counted[2] as string);
  const fails = (file: string, message: RegExp) => {
    const out = join(bad, 'out.counts');
    const r = run(['count', '--merge', counted[0] as string, file, counted[1] as string, '--out', out]);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
    noPartial(bad);
    expect(() => mergeCountFiles([counted[3] as string, file], join(bad, 'out2.counts'))).toThrow(message);
    noPartial(bad);
  };

  it('a flipped byte in the middle', () => {
    const f = join(bad, 'flipped.counts');
    const b = Buffer.from(good);
    const at = Math.floor(b.length / 3);
    b[at] = (b[at] as number) ^ 0x04;
    writeFileSync(f, b);
    fails(f, /corrupt count file/);
  });

  it('truncated', () => {
    const f = join(bad, 'truncated.counts');
    writeFileSync(f, good.subarray(0, Math.floor(good.length * 0.6)));
    fails(f, /truncated count file/);
  });

  it('missing its end marker', () => {
    const f = join(bad, 'noend.counts');
    writeFileSync(f, good.subarray(0, good.length - 3));
    fails(f, /truncated count file \(ends inside the end marker\)|corrupt count file \(end marker\)/);
  });

  it('not a count file', () => {
    const f = join(bad, 'text.counts');
    writeFileSync(f, 'hello\n');
    fails(f, /not a count file|not a vocabsmith count file/);
  });

  it('counted with other settings (mixed shards)', () => {
    const f = join(bad, 'o200k.counts');
    expect(run(['count', '--corpus', en[0] as string, '--out', f]).status).toBe(0);
    fails(f, /counted with other settings \(patterns \[o200k\]\)/);
  });

  it('words out of order (a writer bug or a hand-made file)', () => {
    const f = join(bad, 'unsorted.counts');
    const w = new CountFileWriter(f, { sequences: 1, patterns: ['superbpe-stage1', 'superbpe'], minCount: 1 });
    w.record(Buffer.from('b'), 0, 1, 1);
    w.record(Buffer.from('a'), 0, 1, 1);
    w.endTable();
    w.endTable();
    w.commit();
    fails(f, /table 1, word 2 is out of order/);
  });
});
