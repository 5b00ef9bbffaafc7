/**
 * Bits per byte of a model on a text, two ways.
 *
 * Token level: the chain rule over the canonical encoding E(x), each chunk starting after the
 * model's context ids: bits = −Σ_i log2 q(t_i | ctx, t_<i). Bytes count the text's UTF-8 bytes,
 * so bits/byte compares across tokenizers; bits/token and tokens/byte are reported beside it.
 *
 * Byte level: ByteLM's exact next-byte distributions (src/byteprob.ts), bits = −Σ_j log2 P(x_j |
 * x_<j), each renormalised over canonical continuations. The two differ by construction: by the
 * BTR lemma P(x as a prefix) = Σ_j log P(x_j | x_<j) + Σ_j log(1 − leak_j), where leak_j is the
 * non-canonical mass dropped at byte j, and P(x as a prefix) sums over every cover of x while the
 * token chain rule scores one token sequence. Reported: both, their difference, the mass dropped,
 * and the chain-rule identity checked against ByteLM's direct log P(x) (`chainRuleGap`).
 *
 * Long texts are cut into chunks (at most `chunkBytes` each, cut before whitespace) scored
 * independently, so that each fits the model's context.
 */
import type { ByteLM } from '../byteprob.js';
import { VocabsmithError } from '../errors.js';
import type { Tokenizer } from '../tokenizer.js';
import { batchOf, logProbAt, outputOf, type LanguageModel } from './language-model.js';

export interface EvalOptions {
  /** Score at most this many bytes of the text (cut at a char boundary). Default: all. */
  maxBytes?: number;
  /** Chunk size in bytes (default 2048). */
  chunkBytes?: number;
  /** Skip the byte-level pass (one model call per byte). Default false. */
  tokenOnly?: boolean;
  onProgress?: (phase: 'token' | 'byte', done: number, total: number) => void;
}

export interface EvalResult {
  bytes: number;
  tokens: number;
  chunks: number;
  tokensPerByte: number;
  /** Token-level chain rule over E(x). */
  token: { bits: number; bitsPerByte: number; bitsPerToken: number };
  /** ByteLM's exact byte-level probabilities (absent with tokenOnly). */
  byte?: {
    bits: number;
    bitsPerByte: number;
    /** token.bitsPerByte − byte.bitsPerByte. */
    differenceBitsPerByte: number;
    /** Mass dropped as non-canonical: mean and largest per byte, and −Σ log2(1 − leak) per byte. */
    noncanonicalMassMean: number;
    noncanonicalMassMax: number;
    noncanonicalBitsPerByte: number;
    /** |log2 P(x) − (Σ log2 P(x_j | x_<j) + Σ log2(1 − leak_j))|, summed over chunks (bits). */
    chainRuleGap: number;
    /** ByteLM reported every distribution exact (canonical-encoding assumption). */
    exact: boolean;
    modelCalls: number;
  };
}

const encoder = new TextEncoder();

const isSpace = (b: number | undefined): boolean => b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0d;

/**
 * Where to cut `bytes` at or before `at` (> from): before whitespace where there is some, else at
 * a char boundary. Before whitespace, the text's last token ends where the text does (byte-level
 * tokens put the space in front of the next word), so the token-level score P(E(x)) and ByteLM's
 * P(x as a prefix) measure the same event; cut inside a word ("… free a"), E(x) would end on the
 * unlikely token " a" while the byte level also counts " and", " are", ….
 */
function cutPoint(bytes: Uint8Array, from: number, at: number): number {
  for (let i = at; i > from; i--) if (isSpace(bytes[i])) return i;
  let n = at;
  while (n > from + 1 && ((bytes[n] as number) & 0xc0) === 0x80) n--;
  return n;
}

/** The text cut to at most `max` bytes (see `cutPoint`). */
export function cutBytes(text: string, max: number): Uint8Array {
  const b = encoder.encode(text);
  return b.length <= max ? b : b.subarray(0, cutPoint(b, 0, max));
}

