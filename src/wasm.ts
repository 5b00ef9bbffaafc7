// Loads the WebAssembly core once, synchronously, in Node. The browser entry (src/browser.ts)
// initialises the same module asynchronously with fetch.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initSync, WasmTokenizer, version as wasmVersion } from '../wasm/vocabsmith_wasm.js';

let ready = false;

export function loadWasm(): void {
  if (ready) return;
  const path = fileURLToPath(new URL('../wasm/vocabsmith_wasm_bg.wasm', import.meta.url));
  initSync({ module: readFileSync(path) });
  ready = true;
}

/** Version of the Rust core inside the WASM module. */
export function coreVersion(): string {
  loadWasm();
  return wasmVersion();
}

export { WasmTokenizer };
