import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { about, VocabsmithError } from './errors.js';
import { tokenizerFile } from './files.js';
import { Tokenizer, type LoadOptions, type TiktokenEncoding } from './tokenizer.js';
import { loadWasm, tiktokenEncodings } from './wasm.js';

/**
 * Loads a tokenizer file of either kind: a Hugging Face `tokenizer.json`, or a tiktoken rank file
 * (recognised by not starting with `{`), whose encoding is `encoding` or read from the file name
 * (`o200k_base.tiktoken`). A folder stands for the `tokenizer.json` inside it. `options.onProgress`
 * sees the load (stages: LoadOptions).
 */
export function loadTokenizer(pathOrFolder: string, encoding?: string, options: LoadOptions = {}): Tokenizer {
  const path = tokenizerFile(pathOrFolder);
  const head = about(path, () => readFileSync(path, { encoding: 'utf8', flag: 'r' }).slice(0, 64));
  if (head.trimStart().startsWith('{')) return Tokenizer.fromFile(path, options);
  loadWasm();
  // The core's one list of encodings (tokenizer::json::TIKTOKEN_ENCODINGS).
  const TIKTOKEN = tiktokenEncodings() as string[];
  const name = encoding ?? TIKTOKEN.find((e) => basename(path).startsWith(e));
  if (name === undefined || !TIKTOKEN.includes(name)) {
    throw new VocabsmithError(
      `not a tokenizer.json, and no known tiktoken encoding given (--encoding ${TIKTOKEN.join('|')})`,
      path,
    );
  }
  return Tokenizer.fromTiktoken(path, name as TiktokenEncoding, options);
}
