/**
 * Trimming Unigram tokenizers (the fixtures of test/fixtures/unigram: HF-trained, XLM-R layout with
 * a Precompiled charsmap, SentencePiece byte fallback) to UDHR languages: the trimmed tokenizer.json
 * must encode the corpus to the same ids (renumbered) in vocabsmith and in native HF `tokenizers`
 * (Python); single-char pieces stay, so text over them still encodes without unk (the naive trim of
 * used pieces only does not); and XLM-R / mT5 style model folders trim through the weights code.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusLines, trim, Tokenizer } from '../../src/index.js';
import { spawnSync } from 'node:child_process';
import { hfPythonEncode, hfPythonVersion, pythonPath } from '../helpers/oracle.js';
import { readSmall, tensorBytes, writeSynthetic } from '../helpers/safetensors.js';
import { unigramFixture } from '../helpers/unigram.js';

const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-trim-unigram-'));
const python = hfPythonVersion();
/** The scores as HF Python holds them (its own serialization of its in-memory f64s). */
const scoreCache = new Map<string, number[]>();
function hfScores(path: string): number[] {
  if (!scoreCache.has(path)) {
    const code = 'import sys, json, tokenizers; print(json.dumps([s for _, s in json.loads(tokenizers.Tokenizer.from_file(sys.argv[1]).to_str())["model"]["vocab"]]))';
    const r = spawnSync(pythonPath(), ['-c', code, path], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(r.stderr);
    scoreCache.set(path, JSON.parse(r.stdout) as number[]);
  }
  return scoreCache.get(path)!;
}
const mapIds = (ids: ArrayLike<number>, oldToNew: Uint32Array) => Array.from(ids, (id) => (oldToNew[id] === 0xffffffff ? -1 : oldToNew[id]!));

const CASES: [string, string[], string][] = [
  ['hf-nfkc', ['fra'], 'eng'],
  ['spm-xlmr', ['hin', 'eng'], 'deu_1996'],
  ['spm-bytefallback', ['rus'], 'ukr'],
];

describe.each(CASES)('trim Unigram %s to UDHR %s', (name, langs, other) => {
  const path = unigramFixture(name);
  const corpus = langs.map((l) => `udhr:${l}`);
  const lines = corpusLines(corpus);
  const original = Tokenizer.fromFile(path);
  const want = lines.map((l) => original.encode(l));
  const model = JSON.parse(readFileSync(path, 'utf8')).model as { vocab: [string, number][]; unk_id: number };
  const singles = model.vocab.map(([p]) => p).filter((p) => [...p].length === 1);

  it('keeps used + single-char pieces; same ids in vocabsmith and HF Python', () => {
    const out = join(dir, `${name}-${langs.join('+')}`);
    const r = trim({ tokenizer: path, corpus, out });
    expect(r.report.verified).toEqual({ checked: lines.length, identical: lines.length, skipped: 0 });
    expect(r.report.vocabAfter).toBeLessThan(r.report.vocabBefore / 1.5);
    const trimmedPath = join(out, 'tokenizer.json');
    const t = JSON.parse(readFileSync(trimmedPath, 'utf8')).model as typeof model;
    expect(t.vocab.length).toBe(r.keptIds.length);
    expect(t.unk_id).toBe(r.oldToNew[model.unk_id]);
    // Old order; scores equal to within an ulp as text, and bit-identical as HF reads them (below).
    const old = Array.from(r.keptIds, (id) => model.vocab[id]!);
    expect(t.vocab.map(([p]) => p)).toEqual(old.map(([p]) => p));
    t.vocab.forEach(([, s], i) => expect(Math.abs(s - old[i]![1])).toBeLessThanOrEqual(Math.abs(s) * 4e-16));
    if (python !== undefined) expect(hfScores(trimmedPath)).toEqual(Array.from(r.keptIds, (id) => hfScores(path)[id]));
    for (const s of singles) expect(t.vocab.some(([p]) => p === s), s).toBe(true);

    const expected = want.map((ids) => mapIds(ids, r.oldToNew));
    expect(expected.flat()).not.toContain(-1);
    const trimmed = Tokenizer.fromFile(trimmedPath);
    try {
      expect(lines.map((l) => Array.from(trimmed.encode(l)))).toEqual(expected);
      if (python !== undefined) {
        expect(hfPythonEncode(trimmedPath, lines)).toEqual(expected);
        // Outside the corpus the trimmed tokenizer is still exactly HF's.
        const others = corpusLines([`udhr:${other}`]);
        expect(others.map((l) => Array.from(trimmed.encode(l)))).toEqual(hfPythonEncode(trimmedPath, others));
      }
    } finally {
      trimmed.free();
    }
  });

  it('text over single-char pieces encodes without unk; the naive trim (used pieces only) loses them', () => {
    const keep = new Set(singles);
    const text = [...corpusLines([`udhr:${other}`]).join(' ')].filter((c) => keep.has(c) || keep.has(c === ' ' ? '▁' : c)).join('');
    const r = trim({ tokenizer: path, corpus });
    const naive = trim({ tokenizer: path, corpus, closure: false });
    const count = (json: string, unk: number) => {
      const tok = Tokenizer.fromJSON(json);
      const n = tok.encode(text).filter((id) => id === unk).length;
      tok.free();
      return n;
    };
    expect(count(r.tokenizerJson, r.oldToNew[model.unk_id]!)).toBe(0);
    if (name !== 'spm-bytefallback') expect(count(naive.tokenizerJson, naive.oldToNew[model.unk_id]!)).toBeGreaterThan(10);
    expect(naive.report.vocabAfter).toBeLessThan(r.report.vocabAfter);
  });
});

describe('trim XLM-R / mT5 style model folders (synthetic safetensors)', () => {
  const path = unigramFixture('spm-xlmr');
  const rows = JSON.parse(readFileSync(path, 'utf8')).model.vocab.length as number;
  const D = 4;
  const FOLDERS: [string, { name: string; dtype: 'F32' | 'F16' | 'BF16'; shape: number[] }[], string[]][] = [
    ['xlmr', [
      { name: 'roberta.embeddings.word_embeddings.weight', dtype: 'F32', shape: [rows, D] },
      { name: 'roberta.embeddings.position_embeddings.weight', dtype: 'F32', shape: [514, D] },
      { name: 'lm_head.decoder.weight', dtype: 'F32', shape: [rows, D] },
      { name: 'lm_head.bias', dtype: 'F32', shape: [rows] },
    ], ['roberta.embeddings.word_embeddings.weight', 'lm_head.decoder.weight', 'lm_head.bias']],
    ['mt5', [
      { name: 'shared.weight', dtype: 'BF16', shape: [rows + 26, D] }, // padded rows, as mT5
      { name: 'encoder.block.0.layer.0.SelfAttention.q.weight', dtype: 'BF16', shape: [D, D] },
      { name: 'lm_head.weight', dtype: 'BF16', shape: [rows + 26, D] },
    ], ['shared.weight', 'lm_head.weight']],
  ];

  it.each(FOLDERS)('%s: embedding rows gathered, configs remapped, tokenizer.model dropped', (kind, tensors, vocabTensors) => {
    const model = join(dir, kind);
    mkdirSync(model);
    writeFileSync(join(model, 'tokenizer.json'), readFileSync(path));
    writeFileSync(join(model, 'tokenizer.model'), 'stale sentencepiece model');
    writeFileSync(join(model, 'config.json'), JSON.stringify({ vocab_size: tensors[0]!.shape[0], bos_token_id: 0, pad_token_id: 1, eos_token_id: 2 }));
    writeSynthetic(join(model, 'model.safetensors'), tensors);
    const out = join(dir, `${kind}-out`);
    const r = trim({ model, corpus: ['udhr:hin'], out });
    expect(r.report.verified!.identical).toBe(r.report.verified!.checked);
    expect(r.report.removed).toEqual(['tokenizer.model']);
    expect(readdirSync(out)).not.toContain('tokenizer.model');
    expect(r.report.weights!.vocabTensors.sort()).toEqual([...vocabTensors].sort());
    const a = readSmall(join(model, 'model.safetensors'));
    const b = readSmall(join(out, 'model.safetensors'));
    for (const t of tensors) {
      const src = tensorBytes(a, t.name);
      const dst = tensorBytes(b, t.name);
      if (vocabTensors.includes(t.name)) {
        const row = src.length / t.shape[0]!;
        const gathered = Buffer.concat(Array.from(r.keptIds, (id) => src.subarray(id * row, (id + 1) * row)));
        expect(dst.equals(gathered), t.name).toBe(true);
      } else expect(dst.equals(src), t.name).toBe(true);
    }
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toEqual({ vocab_size: r.keptIds.length, bos_token_id: 0, pad_token_id: 1, eos_token_id: 2 });
  });
});
