// Reports: analyze() computes, the renderers format, writeReport() writes all three files.
import { dirname, join, basename, extname } from 'node:path';
import { writeFileAtomic } from '../files.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { Report } from './types.js';
import { reportJson } from './json.js';

export { analyze, resolveReference, DEFINITIONS, type AnalyzeOptions, type AnalyzeProgress, type TokenizerSpec } from './analyze.js';
export { readCorpora, type Corpus, type CorpusUnit, type CorpusFailure } from './corpora.js';
export { renderHtml, renderMarkdown, reportJson };
export type * from './types.js';

/** Writes `out` (HTML) and, beside it, the .json and .md of the same name; returns the three paths. */
export function writeReport(report: Report, out: string): { html: string; json: string; md: string } {
  const stem = join(dirname(out), basename(out, extname(out)));
  const paths = { html: out, json: `${stem}.json`, md: `${stem}.md` };
  writeFileAtomic(paths.json, reportJson(report));
  writeFileAtomic(paths.md, renderMarkdown(report));
  writeFileAtomic(paths.html, renderHtml(report));
  return paths;
}

