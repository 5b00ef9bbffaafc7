// The tokenizer inside a GGUF, as the tokenizer.json document vocabsmith's loader reads: the
// conversion is the core's (rust/core/src/gguf/tokenizer.rs), so the GGUF trim reuses it.
import { withGgufHeader } from '../formats/gguf.js';
import { Tokenizer } from '../tokenizer.js';

/** The GGUF's tokenizer as a tokenizer.json document; one VocabsmithError naming the file otherwise. */
export function ggufTokenizerJson(path: string): string {
  return withGgufHeader(path, (g) => g.tokenizerJson());
}

/** The GGUF's tokenizer, ready to encode (no tokenizer.json file needed). */
export function tokenizerFromGguf(path: string): Tokenizer {
  return Tokenizer.fromJSON(ggufTokenizerJson(path), path);
}
