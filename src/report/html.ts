// One self-contained HTML file: the report JSON, Apache ECharts (echarts.min.js from node_modules)
// and web/charts.js, all inlined, so it opens offline and can be mailed around as one file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Report } from './types.js';
import { reportJson } from './json.js';

const require = createRequire(import.meta.url);
// dist/report/html.js and src/report/html.ts both sit two levels below the package root.
const CHARTS = fileURLToPath(new URL('../../web/charts.js', import.meta.url));

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1400px;padding:0 16px;color:#222}
h1{margin-bottom:4px;overflow-wrap:anywhere} .note{color:#555;max-width:1100px} .chart{width:100%}
.scroll{overflow-x:auto;max-width:100%} table.sortable th{cursor:pointer;white-space:nowrap} select{max-width:100%}
table{border-collapse:collapse;font-size:13px} td,th{border:1px solid #ddd;padding:3px 6px;text-align:right}
td:first-child,th:first-child{text-align:left} tr.failed td{color:#a00;text-align:left}
.problems{border:2px solid #d33;background:#fff3f3;padding:4px 16px;margin:12px 0}
.tokens{white-space:pre-wrap;font-family:ui-monospace,monospace;line-height:1.9;border:1px solid #eee;padding:8px}
.tok{border-radius:3px;padding:1px 0;margin-right:1px} section{margin-top:28px}`;

/** `<` escaped so no string in the data can close the script element. */
const safe = (s: string) => s.replace(/</g, '\\u003c');

export function renderHtml(r: Report): string {
  const echarts = readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  const charts = readFileSync(CHARTS, 'utf8');
  const title = `Token efficiency: ${r.tokenizers.length} tokenizers × ${r.corpora.length} corpora`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${CSS}</style></head>
<body><h1>${title}</h1>
<p class="note">Made by vocabsmith on ${r.created}. Every number is in report.json beside this file.</p>
<div id="report"></div>
<script type="application/json" id="report-data">${safe(reportJson(r))}</script>
<script>${echarts.replace(/<\/script/gi, '<\\/script')}</script>
<script>${charts}</script>
<script>vocabsmithCharts.render(JSON.parse(document.getElementById('report-data').textContent), document.getElementById('report'));</script>
</body></html>
`;
}
