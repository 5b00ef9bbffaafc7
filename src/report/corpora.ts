// Corpus specs -> named corpora of aligned units. Parity (mean of ratios) pairs units by key, so
// every source says what its units are: UDHR articles, or lines of a file (FLORES+ files are
// line-aligned across languages).
import { readdirSync, statSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { corpusFiles, readText } from '../corpus.js';
import { udhrLanguages, udhrUnits, resolveUdhrCode } from '../corpora/udhr.js';
import { about, VocabsmithError } from '../errors.js';

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
 * Reads corpus specs: `udhr:all`, `udhr:eng,fra,cmn_hans`, a file (one corpus, units = non-empty
 * lines) or a directory (one corpus per file inside it, e.g. a FLORES+ devtest directory). Bad
 * specs become failures; the others are still read.
 */
export function readCorpora(specs: readonly string[]): { corpora: Corpus[]; failures: CorpusFailure[] } {
  const corpora: Corpus[] = [];
  const failures: CorpusFailure[] = [];
  const attempt = (name: string, fn: () => Corpus | Corpus[]) => {
    try {
      for (const c of [fn()].flat()) {
        if (c.units.every((u) => u.text.trim() === '')) failures.push({ name: c.name, error: 'the corpus is empty' });
        else corpora.push(c);
      }
    } catch (e) {
      failures.push({ name, error: e instanceof Error ? e.message : String(e) });
    }
  };
  for (const spec of specs) {
    if (spec.startsWith('udhr:')) {
      const codes = spec.slice(5).split(',').map((c) => c.trim()).filter(Boolean);
      const all = codes.includes('all') ? udhrLanguages().map((l) => l.code) : codes;
      if (all.length === 0) failures.push({ name: spec, error: 'no UDHR language code after "udhr:"' });
      for (const code of all) attempt(`udhr:${code}`, () => udhrCorpus(code));
      continue;
    }
    attempt(spec, () => pathCorpora(spec));
  }
  return { corpora, failures };
}

const names = new Map(udhrLanguages().map((l) => [l.code, l.name]));

function udhrCorpus(codeOrTag: string): Corpus {
  const code = resolveUdhrCode(codeOrTag);
  const units = udhrUnits(code).map((u) => ({ key: u.key, text: u.paragraphs.join('\n') }));
  return { name: code, label: names.get(code) ?? code, units };
}

function pathCorpora(path: string): Corpus[] {
  const st = about(path, () => statSync(path));
  if (st.isFile()) return [fileCorpus(path, basename(path))];
  const files = corpusFiles(path);
  if (files.length === 0 || readdirSync(path).length === 0) throw new VocabsmithError('the directory has no text files', path);
  return files.map((f) => fileCorpus(f, relative(path, f) || basename(f)));
}

function fileCorpus(file: string, name: string): Corpus {
  const units = readText(file)
    .split('\n')
    .map((text, i) => ({ key: String(i + 1), text }))
    .filter((u) => u.text.trim() !== '');
  return { name, label: name, units };
}

