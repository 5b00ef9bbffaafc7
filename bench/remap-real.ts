/**
 * Real-model numbers for GGUF / safetensors trimming and remapping (SmolLM2-135M-Instruct):
 *  1. Trim the Q4_1 GGUF to corpora/en (held-out file excluded): tokens and bytes kept.
 *  2. Train a byte-level BPE and a SuperBPE (16k, transition 12k) on the same files, remap the
 *     model to each with FVT, FOCUS and OMP (GGUF and F32 safetensors; FOCUS/OMP with fastText
 *     vectors over the target vocabulary from scripts/aux_vectors.py, trained on the same files
 *     tokenized by the target tokenizer), and measure bits per byte on held-out
 *     English prose (Milton's Areopagitica, not in the training files) for the original and each
 *     remap: in llama.cpp (node-llama-cpp, the GGUF files; ids encoded by vocabsmith) and in
 *     transformers (scripts/validate_real_model.py, the safetensors folders). Every text starts
 *     after <|endoftext|>, as SmolLM2 was trained.
 *
 *   npx tsx bench/remap-real.ts [--bytes 2000]
 *
 * Output: bench/results/remap-real.json. Models are written to a temp folder, removed afterwards.
 */
import '../test/setup/ts-workers.js'; // worker threads from the .ts sources
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { remapGguf } from '../src/gguf-remap.js';
import { trimGguf } from '../src/gguf-trim.js';
import { remapModel } from '../src/remap.js';
import { readAuxVectors } from '../src/aux-vectors.js';
import { Tokenizer } from '../src/tokenizer.js';
import { train } from '../src/train/train.js';
import { distributions, load } from '../test/helpers/llama.js';
import { smollm2Gguf, smollm2Safetensors } from '../test/helpers/models.js';
import { pythonPath } from '../test/helpers/oracle.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const BYTES = Number(arg('bytes', '2000'));
const CORPUS = 'corpora/en';
const HELD_OUT = 'milton-areopagitica.txt';
const SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
const METHODS = ['fvt', 'focus', 'omp'] as const;

const dir = mkdtempSync(join(os.tmpdir(), 'vocabsmith-remap-real-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true })); // also when a step fails
const gguf = smollm2Gguf();
const st = smollm2Safetensors();
const files = readdirSync(CORPUS).filter((f) => f.endsWith('.txt') && f !== HELD_OUT && !f.startsWith('COPYING')).map((f) => join(CORPUS, f));

// Held-out lines (prose paragraphs' lines) up to BYTES bytes of UTF-8.
const lines: string[] = [];
let bytes = 0;
for (const l of readFileSync(join(CORPUS, HELD_OUT), 'utf8').split('\n').map((x) => x.trim())) {
  if (l.length < 40 || bytes >= BYTES) continue;
  lines.push(l);
  bytes += Buffer.byteLength(l);
}
const textsFile = join(dir, 'held-out.txt');
writeFileSync(textsFile, lines.join('\n') + '\n');

const t0 = performance.now();
const trimmed = trimGguf({ model: gguf, tokenizer: join(st, 'tokenizer.json'), corpus: files, out: join(dir, 'trimmed.gguf') }).report;
const trimSeconds = (performance.now() - t0) / 1000;

const tokenizers: Record<string, string> = { original: join(st, 'tokenizer.json') };
const remaps: Record<string, unknown> = {};
for (const [name, extra] of [['bpe', {}], ['superbpe', { superbpe: { transition: 12000 } }]] as const) {
  const t = await train({ corpus: files, vocabSize: 16000, specialTokens: SPECIALS, ...extra });
  const tokDir = join(dir, `${name}-tok`);
  t.save(join(tokDir, 'tokenizer.json'));
  tokenizers[name] = join(tokDir, 'tokenizer.json');
  const auxFile = join(dir, `${name}-aux.safetensors`);
  const ta = performance.now();
  const made = spawnSync(pythonPath(), ['scripts/aux_vectors.py', '--tokenizer', tokenizers[name]!, '--corpus', ...files, '--out', auxFile, '--dim', '100', '--epochs', '5'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(made.stderr.slice(-3000));
  const auxSeconds = (performance.now() - ta) / 1000;
  const aux = readAuxVectors(auxFile);
  for (const method of METHODS) {
    const key = `${name}-${method}`;
    const g = remapGguf({ model: gguf, tokenizer: join(st, 'tokenizer.json'), targetTokenizer: tokenizers[name]!, method, aux, out: join(dir, `${key}.gguf`) });
    const s = remapModel({ model: st, targetTokenizer: tokenizers[name]!, method, aux, out: join(dir, `${key}-st`) });
    remaps[key] = { rows: g.rows, ggufSeconds: g.seconds, ggufBytes: g.bytesAfter, safetensorsSeconds: s.seconds, ...(method === 'fvt' ? {} : { auxSeconds }) };
    tokenizers[key] = tokenizers[name]!;
  }
}

/** Bits per byte in llama.cpp: chain rule over vocabsmith's ids, one evaluation per line. */
async function llamaBpb(path: string, tokPath: string) {
  const m = await load(path);
  const tok = Tokenizer.fromFile(tokPath);
  let nll = 0;
  let tokens = 0;
  const t = performance.now();
  for (const l of lines) {
    const ids = [tok.tokenToId('<|endoftext|>')!, ...tok.encode(l)];
    const d = await distributions(m, ids, ids.slice(0, -1).map((_, i) => i));
    for (let k = 0; k + 1 < ids.length; k++) nll -= d[k]![ids[k + 1]!]!;
    tokens += ids.length - 1;
  }
  await m.dispose();
  tok.free();
  // JSON has no Infinity: say what it means instead of writing null.
  const finite = (x: number) => (Number.isFinite(x) ? x : 'Infinity (llama.cpp gave a float32 probability of 0 to a text token)');
  return { bitsPerByte: finite(nll / Math.LN2 / bytes), bitsPerToken: finite(nll / Math.LN2 / tokens), tokensPerByte: tokens / bytes, seconds: (performance.now() - t) / 1000 };
}

const keys = Object.keys(remaps);
const llamaCpp: Record<string, unknown> = { original: await llamaBpb(gguf, tokenizers.original!) };
for (const k of keys) llamaCpp[k] = await llamaBpb(join(dir, `${k}.gguf`), tokenizers[k]!);
// validate_real_model.py exits 1 when a model's bits/byte is not finite; its JSON says which.
const py = spawnSync(pythonPath(), ['scripts/validate_real_model.py', 'bpb', '--texts', textsFile, '--model', `original=${st}`, ...keys.map((k) => `${k}=${join(dir, `${k}-st`)}`)], { encoding: 'utf8', maxBuffer: 1 << 26 });
if (py.status !== 0 && !py.stdout.trim()) throw new Error(py.stderr.slice(-3000));
const transformers = JSON.parse(py.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

const result = {
  model: 'SmolLM2-135M-Instruct (Q4_1 GGUF; F32 safetensors dequantised from it)',
  heldOut: { file: join(CORPUS, HELD_OUT), lines: lines.length, bytes },
  trim: { vocabBefore: trimmed.vocabBefore, vocabAfter: trimmed.vocabAfter, bytesBefore: trimmed.gguf.bytesBefore, bytesAfter: trimmed.gguf.bytesAfter, seconds: trimSeconds },
  remaps,
  bitsPerByte: { llamaCpp, transformers },
  hardware: `${os.cpus()[0]?.model} x${os.cpus().length}, node ${process.version}`,
};
writeFileSync('bench/results/remap-real.json', JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
