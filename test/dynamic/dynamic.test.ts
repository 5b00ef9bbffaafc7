import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { embedNewTokens, expandMerged, inputsEmbeds, meanEmbedder, mergeBatch, Tokenizer, VocabsmithError, type MergedBatch } from '../../src/index.js';
import { realTokenizer, type RealTokenizerName } from '../helpers/tokenizers.js';
import { udhrParagraphs } from '../helpers/udhr.js';

const LANGS = ['eng', 'deu_1996', 'fra', 'rus', 'tur', 'fin', 'hin', 'arb', 'cmn_hans', 'jpn', 'kor', 'swh'];
const tokenizers = new Map<RealTokenizerName, Tokenizer>();
const tok = (n: RealTokenizerName) => {
  if (!tokenizers.has(n)) tokenizers.set(n, Tokenizer.fromFile(realTokenizer(n).path));
  return tokenizers.get(n)!;
};

/** Every merged sequence decodes to its text, and its new tokens' bytes spell the same text. */
function checkExact(t: Tokenizer, texts: string[], b: MergedBatch) {
  const dec = new TextDecoder();
  b.sequences.forEach((seq, i) => {
    expect(t.decode(expandMerged(b, seq))).toBe(texts[i]);
    expect(seq.length).toBeLessThanOrEqual(b.original[i]!.length);
  });
  expect(b.original.map((s) => t.decode(s))).toEqual(texts);
  for (const nt of b.newTokens) expect(dec.decode(nt.bytes)).toBe(nt.surface);
}

describe('mergeBatch on UDHR text', () => {
  // The numbers in the README come from this table (printed by the test).
  const rows: Record<string, string | number>[] = [];
  for (const name of ['llama3', 'gemma3'] as const) {
    for (const lang of LANGS) {
      it(`${name} ${lang}: merged sequences decode exactly; reduction grows with merges`, () => {
        const t = tok(name);
        const texts = udhrParagraphs(lang).slice(0, 32); // a batch of 32 paragraphs
        const row: Record<string, string | number> = { tokenizer: name, lang };
        let last = -1;
        for (const merges of [10, 50, 200]) {
          const b = mergeBatch(t, texts, { merges });
          checkExact(t, texts, b);
          expect(b.reduction).toBeGreaterThanOrEqual(last);
          last = b.reduction;
          row[`${merges} merges`] = `${(100 * b.reduction).toFixed(1)}% (${(100 * b.reductionVsWord!).toFixed(0)}% of word)`;
          row.tokens = b.originalLength;
          row['word level'] = b.wordLength!;
        }
        rows.push(row);
      });
    }
  }
  it('prints the table', () => {
    console.table(rows);
  });
});

