/** Loaders for the bundled corpora in `corpora/` (see corpora/README.md). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CORPORA_DIR = join(REPO_ROOT, 'corpora');

const NOTICE = /^(LICENSE|COPYING|ThirdPartyNotice|README|NOTICE)/i;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (!NOTICE.test(name) && !name.endsWith('.sh')) out.push(p);
  }
  return out;
}

export interface CorpusFile {
  /** path relative to corpora/, e.g. 'code/python/argparse.py' */
  name: string;
  text: string;
}

function load(sub: string): CorpusFile[] {
  const root = join(CORPORA_DIR, sub);
  return walk(root).map((p) => ({ name: relative(CORPORA_DIR, p), text: readFileSync(p, 'utf8') }));
}

export function englishCorpusFiles(): CorpusFile[] {
  return load('en');
}

/** All of corpora/en, files in name order joined by a blank line. */
export function englishCorpus(): string {
  return englishCorpusFiles()
    .map((f) => f.text)
    .join('\n\n');
}

export function codeCorpusFiles(): CorpusFile[] {
  return load('code');
}

/**
 * Split a text into chunks of at most ~maxChars, cutting only at line ends
 * (a single longer line becomes its own chunk). Never cuts a surrogate pair.
 */
export function chunkByLines(text: string, maxChars = 4096): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + maxChars);
    if (end < text.length) {
      const nl = text.lastIndexOf('\n', end - 1);
      if (nl >= start) end = nl + 1;
      else {
        const next = text.indexOf('\n', end);
        end = next === -1 ? text.length : next + 1;
      }
    }
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

/** English benchmark text: corpora/en repeated until it is at least minBytes of UTF-8. */
export function benchText(minBytes = 3 * 1024 * 1024): string {
  const base = englishCorpus();
  const baseBytes = Buffer.byteLength(base, 'utf8');
  const reps = Math.max(1, Math.ceil(minBytes / baseBytes));
  return Array.from({ length: reps }, () => base).join('\n\n');
}
