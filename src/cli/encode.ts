import { Command } from 'commander';
import { isUtf8 } from 'node:buffer';
import { VocabsmithError } from '../errors.js';
import { loadTokenizer } from '../load.js';
import { readStdin } from './io.js';

export function encodeCommand(): Command {
  return new Command('encode')
    .description('Read UTF-8 text on stdin, print its token ids as one JSON array.')
    .requiredOption('-t, --tokenizer <file>', 'tokenizer.json or tiktoken rank file')
    .option('--encoding <name>', 'tiktoken encoding of a rank file (o200k_base, cl100k_base, ...)')
    .option('--add-special-tokens', "add the post-processor's special tokens (e.g. BOS)", false)
    .addHelpText('after', '\nExample:\n  echo "Hello world" | vocabsmith encode --tokenizer tokenizer.json')
    .action((opts: { tokenizer: string; encoding?: string; addSpecialTokens: boolean }) => {
      const tok = loadTokenizer(opts.tokenizer, opts.encoding);
      const text = readStdin();
      // Encoding would read invalid bytes as U+FFFD: ids of a text that is not the input.
      if (!isUtf8(text)) throw new VocabsmithError('not valid UTF-8 text', 'stdin');
      const ids = tok.encode(text, { addSpecialTokens: opts.addSpecialTokens });
      // In slices: one joined string of a 100 MB input's ids would be several times its size.
      const SLICE = 1 << 16;
      process.stdout.write('[');
      for (let i = 0; i < ids.length; i += SLICE) process.stdout.write((i > 0 ? ',' : '') + ids.subarray(i, i + SLICE).join(','));
      process.stdout.write(']\n');
    });
}
