/**
 * Shared by the benchmark corpus builders (bench/mixed-corpus.ts, bench/scale-corpus.ts): which
 * files of this machine they read, and which of those count as text.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Regular files below `dir` whose name passes `keep`, in sorted order, with their sizes. Symlinks
 * are not followed (no cycles, no duplicates); unreadable entries are skipped. */
export function walkFiles(dir: string, keep: (name: string) => boolean, out: { p: string; size: number }[] = []): { p: string; size: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) walkFiles(p, keep, out);
    else if (st.isFile() && keep(n)) out.push({ p, size: st.size });
  }
  return out;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The text of a file's bytes when it is strict UTF-8 without NUL and no line is longer than
 * `maxLine` characters; else undefined (the file is skipped). */
export function strictText(buf: Uint8Array, maxLine: number): string | undefined {
  if (buf.includes(0)) return undefined;
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    return undefined;
  }
  for (let start = 0; ; ) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    if (end - start > maxLine) return undefined;
    if (nl < 0) break;
    start = nl + 1;
  }
  return text;
}
