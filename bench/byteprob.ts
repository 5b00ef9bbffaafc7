/**
 * Byte-probability benchmark: model calls per byte and vocabsmith's own overhead per byte while
 * computing the next-byte distribution at every byte of a text, with real tokenizers and a stub LM
 * that returns one precomputed log-softmax vector (so its cost is ~0 and excluded). Cases: Llama-3
 * on English prose (the case) and on Python code (whitespace runs: several nodes per
 * byte), Gemma3 (SentencePiece BPE with byte fallback) on English prose.
 * Usage: npm run bench:byteprob [-- bytes]   Output: bench/results/byteprob.json
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ByteLM, coreVersion, Tokenizer } from '../src/index.js';
import { REPO_ROOT } from '../test/helpers/corpus.js';
import { realTokenizer } from '../test/helpers/tokenizers.js';

const size = Number(process.argv[2] ?? 2048);
const slice = (file: string, from: number) =>
  new TextEncoder().encode(readFileSync(join(REPO_ROOT, file), 'utf8')).subarray(from, from + size);

async function run(name: 'llama3' | 'gemma3', eosId: number, textName: string, bytes: Uint8Array) {
  const path = realTokenizer(name).path;
  const V = Tokenizer.fromFile(path).vocabSize;
  // One fixed random log-softmax vector: the stub's own time is measured apart and subtracted.
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
  const blm = ByteLM.fromFile(path, stub, { eosId });
  const state = blm.state();
  let exact = true;
  const start = performance.now();
  for (const b of bytes) {
    exact &&= (await state.distribution()).exact;
    state.push(b);
  }
  const ms = performance.now() - start - stubMs;
  return {
    tokenizer: `${name} (@lenml/tokenizer-${name})`,
    text: textName,
    exact,
    bytes: bytes.length,
    modelCalls: blm.modelCalls,
    modelCallsPerByte: +(blm.modelCalls / bytes.length).toFixed(4),
    overheadUsPerByte: +((ms * 1000) / bytes.length).toFixed(1),
  };
}

const cases = [
  await run('llama3', 128_001, 'corpora/en/milton-areopagitica.txt @20000', slice('corpora/en/milton-areopagitica.txt', 20_000)),
  await run('llama3', 128_001, 'corpora/code/python/argparse.py @20000', slice('corpora/code/python/argparse.py', 20_000)),
  await run('gemma3', 1, 'corpora/en/milton-areopagitica.txt @20000', slice('corpora/en/milton-areopagitica.txt', 20_000)),
];
const result = {
  lm: 'stub: fixed log-softmax vector, copy time subtracted',
  cases,
  machine: { cpu: os.cpus()[0]?.model, node: process.version, core: coreVersion() },
  date: new Date().toISOString(),
};
console.log(JSON.stringify(result, null, 2));
mkdirSync(join(REPO_ROOT, 'bench/results'), { recursive: true });
const out = join(REPO_ROOT, 'bench/results/byteprob.json');
writeFileSync(`${out}.tmp`, JSON.stringify(result, null, 2) + '\n');
renameSync(`${out}.tmp`, out);
