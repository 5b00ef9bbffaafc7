import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get_encoding, type TiktokenEncoding as TkName } from 'tiktoken';
import { loadTokenizer, Tokenizer } from '../../src/index.js';
import { udhrLanguages, udhrText } from '../helpers/udhr.js';
import { codeCorpusFiles } from '../helpers/corpus.js';
import { realTokenizer } from '../helpers/tokenizers.js';

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-tiktoken-'));

/**
 * Writes a standard tiktoken rank file (`<base64> <rank>` per line) from the npm `tiktoken`
 * package's compressed ranks (`<display> <first rank> <base64>...` per line), so the test uses
 * OpenAI's real o200k_base/cl100k_base ranks without any download.
 */
function rankFile(name: 'o200k_base' | 'cl100k_base'): string {
  const { bpe_ranks } = JSON.parse(readFileSync(require.resolve(`tiktoken/encoders/${name}.json`), 'utf8')) as { bpe_ranks: string };
  const lines: string[] = [];
  for (const line of bpe_ranks.split('\n').filter(Boolean)) {
    const [, offset, ...tokens] = line.split(' ');
    tokens.forEach((t, i) => lines.push(`${t} ${Number(offset) + i}`));
  }
  const path = join(dir, `${name}.tiktoken`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const texts = [
  ...udhrLanguages().filter((_, i) => i % 6 === 0).map((l) => udhrText(l.code).slice(0, 3000)),
  ...codeCorpusFiles().slice(0, 20).map((f) => f.text.slice(0, 5000)),
  'digits 1234567 ١٢٣٤٥ and    spaces\r\n\r\n  end ',
];

describe.each(['o200k_base', 'cl100k_base'] as const)('tiktoken rank file %s', (name) => {
  const ours = loadTokenizer(rankFile(name));
  const theirs = get_encoding(name as TkName);

  it('encodes exactly as OpenAI tiktoken (npm) over UDHR and code', () => {
    let mismatches = 0;
    for (const t of texts) {
      const a = Array.from(ours.encode(t));
      const b = Array.from(theirs.encode_ordinary(t));
      if (JSON.stringify(a) !== JSON.stringify(b)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('splits special tokens out and decodes exactly', () => {
    const eot = ours.tokenToId('<|endoftext|>');
    expect(eot).toBe(name === 'o200k_base' ? 199999 : 100257);
    const ids = ours.encode('a<|endoftext|>b');
    expect(Array.from(ids)).toContain(eot);
    for (const t of texts) expect(ours.decode(ours.encode(t))).toBe(t);
  });
});

it('o200k_base from ranks equals the HF-form o200k tokenizer.json', () => {
  const ranks = loadTokenizer(rankFile('o200k_base'));
  const hf = Tokenizer.fromFile(realTokenizer('gpt4o').path);
  for (const t of texts) expect(Array.from(ranks.encode(t))).toEqual(Array.from(hf.encode(t)));
});

describe('tiktoken load progress (issue 14 item 7)', () => {
  it('o200k_base (~1 s in WASM) reports the lines read, then the merge table, to their totals', () => {
    const path = rankFile('o200k_base');
    const calls: [string, number, number][] = [];
    const tok = loadTokenizer(path, undefined, { onProgress: (stage, done, total) => calls.push([stage, done, total]) });
    expect(tok.vocabSize).toBeGreaterThan(199_000);
    tok.free();
    const stages = calls.map((c) => c[0]).filter((s, i, all) => s !== all[i - 1]);
    expect(stages).toEqual(['parse', 'merge table', 'added']);
    for (const stage of stages) {
      const of = calls.filter((c) => c[0] === stage);
      expect(of[0]![1], stage).toBe(0);
      expect(of.at(-1)![1], stage).toBe(of[0]![2]);
      expect(of.every((c, i) => i === 0 || c[1] >= of[i - 1]![1]), stage).toBe(true);
    }
    expect(calls.find((c) => c[0] === 'parse')![2]).toBe(statSync(path).size);
    // 200k tokens every 16k; the 3.6 MB file every 1 MiB.
    expect(calls.filter((c) => c[0] === 'merge table').length).toBeGreaterThan(10);
    expect(calls.filter((c) => c[0] === 'parse').length).toBeGreaterThan(3);
  });
});
