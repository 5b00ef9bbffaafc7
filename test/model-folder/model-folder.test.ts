/**
 * The model-folder module on its own: lossless config edits over the default config.json of every
 * family transformers 5.24 ships for the models vocabsmith trims and remaps (fixtures written by
 * test/fixtures/model-configs/make_configs.py), and those edited configs loading in transformers;
 * the atomic writer's one rule for an existing output; the tensor planner's roles and refusals.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configIds, editConfig, editTokenizerConfig, parseJson, plain, planVocab, writeFolder } from '../../src/model-folder/index.js';
import { VocabsmithError } from '../../src/index.js';
import { pythonPath } from '../helpers/oracle.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/model-configs/', import.meta.url));
const families = (JSON.parse(readFileSync(join(FIXTURES, 'versions.json'), 'utf8')) as { families: string[] }).families;
const read = (f: string) => readFileSync(join(FIXTURES, f, 'config.json'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'vocabsmith-folder-'));

/** Every number lexeme of a JSON text that is not an integer (`30.0`, `1e-06`, `0.02`). */
const floats = (text: string) => text.match(/(?<=[:[,]\s*)-?\d+(\.\d+|[eE][+-]?\d+|\.\d+[eE][+-]?\d+)(?=\s*[,\]}\n])/g) ?? [];

