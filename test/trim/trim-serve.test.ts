/**
 * Trimmed folders that serve (issue 12): the chat template's tokenization survives a trim on a
 * corpus that never uses its markup (real Llama-3, Qwen3 and Gemma3 tokenizers and templates);
 * Gemma-3-shaped weights with fewer rows than ids; Gemma-3n's per-layer embedding gathered and
 * `vocab_size_per_layer_input` updated; `trim --tokenizer` writes the tokenizer's config; a
 * sharded index's total_parameters follows the trim.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { Tokenizer, trim } from '../../src/index.js';
import { readSafetensorsHeader, readTensor } from '../../src/formats/safetensors.js';
import { writeSynthetic, type TensorSpec } from '../helpers/safetensors.js';
import { realTokenizer, type RealTokenizerName } from '../helpers/tokenizers.js';
import { udhrParagraphs } from '../helpers/udhr.js';

const root = mkdtempSync(join(tmpdir(), 'vocabsmith-serve-'));
const DROPPED = 0xffffffff;

function folder(name: string, tok: RealTokenizerName, tensors: TensorSpec[][], config: object | string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  const real = realTokenizer(tok);
  copyFileSync(real.path, join(dir, 'tokenizer.json'));
  copyFileSync(real.configPath, join(dir, 'tokenizer_config.json'));
  writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  if (tensors.length === 1) writeSynthetic(join(dir, 'model.safetensors'), tensors[0]!);
  else {
    const weight_map: Record<string, string> = {};
    tensors.forEach((ts, i) => {
      const f = `model-0000${i + 1}-of-0000${tensors.length}.safetensors`;
      writeSynthetic(join(dir, f), ts);
      for (const t of ts) weight_map[t.name] = f;
    });
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0, total_parameters: 1 }, weight_map }, null, 2));
  }
  return dir;
}

/** A German/French chat rendered by the tokenizer's own template. */
function chatPrompt(
  tok: RealTokenizerName,
  texts = ['Alle Menschen sind frei und gleich an Würde und Rechten geboren.', 'Tous les êtres humains naissent libres et égaux en dignité et en droits.', 'Jeder hat das Recht auf Leben.'],
): string {
  const cfg = JSON.parse(readFileSync(realTokenizer(tok).configPath, 'utf8'));
  const s = (v: unknown) => (typeof v === 'string' ? v : (v as { content?: string } | null)?.content ?? '');
  return new Template(cfg.chat_template).render({
    messages: texts.map((content, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content })),
    add_generation_prompt: true,
    bos_token: s(cfg.bos_token),
    eos_token: s(cfg.eos_token),
  });
}

describe('trim keeps the chat template tokenization', () => {
  for (const name of ['llama3', 'qwen3', 'gemma3'] as const) {
    it(`${name}: a German/French chat prompt encodes to the same tokens (renumbered) after trimming to UDHR deu+fra`, () => {
      const real = realTokenizer(name);
      const dir = join(root, `tpl-${name}`);
      mkdirSync(dir);
      copyFileSync(real.path, join(dir, 'tokenizer.json'));
      copyFileSync(real.configPath, join(dir, 'tokenizer_config.json'));
      const out = join(root, `tpl-${name}-out`);
      const r = trim({ tokenizer: join(dir, 'tokenizer.json'), corpus: ['udhr:deu_1996,fra'], out });
      expect(r.report.chatTemplate).toBeGreaterThan(5);
      const prompt = chatPrompt(name);
      const before = Tokenizer.fromFile(real.path);
      const after = Tokenizer.fromFile(join(out, 'tokenizer.json'));
      const want = Array.from(before.encode(prompt), (id) => r.oldToNew[id]!);
      expect(want).not.toContain(DROPPED);
      expect(Array.from(after.encode(prompt))).toEqual(want);
      // `trim --tokenizer` now writes the tokenizer's config (eos/pad for AutoTokenizer) beside it.
      const cfg = JSON.parse(readFileSync(join(out, 'tokenizer_config.json'), 'utf8'));
      expect(cfg.chat_template).toBe(JSON.parse(readFileSync(real.configPath, 'utf8')).chat_template);
      for (const [id, t] of Object.entries(cfg.added_tokens_decoder ?? {}) as [string, { content: string }][]) {
        expect(after.idToToken(Number(id))).toBe(t.content);
      }
      before.free();
      after.free();
    });
  }
});

