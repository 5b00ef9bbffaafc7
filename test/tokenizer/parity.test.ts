/**
 * Oracle parity: vocabsmith vs native HF `tokenizers` (Python; ground truth)
 * and `@huggingface/tokenizers` (JS; second opinion, disagreements are only
 * counted) on real tokenizers (llama3, qwen3, gemma3, gpt4o/o200k).
 *
 * CI (default): first paragraphs of every UDHR language, the whole code
 * corpus in ~4 KiB chunks, 300 full-unicode + 700 "tricky" fast-check samples
 * per tokenizer. VOCABSMITH_FULL_PARITY=1: whole UDHR texts and 3k + 7k
 * samples (or run test/tokenizer/full-parity.ts for a summary table).
 *
 * Checked for each text: encode ids == HF Python ids; encodeBatch == encode;
 * decode(HF ids) == HF Python decode (skip_special_tokens=false); and, for
 * well-formed strings, decode(encode(s)) == s (NFC(s) for qwen3, '▁'→' ' for
 * gemma3). Lone surrogates: HF Python sees them as U+FFFD (see parity-lib.ts).
 *
 * Env: VOCABSMITH_PARITY_SUBJECT=hf-js tests the harness against
 * @huggingface/tokenizers instead of vocabsmith; VOCABSMITH_FC_SEED changes
 * the fast-check seed; VOCABSMITH_PYTHON picks the python.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hfPythonVersion } from '../helpers/oracle.js';
import { realTokenizers } from '../helpers/tokenizers.js';
import {
  codeCases,
  fcCases,
  FC_SEED,
  FULL,
  loadSubject,
  runParity,
  summaryTable,
  udhrCases,
  VOCABSMITH_ENTRY,
  type Case,
  type ParityResult,
  type Subject,
} from './parity-lib.js';
import { existsSync } from 'node:fs';

const pyVersion = hfPythonVersion();
const subjectKind = process.env.VOCABSMITH_PARITY_SUBJECT ?? 'vocabsmith';
const haveSubject = subjectKind === 'hf-js' || existsSync(VOCABSMITH_ENTRY);
const tokenizers = realTokenizers();

// Fail loudly rather than skip when a prerequisite is missing in CI.
if (process.env.CI && (!pyVersion || tokenizers.length < 4)) {
  throw new Error(
    `parity prerequisites missing: HF Python tokenizers ${pyVersion ?? 'NOT importable'}; ` +
      `real tokenizers found: ${tokenizers.map((t) => t.name).join(',') || 'none'}`,
  );
}

const N_UNICODE = FULL ? 3000 : 300;
const N_TRICKY = FULL ? 7000 : 700;
const TIMEOUT = FULL ? 1_800_000 : 120_000;

const allResults: ParityResult[] = [];

function check(r: ParityResult) {
  allResults.push(r);
  const problems = r.mismatches + r.batchMismatches + r.decodeMismatches + r.roundTripFailures;
  const msg =
    `${r.tokenizer} × ${r.corpus}: ${r.mismatches} encode mismatches, ${r.batchMismatches} batch≠single, ` +
    `${r.decodeMismatches} decode mismatches, ${r.roundTripFailures} round-trip failures in ${r.texts} texts\n\n` +
    r.messages.join('\n\n');
  expect(problems, msg).toBe(0);
}

describe.skipIf(!pyVersion || !haveSubject || tokenizers.length === 0)(
  `oracle parity (${FULL ? 'full' : 'sample'}; HF Python ${pyVersion}; fast-check seed ${FC_SEED})`,
  () => {
    let udhr: Case[];
    let code: Case[];
    beforeAll(() => {
      udhr = udhrCases(FULL);
      code = codeCases();
    });

    afterAll(() => {
      if (allResults.length === 0) return;
      console.log(`\n${summaryTable(allResults)}\n`);
      for (const r of allResults) {
        if (r.refDisagreements > 0) {
          console.log(`reference disagreements (informational) ${r.tokenizer} × ${r.corpus}: ${r.refDisagreements}\n` + r.refMessages.slice(0, 2).join('\n\n'));
        }
      }
    });

    describe.each(tokenizers)('$name', (t) => {
      let subject: Subject;
      beforeAll(async () => {
        const s = await loadSubject(t);
        if (!s) throw new Error(`cannot load subject ${subjectKind} for ${t.name}`);
        subject = s;
      }, 60_000);
      afterAll(() => subject?.free?.());

      it('UDHR, every language', async () => {
        check(await runParity(t, subject, FULL ? 'udhr (full)' : 'udhr (first paragraphs)', udhr));
      }, TIMEOUT);

      it('code corpus', async () => {
        check(await runParity(t, subject, 'code', code));
      }, TIMEOUT);

      it(`fast-check full-unicode strings (${N_UNICODE})`, async () => {
        check(await runParity(t, subject, 'fc full-unicode', fcCases('full-unicode', N_UNICODE)));
      }, TIMEOUT);

      it(`fast-check tricky mix: whitespace, digits, contractions, emoji, marks, lone surrogates (${N_TRICKY})`, async () => {
        check(await runParity(t, subject, 'fc tricky', fcCases('tricky', N_TRICKY)));
      }, TIMEOUT);

      it('edge cases', async () => {
        const edge: Case[] = [
          '', ' ', '  ', '\n', '\r\n', '\t', 'a', "'s", "I'LL", '\u00a0', '\u3000', '\ud800', '\udc00', 'a\ud800b', '\udc00\ud800',
          '😀', '\ud83d', 'x'.repeat(5000), ' '.repeat(1000), '1234567890'.repeat(50), 'é'.repeat(500),
          '<|endoftext|>', '<|begin_of_text|>hi', '<bos>x<eos>', '<|im_start|>user\nhi<|im_end|>', '\u2581', '▁▁x',
        ].map((text, i) => ({ label: `edge#${i}`, text }));
        check(await runParity(t, subject, 'edge', edge));
      }, TIMEOUT);
    });
  },
);

describe('oracle prerequisites', () => {
  it('reports what the parity suite can use', () => {
    // Never fails outside CI; makes a skipped parity suite visible in the log.
    console.log(
      `HF Python tokenizers: ${pyVersion ?? 'not available'}; subject ${subjectKind}: ${haveSubject ? 'found' : 'missing (no src/index.ts)'}; ` +
        `real tokenizers: ${tokenizers.map((t) => t.name).join(', ') || 'none'}`,
    );
    expect(true).toBe(true);
  });
});
