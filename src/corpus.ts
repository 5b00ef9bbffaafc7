import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { about, VocabsmithError } from './errors.js';

// Licence and provenance files sit beside the corpus text and are not part of it.
const NOT_TEXT = /^(readme|licen[cs]e|copying|notice|thirdpartynotice)/i;

/** The text files of a corpus path: the file itself, or every file under a directory (sorted). */
export function corpusFiles(path: string): string[] {
  const st = about(path, () => statSync(path));
  if (st.isFile()) return [path];
  if (!st.isDirectory()) throw new VocabsmithError('not a file or directory', path);
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    if (name.startsWith('.') || NOT_TEXT.test(name)) continue;
    out.push(...corpusFiles(join(path, name)));
  }
  return out;
}

/** Reads a corpus file as UTF-8, failing with the file's name when it is not valid UTF-8. */
export function readText(path: string): string {
  const bytes = about(path, () => readFileSync(path));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new VocabsmithError('not valid UTF-8 text', path);
  }
}
