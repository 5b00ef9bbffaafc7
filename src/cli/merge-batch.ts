import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { mergeBatch, type MergeBoundary } from '../dynamic.js';
import { about, VocabsmithError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { loadTokenizer } from '../load.js';
import { loadBar, withBars } from './progress.js';
import { readStdin } from './io.js';
import { formatSummary, formatTable } from './table.js';

interface Opts {
  tokenizer: string;
  input?: string;
  merges?: string;
  targetReduction?: string;
  relativeTo: 'original' | 'word';
  boundary: MergeBoundary;
  maxLen?: string;
  addSpecialTokens: boolean;
  out?: string;
  json: boolean;
}

const int = (name: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new VocabsmithError(`--${name} must be a non-negative integer, got ${v}`);
  return n;
};

/** Dynamic batch merging of the lines of a file (one text per line; JSONL of strings also works). */
export function mergeBatchCommand(): Command {
  return new Command('merge-batch')
    .description('Merge the most frequent pairs over a batch of texts (dynamic tokenization); print lengths, reductions and the new tokens (a table, or JSON with --json).')
    .requiredOption('-t, --tokenizer <file>', 'tokenizer.json')
    .option('-i, --input <file>', 'texts, one per line, or a JSON array of strings (default: stdin)')
    .option('-m, --merges <n>', 'number of merges')
    .option('--target-reduction <fraction>', 'stop once the length reduction reaches this fraction (0..1)')
    .option('--relative-to <what>', 'original | word (the paper\'s percentage)', 'original')
    .option('-b, --boundary <kind>', 'pretoken | word | sentence', 'pretoken')
    .option('--max-len <n>', 'width of the decomposition matrix (default: the longest)')
    .option('--add-special-tokens', "add the post-processor's special tokens", false)
    .option('-o, --out <file>', 'write the full result (sequences, new tokens, decompositions) as JSON here')
    .option('--json', 'print the summary and new tokens as one JSON line instead of tables', false)
    .addHelpText('after', '\nExamples:\n  vocabsmith merge-batch --tokenizer tokenizer.json --input batch.txt --merges 50\n  vocabsmith merge-batch -t tokenizer.json -i batch.txt --target-reduction 0.4 --relative-to word -o merged.json')
    .action((opts: Opts) => {
      const raw = opts.input === undefined ? readStdin().toString('utf8') : about(opts.input, () => readFileSync(opts.input!, 'utf8'));
      const texts = raw.trimStart().startsWith('[') ? (about(opts.input, () => JSON.parse(raw)) as string[]) : raw.split('\n').filter((l) => l.length > 0);
      if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw new VocabsmithError('input JSON must be an array of strings', opts.input);
      const target = opts.targetReduction === undefined ? undefined : Number(opts.targetReduction);
      const tok = withBars((bars) => loadTokenizer(opts.tokenizer, undefined, loadBar(bars)));
      const b = mergeBatch(tok, texts, {
        merges: int('merges', opts.merges),
        targetReduction: target,
        relativeTo: opts.relativeTo,
        boundary: opts.boundary,
        maxLen: int('max-len', opts.maxLen),
        addSpecialTokens: opts.addSpecialTokens,
      });
      const summary = {
        texts: texts.length,
        merges: b.merges,
        originalLength: b.originalLength,
        mergedLength: b.mergedLength,
        wordLength: b.wordLength,
        reduction: +b.reduction.toFixed(4),
        reductionVsWord: b.reductionVsWord === undefined ? undefined : +b.reductionVsWord.toFixed(4),
        newTokens: b.newTokens.length,
      };
      if (opts.out !== undefined) {
        const full = {
          ...summary,
          base: b.base,
          maxLen: b.maxLen,
          sequences: b.sequences.map((s) => Array.from(s)),
          newTokens: b.newTokens.map((t) => ({ id: t.id, surface: t.surface, decomposition: Array.from(t.decomposition) })),
          decompositions: Array.from(b.decompositions),
          curve: Array.from(b.curve),
        };
        writeFileAtomic(opts.out, JSON.stringify(full), [opts.tokenizer, opts.input]);
      }
      const newTokens = b.newTokens.map((t) => ({ id: t.id, surface: t.surface, parts: Array.from(t.decomposition) }));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...summary, newTokens })}\n`);
        return;
      }
      const pct = (x: number | undefined) => (x === undefined ? undefined : `${(100 * x).toFixed(2)}%`);
      process.stdout.write(
        formatSummary([
          ['texts', summary.texts],
          ['merges', summary.merges],
          ['tokens before / after', `${summary.originalLength.toLocaleString('en-US')} / ${summary.mergedLength.toLocaleString('en-US')}`],
          ['word-level length', summary.wordLength],
          ['reduction', pct(summary.reduction)],
          ['reduction vs word level', pct(summary.reductionVsWord)],
        ]) + '\n',
      );
      process.stdout.write(
        newTokens.length === 0
          ? 'no new tokens\n'
          : formatTable(newTokens.map((t) => ({ id: String(t.id), 'new token': JSON.stringify(t.surface), 'from ids': t.parts.join(' ') }))),
      );
    });
}
