/** Synthetic model folders for the remapping tests: a real tokenizer, small random embeddings. */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeRow, FLOAT_BYTES, type FloatDtype } from '../../src/formats/dtype.js';

export interface ModelSpec {
  tokenizer: string;
  rows: number;
  dim: number;
  dtype: FloatDtype;
  tied: boolean;
  /** Two shards with an index instead of one file. */
  sharded?: boolean;
  /** Extra config fields (special ids). */
  config?: object;
  /** Override the embedding shape (bad-input tests). */
  embedShape?: number[];
}

/** Deterministic values in [-1, 1) (xorshift), exactly representable in every dtype after rounding. */
function values(n: number, seed: number): Float64Array {
  let x = seed >>> 0 || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x / 2 ** 31 - 1;
  }
  return out;
}

function tensorBytes(shape: number[], dtype: FloatDtype, seed: number): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const buf = new Uint8Array(n * FLOAT_BYTES[dtype]);
  writeRow(buf, 0, values(n, seed), dtype);
  return buf;
}

function writeFile(path: string, tensors: [string, number[], Uint8Array][], dtype: FloatDtype): void {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let at = 0;
  for (const [name, shape, data] of tensors) {
    header[name] = { dtype, shape, data_offsets: [at, at + data.length] };
    at += data.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((Buffer.byteLength(json) + 8) % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  writeFileSync(path, Buffer.concat([len, Buffer.from(json), ...tensors.map(([, , d]) => Buffer.from(d))]));
}

export function makeModel(dir: string, s: ModelSpec): void {
  mkdirSync(dir, { recursive: true });
  copyFileSync(s.tokenizer, join(dir, 'tokenizer.json'));
  const { rows, dim, dtype } = s;
  const tensors: [string, number[], Uint8Array][] = [
    ['model.embed_tokens.weight', s.embedShape ?? [rows, dim], tensorBytes(s.embedShape ?? [rows, dim], dtype, 1)],
    ['model.layers.0.mlp.down_proj.weight', [dim, 2 * dim], tensorBytes([dim, 2 * dim], dtype, 2)],
    ['model.norm.weight', [dim], tensorBytes([dim], dtype, 3)],
  ];
  if (!s.tied) tensors.push(['lm_head.weight', [rows, dim], tensorBytes([rows, dim], dtype, 4)]);
  if (s.sharded) {
    writeFile(join(dir, 'model-00001-of-00002.safetensors'), tensors.slice(0, 2), dtype);
    writeFile(join(dir, 'model-00002-of-00002.safetensors'), tensors.slice(2), dtype);
    const weight_map = Object.fromEntries(tensors.map(([n], i) => [n, i < 2 ? 'model-00001-of-00002.safetensors' : 'model-00002-of-00002.safetensors']));
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0 }, weight_map }));
  } else {
    writeFile(join(dir, 'model.safetensors'), tensors, dtype);
  }
  const config = { model_type: 'llama', vocab_size: rows, hidden_size: dim, tie_word_embeddings: s.tied, torch_dtype: { F32: 'float32', F16: 'float16', BF16: 'bfloat16' }[dtype], ...s.config };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  writeFileSync(join(dir, 'generation_config.json'), JSON.stringify({ bos_token_id: (s.config as { bos_token_id?: number })?.bos_token_id, max_length: 32 }));
  writeFileSync(join(dir, 'README.md'), 'synthetic\n');
}
