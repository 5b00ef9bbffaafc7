// The tokenizer of a GGUF, as tokenizer.json text, for trimming and remapping it: read from the
// GGUF's own metadata (the core's conversion, src/lm/gguf-tokenizer.ts), or given as a file, which
// is checked token by token against the GGUF's vocabulary (a mismatch is an error, never silent).
import { readFileSync } from 'node:fs';
import { about, VocabsmithError } from './errors.js';
import type { GgufHeader } from './formats/gguf.js';
import { ggufTokenizerJson } from './lm/gguf-tokenizer.js';
import { Tokenizer } from './tokenizer.js';

export function ggufSourceTokenizer(path: string, header: GgufHeader, tokenizerPath: string | undefined): { json: string; label: string } {
  const tokens = header.metadata.get('tokenizer.ggml.tokens')?.value;
  if (!Array.isArray(tokens) || typeof tokens[0] !== 'string') throw new VocabsmithError('no tokenizer.ggml.tokens in the metadata', path);
  if (tokenizerPath === undefined) return { json: ggufTokenizerJson(path), label: path };
  const json = about(tokenizerPath, () => readFileSync(tokenizerPath, 'utf8'));
  const tok = Tokenizer.fromJSON(json, tokenizerPath);
  try {
    for (let i = 0; i < tokens.length; i++) {
      const t = tok.idToToken(i);
      if (t !== tokens[i]) {
        throw new VocabsmithError(`token ${i} is ${JSON.stringify(t)} here but ${JSON.stringify(tokens[i])} in ${path}: not this GGUF's tokenizer`, tokenizerPath);
      }
    }
  } finally {
    tok.free();
  }
  return { json, label: tokenizerPath };
}
