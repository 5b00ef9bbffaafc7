import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { about } from './errors.js';

/** Writes a file atomically: a temporary file beside it, then rename, so no partial output survives. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  about(path, () => {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    try {
      writeFileSync(tmp, data);
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  });
}
