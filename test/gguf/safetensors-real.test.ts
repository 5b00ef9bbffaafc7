// The safetensors path on the real SmolLM2 weights (F32, made from the GGUF by
// scripts/make_smollm2_safetensors.py), checked in transformers + PyTorch
// (scripts/validate_real_model.py): trimmed to corpora/en, next-token log-probs equal the
// original's renormalised over the kept ids and greedy generation is unchanged; remapped to its
// own tokenizer, tensors and logits identical; remapped to a trained BPE, it loads and scores text.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { remapModel } from '../../src/remap.js';
import { trim } from '../../src/trim.js';
import { train } from '../../src/train/train.js';
import { smollm2Safetensors } from '../helpers/models.js';
import { pythonPath } from '../helpers/oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-st-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CORPUS = 'corpora/en';
const HELD_OUT = 'milton-areopagitica.txt';

/** Runs the Python check without blocking the test worker (a blocked worker misses vitest's RPC). */
async function validate(args: string[]): Promise<Record<string, unknown>> {
  const p = spawn(pythonPath(), ['scripts/validate_real_model.py', ...args]);
  let [stdout, stderr] = ['', ''];
  p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((res) => p.on('close', res));
  const last = stdout.trim().split('\n').at(-1) ?? '';
  console.log(last || stderr.slice(-3000));
  expect(status, stderr.slice(-3000)).toBe(0);
  return JSON.parse(last) as Record<string, unknown>;
}

/** A few held-out lines of Milton's prose (not in the trim corpus). */
function heldOut(n: number): string {
  const path = join(dir, 'held-out.txt');
  const lines = readFileSync(join(CORPUS, HELD_OUT), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.length > 60 && l.length < 200);
  writeFileSync(path, lines.slice(0, n).join('\n') + '\n');
  return path;
}

describe('SmolLM2 safetensors (real weights) in transformers', () => {
  const model = smollm2Safetensors();

  it('trimmed to corpora/en: log-probs = original renormalised over kept ids (1e-4), greedy unchanged', async () => {
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.txt') && f !== HELD_OUT && !f.startsWith('COPYING')).map((f) => join(CORPUS, f));
    const out = join(dir, 'trimmed');
    trim({ model, corpus: files, out });
    const r = await validate(['trim', '--orig', model, '--trimmed', out, '--texts', heldOut(6), '--greedy', '8']);
    expect(r.texts_used as number).toBeGreaterThanOrEqual(2);
    expect(r.max_abs_logprob_diff as number).toBeLessThan(1e-4);
    rmSync(out, { recursive: true });
  }, 600_000);

  it('remapped to its own tokenizer: tensors and logits identical', async () => {
    const out = join(dir, 'same');
    remapModel({ model, targetTokenizer: join(model, 'tokenizer.json'), method: 'fvt', out });
    const r = await validate(['same', '--orig', model, '--remapped', out, '--texts', heldOut(2)]);
    expect(r.tensors_identical).toBe(true);
    rmSync(out, { recursive: true });
  }, 600_000);

  it('remapped (FVT) to a BPE trained on corpora/en: loads, scores held-out text (finite bits/byte)', async () => {
    const t = await train({ corpus: [join(CORPUS, 'shakespeare-tempest.txt')], vocabSize: 1500, specialTokens: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] });
    const tokDir = join(dir, 'bpe');
    t.save(join(tokDir, 'tokenizer.json'));
    const out = join(dir, 'remapped');
    remapModel({ model, targetTokenizer: join(tokDir, 'tokenizer.json'), method: 'fvt', out });
    const r = await validate(['bpb', '--model', `original=${model}`, `bpe=${out}`, '--texts', heldOut(2)]);
    const m = r.models as Record<string, { bits_per_byte: number }>;
    expect(m.bpe!.bits_per_byte).toBeGreaterThan(m.original!.bits_per_byte);
    rmSync(out, { recursive: true });
  }, 600_000);
});