describe('vocabulary tensors of every shape', () => {
  it('Gemma-3: 262,144 rows for 262,145 ids — trims; <image_soft_token> stays past the rows as in the input', () => {
    const D = 4;
    const dir = folder('gemma-rows', 'gemma3', [[{ name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [262_144, D] }, { name: 'model.norm.weight', dtype: 'BF16', shape: [D] }]],
      '{\n  "model_type": "gemma3_text",\n  "vocab_size": 262144,\n  "bos_token_id": 2,\n  "eos_token_id": [1, 106],\n  "pad_token_id": 0,\n  "final_logit_softcapping": 30.0\n}\n');
    const out = join(root, 'gemma-rows-out');
    const r = trim({ model: dir, corpus: ['udhr:eng'], out });
    const kept = r.keptIds;
    expect(kept.at(-1)).toBe(262_144); // the image token, kept (added, special)
    expect(r.report.idsPastRows).toBe(1);
    expect(r.report.weights!.rowsAfter).toBe(kept.length - 1);
    const h = readSafetensorsHeader(join(out, 'model.safetensors'));
    expect(h.tensors.find((t) => t.name === 'model.embed_tokens.weight')!.shape).toEqual([kept.length - 1, D]);
    const cfg = readFileSync(join(out, 'config.json'), 'utf8');
    expect(JSON.parse(cfg).vocab_size).toBe(kept.length - 1);
    expect(cfg).toContain('"final_logit_softcapping": 30.0');
  });

  it('Gemma-3n: embed_tokens_per_layer gathered to the kept ids below its rows, vocab_size_per_layer_input updated; sharded index totals follow', () => {
    const [R, R2, D, DP] = [262_400, 262_144, 4, 6];
    const dir = folder(
      'gemma3n',
      'gemma3',
      [
        [{ name: 'model.language_model.embed_tokens.weight', dtype: 'BF16', shape: [R, D] }],
        [{ name: 'model.language_model.embed_tokens_per_layer.weight', dtype: 'BF16', shape: [R2, DP] }, { name: 'model.language_model.norm.weight', dtype: 'BF16', shape: [D] }],
      ],
      { model_type: 'gemma3n', text_config: { model_type: 'gemma3n_text', vocab_size: R, vocab_size_per_layer_input: R2, bos_token_id: 2, eos_token_id: 1 }, audio_config: { vocab_size: 128 } },
    );
    const out = join(root, 'gemma3n-out');
    const r = trim({ model: dir, corpus: ['udhr:eng'], out });
    const below = Array.from(r.keptIds).filter((id) => id < R2);
    expect(r.report.weights!.vocabTensors).toContain('model.language_model.embed_tokens_per_layer.weight');
    const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(cfg.text_config).toMatchObject({ vocab_size: r.keptIds.length, vocab_size_per_layer_input: below.length });
    expect(cfg.audio_config.vocab_size).toBe(128);
    // Row i of the per-layer table is input row below[i].
    const src = readSafetensorsHeader(join(dir, 'model-00002-of-00002.safetensors'));
    const dst = readSafetensorsHeader(join(out, 'model-00002-of-00002.safetensors'));
    const name = 'model.language_model.embed_tokens_per_layer.weight';
    const [a, b] = [readTensor(src, src.tensors.find((t) => t.name === name)!), readTensor(dst, dst.tensors.find((t) => t.name === name)!)];
    const rb = DP * 2;
    expect(b.length).toBe(below.length * rb);
    for (let i = 0; i < below.length; i += 7) expect(b.subarray(i * rb, (i + 1) * rb).equals(a.subarray(below[i]! * rb, (below[i]! + 1) * rb))).toBe(true);
    const index = JSON.parse(readFileSync(join(out, 'model.safetensors.index.json'), 'utf8'));
    expect(index.metadata).toEqual({ total_size: r.report.weights!.bytesAfter, total_parameters: r.report.weights!.paramsAfter });
    expect(r.report.weights!.paramsAfter).toBe(r.keptIds.length * D + below.length * DP + D);
  });

  it('an unknown tensor with a vocabulary-sized axis is refused; nothing is written', () => {
    const dir = folder('mystery', 'qwen3', [[{ name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [151_936, 4] }, { name: 'model.vocab_bias', dtype: 'BF16', shape: [151_936] }]], { vocab_size: 151_936 });
    const out = join(root, 'mystery-out');
    expect(() => trim({ model: dir, corpus: ['udhr:eng'], out })).toThrow(/tensor model\.vocab_bias \[151936\] has a vocabulary-sized axis/);
    expect(() => readFileSync(join(out, 'config.json'))).toThrow();
  });
});

