import { Command } from 'commander';
import { isUtf8 } from 'node:buffer';
import { VocabsmithError } from '../errors.js';
import { loadTokenizer } from '../load.js';
import { loadBar, withBars } from './progress.js';
import { fstatSync, ftruncateSync, readSync, type Stats } from 'node:fs';

export function encodeCommand(): Command {
  return new Command('encode')
    .description('Read UTF-8 text on stdin, print its token ids as one JSON array.')
    .requiredOption('-t, --tokenizer <file>', 'tokenizer.json or tiktoken rank file')
    .option('--encoding <name>', 'tiktoken encoding of a rank file (o200k_base, cl100k_base, ...)')
    .option('--add-special-tokens', "add the post-processor's special tokens (e.g. BOS)", false)
    .addHelpText('after', '\nExample:\n  echo "Hello world" | vocabsmith encode --tokenizer tokenizer.json')
    .action((opts: { tokenizer: string; encoding?: string; addSpecialTokens: boolean }) => {
      const tok = withBars((bars) => loadTokenizer(opts.tokenizer, opts.encoding, loadBar(bars)));
      const input = fstatSync(0);
      // A file on stdin is checked whole before anything is printed: invalid UTF-8 anywhere in it
      // is an error with no output at all. A pipe cannot be read twice: see undoOutput.
      if (input.isFile()) for (const _ of validUtf8(stdinChunks(0))) void _;
      const output = fstatSync(1);
      let started = false;
      try {
        // stdin in chunks, encoded part by part (Tokenizer.encodeStream): memory stays near one
        // chunk wherever the text has cut points, and near the text's size where it has none.
        const chunks = validUtf8(stdinChunks(input.isFile() ? 0 : null));
        for (const ids of tok.encodeStream(chunks, { addSpecialTokens: opts.addSpecialTokens, sizeHint: input.isFile() ? input.size : undefined, maxIds: 1 << 16 })) {
          // One slice at a time: one joined string of many ids would be several times their size.
          process.stdout.write((started ? ',' : '[') + ids.join(','));
          started = true;
        }
      } catch (e) {
        if (started) undoOutput(output);
        throw e;
      }
      process.stdout.write(started ? ']\n' : '[]\n');
    });
}

/**
 * After a failure mid-stream (invalid UTF-8 further down a pipe): a file on stdout is cut back to
 * its size before the run, so it holds no partial array. On a pipe or terminal what was printed
 * stays: an array with no closing bracket (not valid JSON) and the exit status is not 0.
 */
function undoOutput(before: Stats): void {
  if (!before.isFile()) return;
  try {
    ftruncateSync(1, before.size);
  } catch {
    // A file that cannot be truncated keeps the unclosed array: still not valid JSON.
  }
}

/**
 * Chunks of stdin as they are read, each valid until the next is read. `from`: a byte position to read a file
 * from (so that it can be read twice), null to read on from where stdin stands (a pipe).
 */
function* stdinChunks(from: number | null, size = 1 << 20): Generator<Buffer> {
  let at = from;
  // One buffer, read into again for each chunk: the core copies a chunk when it is pushed, and
  // 1 MB buffers left for the garbage collector added up to the input's size in memory.
  const buf = Buffer.allocUnsafe(size);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, size, at);
      if (at !== null) at += n;
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
