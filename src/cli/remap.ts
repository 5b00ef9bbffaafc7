import { Command } from 'commander';
import { VocabsmithError } from '../errors.js';
import { readAuxVectors } from '../aux-vectors.js';
import { remapModel, type RemapMethod } from '../remap.js';
import { remapGguf } from '../gguf-remap.js';
import { isGguf } from '../gguf-trim.js';
import { Bars } from './progress.js';
import { formatSummary, type Cell } from './table.js';
import { LARGE_WEIGHT_SUM, weightWarning, type WeightSpread } from '../model-folder/index.js';

interface Opts {
  model: string;
  targetTokenizer?: string;
  tokenizer?: string;
  method: RemapMethod;
  out: string;
  aux?: string;
  mapSpecial?: string[];
  sourceTokenizer?: string;
  json: boolean;
}

export function remapCommand(): Command {
  return new Command('remap')
    .description('Move a model folder to a new tokenizer (zero-shot transfer): new embed_tokens / lm_head rows, everything else copied byte for byte.')
    .requiredOption('-m, --model <dir>', 'source model folder (tokenizer.json, config.json, safetensors) or a .gguf file')
    .option('--source-tokenizer <file>', 'with a .gguf model: its tokenizer as tokenizer.json (default: read from the GGUF metadata; a file is checked token by token against it)')
    .option('--target-tokenizer <file>', 'target tokenizer.json')
    .option('-t, --tokenizer <file>', 'same as --target-tokenizer')
    .option('--method <name>', 'copy | fvt | focus | omp', 'fvt')
    .option('--aux <file>', 'safetensors with one [target ids, dim] tensor: FOCUS auxiliary vectors or OMP donor embeddings')
    .option('--map-special <pair...>', 'pair special tokens by hand, SOURCE_TOKEN=TARGET_TOKEN (the target token gets the source token\'s row; config ids follow)')
    .requiredOption('-o, --out <dir>', 'output model folder (must not exist or be empty), or .gguf file for a .gguf model')
    .option('--json', 'print the report as JSON instead of a table', false)
    .addHelpText(
      'after',
      '\nExamples:\n  vocabsmith remap --model llama-3.2-1b --target-tokenizer trained/tokenizer.json --method fvt --out llama-new\n  vocabsmith remap --model SmolLM2.Q4_1.gguf --target-tokenizer bpe/tokenizer.json --out SmolLM2-bpe.gguf\n  vocabsmith remap -m model -t target.json --method omp --aux donor-embeddings.safetensors -o out\n  vocabsmith remap -m llama-3-instruct -t qwen3/tokenizer.json --map-special "<|eot_id|>=<|im_end|>" -o llama-qwen',
    )
    .action((opts: Opts) => {
      const targetTokenizer = opts.targetTokenizer ?? opts.tokenizer;
      if (targetTokenizer === undefined) throw new VocabsmithError('--target-tokenizer is required');
      if (!['copy', 'fvt', 'focus', 'omp'].includes(opts.method)) throw new VocabsmithError(`unknown method ${opts.method} (copy, fvt, focus, omp)`);
      const bars = new Bars();
      const aux = opts.aux === undefined ? undefined : readAuxVectors(opts.aux);
      const progress = (done: number, total: number) => bars.update('weights', done, total, 'bytes');
      // A tokenizer's load (seconds for a large tokenizer.json): thousandths, labelled with its stage.
      const loadBar = (which: string, done: number, total: number, stage?: string) =>
        bars.update(`load ${which}`, done, total, '‰', stage === undefined ? `load ${which}` : `load ${which}: ${stage}`);
      if (isGguf(opts.model)) {
        const planProgress = (done: number, total: number) => bars.update('plan rows', done, total, 'rows');
        const r = remapGguf({ model: opts.model, targetTokenizer, method: opts.method, out: opts.out, aux, tokenizer: opts.sourceTokenizer, progress, planProgress, loadProgress: bars.enabled ? loadBar : undefined });
        bars.stop();
        warn(r.weights, opts.method);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        const vocab = r.tensors.filter((t) => t.source !== 'copy');
        process.stdout.write(formatSummary([
          ['method', r.method],
          ['source ids / target ids', `${r.sourceIds.toLocaleString('en-US')} / ${r.targetIds.toLocaleString('en-US')}`],
          ...Object.entries(r.rows).map(([kind, n]): [string, Cell] => [`target rows: ${kind}`, n]),
          ['tensors remapped', vocab.map((t) => `${t.name} (${t.type}${t.source === 'rows' ? ', rows copied' : ', rows computed'})`).join(', ')],
          ['file bytes before / after', `${(r.bytesBefore / 1e6).toFixed(1)} MB / ${(r.bytesAfter / 1e6).toFixed(1)} MB`],
          ...weightRows(r.weights),
          ['time', `${(r.seconds.plan + r.seconds.write).toFixed(2)} s`],
          ['written to', opts.out],
        ]));
        return;
      }
      const report = remapModel({
        model: opts.model,
        targetTokenizer,
        method: opts.method,
        out: opts.out,
        aux,
        mapSpecial: opts.mapSpecial,
        // Planning is one call into the core; it reports the rows it computes (the non-copies).
        onProgress: !bars.enabled ? undefined : (phase, done, total, stage) => {
          if (phase === 'load source' || phase === 'load target') return loadBar(phase.slice(5), done, total, stage);
          bars.update(phase === 'plan' ? 'plan rows' : 'weights', done, total, phase === 'plan' ? 'rows' : 'bytes');
        },
      });
      bars.stop();
      warn(report.weights, opts.method);
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
        ['special tokens mapped by role', report.specialMapped.map((p) => `${p.source} -> ${p.target} (${p.role})`).join(', ') || 'none'],
        ...(report.idsPastRows > 0 ? [['target ids past the rows (no row, as in the source)', report.idsPastRows] as [string, Cell]] : []),
        ...weightRows(report.weights),
        ['time', `${(report.seconds.plan + report.seconds.write).toFixed(2)} s`],
        ['written to', opts.out],
      ];
      process.stdout.write(formatSummary(rows));
    });
}

/** Summary rows for a plan whose rows can outgrow the model's (none when every row sums to ≤ 2). */
function weightRows(w: WeightSpread): [string, Cell][] {
  return w.large === 0 ? [] : [[`target rows with Σ|weight| > ${LARGE_WEIGHT_SUM}`, `${w.large.toLocaleString('en-US')} (largest ${w.max.toFixed(1)})`]];
}

function warn(w: WeightSpread, method: string): void {
  const line = weightWarning(w, method);
  if (line !== undefined) process.stderr.write(`vocabsmith: ${line}\n`);
}
