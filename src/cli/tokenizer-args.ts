// `--tokenizer` arguments of report and stats: `PATH` or `NAME=PATH`, with names that are unique
// (the report keys colours, tables and the token viewer by name).
import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { VocabsmithError } from '../errors.js';

/** A readable name for a tokenizer path: the folder for `.../name/tokenizer.json` or a folder, else the file name. */
export function tokenizerName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const base = basename(trimmed);
  return base === 'tokenizer.json' ? basename(dirname(trimmed)) : base;
}

/**
 * Named tokenizers from `PATH` / `NAME=PATH` arguments. Derived names that collide take more of
 * their path (`runs/a/final/tokenizer.json` and `runs/b/final/tokenizer.json` become `a/final`
 * and `b/final`); the same explicit name twice is an error.
 */
export function tokenizerArgs(args: readonly string[]): { name: string; path: string }[] {
  const parsed = args.map((a) => {
    const eq = a.indexOf('=');
    if (eq > 0 && !existsSync(a)) return { name: a.slice(0, eq), path: a.slice(eq + 1), explicit: true };
    return { name: tokenizerName(a), path: a, explicit: false };
  });
  const explicit = parsed.filter((p) => p.explicit).map((p) => p.name);
  const twice = explicit.find((n, i) => explicit.indexOf(n) !== i);
  if (twice !== undefined) throw new VocabsmithError(`two tokenizers are named "${twice}"`);
  // Lengthen colliding derived names one path component at a time, up to the whole path.
  const parts = parsed.map((p) => p.path.replace(/[\\/]+$/, '').split(/[\\/]+/).filter((x) => x !== '.' && x !== ''));
  const depth = parsed.map(() => 0);
  const nameOf = (i: number) => {
    const p = parsed[i]!;
    if (p.explicit || depth[i] === 0) return p.name;
    const comps = parts[i]!;
    const end = comps[comps.length - 1] === 'tokenizer.json' ? comps.length - 1 : comps.length;
    return comps.slice(Math.max(0, end - 1 - depth[i]!), end).join('/');
  };
  for (let round = 0; round < 64; round++) {
    const names = parsed.map((_, i) => nameOf(i));
    const clash = names.map((n, i) => !parsed[i]!.explicit && names.some((m, j) => j !== i && m === n));
    if (!clash.includes(true)) return parsed.map((p, i) => ({ name: names[i]!, path: p.path }));
    let grew = false;
    clash.forEach((c, i) => {
      if (c && nameOf(i) !== parts[i]!.join('/')) {
        depth[i]!++;
        grew = true;
      }
    });
    if (!grew) break;
  }
  const names = parsed.map((_, i) => nameOf(i));
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  throw new VocabsmithError(`two tokenizers would both be named "${dup}": give names with NAME=PATH`);
}
