import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VocabsmithError } from './errors.js';
import { writeOutputs } from './output.js';

/**
 * Writes one file atomically (temporary, then rename), refusing to overwrite any of `inputs`.
 * Several files that belong together go through `writeOutputs` (src/output.ts) as one transaction.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, inputs: readonly (string | undefined)[] = []): void {
  writeOutputs([{ path, data }], inputs);
}

// `owner/name` with no file extension: how Hugging Face hub ids look.
const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/**
 * The tokenizer file a path names: the path itself, or `tokenizer.json` inside a model or tokenizer
 * folder (as transformers' `AutoTokenizer` takes a folder). A missing path that looks like a hub id
 * gets a message saying so: vocabsmith never downloads models.
 */
export function tokenizerFile(path: string): string {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    if (HUB_ID.test(path) && !/\.(json|tiktoken|model)$/i.test(path)) {
      throw new VocabsmithError(
        `no such file or folder; if this is a Hugging Face hub id, download it first (e.g. \`hf download ${path} --local-dir ${path.split('/')[1]}\`) and give the folder: vocabsmith never fetches models`,
        path,
      );
    }
    throw new VocabsmithError(e instanceof Error ? e.message : String(e), path);
  }
  if (!st.isDirectory()) return path;
  const inside = join(path, 'tokenizer.json');
  if (existsSync(inside)) return inside;
  const tiktoken = readdirSync(path).filter((f) => f.endsWith('.tiktoken'));
  if (tiktoken.length === 1) return join(path, tiktoken[0]!);
  throw new VocabsmithError('a folder without tokenizer.json (give the tokenizer.json or tiktoken file, or the folder that holds it)', path);
}
