/** The one error type vocabsmith throws for bad input: names the file (when there is one) and what is wrong. */
export class VocabsmithError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(file === undefined ? message : `${file}: ${message}`);
    this.name = 'VocabsmithError';
  }
}

/** A panic or trap inside the core, turned into an error (src/wasm.ts); gains the file it was about. */
export class InternalError extends VocabsmithError {}

/** The core's memory is full (32-bit WebAssembly: 4 GiB at most): an allocation failed and it trapped. */
export class OutOfMemoryError extends InternalError {}

/** Runs `fn`, turning any error into a VocabsmithError about `file`. */
export function about<T>(file: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InternalError && e.file === undefined && file !== undefined) throw new (e.constructor as typeof InternalError)(e.message, file);
    if (e instanceof VocabsmithError) throw e;
    throw new VocabsmithError(e instanceof Error ? e.message : String(e), file);
  }
}
