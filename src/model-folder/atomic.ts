// The one way a model folder is written (trim and remap alike): everything goes into a sibling
// temporary folder, renamed onto the output only when complete, so a failed or interrupted run
// leaves no partial model behind. One rule for an existing output: it may exist only as an empty
// folder (rename(2) replaces an empty directory atomically); anything else is refused, and so is
// an output that is one of the inputs.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { VocabsmithError } from '../errors.js';
import { canonical as real, inside, refuseInputs, release, temporary } from '../output.js';

/** Refuses an output that exists with content, or that is (or contains) one of the inputs. */
export function checkOutput(out: string, inputs: readonly (string | undefined)[]): void {
  const o = real(out);
  if (existsSync(o) && (!statSync(o).isDirectory() || readdirSync(o).length > 0)) {
    throw new VocabsmithError('the output folder already exists and is not empty (give a new folder, or an empty one)', out);
  }
  // Paths, symlinks and hard links that lead to an input (src/output.ts, shared by every command).
  refuseInputs([out], inputs);
  // refuseInputs looks only at inputs that exist; an input path inside a new output folder (through
  // `..`) names a file that does not exist yet, and is refused here.
  for (const input of inputs) {
    if (input === undefined) continue;
    const i = real(input);
    if (i === o || inside(i, o)) throw new VocabsmithError(`the output would overwrite the input ${input}`, out);
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
