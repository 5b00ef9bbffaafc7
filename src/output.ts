// Every file or folder vocabsmith writes goes through this module, so three promises hold by
// construction rather than command by command:
//
// 1. Inputs are never overwritten. Before anything is written, each output path is resolved
//    (realpath through symlinks, then device + inode, which catches hard links) and refused when it
//    is an input, lies inside an input folder and already exists, or is a folder that holds an input.
// 2. A command's outputs are one transaction. All are written to temporaries beside their targets;
//    only when every one is complete are they renamed into place, under a lock per output folder
//    (so two concurrent runs cannot interleave their renames), and a rename that fails rolls the
//    earlier ones back. A failed run leaves what was there before, byte for byte.
// 3. No temporary outlives its run. Temporaries carry a recognisable name with the writer's pid
//    (`.NAME.vocabsmith-PID-RAND.tmp`); SIGINT/SIGTERM/SIGHUP and normal exit remove this run's,
//    and whenever a temporary is created in a folder, those of dead processes there are swept
//    (what a SIGKILL or power cut left behind).
//
// Signals reach JavaScript only between synchronous steps: a handler is installed only while
// temporaries exist, so Ctrl-C during a long computation (training merges) still kills at once.
import {
  closeSync,
  existsSync,
  linkSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import { randomBytes } from 'node:crypto';
import { globSync } from 'tinyglobby';
import { VocabsmithError } from './errors.js';

export interface OutputFile {
  path: string;
  data: string | Uint8Array;
}

const TEMP = /^\..*\.vocabsmith-(\d+)-[0-9a-f]{8}\.(tmp|bak)$/;
const LOCK = '.vocabsmith.lock';
const GLOB = /[*?[\]{}]/;

// ---------------------------------------------------------------------------------------------
// 1. Outputs against inputs

/** The path as it will be reached: symlinks resolved (of the path, or of its nearest existing parent). */
/** The real path of `path`, following links of the parts that exist (an output may not exist yet). */
export function canonical(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(canonical(parent), basename(abs));
  }
}

/** Whether `child` lies strictly inside `parent` (both canonical). */
export const inside = (child: string, parent: string) => {
  const r = relative(parent, child);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r) && !r.startsWith(`..${sep}`);
};

const statOrUndefined = (p: string): Stats | undefined => {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
};

/** Device:inode of every file an input names (a folder's files up to a bound: hard links elsewhere). */
function inodes(paths: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  let budget = 100_000;
  const walk = (p: string, st: Stats, depth: number) => {
    if (budget-- <= 0) return;
    if (st.isFile()) out.set(`${st.dev}:${st.ino}`, p);
    else if (st.isDirectory() && depth < 8) {
      let names: string[] = [];
      try {
        names = readdirSync(p);
      } catch {
        return;
      }
      for (const n of names) {
        const q = join(p, n);
        const s = statOrUndefined(q);
        if (s) walk(q, s, depth + 1);
      }
    }
  };
  for (const p of paths) {
    const st = statOrUndefined(p);
    if (st) walk(p, st, 0);
  }
  return out;
}

/** Input specs as paths on disk: globs expanded, non-paths (`udhr:eng`, stdin) dropped. */
function inputPaths(inputs: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const i of inputs) {
    if (i === undefined || i === '' || i === '-') continue;
    if (GLOB.test(i) && !existsSync(i)) out.push(...globSync(i, { absolute: true, onlyFiles: true }));
    else if (existsSync(i)) out.push(i);
  }
  return out;
}

/**
 * Throws a VocabsmithError naming the output when writing `outputs` could destroy or change one of
 * `inputs` (files, folders or globs; anything else, such as `udhr:eng`, is ignored).
 */
