/**
 * The real model in the loop: SmolLM2-135M-Instruct (Q4_1 GGUF) on the CPU through node-llama-cpp,
 * ByteLM computing the exact next-byte distribution at every byte of English prose and of Python
 * code. Measured per byte: vectors ByteLM asked for, its requests (batches), llama.cpp forward
 * passes (decode calls: a batch's sequences decode together), evaluations (sequences evaluated)
 * and tokens fed (the rest reused from the KV cache), the model's own time (inside node-llama-cpp:
 * decode plus its probability list), and vocabsmith's own time (everything else: the adapter's
 * copy of the runtime's probability Map into a vector, ByteLM's covers and sums; the vectors are
 * handed over as probabilities, `output: 'probs'`); their ratio is the overhead the byte level adds.
 * The token-level chain rule over the same text is timed beside it.
 * Usage: npm run bench:lm [-- bytes]   Output: bench/results/lm.json and lm.md
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { coreVersion } from '../src/index.js';
import { evaluate } from '../src/lm/eval.js';
import { loadGguf } from '../src/lm/from-gguf.js';
import { RUNTIME_VERSION } from '../src/lm/runtime.js';
import { REPO_ROOT } from '../test/helpers/corpus.js';
import { smollm2Gguf, SMOLLM2_SHA256 } from '../test/helpers/models.js';

const size = Number(process.argv[2] ?? 512);
const slice = (file: string, from: number) => {
  const b = new TextEncoder().encode(readFileSync(join(REPO_ROOT, file), 'utf8')).subarray(from, from + size);
  return new TextDecoder().decode(b).replace(/\uFFFD$/, '');
};

const loadAtStart = os.loadavg();
const g = await loadGguf(smollm2Gguf(), { gpu: false });
const r3 = (x: number) => +x.toFixed(3);

async function run(textName: string, text: string) {
  const st = g.model.stats;
  await g.model.clear();
  // Token level first (its own numbers), then the byte level from a cleared cache.
  const t0 = performance.now();
  const s0 = { ...st };
  const tokenOnly = await evaluate(text, g.model, g.tokenizer, g.byteLM, { tokenOnly: true });
  const tokenMs = performance.now() - t0;
  const tokenModelMs = st.modelMs - s0.modelMs;
  await g.model.clear();
  const s1 = { ...st };
  const calls0 = g.byteLM.modelCalls;
  const requests0 = g.byteLM.modelRequests;
  const bytes = new TextEncoder().encode(text);
  const state = g.byteLM.state();
  let exact = true;
  const t1 = performance.now();
  for (const b of bytes) {
    exact &&= (await state.distribution()).exact;
    state.push(b);
  }
  const byteMs = performance.now() - t1;
  const n = bytes.length;
  const modelMs = st.modelMs - s1.modelMs;
  const evaluations = st.evaluations - s1.evaluations;
  const ownMs = byteMs - modelMs;
  return {
    text: textName,
    bytes: n,
    tokens: tokenOnly.tokens,
    exact,
    tokenLevel: {
      bitsPerByte: r3(tokenOnly.token.bitsPerByte),
      msPerToken: r3(tokenMs / tokenOnly.tokens),
      modelMsPerToken: r3(tokenModelMs / tokenOnly.tokens),
    },
    byteLevel: {
      modelCallsPerByte: r3((g.byteLM.modelCalls - calls0) / n),
      requestsPerByte: r3((g.byteLM.modelRequests - requests0) / n),
      forwardPassesPerByte: r3(((st.forwardPasses ?? NaN) - (s1.forwardPasses ?? NaN)) / n),
      evaluationsPerByte: r3(evaluations / n),
      tokensEvaluatedPerByte: r3((st.evaluatedTokens - s1.evaluatedTokens) / n),
      tokensReusedPerByte: r3((st.reusedTokens - s1.reusedTokens) / n),
      modelMsPerCall: r3(modelMs / evaluations),
      modelMsPerForwardPass: r3(modelMs / ((st.forwardPasses ?? NaN) - (s1.forwardPasses ?? NaN))),
      modelMsPerByte: r3(modelMs / n),
      ownMsPerByte: r3(ownMs / n),
      // The adapter's one pass over the runtime's Map into a Float32Array (was a log-softmax).
      adapterConvertMsPerByte: r3((st.convertMs - s1.convertMs) / n),
      ownOverModel: r3(ownMs / modelMs),
    },
  };
}

const cases = [];
for (const [name, file] of [
  ['English prose', 'corpora/en/milton-areopagitica.txt'],
  ['Python code', 'corpora/code/python/argparse.py'],
] as const) {
  cases.push(await run(`${name}: ${file} @20000`, slice(file, 20_000)));
  process.stderr.write(`${JSON.stringify(cases.at(-1))}\n`);
}
await g.model.dispose();

const result = {
  model: `SmolLM2-135M-Instruct Q4_1 GGUF (sha256 ${SMOLLM2_SHA256.slice(0, 12)}…), node-llama-cpp ${RUNTIME_VERSION}, CPU, ${g.model.threads} threads; vectors handed to ByteLM as ${g.byteLM.output}`,
  cases,
  machine: { cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), load: os.loadavg().map(r3), loadAtStart: loadAtStart.map(r3), node: process.version, core: coreVersion() },
  date: new Date().toISOString(),
};

const md = [
  '# bench:lm — SmolLM2 on the CPU, exact byte-level probabilities',
  '',
  `${result.model}; ${result.machine.cpu}, load average ${result.machine.loadAtStart.join(' / ')} at the start, ${result.machine.load.join(' / ')} at the end (shared machine).`,
  '',
  'Vectors: next-token distributions ByteLM asked for; the ones one byte needs go in one request, which llama.cpp computes in one forward pass (decode call) even when the prefixes are not nested (two sequences, hence more sequences evaluated than passes).',
  '',
  '| text | bytes | exact | vectors / byte | forward passes / byte | sequences evaluated / byte | tokens fed / byte | model ms / forward pass | model ms / byte | vocabsmith ms / byte | own / model | token level: ms / token | bits/byte |',
  '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...cases.map(
    (c) =>
      `| ${c.text} | ${c.bytes} | ${c.exact ? 'yes' : 'no'} | ${c.byteLevel.modelCallsPerByte} | ${c.byteLevel.forwardPassesPerByte} | ${c.byteLevel.evaluationsPerByte} | ` +
      `${c.byteLevel.tokensEvaluatedPerByte} | ${c.byteLevel.modelMsPerForwardPass} | ` +
      `${c.byteLevel.modelMsPerByte} | ${c.byteLevel.ownMsPerByte} | ${c.byteLevel.ownOverModel} | ${c.tokenLevel.msPerToken} | ${c.tokenLevel.bitsPerByte} |`,
  ),
  '',
].join('\n');

console.log(JSON.stringify(result, null, 2));
mkdirSync(join(REPO_ROOT, 'bench/results'), { recursive: true });
for (const [ext, body] of [['json', JSON.stringify(result, null, 2) + '\n'], ['md', md]] as const) {
  const out = join(REPO_ROOT, `bench/results/lm.${ext}`);
  writeFileSync(`${out}.tmp`, body);
  renameSync(`${out}.tmp`, out);
}
