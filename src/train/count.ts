// Counting a corpus in parallel: the main thread reads and batches the inputs, worker threads
// (one WASM instance each) count pretokens, and their tables are merged at the end. Each batch
// is counted under every pattern at once, so SuperBPE's two stages need one pass over the corpus.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { VocabsmithError } from '../errors.js';
import { loadWasm, WasmCounter, WasmWordCounts } from '../wasm.js';
import type { CountSet } from './countfile.js';
import type { SkippedFile } from '../corpus.js';
import { expandPaths, inputBatches, sourceBatches, totalBytes, type Batch, type InputOptions, type TrainInput } from './inputs.js';

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

export async function countInputs(inputs: readonly TrainInput[], options: CountOptions): Promise<CountResult> {
  loadWasm();
  const { batches, total, skipped } = await sources(inputs, options);
  const workers = options.workers ?? availableParallelism();
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
    for await (const b of batches) {
      counters.forEach((c, i) => c.countSequences(b.bytes, b.ends, tables[i] as WasmWordCounts));
      tick(b.consumed, b.ends.length);
    }
    counters.forEach((c) => c.free());
    return { sequences, skipped, tables: tables.map((counts, i) => ({ pattern: options.patterns[i] as string, counts })) };
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
    const tables = options.patterns.map(() => new WasmWordCounts());
    for (const r of results) {
      r.forEach((t, i) => {
        const part = WasmWordCounts.fromParts(t.words, t.lens, t.counts);
        (tables[i] as WasmWordCounts).mergeFrom(part);
        part.free();
      });
    }
    return { sequences, skipped, tables: tables.map((counts, i) => ({ pattern: options.patterns[i] as string, counts })) };
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

interface Parts {
  words: Uint8Array;
  lens: Uint32Array;
  counts: BigUint64Array;
}

/** One worker thread and its in-flight batches. */
class CountWorker {
  #worker: Worker;
  #pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  #waiters: (() => void)[] = [];
  #finish: { resolve: (t: Parts[]) => void; reject: (e: Error) => void } | undefined;
  #failed: Error | undefined;
  #id = 0;

  constructor(patterns: string[]) {
    // From the TypeScript sources (tests) the worker runs through tsx; from dist/ it is plain JS.
    const fromSource = import.meta.url.endsWith('.ts');
    const url = new URL(fromSource ? './count-worker.ts' : './count-worker.js', import.meta.url);
    const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
    this.#worker = fromSource ? new Worker(boot, { eval: true, workerData: { patterns } }) : new Worker(url, { workerData: { patterns } });
    this.#worker.on('message', (m: { type: string; id?: number; message?: string; tables?: Parts[] }) => {
      if (m.type === 'done') this.#settle(m.id as number);
      else if (m.type === 'tables') this.#finish?.resolve(m.tables as Parts[]);
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

  finish(): Promise<Parts[]> {
    if (this.#failed) return Promise.reject(this.#failed);
    const p = new Promise<Parts[]>((resolve, reject) => (this.#finish = { resolve, reject }));
    this.#worker.postMessage({ type: 'finish' });
    return p;
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}
