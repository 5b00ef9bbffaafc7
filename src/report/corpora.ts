// Corpus specs -> named corpora of aligned units. Parity (mean of ratios) pairs units by key, so
// every source says what its units are: UDHR articles, or lines of a file (FLORES+ files are
// line-aligned across languages).
import { basename, relative } from 'node:path';
import { expandSpec, isGlob, isJsonl, isUdhrSpec, jsonlRecords, readText, udhrCodes, type CorpusOptions, type SkippedFile } from '../corpus.js';
import { udhrLanguages, udhrUnits } from '../corpora/udhr.js';

export interface CorpusUnit {
  key: string;
  text: string;
}

export interface Corpus {
  /** Short name: the UDHR code or the file's path relative to the directory given. */
  name: string;
  /** Human label: the language name for UDHR. */
  label: string;
  units: CorpusUnit[];
}

/** A corpus that could not be read: shown in the report instead of numbers. */
export interface CorpusFailure {
  name: string;
  error: string;
}

/**
 * Reads corpus specs (src/corpus.ts): `udhr:all`, `udhr:eng,fr,deu` (one corpus per language,
 * units = articles), a file (one corpus, units = non-empty lines or JSONL records) or a directory
 * or glob (one corpus per file, e.g. a FLORES+ devtest directory). Bad specs become failures; the
 * others are still read.
 */
export function readCorpora(
  specs: readonly string[],
  options: CorpusOptions & { onProgress?: (done: number, total: number) => void } = {},
): { corpora: Corpus[]; failures: CorpusFailure[]; skipped: SkippedFile[] } {
  // Progress counts UDHR languages and path specs (reading all 532 declarations takes seconds).
  const udhrCount = (spec: string) => {
    const codes = spec.slice(5).split(',').map((c) => c.trim()).filter(Boolean);
    return codes.includes('all') ? codes.length - 1 + udhrLanguages().length : codes.length;
  };
  const total = specs.reduce((n, s) => n + (isUdhrSpec(s) ? udhrCount(s) : 1), 0);
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);
  const corpora: Corpus[] = [];
  const failures: CorpusFailure[] = [];
  const skipped: SkippedFile[] = [];
  const attempt = (name: string, fn: () => Corpus | Corpus[]) => {
    try {
      for (const c of [fn()].flat()) {
        if (c.units.every((u) => u.text.trim() === '')) failures.push({ name: c.name, error: 'the corpus is empty' });
        else corpora.push(c);
      }
    } catch (e) {
      failures.push({ name, error: e instanceof Error ? e.message : String(e) });
    }
    tick();
  };
  for (const spec of specs) {
    if (isUdhrSpec(spec)) {
      // Each code on its own, so one unknown code does not hide the others.
      const codes = spec.slice(5).split(',').map((c) => c.trim()).filter(Boolean);
      if (codes.length === 0) failures.push({ name: spec, error: 'no UDHR language code after "udhr:"' });
      for (const code of codes) {
        if (code === 'all') for (const c of udhrCodes('udhr:all')) attempt(`udhr:${c}`, () => udhrCorpus(c));
        else attempt(`udhr:${code}`, () => udhrCorpus(udhrCodes(`udhr:${code}`)[0]!));
      }
      continue;
    }
    attempt(spec, () => {
      const e = expandSpec(spec, options);
      skipped.push(...e.skipped);
      const single = e.sources.length === 1 && e.sources[0]!.kind === 'file' && e.sources[0]!.path === spec;
      return e.sources.map((s) => {
        const path = s.kind === 'file' ? s.path : s.code;
        const name = single ? basename(path) : isGlob(spec) ? path : relative(spec, path) || basename(path);
        return fileCorpus(path, name, options);
      });
    });
  }
  return { corpora, failures, skipped };
}

const names = new Map(udhrLanguages().map((l) => [l.code, l.name]));

function udhrCorpus(code: string): Corpus {
  const units = udhrUnits(code).map((u) => ({ key: u.key, text: u.paragraphs.join('\n') }));
  return { name: code, label: names.get(code) ?? code, units };
}

function fileCorpus(file: string, name: string, options: CorpusOptions): Corpus {
  const text = readText(file);
  const units = isJsonl(file)
    ? jsonlRecords(text, file, options.jsonlField).map((t, i) => ({ key: String(i + 1), text: t }))
    : text
        .split('\n')
        .map((t, i) => ({ key: String(i + 1), text: t }))
        .filter((u) => u.text.trim() !== '');
  return { name, label: name, units };
}
