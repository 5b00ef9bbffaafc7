/**
 * Full parity run: every UDHR language (whole text), the whole code corpus
 * (chunked), 10k fast-check samples (3k full-unicode + 7k tricky mix), for
 * each real tokenizer. Prints a Markdown summary table and the first
 * mismatches; exits 1 if vocabsmith disagrees with HF Python anywhere.
 *
 *   npx tsx test/tokenizer/full-parity.ts [--tokenizers llama3,gpt4o] [--corpora udhr,code,fc]
 *                                      [--fc 10000] [--subject vocabsmith|hf-js] [--json out.json]
 *
 * --subject hf-js runs the harness against @huggingface/tokenizers itself
 * (useful before the library exists: then every "mismatch" is a reference
 * disagreement).
 */
import { writeFileSync } from 'node:fs';
import { hfPythonVersion } from '../helpers/oracle.js';
import { packageVersion, realTokenizers, type RealTokenizerName } from '../helpers/tokenizers.js';
import {
  codeCases,
  fcCases,
  FC_SEED,
  hfJsSubject,
  loadVocabsmith,
  runParity,
  summaryTable,
  udhrCases,
  type Case,
  type ParityResult,
} from './parity-lib.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const names = (arg('tokenizers')?.split(',') as RealTokenizerName[] | undefined) ?? undefined;
const corpora = new Set((arg('corpora') ?? 'udhr,code,fc').split(','));
const fcN = Number(arg('fc') ?? 10000);
const subjectKind = arg('subject') ?? process.env.VOCABSMITH_PARITY_SUBJECT ?? 'vocabsmith';
const jsonOut = arg('json');

const pyVersion = hfPythonVersion();
if (!pyVersion) {
  console.error('native HF tokenizers (python) not available: set up .venv or VOCABSMITH_PYTHON');
  process.exit(2);
}
console.log(`HF Python tokenizers ${pyVersion}; @huggingface/tokenizers ${packageVersion('@huggingface/tokenizers')}; fast-check seed ${FC_SEED}; subject ${subjectKind}`);

const corpusCases: [string, () => Case[]][] = [];
if (corpora.has('udhr')) corpusCases.push(['udhr (full)', () => udhrCases(true)]);
if (corpora.has('code')) corpusCases.push(['code', () => codeCases()]);
if (corpora.has('fc')) {
  const nUni = Math.round(fcN * 0.3);
  corpusCases.push([`fc full-unicode`, () => fcCases('full-unicode', nUni)]);
  corpusCases.push([`fc tricky`, () => fcCases('tricky', fcN - nUni)]);
}

async function main(): Promise<number> {
  const results: ParityResult[] = [];
  for (const t of realTokenizers(names)) {
    const subject = subjectKind === 'hf-js' ? await hfJsSubject(t) : await loadVocabsmith(t);
    if (!subject) {
      console.error('vocabsmith library not found (src/index.ts); use --subject hf-js to exercise the harness');
      return 2;
    }
    for (const [corpus, make] of corpusCases) {
      const cases = make();
      const r = await runParity(t, subject, corpus, cases, { batchSize: 2000, maxMessages: 3 });
      results.push(r);
      console.log(`${t.name} × ${corpus}: ${r.texts} texts, ${r.tokens} tokens, ${r.mismatches} mismatches, ${r.refDisagreements} ref disagreements (${r.seconds.toFixed(1)} s)`);
      for (const m of r.messages) console.log(m);
      for (const m of r.refMessages) console.log(m);
    }
    subject.free?.();
  }

  console.log('\n' + summaryTable(results));
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ hfPython: pyVersion, seed: FC_SEED, subject: subjectKind, results }, null, 2));
  const bad = results.some((r) => r.mismatches + r.batchMismatches + r.decodeMismatches + r.roundTripFailures > 0);
  return bad ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
