// Issue 14, items 1, 3 and 4 through the API: corpus files are never dropped by name alone,
// every option is checked before any work, and special-token roles are explicit.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train, type TrainOptions } from '../../src/train/train.js';
import { countInputs } from '../../src/train/count.js';
import { expandCorpus, sourceSequences } from '../../src/corpus.js';
import { corpusLines } from '../../src/trim.js';
import { didYouMean, patternNames } from '../../src/train/options.js';
import { udhrParagraphs } from '../../src/corpora/udhr.js';
import { CORPORA_DIR } from '../helpers/corpus.js';
import { pythonPath } from '../helpers/oracle.js';
import { spawn } from 'node:child_process';

/** Python in a child process, awaited (a synchronous wait would block vitest's worker RPC). */
function runPython(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(pythonPath(), args);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-options-'));
const en = (f: string) => join(CORPORA_DIR, 'en', f);
const jsonl = (texts: string[]) => gzipSync(texts.map((text) => JSON.stringify({ text })).join('\n') + '\n');

describe('corpus files are never dropped by their name alone (item 1)', () => {
  const data = join(dir, 'readme-named');
  mkdirSync(data);
  writeFileSync(join(data, 'readmes.jsonl.gz'), jsonl(['first record about readmes\n', 'second record']));
  writeFileSync(join(data, 'README_dataset.jsonl.gz'), jsonl(['third record']));
  writeFileSync(join(data, 'LICENSE'), 'licence text\n');
  writeFileSync(join(data, '.hidden'), 'not read\n');

  it('a directory of README-named corpus files trains on all of them; hidden files are listed as skipped', async () => {
    const r = await train({ corpus: [data], vocabSize: 300, workers: 0 });
    expect(r.counted.sequences).toBe(4); // 3 records + 1 licence line
    expect(r.counted.skipped).toEqual([{ path: join(data, '.hidden'), reason: 'hidden file' }]);
  });

  it('skipping by name is an explicit option, and what it skipped is returned', async () => {
    const r = await train({ corpus: [data], vocabSize: 300, workers: 0, exclude: ['LICEN[CS]E*'] });
    expect(r.counted.sequences).toBe(3);
    expect(r.counted.skipped.map((s) => s.reason)).toEqual(['hidden file', '--exclude LICEN[CS]E*']);
  });

  it('a directory whose every file is excluded fails naming it, not "the corpus is empty" later', async () => {
    await expect(train({ corpus: [data], vocabSize: 300, exclude: ['*'] })).rejects.toThrow(/readme-named: no corpus files: all 4 files were skipped/);
  });

  it('count with workers reports the skipped files too', async () => {
    const c = await countInputs([data], { patterns: ['o200k'], workers: 1, exclude: ['readme*'] });
    expect(c.sequences).toBe(1); // readmes and README_dataset (case-insensitive) excluded: the licence line
    expect(c.skipped.map((s) => s.path)).toEqual([join(data, '.hidden'), join(data, 'README_dataset.jsonl.gz'), join(data, 'readmes.jsonl.gz')]);
    c.tables.forEach((t) => t.counts.free());
  });
});

describe('one corpus spec for every command (issue 15 §3)', () => {
  it('udhr: takes package codes, BCP 47 tags, ISO 639-3 codes and all, in train and trim alike', async () => {
    const byTag = expandCorpus(['udhr:en,de-1996,deu,cmn_hans']).sources; // BCP 47, BCP 47, ISO 639-3, package code
    expect(byTag).toEqual([
      { kind: 'udhr', code: 'eng' },
      { kind: 'udhr', code: 'deu_1996' },
      { kind: 'udhr', code: 'deu_1901' },
      { kind: 'udhr', code: 'cmn_hans' },
    ]);
    expect(expandCorpus(['udhr:all']).sources.length).toBeGreaterThan(500);
    // trim's corpus is the same text as the report's: the paragraphs, one per line.
    expect(corpusLines(['udhr:en']).join('')).toBe(udhrParagraphs('eng').join('\n'));
    const r = await train({ corpus: ['udhr:en'], vocabSize: 300, workers: 0 });
    expect(r.counted.sequences).toBe(udhrParagraphs('eng').length);
  });

  it('trim reads .gz, JSONL fields and globs like train does', () => {
    const d = join(dir, 'spec');
    mkdirSync(d);
    writeFileSync(join(d, 'a.jsonl.gz'), gzipSync('{"body":"x y\\nz"}\n{"body":"w"}\n'));
    writeFileSync(join(d, 'b.txt.gz'), gzipSync('one\ntwo\n'));
    expect(corpusLines([join(d, '*.gz')], [], { jsonlField: 'body' })).toEqual(['x y\nz', 'w', 'one\n', 'two\n']);
    expect(sourceSequences({ kind: 'file', path: join(d, 'a.jsonl.gz') }, { jsonlField: 'body' })).toEqual(['x y\nz', 'w']);
    expect(() => corpusLines([join(d, '*.nothing')])).toThrow(/the glob matches no file/);
    expect(() => corpusLines(['udhr:xx-nope'])).toThrow(/unknown UDHR language code 'xx-nope'/);
  });
});

describe('every option is checked before any work (item 4)', () => {
  // A corpus that does not exist: an option error must come first, before the corpus is touched.
  const nowhere = [join(dir, 'does-not-exist')];
  const fails = (o: Partial<TrainOptions>, message: RegExp) =>
    expect(train({ corpus: nowhere, vocabSize: 32000, ...o } as TrainOptions)).rejects.toThrow(message);

  it('named patterns are a closed list, with did-you-mean', async () => {
    expect(patternNames()).toEqual(expect.arrayContaining(['gpt2', 'llama3', 'qwen2', 'cl100k', 'o200k']));
    expect(didYouMean('llama4', patternNames())).toBe('llama3');
    await fails({ pattern: 'llama4' }, /unknown pattern "llama4" \(did you mean llama3\?\).*--regex/);
  });

  it('a raw regex needs `regex`, and a bad one fails before counting', async () => {
    await fails({ regex: '(unclosed' }, /--regex: .*invalid regex/);
    await fails({ pattern: 'gpt2', regex: '\\w+' }, /--pattern .* or --regex, not both/);
    const r = await train({ corpus: [en('shakespeare-sonnets.txt')], vocabSize: 300, regex: '\\s?\\w+|\\s?[^\\w\\s]+|\\s+', workers: 0 });
    expect(JSON.parse(r.json).pre_tokenizer.pretokenizers[0].pattern.Regex).toBe('\\s?\\w+|\\s?[^\\w\\s]+|\\s+');
  });

  it('a SuperBPE transition at or above the vocab size is refused up front', async () => {
    await fails({ superbpe: { transition: 40000 } }, /--transition 40000 is not below --vocab-size 32000/);
    await fails({ superbpe: { transition: 32000 } }, /--transition 32000 is not below/);
    await fails({ superbpe: { transition: 31800, transitionIsMergeCount: true } }, /--transition-merges 31800 \(vocabulary 32056\) is not below/);
    await fails({ superbpe: { transition: 100 } }, /--transition 100 is smaller than the 0 special tokens plus the 256/);
  });

  it('other bad values name the option', async () => {
    await fails({ vocabSize: 100 }, /vocab_size 100 is smaller than the 0 special tokens plus the 256/);
    await fails({ vocabSize: 1.5 }, /vocabSize must be a positive integer/);
    await fails({ minFrequency: -1 }, /minFrequency must be an integer >= 0/);
    await fails({ specialTokens: ['<s>', '<s>'] }, /special token "<s>" is given twice/);
    await fails({ fromCounts: ['a.counts'] }, /a corpus or count files, not both/);
    await fails({ onInvalidUtf8: 'ignore' as 'skip' }, /onInvalidUtf8 must be "fail" or "skip"/);
  });
});

describe('special-token roles are explicit (item 3)', () => {
  const corpus = [en('shakespeare-sonnets.txt')];

  it('the order of specialTokens no longer makes pad the EOS', async () => {
    const r = await train({ corpus, vocabSize: 400, specialTokens: ['<|endoftext|>', '<|pad|>'], workers: 0 });
    const cfg = JSON.parse(r.configJson);
    expect(cfg.eos_token).toBeUndefined();
    expect(cfg.bos_token).toBeUndefined();
    expect(JSON.parse(r.json).post_processor).toBeNull();
  });

  it('bos/eos/pad/unk and modelMaxLength are written; bos gets a post-processor; roles not in specialTokens are added', async () => {
    const r = await train({
      corpus,
      vocabSize: 400,
      specialTokens: ['<|endoftext|>', '<|pad|>'],
      bos: '<|begin|>',
      eos: '<|endoftext|>',
      pad: '<|pad|>',
      unk: '<|unk|>',
      modelMaxLength: 2048,
      workers: 0,
    });
    const cfg = JSON.parse(r.configJson);
    expect(cfg).toMatchObject({ bos_token: '<|begin|>', eos_token: '<|endoftext|>', pad_token: '<|pad|>', unk_token: '<|unk|>', model_max_length: 2048 });
    const json = JSON.parse(r.json);
    expect(json.added_tokens.map((t: { content: string }) => t.content)).toEqual(['<|endoftext|>', '<|pad|>', '<|begin|>', '<|unk|>']);
    const tok = r.tokenizer();
    expect(Array.from(tok.encode('Hi', { addSpecialTokens: true }))).toEqual([2, ...tok.encode('Hi')]);
    tok.free();
  });
});

describe('special-token roles in transformers (item 3)', () => {
  it('AutoTokenizer gets the roles; tokenizer(text) adds BOS; generate() stops at the EOS', async () => {
    const out = join(dir, 'roles-hf');
    const r = await train({
      corpus: [en('shakespeare-sonnets.txt')],
      vocabSize: 500,
      specialTokens: ['<|endoftext|>', '<|pad|>'],
      bos: '<|begin_of_text|>',
      eos: '<|endoftext|>',
      pad: '<|pad|>',
      modelMaxLength: 4096,
      workers: 0,
    });
    r.save(out);
    const py = await runPython([join(import.meta.dirname, 'check_special_roles.py'), out]);
    expect(py.status, py.stderr).toBe(0);
    const hf = JSON.parse(py.stdout);
    expect(hf).toMatchObject({ bos_token_id: 2, eos_token_id: 0, pad_token_id: 1, model_max_length: 4096 });
    expect(hf.input_ids).toEqual([2, ...hf.plain_ids]);
    expect(hf.generated).toEqual([0]); // stopped at <|endoftext|>, not at <|pad|>
    expect(hf.decoded).toBe('Shall I compare thee');
  });
});
