import { Command } from 'commander';
import { VocabsmithError } from '../errors.js';
import { accumulate, floatDtype } from '../formats/dtype.js';
import { readSafetensorsHeader, readTensor } from '../formats/safetensors.js';
import { remapModel, type AuxVectors, type RemapMethod } from '../remap.js';
import { Bars } from './progress.js';
import { formatSummary, type Cell } from './table.js';

interface Opts {
  model: string;
  targetTokenizer?: string;
  tokenizer?: string;
  method: RemapMethod;
  out: string;
  aux?: string;
  json: boolean;
}

/** The first tensor of a safetensors file as [target ids, dim] f32 rows. */
function readAux(path: string): AuxVectors {
  const f = readSafetensorsHeader(path);
  const t = f.tensors[0];
  if (t === undefined || t.shape.length !== 2) throw new VocabsmithError('expected one [target ids, dim] tensor', path);
  const dtype = floatDtype(t.dtype, t.name);
  const [rows, dim] = [t.shape[0]!, t.shape[1]!];
  const acc = new Float64Array(rows * dim);
  accumulate(readTensor(f, t), 0, rows * dim, dtype, acc);
  return { vectors: Float32Array.from(acc), dim };
}

export function remapCommand(): Command {
  return new Command('remap')
    .description('Move a model folder to a new tokenizer (zero-shot transfer): new embed_tokens / lm_head rows, everything else copied byte for byte.')
    .requiredOption('-m, --model <dir>', 'source model folder (tokenizer.json, config.json, safetensors)')
    .option('--target-tokenizer <file>', 'target tokenizer.json')
    .option('-t, --tokenizer <file>', 'same as --target-tokenizer')
    .option('--method <name>', 'copy | fvt | focus | omp', 'fvt')
    .option('--aux <file>', 'safetensors with one [target ids, dim] tensor: FOCUS auxiliary vectors or OMP donor embeddings')
    .requiredOption('-o, --out <dir>', 'output model folder (must not exist or be empty)')
    .option('--json', 'print the report as JSON instead of a table', false)
    .addHelpText(
      'after',
      '\nExamples:\n  vocabsmith remap --model llama-3.2-1b --target-tokenizer trained/tokenizer.json --method fvt --out llama-new\n  vocabsmith remap -m model -t target.json --method omp --aux donor-embeddings.safetensors -o out',
    )
    .action((opts: Opts) => {
      const targetTokenizer = opts.targetTokenizer ?? opts.tokenizer;
      if (targetTokenizer === undefined) throw new VocabsmithError('--target-tokenizer is required');
      if (!['copy', 'fvt', 'focus', 'omp'].includes(opts.method)) throw new VocabsmithError(`unknown method ${opts.method} (copy, fvt, focus, omp)`);
      const bars = new Bars();
      const report = remapModel({
        model: opts.model,
        targetTokenizer,
        method: opts.method,
        out: opts.out,
        aux: opts.aux === undefined ? undefined : readAux(opts.aux),
        progress: (done, total) => bars.update('weights', done, total, 'bytes'),
      });
      bars.stop();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const rows: [string, Cell][] = [
        ['method', report.method],
        ['source ids / target ids', `${report.sourceIds.toLocaleString('en-US')} / ${report.targetIds.toLocaleString('en-US')}`],
        ...Object.entries(report.rows).map(([kind, n]): [string, Cell] => [`target rows: ${kind}`, n]),
        ['head', report.tied ? 'tied to the input embedding' : 'untied (remapped too)'],
        ['tensors remapped', report.vocabTensors.join(', ')],
        ['time', `${(report.seconds.plan + report.seconds.apply + report.seconds.write).toFixed(2)} s`],
        ['written to', opts.out],
      ];
      process.stdout.write(formatSummary(rows));
    });
}
