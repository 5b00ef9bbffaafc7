/**
 * Reference implementations for parity checks:
 *  - native Hugging Face `tokenizers` (Rust) through Python, via
 *    scripts/hf_oracle.py, one subprocess per batch: the ground truth;
 *  - `@huggingface/tokenizers` (pure JS) in-process: a second opinion.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './corpus.js';
import { loadTokenizerJson, type RealTokenizer } from './tokenizers.js';

export const ORACLE_SCRIPT = join(REPO_ROOT, 'scripts', 'hf_oracle.py');

/** `.venv/bin/python` if the project venv exists, else `python3` (override: VOCABSMITH_PYTHON). */
export function pythonPath(): string {
  if (process.env.VOCABSMITH_PYTHON) return process.env.VOCABSMITH_PYTHON;
  const venv = join(REPO_ROOT, '.venv', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}

interface OracleReply {
  version: string;
  ids?: number[][];
  tokens?: string[][];
  texts?: string[];
  replaced?: number[];
  error?: string;
}

function callOracle(req: object): OracleReply {
  const r = spawnSync(pythonPath(), [ORACLE_SCRIPT], {
    input: JSON.stringify(req), // lone surrogates become \udXXX escapes
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, TOKENIZERS_PARALLELISM: 'true' },
  });
  if (r.error) throw new Error(`hf_oracle: cannot run ${pythonPath()}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`hf_oracle exited ${r.status}: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as OracleReply;
  if (out.error) throw new Error(`hf_oracle: ${out.error}`);
  return out;
}

/** Is native HF tokenizers importable? Returns its version or undefined. */
export function hfPythonVersion(): string | undefined {
  const r = spawnSync(pythonPath(), ['-c', 'import tokenizers; print(tokenizers.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Native HF ids for each text (add_special_tokens as given, default false).
 * Lone surrogates are replaced by U+FFFD before the call (Python/Rust strings
 * can't hold them; U+FFFD is what TextEncoder produces).
 */
export function hfPythonEncode(tokenizerPath: string, texts: string[], addSpecialTokens = false): number[][] {
  if (texts.length === 0) return [];
  const out = callOracle({
    tokenizer: tokenizerPath,
    texts: texts.map(toWellFormed),
    add_special_tokens: addSpecialTokens,
  });
  return out.ids!;
}

/** Native HF decode (skip_special_tokens default false, so decode(encode(s)) can round-trip). */
export function hfPythonDecode(tokenizerPath: string, ids: ArrayLike<number>[], skipSpecialTokens = false): string[] {
  if (ids.length === 0) return [];
  return callOracle({
    mode: 'decode',
    tokenizer: tokenizerPath,
    ids: ids.map((a) => Array.from(a)),
    skip_special_tokens: skipSpecialTokens,
  }).texts!;
}

/** Native HF token strings (for messages). */
export function hfPythonTokens(tokenizerPath: string, texts: string[]): string[][] {
  return callOracle({ tokenizer: tokenizerPath, texts: texts.map(toWellFormed), tokens: true }).tokens!;
}

// ---------------------------------------------------------------- JS reference

export interface JsReference {
  encode(text: string, addSpecialTokens?: boolean): number[];
  decode(ids: ArrayLike<number>): string;
  idToToken(id: number): string | undefined;
}

const jsCache = new Map<string, JsReference>();

/** `@huggingface/tokenizers` instance for a real tokenizer (cached). */
export async function hfJs(t: RealTokenizer): Promise<JsReference> {
  const hit = jsCache.get(t.path);
  if (hit) return hit;
  const { Tokenizer } = await import('@huggingface/tokenizers');
  const { json, config } = loadTokenizerJson(t);
  const tok = new Tokenizer(json, config);
  const ref: JsReference = {
    encode: (text, add = false) => tok.encode(text, { add_special_tokens: add }).ids,
    decode: (ids) =>
      ids.length === 0 ? '' : tok.decode(Array.from(ids), { skip_special_tokens: false, clean_up_tokenization_spaces: false }),
    idToToken: (id) => tok.id_to_token(id),
  };
  jsCache.set(t.path, ref);
  return ref;
}

// ---------------------------------------------------------------- strings

export function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/** Lone surrogates -> U+FFFD (String.prototype.toWellFormed, with a fallback). */
export function toWellFormed(s: string): string {
  const f = (s as { toWellFormed?: () => string }).toWellFormed;
  if (typeof f === 'function') return f.call(s);
  return hasLoneSurrogate(s)
    ? s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    : s;
}
