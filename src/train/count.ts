// Counting a corpus in parallel: the main thread reads and batches the inputs, worker threads
// (one WASM instance each) count pretokens, and their tables are merged at the end. Each batch
// is counted under every pattern at once, so SuperBPE's two stages need one pass over the corpus.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { InternalError, VocabsmithError } from '../errors.js';
import { backtrackLimitHits, loadWasm, WasmCounter, WasmWordCounts } from '../wasm.js';
import type { CountSet } from './countfile.js';
import type { SkippedFile } from '../corpus.js';
import { expandPaths, inputBatches, sourceBatches, totalBytes, type Batch, type InputOptions, type TrainInput } from './inputs.js';

/** The warning for `limitHits` > 0: what was lost and what to do. */
export function limitWarning(hits: number): string | undefined {
  if (!hits) return undefined;
  return `warning: the pretokenizer regex stopped at its backtracking limit ${hits} time(s); the rest of each such line was not counted — the pattern backtracks catastrophically on this corpus: simplify it (possessive or atomic groups)`;
}

export interface CountProgress {
  phase: 'count';
  /** Input bytes read so far, and the total when known (files) or 0. */
  done: number;
  total: number;
}

export interface CountOptions extends InputOptions {
  /** Pretokenizer specs (names or regexes); one table each. */
  patterns: string[];
  /** Worker threads; 0 counts on the calling thread. Default: available cores. */
  workers?: number;
  onProgress?: (p: CountProgress) => void;
}

/** A count, with the files the corpus specs named but that were not read (hidden or excluded). */
export interface CountResult extends CountSet {
  skipped: SkippedFile[];
}

/** All batches of all inputs, and the total size when every input is a path. */
async function sources(inputs: readonly TrainInput[], options: InputOptions) {
  // Path specs are expanded before anything is read, so a bad one fails first.
  const specs = inputs.filter((i): i is string => typeof i === 'string');
  const expanded = expandPaths(specs, options);
  const total = specs.length === inputs.length ? totalBytes(expanded.sources) : 0;
  async function* all(): AsyncGenerator<Batch> {
    if (specs.length === inputs.length) for (const s of expanded.sources) yield* sourceBatches(s, options);
    else for (const i of inputs) yield* inputBatches(i, options);
  }
  return { batches: all(), total, skipped: expanded.skipped };
}

/**
 * Worker threads to count with: a non-negative integer (0: the calling thread), at most the core
 * count — more threads than cores only add memory (a WASM instance and two batches each).
 */
export function countWorkers(requested: number | undefined): number {
  const cores = availableParallelism();
  if (requested === undefined) return cores;
  if (!Number.isInteger(requested) || requested < 0) throw new VocabsmithError(`workers must be a non-negative integer, got ${String(requested)}`);
  return Math.min(requested, cores);
}

