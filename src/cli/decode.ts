import { Command } from 'commander';
import { VocabsmithError } from '../errors.js';
import { loadTokenizer } from '../load.js';
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

export function decodeCommand(): Command {
  return new Command('decode')
    .description('Read a JSON array of token ids on stdin, print the text.')
    .requiredOption('-t, --tokenizer <file>', 'tokenizer.json or tiktoken rank file')
    .option('--encoding <name>', 'tiktoken encoding of a rank file (o200k_base, cl100k_base, ...)')
    .option('--skip-special-tokens', 'leave special tokens out of the text', false)
    .addHelpText('after', '\nExample:\n  echo "[9906,1917]" | vocabsmith decode --tokenizer tokenizer.json')
    .action((opts: { tokenizer: string; encoding?: string; skipSpecialTokens: boolean }) => {
      const tok = loadTokenizer(opts.tokenizer, opts.encoding);
      const ids = parseIds(readStdin().toString('utf8'), 'stdin');
      // Read once: the getter is a call into the core, and asked per id it took 45 s for 5M ids.
      const size = tok.vocabSize;
      const past = ids.find((id) => id >= size);
      if (past !== undefined) throw new VocabsmithError(`id ${past} is past the vocabulary (${size} ids)`, 'stdin');
      process.stdout.write(tok.decode(ids, { skipSpecialTokens: opts.skipSpecialTokens }));
    });
}
