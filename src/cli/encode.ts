import { Command } from 'commander';
import { isUtf8 } from 'node:buffer';
import { VocabsmithError } from '../errors.js';
import { loadTokenizer } from '../load.js';
import { readSync } from 'node:fs';

export function encodeCommand(): Command {
  return new Command('encode')
    .description('Read UTF-8 text on stdin, print its token ids as one JSON array.')
    .requiredOption('-t, --tokenizer <file>', 'tokenizer.json or tiktoken rank file')
    .option('--encoding <name>', 'tiktoken encoding of a rank file (o200k_base, cl100k_base, ...)')
    .option('--add-special-tokens', "add the post-processor's special tokens (e.g. BOS)", false)
    .addHelpText('after', '\nExample:\n  echo "Hello world" | vocabsmith encode --tokenizer tokenizer.json')
    .action((opts: { tokenizer: string; encoding?: string; addSpecialTokens: boolean }) => {
      const tok = loadTokenizer(opts.tokenizer, opts.encoding);
      let started = false;
      // stdin in chunks, encoded part by part (Tokenizer.encodeStream): memory stays near one
      // chunk whatever the input's size, wherever the text has cut points.
      for (const ids of tok.encodeStream(validUtf8(stdinChunks()), { addSpecialTokens: opts.addSpecialTokens })) {
        // In slices: one joined string of many ids would be several times their size.
        const SLICE = 1 << 16;
        for (let i = 0; i < ids.length; i += SLICE) {
          process.stdout.write((started ? ',' : '[') + ids.subarray(i, i + SLICE).join(','));
          started = true;
        }
      }
      process.stdout.write(started ? ']\n' : '[]\n');
    });
}

/** Chunks of stdin as they are read (a fresh buffer each: the encoder may hold them). */
function* stdinChunks(size = 1 << 20): Generator<Buffer> {
  for (;;) {
    const buf = Buffer.allocUnsafe(size);
    let n: number;
    try {
      n = readSync(0, buf, 0, size, null);
    } catch (e) {
      // A non-blocking stdin (a TTY or pipe opened so) reports "try again" when it is empty.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((e as NodeJS.ErrnoException).code === 'EOF') return;
      throw e;
    }
    if (n === 0) return;
    yield buf.subarray(0, n);
  }
}

/**
 * The chunks, each checked to be valid UTF-8 up to its last complete char (the rest carried on):
 * encoding would read invalid bytes as U+FFFD, ids of a text that is not the input.
 */
function* validUtf8(chunks: Iterable<Buffer>): Generator<Buffer> {
  let carry = Buffer.alloc(0);
  for (const chunk of chunks) {
    const all = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let end = all.length;
    // Hold back an incomplete char at the end (at most 3 bytes) to check it with what follows.
    let k = end - 1;
    while (k >= 0 && k > end - 4 && (all[k]! & 0xc0) === 0x80) k--;
    if (k >= 0 && all[k]! >= 0xc0 && end - k < (all[k]! >= 0xf0 ? 4 : all[k]! >= 0xe0 ? 3 : 2)) end = k;
    if (!isUtf8(all.subarray(0, end))) throw new VocabsmithError('not valid UTF-8 text', 'stdin');
    carry = Buffer.from(all.subarray(end));
    yield all.subarray(0, end);
  }
  if (carry.length) throw new VocabsmithError('not valid UTF-8 text (ends inside a character)', 'stdin');
}
