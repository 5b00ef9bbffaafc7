import { Command, Option } from 'commander';
import { countInputs, limitWarning } from '../train/count.js';
import { mergeCountFiles } from '../train/countmerge.js';
import { serveCounts } from '../train/count-serve.js';
import { trainPatterns } from '../train/train.js';
import { checkCliCombinations, checkPatternOptions } from '../train/options.js';
import { describeSkipped, type SkippedFile } from '../corpus.js';
import { VocabsmithError } from '../errors.js';
import { Bars } from './progress.js';
import { refuseInputs } from '../output.js';

/** `vocabsmith count`: count one shard of a corpus (or merge count files) into a count file. */
export function countCommand(): Command {
  return new Command('count')
    .description('Count pretokens of a corpus shard into a count file; count files merge, and `train --from-counts` trains on them.')
    .option('-c, --corpus <spec...>', 'files, directories, globs, .jsonl, .gz, udhr:CODES')
    .option('--exclude <glob...>', 'file names to leave out of directories and globs, e.g. "README*" (listed on stderr)')
    .option('--merge <file...>', 'count files to merge into the output (with or without --corpus); streamed, memory does not grow with their size')
    .option('--min-count <n>', 'drop words counted fewer than n times in the output (prune only the final merge: not associative)', (v: string) => Number(v), 1)
    .option('-p, --pattern <name>', 'named pretokenizer (default o200k; with --superbpe: its stage-1 pattern)')
    .option('--regex <regex>', 'a raw pretokenizer regex instead of a named --pattern')
    .option('--superbpe', 'count for SuperBPE: both stage patterns in one pass', false)
    .option('--paper', 'SuperBPE paper-era patterns', false)
    .option('--jsonl-field <name>', 'field of .jsonl records', 'text')
    .addOption(new Option('--on-invalid-utf8 <mode>', 'invalid UTF-8 lines').choices(['fail', 'skip']).default('fail'))
    .option('-j, --workers <n>', 'counting threads (0: count on the main thread)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got "${v}"`);
      return n;
    })
    .option('-o, --out <file>', 'count file to write')
    .option('--serve', 'count blocks sent on stdin, one count file each, until stdin ends (for engines: dist-engines/ray)', false)
    .addHelpText('after', '\nExamples:\n  vocabsmith count --corpus shard1/ --out shard1.counts\n  vocabsmith count --merge shard1.counts shard2.counts --out all.counts\n  vocabsmith count --merge part*.counts --min-count 2 --out all.counts')
    .action(async (o, cmd: Command) => {
      checkCliCombinations(o, (flag) => cmd.getOptionValueSource(flag) === 'cli', false);
      checkPatternOptions(o);
      const patterns = trainPatterns({ pattern: o.pattern, regex: o.regex, superbpe: o.superbpe ? { transition: 0, paper: o.paper } : undefined });
      if (o.serve) {
        if (o.corpus || o.merge || o.out) throw new Error('--serve takes its inputs and outputs from stdin, not --corpus/--merge/--out');
        await serveCounts(process.stdin, (line) => process.stdout.write(`${line}\n`), { patterns, onInvalidUtf8: o.onInvalidUtf8, minCount: o.minCount });
        return;
      }
      if (!o.corpus && !o.merge) throw new Error('give --corpus and/or --merge');
      if (!o.out) throw new Error("required option '-o, --out <file>' not specified");
      refuseInputs([o.out], [...(o.corpus ?? []), ...(o.merge ?? [])]);
      const bars = new Bars();
      try {
        const set = o.corpus
          ? await countInputs(o.corpus, {
              patterns,
              workers: o.workers,
              jsonlField: o.jsonlField,
              exclude: o.exclude,
              onInvalidUtf8: o.onInvalidUtf8,
              onProgress: (p) => bars.update('counting', Math.round(p.done / 1e3), Math.round(p.total / 1e3), 'kB'),
            })
          : undefined;
        bars.stop();
        const skipped = set && 'skipped' in set ? describeSkipped(set.skipped as SkippedFile[]) : '';
        if (skipped) process.stderr.write(`${skipped}\n`);
        // An empty count trains nothing: say so now, not at training time.
        if (!o.merge && (!set || set.sequences === 0)) throw new VocabsmithError(`counted 0 sequences: the corpus is empty (${(o.corpus ?? []).join(', ')})`);
        const r = mergeCountFiles(o.merge ?? [], o.out, { minCount: o.minCount, extra: set, extraName: 'the counted corpus' });
        const words = r.patterns.map((p, i) => `${p}: ${r.words[i]} words${r.pruned[i] ? `, ${r.pruned[i]} pruned` : ''}`).join(', ');
        process.stderr.write(`counted ${r.sequences} sequences (${words})\n`);
        if (r.minCount > o.minCount) {
          process.stderr.write(`note: some inputs were pruned (min count ${r.minCount}): words rare in them are missing, merged counts are lower bounds\n`);
        }
        const warn = limitWarning(set?.limitHits ?? 0);
        if (warn) process.stderr.write(`vocabsmith: ${warn}\n`);
        process.stdout.write(`${o.out}\n`);
      } finally {
        bars.stop();
      }
    });
}