describe('trim --drop-unused-added (issue 12 item 3)', () => {
  it('Gemma3 trimmed to Hindi: the <unusedN> placeholders go, specials, the template and the corpus encoding stay', () => {
    const real = realTokenizer('gemma3');
    const dir = join(root, 'drop-added');
    mkdirSync(dir);
    copyFileSync(real.path, join(dir, 'tokenizer.json'));
    copyFileSync(real.configPath, join(dir, 'tokenizer_config.json'));
    const unused = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { added_tokens: { content: string }[] }).added_tokens.filter((t) => /^<unused\d+>$/.test(t.content)).length;
    const keepAll = trim({ tokenizer: join(dir, 'tokenizer.json'), corpus: ['udhr:hin'], out: join(root, 'drop-added-all') });
    const dropped = trim({ tokenizer: join(dir, 'tokenizer.json'), corpus: ['udhr:hin'], out: join(root, 'drop-added-out'), dropUnusedAdded: true });
    expect(unused(real.path)).toBeGreaterThan(6000);
    expect(unused(join(root, 'drop-added-all', 'tokenizer.json'))).toBe(unused(real.path));
    expect(unused(join(root, 'drop-added-out', 'tokenizer.json'))).toBe(0);
    expect(keepAll.report.addedDropped).toBe(0);
    expect(dropped.report.addedDropped).toBeGreaterThan(6000);
    expect(dropped.report.vocabAfter).toBe(keepAll.report.vocabAfter - dropped.report.addedDropped);
    // Same corpus verification, every special token kept, the chat prompt tokenized the same.
    expect(dropped.report.verified!.identical).toBe(dropped.report.verified!.checked);
    const after = Tokenizer.fromFile(join(root, 'drop-added-out', 'tokenizer.json'));
    const before = Tokenizer.fromFile(real.path);
    const specials = (JSON.parse(readFileSync(real.path, 'utf8')) as { added_tokens: { id: number; content: string; special: boolean }[] }).added_tokens.filter((t) => t.special);
    for (const t of specials) expect(after.tokenToId(t.content)).toBe(dropped.oldToNew[t.id]);
    const prompt = chatPrompt('gemma3', udhrParagraphs('hin').slice(0, 3));
    const want = Array.from(before.encode(prompt), (id) => dropped.oldToNew[id]!);
    expect(want).not.toContain(DROPPED);
    expect(Array.from(after.encode(prompt))).toEqual(want);
    // tokenizer_config.json lists no dropped token.
    const cfg = JSON.parse(readFileSync(join(root, 'drop-added-out', 'tokenizer_config.json'), 'utf8'));
    for (const [id, t] of Object.entries(cfg.added_tokens_decoder ?? {}) as [string, { content: string }][]) expect(after.idToToken(Number(id))).toBe(t.content);
    before.free();
    after.free();
  });
});
