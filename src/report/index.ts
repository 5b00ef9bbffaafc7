// Reports: analyze() computes, the renderers format, writeReport() writes all three files.
import { dirname, join, basename, extname } from 'node:path';
import { writeOutputs } from '../output.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { Report } from './types.js';
import { reportJson } from './json.js';

export { analyze, resolveReference, DEFINITIONS, type AnalyzeOptions, type AnalyzeProgress, type TokenizerSpec } from './analyze.js';
export { readCorpora, type Corpus, type CorpusUnit, type CorpusFailure } from './corpora.js';
export { renderHtml, renderMarkdown, reportJson };
export type * from './types.js';

/** The three files a report at `out` consists of: the HTML, and the .json and .md beside it. */
export function reportPaths(out: string): { html: string; json: string; md: string } {
  const stem = join(dirname(out), basename(out, extname(out)));
  return { html: out, json: `${stem}.json`, md: `${stem}.md` };
}

/**
 * Writes `out` (HTML) and, beside it, the .json and .md of the same name, as one transaction (all
 * three or none); none may land on one of `inputs` (tokenizer files, corpora). Returns the paths.
 */
export function writeReport(report: Report, out: string, inputs: readonly (string | undefined)[] = []): { html: string; json: string; md: string } {
  const paths = reportPaths(out);
  writeOutputs(
    [
      { path: paths.json, data: reportJson(report) },
      { path: paths.md, data: renderMarkdown(report) },
      { path: paths.html, data: renderHtml(report) },
    ],
    [...inputs, ...report.tokenizers.map((t) => t.source)],
  );
  return paths;
}

