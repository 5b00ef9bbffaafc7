import { writeOutputs } from './output.js';

/**
 * Writes one file atomically (temporary, then rename), refusing to overwrite any of `inputs`.
 * Several files that belong together go through `writeOutputs` (src/output.ts) as one transaction.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, inputs: readonly (string | undefined)[] = []): void {
  writeOutputs([{ path, data }], inputs);
}
