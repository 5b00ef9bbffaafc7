// node-llama-cpp is an optional peer dependency: the library works without it, and only the model
// commands load it, here, with a dynamic import (so importing vocabsmith never needs it).
import { VocabsmithError } from '../errors.js';

export const RUNTIME_PACKAGE = 'node-llama-cpp';
export const RUNTIME_VERSION = '3.21.1';
export const RUNTIME_INSTALL = `npm i -E ${RUNTIME_PACKAGE}@${RUNTIME_VERSION}`;

type Runtime = typeof import('node-llama-cpp');
let loaded: Promise<Runtime> | undefined;

/** The node-llama-cpp module, or one VocabsmithError saying how to install it. */
export function loadRuntime(): Promise<Runtime> {
  loaded ??= import(RUNTIME_PACKAGE).catch((e: unknown) => {
    loaded = undefined;
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new VocabsmithError(`the model runtime ${RUNTIME_PACKAGE} is not installed; install it with: ${RUNTIME_INSTALL}`);
    }
    throw new VocabsmithError(`the model runtime ${RUNTIME_PACKAGE} failed to load: ${e instanceof Error ? e.message : String(e)}`);
  }) as Promise<Runtime>;
  return loaded;
}
