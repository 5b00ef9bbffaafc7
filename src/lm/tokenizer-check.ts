/**
 * vocabsmith's encoding of a model's tokenizer must be the runtime's own: ByteLM's covers and the
 * token-level chain rule are only right if the ids are the ones the model was trained on. Checked
 * at load on a few hundred texts (UDHR paragraphs in several scripts, code, digit runs,
 * whitespace runs, contractions, emoji); the first mismatch is an error that names the text.
 * Texts holding a special token's content (`<|endoftext|>`) are left out on purpose: vocabsmith
 * matches added tokens in text as HF does, the runtime's tokenize (specials off) reads them as text.
 */
import { udhrParagraphs } from '../corpora/udhr.js';
import { VocabsmithError } from '../errors.js';
import type { Tokenizer } from '../tokenizer.js';

const LANGUAGES = ['eng', 'fra', 'deu_1996', 'spa', 'rus', 'cmn_hans', 'hin', 'arb', 'jpn', 'ell_monotonic'];
const PER_LANGUAGE = 24;

const EDGE_CASES = [
  'def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n',
  'for (let i = 0; i < 10; i++) {\n\tconsole.log(`${i}`);\n}\n',
  'x = 1234567890 + 3.14159e-10 - 0x1F',
  "I'm sure they'll say it's fine, we've done what you'd do. DON'T SHOUT",
  'a  b   c    d\n\n\n  e \n \n\t\tf \r\n',
  '   leading and trailing spaces   ',
  'Emoji 👋🏽 and 家族 and ١٢٣ and ½ ² Ⅻ',
  '<html><body class="x">a &amp; b</body></html>',
  'https://example.com/path?query=1&x=y#frag',
  'CamelCaseIdentifier snake_case_name kebab-case-name',
  '"Quoted," she said; (parenthesised) [bracketed] {braced}!?',
  '',
  ' ',
  '\n',
  '0',
  '00 000 0000 2024-11-30T14:22:02Z',
];

/** The texts the load check encodes. */
export function checkTexts(): string[] {
  const out = [...EDGE_CASES];
  for (const lang of LANGUAGES) out.push(...udhrParagraphs(lang).slice(0, PER_LANGUAGE));
  return out;
}

/** Throws a VocabsmithError naming the first text whose encodings differ. */
export function checkTokenizer(
  tokenizer: Tokenizer,
  runtimeTokenize: (text: string) => Uint32Array,
  source: string,
  texts: readonly string[] = checkTexts(),
): number {
  const ours = tokenizer.encodeBatch(texts);
  texts.forEach((text, i) => {
    const a = ours[i] as Uint32Array;
    const b = runtimeTokenize(text);
    if (a.length !== b.length || a.some((t, k) => t !== b[k])) {
      const at = a.findIndex((t, k) => t !== b[k]);
      throw new VocabsmithError(
        `vocabsmith's encoding of the GGUF tokenizer differs from the runtime's on ${JSON.stringify(text.slice(0, 80))} ` +
          `(first difference at token ${at < 0 ? Math.min(a.length, b.length) : at}: vocabsmith [${[...a.slice(0, 12)].join(',')}], ` +
          `runtime [${[...b.slice(0, 12)].join(',')}])`,
        source,
      );
    }
  });
  return texts.length;
}
