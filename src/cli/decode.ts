import { Command } from 'commander';
import { VocabsmithError } from '../errors.js';
import { loadTokenizer } from '../load.js';
import { loadBar, withBars } from './progress.js';
import { readStdin } from './io.js';

/** Parses a JSON array of non-negative integer ids, naming `source` on failure. */
export function parseIds(text: string, source: string): number[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new VocabsmithError(`malformed JSON (${e instanceof Error ? e.message : String(e)})`, source);
  }
  if (!Array.isArray(value) || !value.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)) {
    throw new VocabsmithError('expected a JSON array of token ids (non-negative integers)', source);
  }
  return value as number[];
}

const isSpace = (c: number | undefined) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * The ids of `bytes` when they are a JSON array of plain decimal integers below 2^32, scanned
 * straight into a Uint32Array (a JSON string and a JS array of 5M ids took 70 MB besides the
 * input); undefined for anything else, which `parseIds` then reads (and names what is wrong).
 */
export function scanIds(bytes: Uint8Array): Uint32Array | undefined {
  const len = bytes.length;
  // As many slots as commas + 1: one exact allocation, no growing copies.
  let commas = 0;
  for (let k = 0; k < len; k++) if (bytes[k] === 0x2c) commas++;
  const out = new Uint32Array(commas + 1);
  let n = 0;
  let i = 0;
  while (isSpace(bytes[i])) i++;
  if (bytes[i++] !== 0x5b) return undefined;
  while (isSpace(bytes[i])) i++;
  if (bytes[i] === 0x5d) i++;
  else
    for (;;) {
      const start = i;
      let v = 0;
      while (i < len && bytes[i]! >= 0x30 && bytes[i]! <= 0x39) v = v * 10 + (bytes[i++]! - 0x30);
      const digits = i - start;
      if (digits === 0 || digits > 10 || v >= 2 ** 32 || (digits > 1 && bytes[start] === 0x30)) return undefined;
      out[n++] = v;
      while (isSpace(bytes[i])) i++;
      if (bytes[i] === 0x2c) {
        i++;
        while (isSpace(bytes[i])) i++;
        continue;
      }
      if (bytes[i++] === 0x5d) break;
      return undefined;
    }
  while (isSpace(bytes[i])) i++;
  return i === len ? out.subarray(0, n) : undefined;
}

export function decodeCommand(): Command {
  return new Command('decode')
    .description('Read a JSON array of token ids on stdin, print the text.')
    .requiredOption('-t, --tokenizer <file>', 'tokenizer.json or tiktoken rank file')
    .option('--encoding <name>', 'tiktoken encoding of a rank file (o200k_base, cl100k_base, ...)')
    .option('--skip-special-tokens', 'leave special tokens out of the text', false)
    .addHelpText('after', '\nExample:\n  echo "[9906,1917]" | vocabsmith decode --tokenizer tokenizer.json')
    .action((opts: { tokenizer: string; encoding?: string; skipSpecialTokens: boolean }) => {
      const tok = withBars((bars) => loadTokenizer(opts.tokenizer, opts.encoding, loadBar(bars)));
      const input = readStdin();
      const ids = scanIds(input) ?? Uint32Array.from(parseIds(input.toString('utf8'), 'stdin'));
      // Read once: the getter is a call into the core, and asked per id it took 45 s for 5M ids.
      const size = tok.vocabSize;
      const past = ids.find((id) => id >= size);
      if (past !== undefined) throw new VocabsmithError(`id ${past} is past the vocabulary (${size} ids)`, 'stdin');
      process.stdout.write(tok.decode(ids, { skipSpecialTokens: opts.skipSpecialTokens }));
    });
}
