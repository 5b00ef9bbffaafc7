// The files of a model folder that are neither weights nor rewritten: copied as they are.
import { copyFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OTHER_WEIGHTS } from './safetensors.js';

/** Copies every plain file of `from` into `to` except those `skip` names; returns the names copied. */
export function copyOtherFiles(from: string, to: string, skip: (name: string) => boolean): string[] {
  const copied: string[] = [];
  for (const name of readdirSync(from).sort()) {
    const src = join(from, name);
    // Weights in formats that are not rewritten would be stale beside the new ones: never copied.
    if (skip(name) || OTHER_WEIGHTS.test(name) || !statSync(src).isFile()) continue;
    copyFileSync(src, join(to, name));
    copied.push(name);
  }
  return copied;
}
