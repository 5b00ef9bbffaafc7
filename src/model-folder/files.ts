// The files of a model folder that are neither weights nor rewritten: copied as they are.
import { copyFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Copies every plain file of `from` into `to` except those `skip` names; returns the names copied. */
export function copyOtherFiles(from: string, to: string, skip: (name: string) => boolean): string[] {
  const copied: string[] = [];
  for (const name of readdirSync(from).sort()) {
    const src = join(from, name);
    if (skip(name) || !statSync(src).isFile()) continue;
    copyFileSync(src, join(to, name));
    copied.push(name);
  }
  return copied;
}
