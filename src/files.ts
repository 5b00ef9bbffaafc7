import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { about, VocabsmithError } from './errors.js';

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