export function refuseInputs(outputs: readonly string[], inputs: readonly (string | undefined)[]): void {
  const ins = inputPaths(inputs).map((p) => ({ spec: p, real: canonical(p), dir: statOrUndefined(p)?.isDirectory() ?? false }));
  if (ins.length === 0) return;
  let byInode: Map<string, string> | undefined;
  for (const out of outputs) {
    const real = canonical(out);
    const st = statOrUndefined(real);
    for (const i of ins) {
      if (real === i.real) throw new VocabsmithError(`is also an input (${i.spec}): refusing to overwrite it`, out);
      if (i.dir && st !== undefined && inside(real, i.real)) {
        throw new VocabsmithError(`exists inside the input folder ${i.spec}: refusing to overwrite it`, out);
      }
      if (inside(i.real, real)) throw new VocabsmithError(`contains the input ${i.spec}: refusing to replace it`, out);
    }
    if (st?.isFile()) {
      byInode ??= inodes(ins.map((i) => i.real));
      const same = byInode.get(`${st.dev}:${st.ino}`);
      if (same !== undefined) throw new VocabsmithError(`is the same file as the input ${same} (a hard link): refusing to overwrite it`, out);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Temporaries: named, registered, removed on signals and exit, swept when stale

const live = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let handling = false;

function removeLive(): void {
  for (const p of live) rmSync(p, { recursive: true, force: true });
  live.clear();
}

/**
 * Removes this run's temporaries, then lets the signal do what it would have done: if nobody else
 * listens, re-raised with the default action (the exit status says "killed by SIGINT", as before).
 * Installed at the first temporary and kept: a signal that arrives while synchronous code runs is
 * delivered later, and must still find a handler then.
 */
function onSignal(signal: NodeJS.Signals): void {
  removeLive();
  if (process.listenerCount(signal) > 1) return;
  for (const s of SIGNALS) process.off(s, onSignal);
  process.kill(process.pid, signal);
}

function track(path: string): void {
  if (!handling) {
    handling = true;
    for (const s of SIGNALS) process.on(s, onSignal);
    process.on('exit', removeLive);
  }
  live.add(path);
}

function untrack(path: string): void {
  live.delete(path);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false; // ours would be in `live`; a same-pid leftover (containers) is stale
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporaries (and locks) in `dir` left by processes that no longer run. */
export function sweepStale(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const n of names) {
    const m = TEMP.exec(n);
    const p = join(dir, n);
    if (m === null || live.has(p) || alive(Number(m[1]))) continue;
    rmSync(p, { recursive: true, force: true });
    removed.push(p);
  }
  return removed;
}

/** A fresh temporary path beside `target` (a file or folder name), removed if the run dies. */
export function temporary(target: string, kind: 'tmp' | 'bak' = 'tmp'): string {
  const dir = dirname(resolve(target));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'EEXIST' || (e as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'a file is in the way' : (e as Error).message;
    throw new VocabsmithError(`cannot create the output folder (${why})`, dir);
  }
  sweepStale(dir);
  const p = join(dir, `.${basename(target)}.vocabsmith-${process.pid}-${randomBytes(4).toString('hex')}.${kind}`);
  track(p);
  return p;
}

/** Forgets a temporary (it was renamed into place) or removes it. */
export function release(tmp: string, remove = true): void {
  if (remove) rmSync(tmp, { recursive: true, force: true });
  untrack(tmp);
}

// ---------------------------------------------------------------------------------------------
// 2. The transaction

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Holds `.vocabsmith.lock` in each folder (sorted, so two runs cannot deadlock) while `fn` runs. */
function withLocks<T>(dirs: string[], fn: () => T, waitMs = 60_000): T {
  const held: string[] = [];
  try {
    for (const dir of [...new Set(dirs)].sort()) {
      const lock = join(dir, LOCK);
      const deadline = Date.now() + waitMs;
      for (;;) {
        try {
          const fd = openSync(lock, 'wx');
          writeSync(fd, String(process.pid));
          closeSync(fd);
          held.push(lock);
          break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new VocabsmithError(`cannot write here: ${(e as Error).message}`, dir);
        }
        const owner = Number(readFileOr(lock));
        if (!Number.isInteger(owner) || owner <= 0 || !alive(owner)) rmSync(lock, { force: true });
        else if (Date.now() > deadline) throw new VocabsmithError(`another vocabsmith run (pid ${owner}) is writing here`, dir);
        else sleep(50);
      }
    }
    return fn();
  } finally {
    for (const l of held) rmSync(l, { force: true });
  }
}

function readFileOr(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Writes `files` as one transaction: refused if any would overwrite one of `inputs`; every file
 * written to a temporary first; then all renamed into place, or (if any step fails) none, with
 * the previous contents restored.
 */
export function writeOutputs(files: readonly OutputFile[], inputs: readonly (string | undefined)[] = []): void {
  const targets = files.map((f) => resolve(f.path));
  if (new Set(targets).size !== targets.length) throw new VocabsmithError(`the same output is named twice: ${files.map((f) => f.path).join(', ')}`);
  refuseInputs(
    files.map((f) => f.path),
    inputs,
  );
  const temps: string[] = [];
  try {
    files.forEach((f, i) => {
      const tmp = temporary(targets[i]!);
      temps.push(tmp);
      try {
        writeFileSync(tmp, f.data, { flag: 'wx' });
      } catch (e) {
        throw new VocabsmithError(`cannot write: ${(e as Error).message}`, f.path);
      }
    });
    withLocks(
      targets.map((t) => dirname(t)),
      () => swapAll(targets, temps, files.map((f) => f.path)),
    );
  } finally {
    for (const t of temps) release(t);
  }
}

/** Renames each temporary over its target; on a failure, puts every earlier target back. */
function swapAll(targets: string[], temps: string[], names: string[]): void {
  const backups: (string | undefined)[] = [];
  let done = 0;
  try {
    for (const t of targets) {
      // Nothing to keep when absent; a folder cannot be replaced by a file (its rename fails below).
      if (lstatOrUndefined(t) === undefined || statOrUndefined(t)?.isDirectory()) {
        backups.push(undefined);
        continue;
      }
      const bak = temporary(t, 'bak');
      backups.push(bak);
      try {
        linkSync(t, bak);
      } catch {
        copyFileSync(t, bak);
      }
    }
    for (; done < targets.length; done++) {
      try {
        renameSync(temps[done]!, targets[done]!);
      } catch (e) {
        const t = targets[done]!;
        throw new VocabsmithError(statOrUndefined(t)?.isDirectory() ? 'is a folder: give a file name' : `cannot write: ${(e as Error).message}`, names[done]);
      }
    }
  } catch (e) {
    for (let i = 0; i < done; i++) {
      const bak = backups[i];
      if (bak === undefined) rmSync(targets[i]!, { force: true });
      else renameSync(bak, targets[i]!);
    }
    throw e;
  } finally {
    for (const b of backups) if (b !== undefined) release(b);
  }
}

const lstatOrUndefined = (p: string) => {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
};