describe('mergeBatch options', () => {
  const texts = udhrParagraphs('eng').slice(0, 20);

  it('a target reduction relative to the original or to word level is met with the fewest merges', () => {
    const t = tok('gemma3');
    const fin = udhrParagraphs('fin').slice(0, 20);
    const a = mergeBatch(t, fin, { targetReduction: 0.15 });
    expect(a.reduction).toBeGreaterThanOrEqual(0.15);
    expect((a.originalLength - a.curve[a.merges - 1]!) / a.originalLength).toBeLessThan(0.15);
    const w = mergeBatch(t, texts, { targetReduction: 0.5, relativeTo: 'word' });
    expect(w.reductionVsWord).toBeGreaterThanOrEqual(0.5);
    const all = mergeBatch(t, texts, { targetReduction: 1, relativeTo: 'word' });
    expect(all.mergedLength).toBe(all.wordLength);
    checkExact(t, texts, all);
  });

  it('boundaries: pretoken ⊂ word ⊂ sentence in how far merging can go', () => {
    const t = tok('llama3');
    const len = (boundary: 'pretoken' | 'word' | 'sentence') => mergeBatch(t, texts, { boundary, targetReduction: 1, relativeTo: 'word' });
    const [p, w, s] = [len('pretoken'), len('word'), len('sentence')];
    expect(p.mergedLength).toBeGreaterThanOrEqual(w.mergedLength);
    expect(w.mergedLength).toBeGreaterThanOrEqual(s.mergedLength - 0); // sentence keeps the whitespace rule
    for (const b of [p, w, s]) checkExact(t, texts, b);
    // Pretoken mode: no new token spans two Llama-3 pretokens, e.g. never "word," or "the right".
    for (const nt of p.newTokens) expect(nt.surface).not.toMatch(/\S\s|\p{L}[,.;:]/u);
  });

  it('special tokens never merge; id-sequence input gives the same result as text input', () => {
    const t = tok('llama3');
    // This Llama-3 tokenizer.json adds no BOS itself; the special is written in the text.
    const b = mergeBatch(t, texts.map((x) => `<|begin_of_text|>${x}<|eot_id|>`), { merges: 30 });
    expect(b.sequences.every((s) => s[0] === 128000 && s.at(-1) === 128009)).toBe(true);
    const ids = mergeBatch(t, b.original, { merges: 30 });
    expect(ids.sequences.map((s) => t.decode(expandMerged(ids, s)))).toEqual(b.sequences.map((s) => t.decode(expandMerged(b, s))));
  });

  it('decompositions: n × maxLen, padded with -1, truncated when asked', () => {
    const t = tok('llama3');
    const b = mergeBatch(t, texts, { merges: 40, maxLen: 3 });
    expect(b.decompositions.length).toBe(b.newTokens.length * 3);
    b.newTokens.forEach((nt, i) => {
      const row = Array.from(b.decompositions.subarray(i * 3, i * 3 + 3));
      const want = Array.from(nt.decomposition.slice(0, 3));
      expect(row).toEqual([...want, ...Array(3 - want.length).fill(-1)]);
    });
  });

  it('mean embedder and inputs_embeds; a hypernetwork callback gets the matrix', () => {
    const t = tok('llama3');
    const dim = 4;
    const vocab = b0().base;
    function b0() {
      return mergeBatch(t, texts.slice(0, 4), { merges: 20 });
    }
    const b = b0();
    const emb = Float32Array.from({ length: vocab * dim }, (_, i) => Math.sin(i));
    const rows = embedNewTokens(b, meanEmbedder(emb, dim), dim);
    b.newTokens.forEach((nt, i) => {
      for (let d = 0; d < dim; d++) {
        const mean = Array.from(nt.decomposition).reduce((s, id) => s + emb[id * dim + d]!, 0) / nt.decomposition.length;
        expect(rows[i * dim + d]).toBeCloseTo(mean, 6);
      }
    });
    const x = inputsEmbeds(b, b.sequences[0]!, emb, rows, dim);
    expect(x.length).toBe(b.sequences[0]!.length * dim);
    let seen: [number, number] | undefined;
    embedNewTokens(b, (m, maxLen, n) => {
      seen = [maxLen, n];
      expect(m.length).toBe(n * maxLen);
      return new Float32Array(n * dim);
    }, dim);
    expect(seen).toEqual([b.maxLen, b.newTokens.length]);
    expect(() => embedNewTokens(b, () => new Float32Array(1), dim)).toThrow(VocabsmithError);
  });

  it('bad input: unknown boundary, negative merges, ids outside the vocabulary', () => {
    const t = tok('llama3');
    expect(() => mergeBatch(t, ['a'], { boundary: 'line' as never })).toThrow(/unknown boundary/);
    expect(() => mergeBatch(t, ['a'], { merges: -1 })).toThrow(VocabsmithError);
    expect(() => mergeBatch(t, [[1, 2, 999999]])).toThrow(/outside the tokenizer's vocabulary/);
  });
});

describe('mergeBatch properties', () => {
  it('any batch of strings decodes exactly after any number of merges (qwen3, gemma3)', () => {
    for (const name of ['qwen3', 'gemma3'] as const) {
      const t = tok(name);
      fc.assert(
        fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 60 }), { minLength: 1, maxLength: 6 }), fc.nat(40), fc.constantFrom('pretoken', 'word', 'sentence'), (texts, merges, boundary) => {
          const b = mergeBatch(t, texts, { merges, boundary: boundary as 'pretoken' });
          b.sequences.forEach((seq, i) => expect(t.decode(expandMerged(b, seq))).toBe(t.decode(b.original[i]!)));
          expect(b.mergedLength).toBe(b.originalLength - (b.originalLength - b.mergedLength));
          expect(b.curve.length).toBe(b.merges + 1);
        }),
        { numRuns: 100 },
      );
    }
  });
});

describe('vocabsmith merge-batch', () => {
  it('prints lengths and reductions; --out writes sequences and decompositions', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { fileURLToPath } = await import('node:url');
    const cli = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-merge-'));
    const texts = udhrParagraphs('deu_1996').slice(0, 10);
    writeFileSync(join(dir, 'batch.txt'), texts.join('\n'));
    const out = join(dir, 'merged.json');
    const llama = realTokenizer('llama3').path;
    const r = spawnSync(process.execPath, [cli, 'merge-batch', '-t', llama, '-i', join(dir, 'batch.txt'), '--merges', '20', '-o', out, '--json'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ texts: 10, merges: 20 });
    expect(summary.mergedLength).toBeLessThan(summary.originalLength);
    const full = JSON.parse(readFileSync(out, 'utf8'));
    expect(full.sequences).toHaveLength(10);
    expect(full.decompositions).toHaveLength(full.newTokens.length * full.maxLen);
    const bad = spawnSync(process.execPath, [cli, 'merge-batch', '-t', llama, '-i', join(dir, 'batch.txt'), '--merges', 'x'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^vocabsmith: --merges must be a non-negative integer/);
  });
});
