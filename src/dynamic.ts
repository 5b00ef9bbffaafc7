/**
 * Dynamic batch-level BPE merging (Feher, Vulić & Minixhofer): merge the most frequent valid pair
 * over a whole batch, repeatedly, then embed the batch's new tokens from their decompositions —
 * with the mean of the original embeddings built in, or with the user's hypernetwork.
 * The algorithm and what it guarantees: rust/core/src/dynamic/.
 */
import { about, VocabsmithError } from './errors.js';
import type { Tokenizer } from './tokenizer.js';
import { handle, mergeBatchIds, mergeBatchTexts, type MergeBoundary, type ReductionBase, type WasmMergeResult } from './wasm.js';

export type { MergeBoundary };

export interface MergeBatchOptions {
  /** Merges never cross this: a pretoken (default), a whitespace-separated word, or nothing but specials. */
  boundary?: MergeBoundary;
  /** At most this many merges (default: no limit besides `targetReduction`). */
  merges?: number;
  /** Stop once the sequence-length reduction reaches this fraction (0..1). */
  targetReduction?: number;
  /** What `targetReduction` is relative to: the original length (default) or word level (the paper's %). */
  relativeTo?: ReductionBase;
  /** Texts only: add the post-processor's special tokens (they never merge). */
  addSpecialTokens?: boolean;
  /** Measure the word-level length too (merging to the end on the side); default true. */
  wordLevel?: boolean;
  /** Width of the decomposition matrix (the hypernetwork's surface-form length); longer ones are truncated. Default: the longest. */
  maxLen?: number;
}

export interface NewToken {
  /** Batch-local id: `base + index`. */
  id: number;
  /** Decoded text of the token (U+FFFD where it holds part of a character). */
  surface: string;
  /** Byte-canonical form (what the token contributes to decoded text). */
  bytes: Uint8Array;
  /** The original ids it replaces. */
  decomposition: Uint32Array;
}

export interface MergedBatch {
  /** Merged sequences: original ids, and ids >= `base` for the batch's new tokens. */
  sequences: Uint32Array[];
  /** The sequences before merging. */
  original: Uint32Array[];
  /** Id of the first new token: one past the tokenizer's largest id. */
  base: number;
  newTokens: NewToken[];
  /** `newTokens.length × maxLen` decompositions, row-major, padded with -1 (the hypernetwork's input). */
  decompositions: Int32Array;
  maxLen: number;
  merges: number;
  originalLength: number;
  mergedLength: number;
  /** Length with no valid pair left (every pretoken/word one token), when measured. */
  wordLength?: number;
  /** (original − merged) / original. */
  reduction: number;
  /** (original − merged) / (original − word level): the paper's percentage. */
  reductionVsWord?: number;
  /** Total length after k merges, k = 0..merges. */
  curve: Uint32Array;
}

/** Merges a batch of texts (encoded here) or of id sequences (already tokenized). */
export function mergeBatch(
  tokenizer: Tokenizer,
  input: readonly string[] | readonly (Uint32Array | readonly number[])[],
  options: MergeBatchOptions = {},
): MergedBatch {
  const boundary = options.boundary ?? 'pretoken';
  const merges = options.merges;
  if (merges !== undefined && (!Number.isInteger(merges) || merges < 0)) {
    throw new VocabsmithError(`merges must be a non-negative integer, got ${merges}`);
  }
  const target = options.targetReduction;
  if (target !== undefined && !(target >= 0 && target <= 1)) {
    throw new VocabsmithError(`targetReduction must be in [0, 1], got ${target}`);
  }
  const targetKind = target === undefined ? undefined : (options.relativeTo ?? 'original');
  const wordLevel = options.wordLevel ?? true;
  const inner = handle(tokenizer);
  const result = about(tokenizer.source, () => {
    if (input.every((x) => typeof x === 'string')) {
      const enc = new TextEncoder();
      const parts = (input as readonly string[]).map((t) => enc.encode(t));
      const { flat, ends } = concat(parts, Uint8Array);
      return mergeBatchTexts(inner, flat, ends, options.addSpecialTokens ?? false, boundary, merges, targetKind, target ?? 0, wordLevel);
    }
    if (input.some((x) => typeof x === 'string')) throw new VocabsmithError('input must be all texts or all id sequences');
    const parts = (input as readonly (Uint32Array | readonly number[])[]).map((s) => (s instanceof Uint32Array ? s : Uint32Array.from(s)));
    const { flat } = concat(parts, Uint32Array);
    const lengths = Uint32Array.from(parts, (p) => p.length);
    return mergeBatchIds(inner, flat, lengths, boundary, merges, targetKind, target ?? 0, wordLevel);
  });
  try {
    return collect(result, checkMaxLen(options.maxLen));
  } finally {
    result.free();
  }
}

/** Width of the decomposition matrix: the longest decomposition (0), or a fixed width up to 2^16. */
export const MAX_LEN_LIMIT = 65_536;

function checkMaxLen(maxLen: number | undefined): number {
  if (maxLen === undefined) return 0;
  if (!Number.isInteger(maxLen) || maxLen < 0 || maxLen > MAX_LEN_LIMIT) {
    throw new VocabsmithError(`maxLen must be an integer in 0..${MAX_LEN_LIMIT} (0: the longest decomposition), got ${maxLen}`);
  }
  return maxLen;
}

