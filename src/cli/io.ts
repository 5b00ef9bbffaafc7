import { readFileSync } from 'node:fs';

/** All of stdin as bytes. */
export function readStdin(): Buffer {
  return readFileSync(0);
}
