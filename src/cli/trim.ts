import { Command, InvalidArgumentError } from 'commander';
import { VocabsmithError } from '../errors.js';
import { trim } from '../trim.js';
import { isGguf, trimGguf } from '../gguf-trim.js';
import { describeSkipped } from '../corpus.js';
import { formatSummary } from './table.js';
import { Bars } from './progress.js';

const number = (min: number, max: number) => (v: string) => {
  const x = Number(v);
  if (!Number.isFinite(x) || x < min || x > max) throw new InvalidArgumentError(`expected a number in [${min}, ${max}]`);
  return x;
};

const fmt = (n: number) => n.toLocaleString('en-US');
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

interface Opts {
  model?: string;
  tokenizer?: string;
  corpus?: string[];
  minFrequency?: number;
  topK?: number;
  coverage?: number;
  keep?: string;
  out: string;
  verify: boolean;
  exclude?: string[];
  jsonlField: string;
  json: boolean;
  dropUnusedAdded: boolean;
}

/** Trims a tokenizer (and a model's embeddings and head) to the tokens a corpus uses. */
export function trimCommand(): Command {
  return new Command('trim')
    .description('Keep only the tokens a corpus uses (with BPE merge closure), in the tokenizer, embeddings and LM head.')
    .option('-m, --model <dir>', 'model folder (tokenizer.json, config.json, safetensors) or a .gguf file')
    .option('-t, --tokenizer <file>', 'just a tokenizer.json (no weights); with a .gguf model: its tokenizer as tokenizer.json')
    .option('-c, --corpus <spec...>', 'files, folders, globs, .jsonl, .gz, or udhr:LANG,LANG (bundled UDHR texts; codes, BCP 47 tags, ISO 639-3, all)')
    .option('--exclude <glob...>', 'file names to leave out of corpus folders and globs (listed on stderr)')
    .option('--jsonl-field <name>', 'field of .jsonl records', 'text')
    .option('--min-frequency <n>', 'keep tokens used at least n times', number(1, Number.MAX_SAFE_INTEGER))
    .option('--top-k <k>', 'keep at most the k most used tokens (plus specials, bytes and closure)', number(1, Number.MAX_SAFE_INTEGER))
    .option('--coverage <f>', 'keep the most used tokens until they cover this fraction of corpus tokens', number(0, 1))
    .option('--keep <file>', 'extra tokens to keep: JSON array of ids/tokens, or one token per line')
    .requiredOption('-o, --out <dir>', 'output folder, or .gguf file for a .gguf model (must not exist; written atomically)')
    .option('--drop-unused-added', 'also drop added tokens that are not special, not used, not in --keep and not named by a config or the chat template (placeholders such as Gemma3\'s <unusedN>)', false)
    .option('--no-verify', 'skip re-encoding the corpus with the trimmed tokenizer')
    .option('--json', 'print the report as JSON instead of a table', false)
    .addHelpText(
      'after',
      '\nExamples:\n  vocabsmith trim --model gemma-3-1b --corpus udhr:eng,fra,deu_1996 --out gemma-3-1b-trimmed\n' +
        '  vocabsmith trim --tokenizer tokenizer.json --corpus my-corpus/ --coverage 0.999 --out trimmed/\n' +
        '  vocabsmith trim --model SmolLM2.Q4_1.gguf --tokenizer smollm2/tokenizer.json --corpus corpora/en --out SmolLM2-en.gguf',
    )
    .action((o: Opts) => {
      if (isGguf(o.model)) {
        if (o.dropUnusedAdded) throw new VocabsmithError('--drop-unused-added is for tokenizer.json and model folders; a .gguf keeps its added tokens', o.model);
        return ggufAction({ ...o, model: o.model });
      }
      if ((o.model === undefined) === (o.tokenizer === undefined)) throw new VocabsmithError('give exactly one of --model and --tokenizer');
      if (o.corpus === undefined && o.keep === undefined) throw new VocabsmithError('give --corpus and/or --keep');
      // One bar per phase (load, count, closure, verify, weights), on stderr (see Bars).
      const bars = new Bars();
      const unit = { load: '‰', count: 'lines', closure: '', verify: 'lines', weights: 'MB' } as const;
      let result;
      try {
        result = trim({
          ...o,
          onProgress: !bars.enabled ? undefined : (phase, done, total, stage) => {
            if (phase === 'load') return bars.update('load', done, total, unit.load, stage === undefined ? 'load' : `load: ${stage}`);
            const mb = phase === 'weights';
            bars.update(phase === 'weights' ? 'weights (MB)' : phase, mb ? Math.round(done / 1e6) : done, mb ? Math.round(total / 1e6) : total, unit[phase]);
          },
        });
      } finally {
        bars.stop();
      }
      const r = result.report;
      const skipped = describeSkipped(r.skipped);
      if (skipped) process.stderr.write(`${skipped}\n`);
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ ...r, out: o.out })}\n`);
        return;
      }
      const rows: Record<string, string> = {
        'tokens before': fmt(r.vocabBefore),
        'tokens after': fmt(r.vocabAfter),
        'used by corpus / selected': `${fmt(r.distinctUsed)} / ${fmt(r.selected)}`,
        'always kept (specials, bytes)': fmt(r.alwaysKept),
        'kept for the chat template': fmt(r.chatTemplate),
        'added by merge closure': fmt(r.closureAdded),
        ...(o.dropUnusedAdded ? { 'unused added tokens dropped': fmt(r.addedDropped) } : {}),
        'merges before / after': `${fmt(r.mergesBefore)} / ${fmt(r.mergesAfter)}`,
        'corpus tokens / coverage': `${fmt(r.corpusTokens)} / ${(100 * r.coverage).toFixed(3)}%`,
        verification: r.verified ? `${fmt(r.verified.identical)}/${fmt(r.verified.checked)} lines identical (${fmt(r.verified.skipped)} with dropped tokens)` : 'skipped',
        'tokenizer time': `${(r.seconds.count + r.seconds.trim + r.seconds.verify).toFixed(2)} s`,
      };
      if (r.weights) {
        const w = r.weights;
        if (r.idsPastRows > 0) rows['ids past the embedding rows (no row, as in the input)'] = fmt(r.idsPastRows);
        rows['head'] = w.tied ? 'tied to the input embedding' : 'untied (gathered too)';
        rows['parameters before / after'] = `${fmt(w.paramsBefore)} / ${fmt(w.paramsAfter)} (-${fmt(w.paramsBefore - w.paramsAfter)})`;
        rows['weight bytes before / after'] = `${mb(w.bytesBefore)} / ${mb(w.bytesAfter)}`;
        rows['weights time'] = `${r.seconds.weights.toFixed(2)} s`;
      }
      if (r.removed.length > 0) rows['stale files not copied'] = r.removed.join(', ');
      rows['written to'] = o.out;
      process.stdout.write(formatSummary(Object.entries(rows)));
    });
}

/** `trim --model X.gguf`: the GGUF rewritten (rows gathered, quantized rows as whole blocks). */
function ggufAction(o: Opts & { model: string }): void {
  if (o.corpus === undefined && o.keep === undefined) throw new VocabsmithError('give --corpus and/or --keep');
  const { report: r } = trimGguf({ ...o, tokenizer: o.tokenizer });
  const rows: Record<string, string> = {
    'tokens before': fmt(r.vocabBefore),
    'tokens after': fmt(r.vocabAfter),
    'added by merge closure': fmt(r.closureAdded),
    'merges before / after': `${fmt(r.mergesBefore)} / ${fmt(r.mergesAfter)}`,
    'corpus tokens / coverage': `${fmt(r.corpusTokens)} / ${(100 * r.coverage).toFixed(3)}%`,
    verification: r.verified ? `${fmt(r.verified.identical)}/${fmt(r.verified.checked)} lines identical` : 'skipped',
    'file bytes before / after': `${mb(r.gguf.bytesBefore)} / ${mb(r.gguf.bytesAfter)}`,
    'vocabulary tensors': r.gguf.tensors.filter((t) => t.source !== 'copy').map((t) => `${t.name} (${t.type}, rows gathered)`).join(', '),
    'written to': o.out,
  };
  process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : formatSummary(Object.entries(rows)));
}
