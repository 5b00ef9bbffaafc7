/**
 * Debian packages with much text, for the scale corpus past what a machine has installed
 * (bench/scale-corpus.ts): fetched with `apt-get download` (Debian's package archive, nothing
 * installed) and unpacked with `dpkg-deb -x` into ~/.cache/vocabsmith/scale-debian/, source
 * tarballs and zips inside them unpacked beside. Idempotent: a package whose folder is complete
 * (a .done file, written last) is not fetched again; an interrupted unpack is redone.
 *
 * The names are Debian 12 (bookworm) packages; on another release the first missing one stops the
 * build with its name. The versions unpacked are recorded in the corpus manifest, since the
 * corpus bytes depend on them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export const DEBIAN_CACHE = join(os.homedir(), '.cache', 'vocabsmith', 'scale-debian');

interface Package {
  name: string;
  /** An archive inside the package (path relative to its root) to unpack too, into inner/<as>. */
  inner?: { path: RegExp; as: string };
}

export const DEBIAN_PACKAGES: Package[] = [
  { name: 'linux-source-6.1', inner: { path: /^usr\/src\/linux-source-6\.1\.tar\.xz$/, as: 'linux' } },
  { name: 'gcc-12-source', inner: { path: /^usr\/src\/gcc-12\/gcc-12[^/]*\.tar\.xz$/, as: 'gcc' } },
  { name: 'openjdk-17-source', inner: { path: /^usr\/lib\/jvm\/openjdk-17\/lib\/src\.zip$/, as: 'openjdk' } },
  { name: 'golang-1.19-src' },
  { name: 'rust-src' },
  { name: 'debian-handbook' },
  { name: 'linux-doc-6.1' },
  { name: 'python3.11-doc' },
  { name: 'perl-doc' },
  { name: 'manpages-de' },
  { name: 'manpages-fr' },
  { name: 'manpages-es' },
  { name: 'dict-gcide' },
  { name: 'wordnet-base' },
];

function sh(cmd: string, args: string[], cwd?: string): { ok: boolean; err: string } {
  const r = spawnSync('nice', ['-n', '10', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 24 });
  return { ok: r.status === 0, err: `${r.stderr ?? ''}${r.error?.message ?? ''}`.trim() };
}

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), `${prefix}${e.name}/`) : e.isFile() ? [`${prefix}${e.name}`] : [],
  );
}

/** Fetches and unpacks every package not yet in the cache; returns package -> version. */
export function ensureDebianText(log: (s: string) => void): Record<string, string> {
  const debs = join(DEBIAN_CACHE, 'debs');
  mkdirSync(debs, { recursive: true });
  const versions: Record<string, string> = {};
  let updated = false;
  for (const p of DEBIAN_PACKAGES) {
    const dir = join(DEBIAN_CACHE, 'x', p.name);
    const done = join(dir, '.done');
    if (existsSync(done)) {
      versions[p.name] = readFileSync(done, 'utf8').trim();
      continue;
    }
    const find = () => readdirSync(debs).find((f) => f.startsWith(`${p.name}_`) && f.endsWith('.deb'));
    if (!find()) {
      log(`scale corpus: apt-get download ${p.name}`);
      let r = sh('apt-get', ['download', p.name], debs);
      if (!r.ok && !updated) {
        // A fresh machine has no package lists yet.
        updated = true;
        sh('apt-get', ['update'], debs);
        r = sh('apt-get', ['download', p.name], debs);
      }
      if (!r.ok || !find()) throw new Error(`scale corpus: cannot fetch the Debian package ${p.name} (apt-get download): ${r.err.slice(0, 300)}`);
    }
    const deb = find() as string;
    const tmp = `${dir}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const x = sh('dpkg-deb', ['-x', join(debs, deb), tmp]);
    if (!x.ok) throw new Error(`scale corpus: dpkg-deb -x ${deb} failed: ${x.err.slice(0, 300)}`);
    if (p.inner) {
      const inner = p.inner;
      const archive = files(tmp).find((f) => inner.path.test(f));
      if (!archive) throw new Error(`scale corpus: ${deb} has no ${inner.path}`);
      const out = join(DEBIAN_CACHE, 'inner', inner.as);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      const a = join(tmp, archive);
      log(`scale corpus: unpacking ${archive}`);
      const u = archive.endsWith('.zip') ? sh('python3', ['-m', 'zipfile', '-e', a, out]) : sh('tar', ['-xJf', a, '-C', out]);
      if (!u.ok) throw new Error(`scale corpus: cannot unpack ${archive} of ${deb}: ${u.err.slice(0, 300)}`);
      rmSync(a); // the unpacked tree is what is read
    }
    const version = deb.slice(p.name.length + 1).replace(/_[^_]+\.deb$/, '').replace('%3a', ':');
    writeFileSync(join(tmp, '.done'), version + '\n');
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    versions[p.name] = version;
  }
  return versions;
}

/** Where a package was unpacked (`inner` names an archive unpacked from it). */
export const debianRoot = (pkg: string) => join(DEBIAN_CACHE, 'x', pkg);
export const debianInner = (as: string) => join(DEBIAN_CACHE, 'inner', as);