function concat<T extends Uint8Array | Uint32Array>(parts: T[], ctor: { new (n: number): T }): { flat: T; ends: Uint32Array } {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const flat = new ctor(total);
  const ends = new Uint32Array(parts.length);
  let at = 0;
  parts.forEach((p, i) => {
    flat.set(p, at);
    at += p.length;
    ends[i] = at;
  });
  return { flat, ends };
}

function split(flat: Uint32Array, lengths: Uint32Array): Uint32Array[] {
  const out: Uint32Array[] = [];
  let at = 0;
  for (const n of lengths) {
    out.push(flat.slice(at, at + n));
    at += n;
  }
  return out;
}

function collect(r: WasmMergeResult, maxLen: number): MergedBatch {
  const lengths = r.lengths();
  const sequences = split(r.ids(), lengths);
  const n = r.newTokenCount;
  const bytes = r.surfaceBytes();
  const surfaceLens = r.surfaceLengths();
  const decLens = r.decompositionLengths();
  const full = r.decompositions(0);
  const longest = n === 0 ? 0 : full.length / n;
  const decoder = new TextDecoder();
  const newTokens: NewToken[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes.slice(at, at + surfaceLens[i]!);
    at += surfaceLens[i]!;
    const dec = Uint32Array.from(full.subarray(i * longest, i * longest + decLens[i]!));
    newTokens.push({ id: r.base + i, surface: decoder.decode(b), bytes: b, decomposition: dec });
  }
  const width = maxLen === 0 ? longest : maxLen;
  const originalLength = r.originalLength;
  const mergedLength = r.mergedLength;
  const wordLength = r.wordLength;
  return {
    sequences,
    original: split(r.originalIds(), r.originalLengths()),
    base: r.base,
    newTokens,
    decompositions: width === longest ? full : r.decompositions(width),
    maxLen: width,
    merges: r.merges,
    originalLength,
    mergedLength,
    wordLength,
    reduction: originalLength === 0 ? 0 : (originalLength - mergedLength) / originalLength,
    reductionVsWord:
      wordLength === undefined ? undefined : originalLength === wordLength ? 0 : (originalLength - mergedLength) / (originalLength - wordLength),
    curve: r.curve(),
  };
}

/** A merged sequence with every new token replaced by the original ids it stands for. */
export function expandMerged(batch: MergedBatch, sequence: Uint32Array): Uint32Array {
  const out: number[] = [];
  for (const id of sequence) {
    if (id >= batch.base) out.push(...batch.newTokens[id - batch.base]!.decomposition);
    else out.push(id);
  }
  return Uint32Array.from(out);
}

/**
 * Embeds new tokens: receives the `count × maxLen` decomposition matrix (padded with -1) and
 * returns `count × dim` rows — the shape of the paper's hypernetwork call.
 */
export type Embedder = (decompositions: Int32Array, maxLen: number, count: number) => Float32Array;

/** The built-in embedder: each new token gets the mean of its decomposition's rows of `embeddings` (vocab × dim, row-major). */
export function meanEmbedder(embeddings: Float32Array, dim: number): Embedder {
  return (decompositions, maxLen, count) => {
    const out = new Float32Array(count * dim);
    const acc = new Float64Array(dim);
    for (let i = 0; i < count; i++) {
      acc.fill(0);
      let n = 0;
      for (let k = 0; k < maxLen; k++) {
        const id = decompositions[i * maxLen + k]!;
        if (id < 0) break;
        if ((id + 1) * dim > embeddings.length) throw new VocabsmithError(`decomposition id ${id} has no embedding row (${embeddings.length / dim} rows)`);
        for (let d = 0; d < dim; d++) acc[d]! += embeddings[id * dim + d]!;
        n++;
      }
      for (let d = 0; d < dim; d++) out[i * dim + d] = n === 0 ? 0 : acc[d]! / n;
    }
    return out;
  };
}

/** Rows for the batch's new tokens (`newTokens.length × dim`), from an embedder. */
export function embedNewTokens(batch: MergedBatch, embedder: Embedder, dim: number): Float32Array {
  const count = batch.newTokens.length;
  const rows = embedder(batch.decompositions, batch.maxLen, count);
  if (rows.length !== count * dim) {
    throw new VocabsmithError(`the embedder returned ${rows.length} values, expected ${count} × ${dim}`);
  }
  return rows;
}

/**
 * `inputs_embeds` of one merged sequence (length × dim): original ids from `embeddings`, new
 * tokens from `newRows` (what `embedNewTokens` returned).
 */
export function inputsEmbeds(batch: MergedBatch, sequence: Uint32Array, embeddings: Float32Array, newRows: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(sequence.length * dim);
  sequence.forEach((id, k) => {
    const row = id >= batch.base ? newRows.subarray((id - batch.base) * dim, (id - batch.base + 1) * dim) : embeddings.subarray(id * dim, (id + 1) * dim);
    out.set(row, k * dim);
  });
  return out;
}
