// Dev tooling, for vocabsmith run from its TypeScript sources (tests: vitest.config.ts setupFiles;
// benches: imported first). The library's worker threads (src/train/count.ts) then run .ts files,
// which need a TypeScript loader; Node 20 does not carry one into worker threads, so each worker
// registers tsx itself before importing its file. dist/ needs none of this.
import { Worker, type WorkerOptions } from 'node:worker_threads';

(globalThis as Record<symbol, unknown>)[Symbol.for('vocabsmith.startTsWorker')] = (url: URL, options: WorkerOptions): Worker =>
  new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { ...options, eval: true });