/** Chunks of at most `size` bytes, each cut as `cutPoint` says. */
export function chunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  while (start < bytes.length) {
    const end = start + size >= bytes.length ? bytes.length : cutPoint(bytes, start, start + size);
    out.push(bytes.subarray(start, end));
    start = end;
  }
  return out;
}

const LOG2E = Math.LOG2E;
const PREFIX_BATCH = 64;

/** Scores `text` with `model` (token level) and `byteLM` (byte level). */
export async function evaluate(
  text: string,
  model: LanguageModel,
  tokenizer: Tokenizer,
  byteLM: ByteLM,
  options: EvalOptions = {},
): Promise<EvalResult> {
  const bytes = cutBytes(text, options.maxBytes ?? Infinity);
  if (bytes.length === 0) throw new VocabsmithError('nothing to evaluate: the text is empty');
  const parts = chunks(bytes, options.chunkBytes ?? 2048);
  const batch = batchOf(model);
  const output = outputOf(model);
  const ctx = model.contextIds;

  let tokens = 0;
  let tokenNats = 0;
  let done = 0;
  for (const part of parts) {
    const ids = tokenizer.encode(part);
    tokens += ids.length;
    const seq = Uint32Array.from([...ctx, ...ids]);
    // Nested prefixes: the runtime serves each batch with one evaluation of the longest.
    for (let i = 0; i < ids.length; i += PREFIX_BATCH) {
      const n = Math.min(PREFIX_BATCH, ids.length - i);
      const vecs = await batch(Array.from({ length: n }, (_, k) => seq.subarray(0, ctx.length + i + k)));
      vecs.forEach((v, k) => (tokenNats -= logProbAt(output, v, ids[i + k] as number)));
    }
    done += part.length;
    options.onProgress?.('token', done, bytes.length);
  }
  const result: EvalResult = {
    bytes: bytes.length,
    tokens,
    chunks: parts.length,
    tokensPerByte: tokens / bytes.length,
    token: { bits: tokenNats * LOG2E, bitsPerByte: (tokenNats * LOG2E) / bytes.length, bitsPerToken: (tokenNats * LOG2E) / tokens },
  };
  if (options.tokenOnly) return result;

  const calls0 = byteLM.modelCalls;
  let byteNats = 0;
  let leakNats = 0;
  let leakSum = 0;
  let leakMax = 0;
  let gap = 0;
  let exact = true;
  done = 0;
  for (const part of parts) {
    const s = byteLM.state();
    let partNats = 0;
    let partLeak = 0;
    for (const b of part) {
      const d = await s.distribution();
      exact &&= d.exact;
      const p = d.probs[b] as number;
      if (!(p > 0)) throw new VocabsmithError(`the byte model gives byte ${b} at offset ${done} probability 0`);
      partNats -= Math.log(p);
      partLeak -= Math.log1p(-d.noncanonicalMass);
      leakSum += d.noncanonicalMass;
      leakMax = Math.max(leakMax, d.noncanonicalMass);
      s.push(b);
      done++;
      options.onProgress?.('byte', done, bytes.length);
    }
    // BTR identity: log P(x) = Σ log P(x_j | x_<j) + Σ log(1 − leak_j).
    gap += Math.abs((await s.logPrefix()) + partNats + partLeak) * LOG2E;
    byteNats += partNats;
    leakNats += partLeak;
  }
  const bitsPerByte = (byteNats * LOG2E) / bytes.length;
  result.byte = {
    bits: byteNats * LOG2E,
    bitsPerByte,
    differenceBitsPerByte: result.token.bitsPerByte - bitsPerByte,
    noncanonicalMassMean: leakSum / bytes.length,
    noncanonicalMassMax: leakMax,
    noncanonicalBitsPerByte: (leakNats * LOG2E) / bytes.length,
    chainRuleGap: gap,
    exact,
    modelCalls: byteLM.modelCalls - calls0,
  };
  return result;
}
