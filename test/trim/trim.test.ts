/** Selection options of trim() on the real Qwen3 tokenizer and an English UDHR corpus. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trim, VocabsmithError } from '../../src/index.js';
import { realTokenizer } from '../helpers/tokenizers.js';

const tokenizer = realTokenizer('qwen3').path;
const corpus = ['udhr:eng'];
const DROPPED = 0xffffffff;

describe('trim selection', () => {
  const all = trim({ tokenizer, corpus });

  it('default keeps every used token: full coverage, every line verified', () => {
    expect(all.report.coverage).toBe(1);
    expect(all.report.verified!.skipped).toBe(0);
    // The chat template's markup tokens the corpus does not use are kept too (issue 12).
    expect(all.report.chatTemplate).toBeGreaterThan(0);
    expect(all.report.vocabAfter).toBe(all.report.selected + all.report.chatTemplate + all.report.alwaysKept + all.report.closureAdded);
  });

  it('topK and minFrequency keep fewer; lines with dropped tokens are skipped, the rest still identical', () => {
    const top = trim({ tokenizer, corpus, topK: 100 });
    expect(top.report.selected).toBe(100);
    expect(top.report.coverage).toBeLessThan(1);
    const v = top.report.verified!;
    expect(v.skipped).toBeGreaterThan(0);
    expect(v.identical).toBe(v.checked);
    const mf = trim({ tokenizer, corpus, minFrequency: 5 });
    expect(mf.report.selected).toBeLessThan(all.report.selected);
  });

  it('the closure phase reports live progress from inside the core call (issue 14 item 7)', () => {
    const closure: [number, number][] = [];
    const phases: string[] = [];
    const r = trim({
      tokenizer, corpus, onProgress: (phase, done, total) => {
        if (phases.at(-1) !== phase) phases.push(phase);
        if (phase === 'closure') closure.push([done, total]);
      },
    });
    // The tokenizer load (one core call, seconds for Gemma3) is announced before it runs.
    expect(phases).toEqual(['load', 'count', 'closure', 'verify']);
    expect(r.tokenizerJson).toBe(all.tokenizerJson);
    // Qwen3 has 151k merges: the rewrite alone reports every 16,384 of them, between the opening 0/1 and closing 1/1.
    const inner = closure.slice(1, -1);
    expect(inner.length).toBeGreaterThanOrEqual(9);
    expect(inner.every(([d, t], i) => d <= t && (i === 0 || d >= inner[i - 1]![0]))).toBe(true);
    expect(inner.at(-1)![0]).toBe(inner.at(-1)![1]);
  });

  it('the load phase moves inside the core call: several load updates before count (issue 14 item 7)', () => {
    const seen: [string, number, number, string | undefined][] = [];
    trim({ tokenizer, texts: ['Hello world'], verify: false, onProgress: (phase, done, total, stage) => seen.push([phase, done, total, stage]) });
    const load = seen.slice(0, seen.findIndex(([phase]) => phase === 'count'));
    expect(load.every(([phase]) => phase === 'load')).toBe(true);
    // Qwen3's 11 MB: ~11 parse reports, its 151k tokens and merges every 16k: strictly inside the bar, not only 0 and the end.
    const inside = load.filter(([, done, total]) => done > 0 && done < total);
    expect(inside.length).toBeGreaterThan(10);
    expect([...new Set(inside.map(([, , , stage]) => stage))]).toEqual(['parse', 'vocab', 'merges', 'merge table', 'added']);
    expect(load.every(([, done, total], i) => total === 1000 && (i === 0 || done >= load[i - 1]![1]))).toBe(true);
    expect(load.at(-1)![1]).toBe(1000);
  });

  it('coverage stops at the requested fraction of corpus tokens', () => {
    const c = trim({ tokenizer, corpus, coverage: 0.9 });
    expect(c.report.coverage).toBeGreaterThanOrEqual(0.9);
    expect(c.report.selected).toBeLessThan(all.report.selected);
  });

  it('keep: ids, tokens and files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-keep-'));
    const file = join(dir, 'keep.txt');
    writeFileSync(file, 'Ġpizza\nĠquantum\n');
    const k = trim({ tokenizer, corpus, keep: file });
    const withList = trim({ tokenizer, corpus, keep: ['Ġpizza', 12345] });
    const pizza = 22502; // Qwen3 id of "Ġpizza"
    expect(all.oldToNew[pizza]).toBe(DROPPED);
    expect(k.oldToNew[pizza]).not.toBe(DROPPED);
    expect(withList.oldToNew[pizza]).not.toBe(DROPPED);
    expect(withList.oldToNew[12345]).not.toBe(DROPPED);
    expect(() => trim({ tokenizer, corpus, keep: ['not-a-token-at-all-xyz'] })).toThrow(VocabsmithError);
  });
});