describe('lossless config edits', () => {
  it('has fixtures of the families the issue names', () => {
    expect(families).toEqual(expect.arrayContaining(['llama', 'qwen3', 'gemma2', 'gemma3', 'gemma3n', 'mixtral', 'llama4', 'gpt_oss']));
  });

  for (const f of families) {
    it(`${f}: an identity edit is byte-identical; a real edit moves ids and sizes and keeps every float lexeme`, () => {
      const text = read(f);
      const vocab = (plain(parseJson(text)) as { vocab_size?: number; text_config?: { vocab_size?: number } });
      const V = vocab.vocab_size ?? vocab.text_config?.vocab_size;
      expect(editConfig(text, f, { map: (id) => id, sizes: new Map() })).toBe(text);
      const out = editConfig(text, f, { map: (id) => id + 1, sizes: new Map(V === undefined ? [] : [[V, V - 10]]) });
      expect(floats(out)).toEqual(floats(text));
      // Same tree but for ids (+1) and vocabulary sizes.
      const ids = configIds(text, f);
      expect(configIds(out, f)).toEqual(ids.map((id) => id + 1));
      if (V !== undefined) expect(out).toContain(`${V - 10}`);
    });
  }

  it('gemma2: final_logit_softcapping stays 30.0 and rope_theta stays a float (JSON.stringify writes 30 and 10000)', () => {
    const out = editConfig(read('gemma2'), 'gemma2', { map: (id) => id, sizes: new Map([[256000, 1000]]) });
    expect(out).toMatch(/"final_logit_softcapping": 30\.0,/);
    expect(out).toMatch(/"rope_theta": 10000\.0/);
    expect(JSON.stringify(JSON.parse(out))).toMatch(/"final_logit_softcapping":30,/); // what a parse+stringify writes
  });

  it('id lists: suppress lists and bad_words_ids drop gone ids; a gone bos is an error naming the field and token', () => {
    const text = '{\n  "bos_token_id": 5,\n  "eos_token_id": [6, 7],\n  "suppress_tokens": [1, 2, 3],\n  "bad_words_ids": [[1, 2], [3]],\n  "forced_decoder_ids": [[1, 7]],\n  "temperature": 1.0\n}\n';
    const map = (id: number) => (id === 2 ? undefined : id * 10);
    const out = JSON.parse(editConfig(text, 'g.json', { map, sizes: new Map() }));
    expect(out).toEqual({ bos_token_id: 50, eos_token_id: [60, 70], suppress_tokens: [10, 30], bad_words_ids: [[30]], forced_decoder_ids: [[1, 70]], temperature: 1 });
    expect(() => editConfig(text, 'g.json', { map: (id) => (id === 5 ? undefined : id), sizes: new Map(), describe: (id) => `${id} ("<s>")` })).toThrow(
      /g\.json: bos_token_id names token 5 \("<s>"\), which the new vocabulary lacks/,
    );
  });

  it('a sub-config with its own vocabulary keeps its vocab_size (only the model vocabulary size moves)', () => {
    const text = '{"vocab_size": 32000, "qformer_config": {"vocab_size": 30522}, "text_config": {"vocab_size": 32000}}';
    expect(JSON.parse(editConfig(text, 'c', { map: (id) => id, sizes: new Map([[32000, 900]]) }))).toEqual({
      vocab_size: 900, qformer_config: { vocab_size: 30522 }, text_config: { vocab_size: 900 },
    });
  });

  it('tokenizer_config added_tokens_decoder: re-keyed, dropped entries left out, the rest of the file untouched', () => {
    const text = '{\n  "add_bos_token": true,\n  "added_tokens_decoder": {\n    "0": {"content": "<pad>", "special": true},\n    "7": {"content": "<x>", "special": false}\n  },\n  "model_max_length": 1e30\n}\n';
    const out = editTokenizerConfig(text, 't', (id) => (id === 7 ? undefined : id + 1));
    expect(JSON.parse(out).added_tokens_decoder).toEqual({ 1: { content: '<pad>', special: true } });
    expect(out).toContain('"model_max_length": 1e30');
  });

  it('a bad JSON file is one VocabsmithError naming the file and the place', () => {
    expect(() => editConfig('{"a": 1,}', 'bad.json', { map: (id) => id, sizes: new Map() })).toThrow(/bad\.json: not valid JSON at character 8/);
  });

  const hasTransformers = spawnSync(pythonPath(), ['-c', 'import transformers'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasTransformers)('every edited config loads in transformers with the edited values (strict type checks included)', () => {
    const dirs: string[] = [];
    for (const f of families) {
      const text = read(f);
      const v = plain(parseJson(text)) as { vocab_size?: number; text_config?: { vocab_size?: number } };
      const V = v.vocab_size ?? v.text_config?.vocab_size ?? 0;
      const dir = join(tmp, `cfg-${f}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'config.json'), editConfig(text, f, { map: (id) => id, sizes: new Map([[V, V - 10]]) }));
      dirs.push(dir);
    }
    const code = `import sys, json
from transformers import AutoConfig
out = {}
for d in sys.argv[1:]:
    c = AutoConfig.from_pretrained(d)
    t = c.get_text_config()
    out[d] = t.vocab_size
print(json.dumps(out))`;
    const r = spawnSync(pythonPath(), ['-c', code, ...dirs], { encoding: 'utf8' });
    expect(r.stderr.split('\n').filter((l) => /Error|Traceback/.test(l))).toEqual([]);
    const sizes = JSON.parse(r.stdout) as Record<string, number>;
    for (const f of families) {
      const v = plain(parseJson(read(f))) as { vocab_size?: number; text_config?: { vocab_size?: number } };
      expect(sizes[join(tmp, `cfg-${f}`)], f).toBe((v.vocab_size ?? v.text_config?.vocab_size)! - 10);
    }
  });
});

describe('atomic writer', () => {
  it('renames a complete folder into place; an empty output folder is allowed; a failure leaves nothing', () => {
    const out = join(tmp, 'atomic-out');
    mkdirSync(out);
    writeFolder(out, [], (t) => writeFileSync(join(t, 'a'), '1'));
    expect(readdirSync(out)).toEqual(['a']);
    const fail = join(tmp, 'atomic-fail');
    expect(() =>
      writeFolder(fail, [], (t) => {
        writeFileSync(join(t, 'a'), '1');
        throw new VocabsmithError('boom');
      }),
    ).toThrow(/boom/);
    expect(existsSync(fail)).toBe(false);
    expect(readdirSync(tmp).filter((n) => n.includes('partial'))).toEqual([]);
  });
  it('refuses an output that has content, or that is an input', () => {
    const out = join(tmp, 'atomic-out');
    expect(() => writeFolder(out, [], () => {})).toThrow(/already exists and is not empty/);
    const fresh = join(tmp, 'atomic-new');
    expect(() => writeFolder(fresh, [join(fresh, 'tokenizer.json')], () => {})).toThrow(/would overwrite the input/);
  });
});

describe('tensor planner', () => {
  const t = (name: string, shape: number[]) => ({ name, shape, dtype: 'BF16', file: 'm.safetensors' });
  it('roles: input, output (DeepSeek MTP shared_head too), per-layer (Gemma-3n)', () => {
    const p = planVocab(
      [t('model.embed_tokens.weight', [262400, 8]), t('model.embed_tokens_per_layer.weight', [262144, 16]), t('model.layers.61.shared_head.head.weight', [262400, 8]), t('x.weight', [8, 8])],
      262145,
      'm',
    );
    expect(p.tensors.map((x) => [x.name, x.role])).toEqual([
      ['model.embed_tokens.weight', 'input'], ['model.embed_tokens_per_layer.weight', 'per-layer'], ['model.layers.61.shared_head.head.weight', 'output'],
    ]);
    expect(p).toMatchObject({ rows: 262400, perLayerRows: 262144, tied: false, idsPastRows: 0 });
  });
  it('a few ids past the rows are allowed (Gemma-3: 262,145 ids, 262,144 rows); many are a mismatch', () => {
    expect(planVocab([t('model.embed_tokens.weight', [262144, 8])], 262145, 'm').idsPastRows).toBe(1);
    expect(() => planVocab([t('model.embed_tokens.weight', [32000, 8])], 151669, 'm')).toThrow(/vocabulary size mismatch/);
  });
  it('an unknown tensor with a vocabulary-sized axis is refused, never left at full size', () => {
    expect(() => planVocab([t('model.embed_tokens.weight', [50000, 8]), t('model.mystery_bias', [50000])], 50000, 'm')).toThrow(
      /m\.safetensors: tensor model\.mystery_bias \[50000\] has a vocabulary-sized axis/,
    );
  });
});
