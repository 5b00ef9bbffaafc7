/**
 * Everything a GGUF gives: the model (llama.cpp), its tokenizer read from the GGUF metadata (no
 * tokenizer.json needed), checked against the runtime's own tokenization, and the byte-level view.
 */
import { ByteLM } from '../byteprob.js';
import { Tokenizer } from '../tokenizer.js';
import { ggufTokenizerJson } from './gguf-tokenizer.js';
import { llamaCpp, type LlamaCppModel, type LlamaCppOptions } from './llama-cpp.js';
import { checkTokenizer } from './tokenizer-check.js';

export interface GgufOptions extends LlamaCppOptions {
  /** Check vocabsmith's encoding against the runtime's at load (default true). */
  check?: boolean;
}

export interface LoadedGguf {
  model: LlamaCppModel;
  tokenizer: Tokenizer;
  byteLM: ByteLM;
  /** The tokenizer.json document read from the GGUF. */
  json: string;
  /** Texts the load check compared (0 when skipped). */
  checked: number;
}

export async function loadGguf(path: string, options: GgufOptions = {}): Promise<LoadedGguf> {
  // The tokenizer first: a file that is no GGUF, or an unsupported tokenizer, fails before the
  // runtime is even loaded.
  const json = ggufTokenizerJson(path);
  const tokenizer = Tokenizer.fromJSON(json, path);
  const model = await llamaCpp(path, options);
  try {
    const checked = options.check === false ? 0 : checkTokenizer(tokenizer, (t) => model.tokenize(t), path);
    return { model, tokenizer, json, byteLM: ByteLM.fromModel(json, model, path), checked };
  } catch (e) {
    await model.dispose();
    throw e;
  }
}