export async function countInputs(inputs: readonly TrainInput[], options: CountOptions): Promise<CountResult> {
  loadWasm();
  const { batches, total, skipped } = await sources(inputs, options);
  const workers = countWorkers(options.workers);
  let done = 0;
  let sequences = 0;
  const tick = (consumed: number, seqs: number) => {
    done += consumed;
    sequences += seqs;
    options.onProgress?.({ phase: 'count', done, total });
  };
  if (workers <= 0) {
    const counters = options.patterns.map((p) => new WasmCounter(p));
    const tables = options.patterns.map(() => new WasmWordCounts());
    const hitsBefore = backtrackLimitHits();
    for await (const b of batches) {
      counters.forEach((c, i) => c.countSequences(b.bytes, b.ends, tables[i] as WasmWordCounts));
      tick(b.consumed, b.ends.length);
    }
    counters.forEach((c) => c.free());
    const limitHits = backtrackLimitHits() - hitsBefore;
    return { sequences, skipped, limitHits, tables: tables.map((counts, i) => ({ pattern: options.patterns[i] as string, counts })) };
  }
  options.patterns.forEach((p) => new WasmCounter(p).free()); // a bad pattern fails here, before any thread starts
  const pool = Array.from({ length: workers }, () => new CountWorker(options.patterns));
  try {
    let next = 0;
    for await (const b of batches) {
      // Round robin with at most two batches in flight per worker: bounded memory.
      const w = pool[next++ % pool.length] as CountWorker;
      await w.ready(2);
      const seqs = b.ends.length; // read before send(): the arrays are transferred
      w.send(b).then(() => tick(b.consumed, seqs), () => undefined);
    }
    const results = await Promise.all(pool.map((w) => w.finish()));
    // Their tables are copied out: end the workers before merging, so their WASM memories (each
    // as large as its tables) are not held while the merged tables grow.
    await Promise.all(pool.map((w) => w.terminate()));
    const tables = options.patterns.map(() => new WasmWordCounts());
    // Room for every worker's words at once (an upper bound: a word counted by two workers is one
    // entry), so the merged table grows once instead of doubling (see WordCounts::reserve).
    tables.forEach((t, i) => {
      const parts = results.map((r) => r.tables[i] as Parts);
      t.reserve(
        parts.reduce((n, p) => n + p.lens.length, 0),
        parts.reduce((n, p) => n + p.words.length, 0),
      );
    });
    let limitHits = 0;
    for (const res of results) {
      limitHits += res.hits;
      res.tables.forEach((t, i) => addPartsInChunks(tables[i] as WasmWordCounts, t));
      res.tables = []; // the copies can be collected while the next worker's are merged
    }
    return { sequences, skipped, limitHits, tables: tables.map((counts, i) => ({ pattern: options.patterns[i] as string, counts })) };
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

interface Parts {
  words: Uint8Array;
  lens: Uint32Array;
  counts: BigUint64Array;
}

/**
 * Adds a worker's table into `table` ~16 MB of words at a time, in its order (the same table as
 * building it whole and merging it in): the core never holds the worker's table beside the merged
 * one, only a chunk of it.
 */
function addPartsInChunks(table: WasmWordCounts, p: Parts): void {
  const chunk = 16 << 20;
  let w = 0;
  let at = 0;
  while (w < p.lens.length) {
    let end = w;
    let bytes = 0;
    while (end < p.lens.length && (end === w || bytes + (p.lens[end] as number) <= chunk)) bytes += p.lens[end++] as number;
    table.addParts(p.words.subarray(at, at + bytes), p.lens.subarray(w, end), p.counts.subarray(w, end));
    w = end;
    at += bytes;
  }
}

/**
 * The counting worker: from dist/, plain JS. From the TypeScript sources (tests, benches) its .ts
 * file, started by the dev tooling that registered itself under this symbol
 * (test/setup/ts-workers.ts): the library itself depends on no TypeScript loader.
 */
function startWorker(workerData: { patterns: string[] }): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    // A worker inherits the process's execArgv; `--input-type` (node --input-type=module -e ...)
    // applies only to string input and makes Node refuse the worker's file.
    const execArgv = process.execArgv.filter((a, i, all) => !a.startsWith('--input-type') && all[i - 1] !== '--input-type');
    return new Worker(new URL('./count-worker.js', import.meta.url), { workerData, execArgv });
  }
  const start = (globalThis as Record<symbol, unknown>)[Symbol.for('vocabsmith.startTsWorker')] as ((url: URL, o: WorkerOptions) => Worker) | undefined;
  if (start === undefined) {
    throw new InternalError('vocabsmith runs from its TypeScript sources, whose worker threads need a TypeScript loader: import test/setup/ts-workers.ts first, or run dist/');
  }
  return start(new URL('./count-worker.ts', import.meta.url), { workerData });
}

/** One worker thread and its in-flight batches. */
class CountWorker {
  #worker: Worker;
  #pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  #waiters: (() => void)[] = [];
  #finish: { resolve: (t: { tables: Parts[]; hits: number }) => void; reject: (e: Error) => void } | undefined;
  #failed: Error | undefined;
  #id = 0;

  constructor(patterns: string[]) {
    this.#worker = startWorker({ patterns });
    this.#worker.on('message', (m: { type: string; id?: number; message?: string; tables?: Parts[]; hits?: number }) => {
      if (m.type === 'done') this.#settle(m.id as number);
      else if (m.type === 'tables') this.#finish?.resolve({ tables: m.tables as Parts[], hits: m.hits ?? 0 });
      else if (m.type === 'error') this.#fail(new VocabsmithError(`counting failed: ${m.message}`));
    });
    this.#worker.on('error', (e) => this.#fail(e));
  }

  #settle(id: number) {
    this.#pending.get(id)?.resolve();
    this.#pending.delete(id);
    this.#waiters.splice(0).forEach((w) => w());
  }

  #fail(e: Error) {
    this.#failed = e;
    this.#pending.forEach((p) => p.reject(e));
    this.#pending.clear();
    this.#finish?.reject(e);
    this.#waiters.splice(0).forEach((w) => w());
  }

  async ready(maxInFlight: number): Promise<void> {
    while (this.#pending.size >= maxInFlight && !this.#failed) await new Promise<void>((r) => this.#waiters.push(r));
    if (this.#failed) throw this.#failed;
  }

  send(b: Batch): Promise<void> {
    const id = this.#id++;
    const p = new Promise<void>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    // Transfer whole buffers only: a view into a shared (e.g. stream) buffer is copied first.
    const own = (a: Uint8Array | Uint32Array) => (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice());
    const bytes = own(b.bytes);
    const ends = own(b.ends);
    this.#worker.postMessage({ type: 'batch', id, bytes, ends }, [bytes.buffer as ArrayBuffer, ends.buffer as ArrayBuffer]);
    return p;
  }

  finish(): Promise<{ tables: Parts[]; hits: number }> {
    if (this.#failed) return Promise.reject(this.#failed);
    const p = new Promise<{ tables: Parts[]; hits: number }>((resolve, reject) => (this.#finish = { resolve, reject }));
    this.#worker.postMessage({ type: 'finish' });
    return p;
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}
