import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { Tokenizer as HfJsTokenizer } from '@huggingface/tokenizers';
import { Tokenizer } from '../../src/index.js';
import { train, type TrainOptions } from '../../src/train/train.js';
import { countInputs } from '../../src/train/count.js';
import { writeCountFile } from '../../src/train/countfile.js';
import { WasmCounter } from '../../src/wasm.js';
import { CORPORA_DIR, REPO_ROOT } from '../helpers/corpus.js';
import { pythonPath, hfPythonEncode } from '../helpers/oracle.js';
import { udhrText } from '../helpers/udhr.js';

const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-train-'));
const en = (f: string) => join(CORPORA_DIR, 'en', f);
const code = join(CORPORA_DIR, 'code', 'python');

/** Native HF BpeTrainer on the same files and settings; returns its tokenizer.json. */
function hfTrain(files: string[], o: TrainOptions): { model: { vocab: Record<string, number>; merges: string[][] } } {
  const pre = JSON.parse(new WasmCounter(o.pattern ?? 'o200k').preTokenizerJson());
  const req = {
    files,
    vocab_size: o.vocabSize,
    min_frequency: o.minFrequency ?? 0,
    special_tokens: o.specialTokens ?? [],
    pretokenizer: pre,
    limit_alphabet: o.limitAlphabet ?? null,
    max_token_length: o.maxTokenLength ?? null,
  };
  const r = spawnSync(pythonPath(), [join(REPO_ROOT, 'scripts', 'hf_train.py')], { input: JSON.stringify(req), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`hf_train.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('BPE training is identical to native HF BpeTrainer', () => {
  const cases: [string, string[], TrainOptions][] = [
    ['o200k, 3000, English prose', [en('milton-areopagitica.txt'), en('britannica-1911-shakespeare.txt')], { vocabSize: 3000 }],
    ['llama3, specials, min_frequency 3, Python code', readdirSync(code).filter((f) => f.endsWith('.py')).map((f) => join(code, f)),
      { vocabSize: 2500, pattern: 'llama3', specialTokens: ['<|endoftext|>', '<pad>'], minFrequency: 3 }],
    ['gpt2, max token length 5, verse', [en('shakespeare-hamlet.txt')], { vocabSize: 1500, pattern: 'gpt2', maxTokenLength: 5 }],
  ];
  it.each(cases)('%s', async (_name, files, o) => {
    const ours = JSON.parse((await train({ ...o, corpus: files, workers: 2 })).json);
    const hf = hfTrain(files, o);
    expect(ours.model.vocab).toEqual(hf.model.vocab);
    expect(ours.model.merges).toEqual(hf.model.merges);
  });
});

describe('trained tokenizers load in HF Python, @huggingface/tokenizers and transformers and encode identically', () => {
  it.each([
    ['BPE', { vocabSize: 4000 }],
    ['SuperBPE', { vocabSize: 4000, superbpe: { transition: 3000 } }],
    ['SuperBPE (paper-era patterns)', { vocabSize: 4000, superbpe: { transition: 3000, paper: true } }],
  ] as [string, TrainOptions][])('%s', async (name, o) => {
    const r = await train({ ...o, corpus: [join(CORPORA_DIR, 'en')], specialTokens: ['<|endoftext|>'] });
    const path = r.save(join(dir, name.replace(/\W+/g, '-'), 'tokenizer.json'));
    expect(existsSync(join(dir, name.replace(/\W+/g, '-'), 'tokenizer_config.json'))).toBe(true);
    const texts = [udhrText('eng'), udhrText('deu_1996').slice(0, 4000), readFileSync(join(code, 'argparse.py'), 'utf8').slice(0, 8000), 'a<|endoftext|>b 123456 : x'];
    const ours = Tokenizer.fromFile(path);
    const mine = texts.map((t) => Array.from(ours.encode(t)));
    expect(mine).toEqual(hfPythonEncode(path, texts));
    const js = new HfJsTokenizer(JSON.parse(r.json), JSON.parse(r.configJson));
    expect(texts.map((t) => js.encode(t, { add_special_tokens: false }).ids)).toEqual(mine);
    texts.forEach((t, i) => expect(ours.decode(mine[i] as number[])).toBe(t));
    const tf = spawnSync(pythonPath(), [join(REPO_ROOT, 'scripts', 'hf_transformers_encode.py')], {
      input: JSON.stringify({ dir: dirname(path), texts }),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    expect(tf.status, tf.stderr).toBe(0);
    expect(JSON.parse(tf.stdout).ids).toEqual(mine);
  });
});

describe('SuperBPE', () => {
  it('encodes held-out text with clearly fewer tokens than BPE at the same vocab size, within the filters', async () => {
    const corpus = readdirSync(join(CORPORA_DIR, 'en')).filter((f) => f.endsWith('.txt') && !f.includes('hamlet')).map(en);
    const heldOut = readFileSync(en('shakespeare-hamlet.txt'), 'utf8');
    const bpe = (await train({ corpus, vocabSize: 8000, pattern: 'superbpe-stage1' })).tokenizer();
    const sup = await train({ corpus, vocabSize: 8000, superbpe: { transition: 6000 } });
    const nb = bpe.encode(heldOut).length;
    const ns = sup.tokenizer().encode(heldOut).length;
    expect(ns / nb).toBeLessThan(0.93);
    const vocab = Object.keys(JSON.parse(sup.json).model.vocab as Record<string, number>);
    const superwords = vocab.filter((t) => /.Ġ./.test(t));
    expect(superwords.length).toBeGreaterThan(100);
    for (const t of vocab) {
      expect(t.includes(':Ġ')).toBe(false);
      expect(t.split('Ġ').filter(Boolean).length).toBeLessThanOrEqual(4);
    }
  });
});

describe('inputs and count files', () => {
  const text = readFileSync(en('milton-areopagitica.txt'), 'utf8').slice(0, 60_000);
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const o = { vocabSize: 600 };

  it('file, .gz, JSONL field, {text}, iterable, async iterable and stream give the same tokenizer', async () => {
    writeFileSync(join(dir, 'c.txt'), text);
    writeFileSync(join(dir, 'c.txt.gz'), gzipSync(text));
    writeFileSync(join(dir, 'c.jsonl'), lines.map((l) => JSON.stringify({ id: 1, body: l })).join('\n'));
    const ref = (await train({ ...o, corpus: [join(dir, 'c.txt')] })).json;
    async function* gen() {
      yield* lines;
    }
    const variants: TrainOptions['corpus'][] = [
      [join(dir, 'c.txt.gz')],
      [{ jsonl: join(dir, 'c.jsonl'), field: 'body' }],
      [{ text }],
      [lines],
      [gen()],
      [Readable.from(lines)],
      [join(dir, 'c.t?t')],
    ];
    for (const corpus of variants) expect((await train({ ...o, corpus, workers: 0 })).json).toBe(ref);
  });

  it('shards counted apart and merged train the same tokenizer as the whole corpus', async () => {
    const files = readdirSync(join(CORPORA_DIR, 'en')).filter((f) => f.endsWith('.txt')).map(en);
    const patterns = ['superbpe-stage1', 'superbpe'];
    const shards = [files.slice(0, 3), files.slice(3, 9), files.slice(9)];
    const paths = await Promise.all(
      shards.map(async (s, i) => {
        const p = join(dir, `shard${i}.counts`);
        writeCountFile(p, await countInputs(s, { patterns, workers: 1 }));
        return p;
      }),
    );
    const sup = { vocabSize: 3000, superbpe: { transition: 2000 } };
    const whole = await train({ ...sup, corpus: files });
    const merged = await train({ ...sup, fromCounts: [paths[2] as string, paths[0] as string, paths[1] as string] });
    expect(merged.json).toBe(whole.json);
    expect(merged.counted.sequences).toBe(whole.counted.sequences);
  });
});

describe('bad input: one clear error, no partial output', () => {
  const out = join(dir, 'bad', 'tokenizer.json');
  const fails = async (o: TrainOptions, message: RegExp) => {
    await expect(train(o).then((r) => r.save(out))).rejects.toThrow(message);
    expect(existsSync(out)).toBe(false);
  };

  it('unreadable path', () => fails({ corpus: [join(dir, 'nope.txt')], vocabSize: 500 }, /nope\.txt: .*no such file/i));

  it('invalid UTF-8: fails naming file and line, or skips the line', async () => {
    const p = join(dir, 'latin1.txt');
    writeFileSync(p, Buffer.concat([Buffer.from('good line\nsecond\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), Buffer.from('last\n')]));
    await fails({ corpus: [p], vocabSize: 300 }, /latin1\.txt: invalid UTF-8 on line 3/);
    const r = await train({ corpus: [p], vocabSize: 300, onInvalidUtf8: 'skip' });
    expect(r.counted.sequences).toBe(3);
  });

  it('vocab size smaller than the alphabet', () => fails({ corpus: [en('milton-areopagitica.txt')], vocabSize: 100 }, /vocab_size 100 is smaller than .*256/));

  it('empty corpus', async () => {
    writeFileSync(join(dir, 'empty.txt'), '');
    await fails({ corpus: [join(dir, 'empty.txt')], vocabSize: 500 }, /corpus is empty/);
  });

  it('a bad regex', () => fails({ corpus: [en('milton-areopagitica.txt')], vocabSize: 500, regex: '(unclosed' }, /invalid regex/));
});
