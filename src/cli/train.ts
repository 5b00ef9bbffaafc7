import { Command, Option } from 'commander';
import { train, trainInputPaths, trainOutputs, type TrainOptions, type TrainProgress } from '../train/train.js';
import { checkCliCombinations, checkTrainOptions } from '../train/options.js';
import { describeSkipped } from '../corpus.js';
import { refuseInputs } from '../output.js';
import { limitWarning } from '../train/count.js';
import { Bars } from './progress.js';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got "${v}"`);
  return n;
};

const PHASES: Record<string, string> = {
  count: 'counting',
  Alphabet: 'alphabet',
  CountPairs: 'pair counts',
  Replay: 'replay stage 1',
  Merge: 'merges',
};

export function trainCommand(): Command {
  return new Command('train')
    .description('Train a byte-level BPE or SuperBPE tokenizer; writes HF tokenizer.json and tokenizer_config.json.')
    .option('-c, --corpus <spec...>', 'files, directories, globs, .jsonl, .gz, udhr:CODES (each line with its ending is one sequence)')
    .option('--exclude <glob...>', 'file names to leave out of directories and globs, e.g. "README*" "LICENSE*" (listed on stderr)')
    .option('--from-counts <file...>', 'train from count files made by `vocabsmith count` (merged)')
    .requiredOption('-v, --vocab-size <n>', 'final vocabulary size, special tokens and alphabet included', int)
    .option('--superbpe', 'SuperBPE: two-stage curriculum, superwords that cross whitespace in stage 2', false)
    .option('--transition <t>', 'SuperBPE transition point t as a vocabulary size (specials + alphabet + merges of stage 1)', int)
    .option('--transition-merges <n>', 'SuperBPE: stage 2 inherits exactly n stage-1 merges', int)
    .option('--num-inherit-merges <T>', 'SuperBPE, the official scripts\' num_inherit_merges: `head -n T merges.txt` (line 1 is #version), so T-1 merges', int)
    .option('--paper', 'SuperBPE paper-era patterns instead of the current official ones', false)
    .option('--max-words <n>', 'SuperBPE: most space-separated words per token (0: no limit)', int, 4)
    .option('--allow-colon-space', 'SuperBPE: allow tokens that span ": "', false)
    .option('--min-frequency <f>', 'stop when the best pair is rarer than this', int, 0)
    .option('--special <token...>', 'special tokens, ids 0..k-1 in this order', [])
    .option('--bos <token>', 'beginning-of-sequence token (tokenizer_config bos_token; added before each sequence by the post-processor)')
    .option('--eos <token>', 'end-of-sequence token (tokenizer_config eos_token: where generation stops)')
    .option('--pad <token>', 'padding token (tokenizer_config pad_token)')
    .option('--unk <token>', 'unknown token (tokenizer_config unk_token)')
    .option('--model-max-length <n>', 'model_max_length in tokenizer_config.json', int)
    .option('--initial-alphabet <bytes|seen|chars>', 'chars always in the alphabet: bytes (all 256, every input encodes), seen (only the corpus\'s, as HF BpeTrainer() and official SuperBPE), or the chars given', 'bytes')
    .option('--limit-alphabet <n>', 'keep only the n most frequent initial characters', int)
    .option('--max-token-length <n>', 'longest token in characters', int)
    .option('-p, --pattern <name>', 'named pretokenizer: gpt2, llama3, qwen2, cl100k, o200k (default o200k; SuperBPE: its stage-1 pattern)')
    .option('--regex <regex>', 'a raw pretokenizer regex instead of a named --pattern')
    .option('--jsonl-field <name>', 'field of .jsonl records to train on', 'text')
    .addOption(new Option('--on-invalid-utf8 <mode>', 'invalid UTF-8 lines').choices(['fail', 'skip']).default('fail'))
    .option('-j, --workers <n>', 'counting threads (0: count on the main thread)', int)
    .requiredOption('-o, --out <file>', 'tokenizer.json to write (tokenizer_config.json goes beside it)')
    .addHelpText(
      'after',
      '\nSpecial tokens: --special sets their ids; --bos/--eos/--pad/--unk set their roles for transformers\n' +
        '(a role token not in --special is added after them). Without them tokenizer_config.json names no roles.\n' +
        '\nExamples:\n  vocabsmith train --corpus corpora/en --vocab-size 8000 --out bpe/tokenizer.json\n' +
        '  vocabsmith train --corpus "data/*.txt.gz" --vocab-size 50000 --superbpe --transition 40000 --out superbpe/tokenizer.json\n' +
        '  vocabsmith train --corpus data/ --vocab-size 32000 --special "<|endoftext|>" "<|pad|>" --eos "<|endoftext|>" --pad "<|pad|>" --out tok/tokenizer.json\n' +
        '  vocabsmith train --from-counts a.counts b.counts --vocab-size 32000 --out tok/tokenizer.json\n' +
        '  # the official SuperBPE scripts (num_inherit_merges=6000), reproduced exactly:\n' +
        '  vocabsmith train --corpus all.txt --superbpe --vocab-size 8000 --num-inherit-merges 6000 --initial-alphabet seen --out sb/tokenizer.json',
    )
    .action(async (o, cmd: Command) => {
      checkCliCombinations(o, (flag) => cmd.getOptionValueSource(flag) === 'cli', true);
      const options: TrainOptions = {
        corpus: o.corpus,
        fromCounts: o.fromCounts,
        exclude: o.exclude,
        vocabSize: o.vocabSize,
        minFrequency: o.minFrequency,
        specialTokens: o.special,
        bos: o.bos,
        eos: o.eos,
        pad: o.pad,
        unk: o.unk,
        modelMaxLength: o.modelMaxLength,
        initialAlphabet: o.initialAlphabet,
        limitAlphabet: o.limitAlphabet,
        maxTokenLength: o.maxTokenLength,
        pattern: o.pattern,
        regex: o.regex,
        workers: o.workers,
        jsonlField: o.jsonlField,
        onInvalidUtf8: o.onInvalidUtf8,
        superbpe: o.superbpe
          ? {
              transition: o.transitionMerges ?? o.transition,
              transitionIsMergeCount: o.transitionMerges !== undefined,
              numInheritMerges: o.numInheritMerges,
              paper: o.paper,
              maxWords: o.maxWords === 0 ? null : o.maxWords,
              forbidColonSpace: !o.allowColonSpace,
            }
          : undefined,
      };
      checkTrainOptions(options);
      refuseInputs(trainOutputs(o.out), trainInputPaths(options)); // before hours of training, not after
      const bars = new Bars();
      const started = performance.now();
      try {
        const result = await train({
          ...options,
          onProgress: (p: TrainProgress) => {
            const name = `${p.stage ? `stage ${p.stage} ` : ''}${PHASES[p.phase] ?? p.phase}`;
            if (p.phase === 'count') bars.update(name, Math.round(p.done / 1e3), Math.round(p.total / 1e3), 'kB');
            else bars.update(name, p.done, p.total);
          },
        });
        bars.stop();
        const skipped = describeSkipped(result.counted.skipped);
        if (skipped) process.stderr.write(`${skipped}\n`);
        const file = result.save(o.out);
        const secs = ((performance.now() - started) / 1000).toFixed(1);
        process.stderr.write(
          `trained ${result.vocabSize} tokens (${result.merges} merges) from ${result.counted.sequences} sequences in ${secs} s\n`,
        );
        const warn = limitWarning(result.counted.limitHits);
        if (warn) process.stderr.write(`vocabsmith: ${warn}\n`);
        process.stdout.write(`${file}\n`);
      } finally {
        bars.stop();
      }
    });
}
