// Loads the WebAssembly core once, synchronously, in Node. The browser entry (src/browser.ts)
// initialises the same module asynchronously with fetch.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initSync, version as wasmVersion } from '../wasm/vocabsmith_wasm.js';

let memory: WebAssembly.Memory | undefined;

export function loadWasm(): void {
  if (memory !== undefined) return;
  const path = fileURLToPath(new URL('../wasm/vocabsmith_wasm_bg.wasm', import.meta.url));
  memory = initSync({ module: readFileSync(path) }).memory;
}

/** Bytes of WebAssembly memory in use by the core (it grows, never shrinks): for leak checks. */
export function wasmMemoryBytes(): number {
  loadWasm();
  return memory?.buffer.byteLength ?? 0;
}

/** Version of the Rust core inside the WASM module. */
export function coreVersion(): string {
  loadWasm();
  return wasmVersion();
}

export { WasmTokenizer, WasmWordCounts, WasmCounter, WasmTrained, WasmByteModel, WasmCoverState, WasmMetrics, gini, measureFields, WasmMergeResult, mergeBatchIds, mergeBatchTexts, WasmRemapPlan, remapPlan, trainPatternNames, parseGgufHeader, GgufValueType } from '../wasm/vocabsmith_wasm.js';
