/**
 * Trimming real tokenizers to one UDHR language: the trimmed tokenizer.json must give the same ids
 * (renumbered) in vocabsmith, in native HF `tokenizers` (Python) and in `@huggingface/tokenizers`;
 * and the naive trim of other tools (used tokens + bytes, merges filtered, no closure) must not,
 * which shows this test can fail.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusLines, trim, Tokenizer } from '../../src/index.js';
import { editTokenizerConfig } from '../../src/model-folder/index.js';
import { hfPythonEncode, hfPythonVersion } from '../helpers/oracle.js';
import { realTokenizer, type RealTokenizerName } from '../helpers/tokenizers.js';

const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-trim-'));
const python = hfPythonVersion();

/** Old ids mapped to new ones; -1 for a dropped id. */
const mapIds = (ids: ArrayLike<number>, oldToNew: Uint32Array) => Array.from(ids, (id) => (oldToNew[id] === 0xffffffff ? -1 : oldToNew[id]!));

const CASES: [RealTokenizerName, string][] = [
  ['gemma3', 'hin'], // 262k SentencePiece-style BPE with byte fallback, no pretokenizer split
  ['qwen3', 'fra'], // byte-level with NFC
  ['llama3', 'eng'], // byte-level with ignore_merges
];

describe.each(CASES)('trim %s to UDHR %s', (name, lang) => {
  const real = realTokenizer(name);
  const lines = corpusLines([`udhr:${lang}`]);
  const original = Tokenizer.fromFile(real.path);
  const want = lines.map((l) => original.encode(l));

  it('closure trim: identical encodings in vocabsmith, HF Python and @huggingface/tokenizers', async () => {
    const out = join(dir, `${name}-${lang}`);
    const r = trim({ tokenizer: real.path, corpus: [`udhr:${lang}`], out });
    expect(r.report.verified).toEqual({ checked: lines.length, identical: lines.length, skipped: 0 });
    expect(r.report.closureAdded).toBeGreaterThan(0);
    expect(r.report.vocabAfter).toBeLessThan(r.report.vocabBefore / 10);
    const path = join(out, 'tokenizer.json');
    const expected = want.map((ids) => mapIds(ids, r.oldToNew));
    expect(expected.flat()).not.toContain(-1);

    const trimmed = Tokenizer.fromFile(path);
    expect(lines.map((l) => Array.from(trimmed.encode(l)))).toEqual(expected);
    expect(trimmed.decode(trimmed.encode(lines.join('')))).toBe(original.decode(original.encode(lines.join(''))));
    trimmed.free();

    if (python !== undefined) expect(hfPythonEncode(path, lines)).toEqual(expected);

    const { Tokenizer: HfJs } = await import('@huggingface/tokenizers');
    const config = JSON.parse(editTokenizerConfig(readFileSync(real.configPath, 'utf8'), real.configPath, (id) => (r.oldToNew[id] === 0xffffffff ? undefined : r.oldToNew[id])));
    const js = new HfJs(JSON.parse(readFileSync(path, 'utf8')), config);
    expect(lines.map((l) => js.encode(l, { add_special_tokens: false }).ids)).toEqual(expected);
  });

  it('naive trim (no closure) changes encodings, also in HF Python', () => {
    const r = trim({ tokenizer: real.path, corpus: [`udhr:${lang}`], closure: false });
    expect(r.report.closureAdded).toBe(0);
    const expected = want.map((ids) => mapIds(ids, r.oldToNew));
    expect(expected.flat()).not.toContain(-1); // every used token is still in the vocabulary...
    const path = join(dir, `${name}-${lang}-naive.json`);
    writeFileSync(path, r.tokenizerJson);
    const naive = Tokenizer.fromFile(path);
    const got = lines.map((l) => Array.from(naive.encode(l)));
    naive.free();
    // ...but many lines no longer reach them: intermediate merges are gone. (Fewer for Llama-3:
    // ignore_merges finds whole words in the vocabulary without merging.)
    const same = got.filter((ids, i) => JSON.stringify(ids) === JSON.stringify(expected[i])).length;
    expect(lines.length - same).toBeGreaterThan(lines.length / 5);
    expect(r.report.verified!.identical).toBe(same);
    if (python !== undefined) expect(hfPythonEncode(path, lines)).toEqual(got);
  });
});
