// The one way a model folder is written (trim and remap alike): everything goes into a sibling
// temporary folder, renamed onto the output only when complete, so a failed or interrupted run
// leaves no partial model behind. One rule for an existing output: it may exist only as an empty
// folder (rename(2) replaces an empty directory atomically); anything else is refused, and so is
// an output that is one of the inputs.
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { VocabsmithError } from '../errors.js';
import { refuseInputs, release, temporary } from '../output.js';

/** The real path of `p`, following links of the parts that exist (the output may not exist yet). */
function real(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  return parent === abs ? abs : join(real(parent), basename(abs));
}

/** Refuses an output that exists with content, or that is (or contains) one of the inputs. */
export function checkOutput(out: string, inputs: readonly (string | undefined)[]): void {
  const o = real(out);
  if (existsSync(o) && (!statSync(o).isDirectory() || readdirSync(o).length > 0)) {
    throw new VocabsmithError('the output folder already exists and is not empty (give a new folder, or an empty one)', out);
  }
  // Paths, symlinks and hard links that lead to an input (src/output.ts, shared by every command).
  refuseInputs([out], inputs);
  // An empty output folder that holds an input (a tokenizer.json given by a path inside it) cannot exist;
  // an input inside a new output folder can (a path with `..` through it): refused too.
  for (const input of inputs) {
    if (input === undefined) continue;
    const i = real(input);
    if (i === o || i.startsWith(`${o}/`)) throw new VocabsmithError(`the output would overwrite the input ${input}`, out);
  }
}

/**
 * Runs `fill(tmp)` on a fresh temporary folder beside `out`, then renames it to `out`. On any
 * error the temporary folder is removed and the error rethrown; `out` is never half-written.
 */
export function writeFolder<T>(out: string, inputs: readonly (string | undefined)[], fill: (tmp: string) => T): T {
  checkOutput(out, inputs);
  const o = real(out);
  // Registered temporary: removed on SIGINT/SIGTERM, swept by a later run after a SIGKILL.
  const tmp = temporary(o);
  mkdirSync(tmp);
  try {
    const r = fill(tmp);
    // Checked again: another process may have written `out` meanwhile.
    checkOutput(out, inputs);
    renameSync(tmp, o);
    release(tmp, false);
    return r;
  } finally {
    release(tmp);
  }
}
