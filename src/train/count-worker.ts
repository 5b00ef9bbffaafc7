// A counting worker: its own WASM instance, one WordCounts per pattern, fed batches of sequences.
import { parentPort, workerData } from 'node:worker_threads';
import { backtrackLimitHits, loadWasm, WasmCounter, WasmWordCounts } from '../wasm.js';

interface BatchMsg {
  type: 'batch';
  id: number;
  bytes: Uint8Array;
  ends: Uint32Array;
}

const port = parentPort;
if (port) {
  loadWasm();
  const patterns = (workerData as { patterns: string[] }).patterns;
  const counters = patterns.map((p) => new WasmCounter(p));
  const tables = patterns.map(() => new WasmWordCounts());
  port.on('message', (msg: BatchMsg | { type: 'finish' }) => {
    try {
      if (msg.type === 'batch') {
        counters.forEach((c, i) => c.countSequences(msg.bytes, msg.ends, tables[i] as WasmWordCounts));
        port.postMessage({ type: 'done', id: msg.id });
      } else {
        const out = tables.map((t) => ({ words: t.words(), lens: t.lens(), counts: t.counts() }));
        port.postMessage({ type: 'tables', tables: out, hits: backtrackLimitHits() }, out.flatMap((t) => [t.words.buffer, t.lens.buffer, t.counts.buffer] as ArrayBuffer[]));
      }
    } catch (e) {
      port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  });
}
