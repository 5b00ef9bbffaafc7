/**
 * Shared machinery of the parity suite (test/tokenizer/parity.test.ts) and the
 * full-parity CLI (test/tokenizer/full-parity.ts).
 *
 * Ground truth = native HF `tokenizers` (Python, scripts/hf_oracle.py).
 * Second opinion = `@huggingface/tokenizers` (JS). Where the two references
 * disagree, HF Python wins; the disagreement is counted, never failed on.
 *
 * Lone surrogates: HF Python cannot take them, so HF Python gets the text with
 * every lone surrogate replaced by U+FFFD (what TextEncoder does when a JS
 * string is turned into UTF-8). The subject gets the raw string and must
 * produce the same ids as HF Python on the U+FFFD version. @huggingface/
 * tokenizers gets the raw string; its answer only feeds the disagreement count.
 * Round-trip checks are made on well-formed strings only.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { REPO_ROOT, chunkByLines, codeCorpusFiles } from '../helpers/corpus.js';
import {
  hasLoneSurrogate,
  hfJs,
  hfPythonDecode,
  hfPythonEncode,
  toWellFormed,
  type JsReference,
} from '../helpers/oracle.js';
import type { RealTokenizer, RealTokenizerName } from '../helpers/tokenizers.js';
import { udhrLanguages, udhrParagraphs } from '../helpers/udhr.js';

// ---------------------------------------------------------------- subject

/** What is under test (vocabsmith's Tokenizer, or a stand-in for self-tests). */
export interface Subject {
  label: string;
  encode(text: string): ArrayLike<number>;
  encodeBatch?(texts: string[]): ArrayLike<number>[];
  decode(ids: ArrayLike<number>): string;
  idToToken(id: number): string | undefined | null;
  free?(): void;
}

export const VOCABSMITH_ENTRY = join(REPO_ROOT, 'src', 'index.ts');

/**
 * vocabsmith's Tokenizer for a real tokenizer, or null when the library
 * doesn't exist yet (no src/index.ts). An import error of an existing library
 * is thrown, not swallowed.
 */
export async function loadVocabsmith(t: RealTokenizer): Promise<Subject | null> {
  if (!existsSync(VOCABSMITH_ENTRY)) return null;
  const mod = await import('../../src/index.js');
  const tok = mod.Tokenizer.fromFile(t.path);
  return {
    label: 'vocabsmith',
    encode: (s) => tok.encode(s),
    encodeBatch: (ts) => tok.encodeBatch(ts),
    decode: (ids) => tok.decode(ids instanceof Uint32Array ? ids : Uint32Array.from(ids as ArrayLike<number>), { skipSpecialTokens: false }),
    idToToken: (id) => tok.idToToken(id),
    free: () => tok.free(),
  };
}

/** The JS reference dressed as a subject: lets the harness test itself before the library exists. */
export async function hfJsSubject(t: RealTokenizer): Promise<Subject> {
  const r = await hfJs(t);
  return { label: '@huggingface/tokenizers', encode: (s) => r.encode(s), decode: (ids) => r.decode(ids), idToToken: (id) => r.idToToken(id) };
}

/** Subject chosen by env VOCABSMITH_PARITY_SUBJECT ('vocabsmith' default, or 'hf-js'). */
export async function loadSubject(t: RealTokenizer): Promise<Subject | null> {
  const which = process.env.VOCABSMITH_PARITY_SUBJECT ?? 'vocabsmith';
  if (which === 'hf-js') return hfJsSubject(t);
  return loadVocabsmith(t);
}

// ---------------------------------------------------------------- cases

export interface Case {
  /** where the text comes from, e.g. 'udhr:eng', 'code/python/argparse.py#3', 'fc-mix#17' */
  label: string;
  text: string;
}

export const FULL = process.env.VOCABSMITH_FULL_PARITY === '1';

/** UDHR cases: one per language. sample = title + first 3 paragraphs; full = whole declaration. */
export function udhrCases(full = FULL): Case[] {
  return udhrLanguages().map((l) => {
    const paras = udhrParagraphs(l.code);
    return { label: `udhr:${l.code} (${l.name})`, text: (full ? paras : paras.slice(0, 4)).join('\n') };
  });
}

/** Code corpus, chunked at line ends (~4 KiB per case). */
export function codeCases(maxChars = 4096): Case[] {
  const out: Case[] = [];
  for (const f of codeCorpusFiles()) {
    chunkByLines(f.text, maxChars).forEach((text, i) => out.push({ label: `${f.name}#${i}`, text }));
  }
  return out;
}

const WS = [' ', '  ', '\t', '\n', '\r', '\r\n', '\n\n', '\u00a0', '\u3000', '\u2009', '\u200b', '\u000b', '\u000c', '\u0085', '\u2028', '\u202f', '\ufeff'];
const DIGIT_BASES = [0x30, 0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0xff10, 0x1d7ce /* math bold */];
const WORDS = [
  'hello', 'Hello', 'HELLO', 'world', 'the', 'The', 'naïve', 'Straße', 'İstanbul', 'ǅemal', 'ﬁnance',
  '東京', '日本語のテキスト', 'こんにちは', '한국어', 'Привет', 'мир', 'Ελληνικά', 'مرحبا', 'שלום', 'नमस्ते', 'ไทย',
  'ᏣᎳᎩ', 'ሰላም', 'getElementById', 'XMLHttpRequest', 'snake_case', 'CamelCase', 'x', 'I', 'a', 'é',
];
const PUNCT = ['!', '?', '.', ',', ';', ':', '(', ')', '[', ']', '{', '}', '<', '>', '/', '\\', '|', '@', '#', '$', '%', '^', '&', '*', '-', '_', '=', '+', '~', '`', '"', "'", '->', '=>', '::', '...', '//', '/*', '*/', '«', '»', '“', '”', '—', '…', '。', '、', '،'];
const CONTRACTIONS = ["'s", "'S", "'t", "'T", "'re", "'RE", "'ve", "'m", "'M", "'ll", "'LL", "'d", "'D", '’s', '’ll'];
const EMOJI = ['👍', '👍🏽', '👩‍💻', '👩🏽‍💻', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇯🇵', '🇺🇸', '1️⃣', '❤️', '❤', '🙂', '🧑🏿‍🦰', '😀😀', '🫠'];
const SPECIAL = ['<|endoftext|>', '<|begin_of_text|>', '<|end_of_text|>', '<|im_start|>', '<|im_end|>', '<bos>', '<eos>', '<start_of_turn>', '<pad>', '<unk>', '<s>', '</s>', '<|eot_id|>'];

const ws = fc.array(fc.constantFrom(...WS), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
const digits = fc
  .tuple(fc.constantFrom(...DIGIT_BASES), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 9 }))
  .map(([b, ds]) => ds.map((d) => String.fromCodePoint(b + d)).join(''));
const otherNumbers = fc.constantFrom('²', '³', '½', 'Ⅻ', 'ⅷ', '①', '⑳', '〇', '一二三', '1,000.50', '3.14e-10', '0x1F', '2024-01-01');
const word = fc.constantFrom(...WORDS);
const contraction = fc.tuple(fc.constantFrom('', 'it', 'I', 'we', 'THEY', 'don'), fc.constantFrom(...CONTRACTIONS)).map(([a, b]) => a + b);
const emoji = fc.constantFrom(...EMOJI);
const combining = fc
  .tuple(fc.constantFrom('a', 'e', 'o', 'n', 'A', 'ı', 'क', 'ا', ' ', ''), fc.array(fc.integer({ min: 0x300, max: 0x36f }), { minLength: 1, maxLength: 4 }))
  .map(([b, ms]) => b + String.fromCodePoint(...ms));
const composedJamo = fc.constantFrom('\u1100\u1161\u11a8', 'e\u0301', '\u00e9', 'क्ष', 'ñ', 'n\u0303', 'Å', 'A\u030a', 'Ω', '\u2126');
const loneSurrogate = fc.oneof(
  fc.integer({ min: 0xd800, max: 0xdbff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xdc00, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);
const runs = fc
  .tuple(fc.constantFrom('a', 'ab', ' ', '1', 'é', '🙂', '\n', '.', '-', 'ー', '字'), fc.integer({ min: 2, max: 300 }))
  .map(([s, n]) => s.repeat(n));
const anyCodePoints = fc.string({ unit: 'binary', maxLength: 4 });
const asciiBits = fc.string({ unit: 'binary-ascii', maxLength: 8 });

/** The tricky mix: whitespace runs, digits of many scripts, contractions, emoji/ZWJ, combining marks, lone surrogates, ... */
export const trickyString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { arbitrary: ws, weight: 5 },
      { arbitrary: word, weight: 5 },
      { arbitrary: digits, weight: 3 },
      { arbitrary: otherNumbers, weight: 1 },
      { arbitrary: contraction, weight: 3 },
      { arbitrary: fc.constantFrom(...PUNCT), weight: 3 },
      { arbitrary: emoji, weight: 2 },
      { arbitrary: combining, weight: 2 },
      { arbitrary: composedJamo, weight: 1 },
      { arbitrary: loneSurrogate, weight: 1 },
      { arbitrary: runs, weight: 1 },
      { arbitrary: fc.constantFrom(...SPECIAL), weight: 1 },
      { arbitrary: anyCodePoints, weight: 2 },
      { arbitrary: asciiBits, weight: 2 },
    ),
    { maxLength: 30 },
  )
  .map((a) => a.join(''));

/** Any code points (fast-check v4's replacement of fc.fullUnicodeString), sometimes with a lone surrogate. */
export const fullUnicodeString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 64 }), weight: 9 },
  { arbitrary: fc.tuple(fc.string({ unit: 'binary', maxLength: 16 }), loneSurrogate, fc.string({ unit: 'binary', maxLength: 16 })).map((a) => a.join('')), weight: 1 },
);

export const FC_SEED = Number(process.env.VOCABSMITH_FC_SEED ?? 20240601);

/** Deterministic fast-check samples (seeded; override with VOCABSMITH_FC_SEED). */
export function fcCases(kind: 'full-unicode' | 'tricky', n: number, seed = FC_SEED): Case[] {
  const arb = kind === 'tricky' ? trickyString : fullUnicodeString;
  return fc.sample(arb, { numRuns: n, seed: seed + (kind === 'tricky' ? 1 : 0) }).map((text, i) => ({ label: `fc-${kind}#${i} (seed ${seed})`, text }));
}

// ---------------------------------------------------------------- comparison

/** What decode(encode(s)) must give for a well-formed s (matches HF with skip_special_tokens=false). */
export function expectedRoundTrip(name: RealTokenizerName, s: string): string {
  switch (name) {
    case 'qwen3':
      return s.normalize('NFC'); // NFC normalizer
    case 'gemma3':
      return s.replaceAll('\u2581', ' '); // ' ' -> '▁' normalizer; decoder maps every '▁' back to ' '
    default:
      return s;
  }
}

export interface ParityResult {
  tokenizer: string;
  corpus: string;
  texts: number;
  /** tokens in HF Python's output */
  tokens: number;
  /** subject != HF Python (encode) */
  mismatches: number;
  /** subject.encodeBatch != subject.encode */
  batchMismatches: number;
  /** subject.decode(ids) != HF Python decode(ids) on HF Python's ids */
  decodeMismatches: number;
  /** decode(encode(s)) != expectedRoundTrip(s) on well-formed s */
  roundTripFailures: number;
  /** @huggingface/tokenizers != HF Python (informational) */
  refDisagreements: number;
  /** texts holding a lone surrogate */
  loneSurrogateTexts: number;
  messages: string[];
  refMessages: string[];
  seconds: number;
}

export interface ParityOptions {
  /** texts per HF Python call */
  batchSize?: number;
  maxMessages?: number;
  checkDecode?: boolean;
  checkRoundTrip?: boolean;
  checkBatch?: boolean;
  /** compare against @huggingface/tokenizers too (default true) */
  jsReference?: boolean;
}

function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function eqIds(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return firstDiff(a, b) === -1;
}

const INVISIBLE = /[\p{C}\p{Z}\p{M}]/gu;

/** Quote a string with every control/format/space/mark/lone-surrogate code point escaped as \u{..} (except ' '). */
export function esc(s: string): string {
  return (
    '"' +
    s.replace(/[\\"]/g, '\\$&').replace(INVISIBLE, (c) => {
      if (c === ' ') return c;
      if (c === '\n') return '\\n';
      if (c === '\t') return '\\t';
      if (c === '\r') return '\\r';
      return `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`;
    }) +
    '"'
  );
}

function snippet(s: string, max = 120): string {
  return s.length > max ? esc(s.slice(0, max)) + '…' : esc(s);
}

function tokenWindow(ids: ArrayLike<number>, at: number, show: (id: number) => string, radius = 4): string {
  const parts: string[] = [];
  const lo = Math.max(0, at - radius);
  const hi = Math.min(ids.length, at + radius + 1);
  if (lo > 0) parts.push('…');
  for (let i = lo; i < hi; i++) parts.push(`${i === at ? '>>' : ''}[${i}]${show(ids[i]!)}`);
  if (hi < ids.length) parts.push('…');
  if (at >= ids.length) parts.push(`>>[${at}]<end>`);
  return parts.join(' ');
}

/** A readable report of the first difference between two id sequences. */
export function describeMismatch(opts: {
  tokenizer: string;
  what: string;
  c: Case;
  expected: ArrayLike<number>;
  actual: ArrayLike<number>;
  expectedLabel: string;
  actualLabel: string;
  idToToken: (id: number) => string | undefined | null;
  decodePrefix?: (ids: number[]) => string;
}): string {
  const { c, expected, actual } = opts;
  const at = firstDiff(expected, actual);
  const show = (id: number) => `${esc(opts.idToToken(id) ?? '?')}(${id})`;
  let around = '';
  if (opts.decodePrefix) {
    try {
      const off = opts.decodePrefix(Array.from(expected).slice(0, at)).length;
      around = `\n  text at that point (char ~${off}): ${esc(c.text.slice(Math.max(0, off - 30), off))} ▶ ${esc(c.text.slice(off, off + 40))}`;
    } catch {
      /* best effort */
    }
  }
  return (
    `[${opts.tokenizer}] ${opts.what}: ${c.label}\n` +
    `  text (${c.text.length} UTF-16 units${hasLoneSurrogate(c.text) ? ', has lone surrogates' : ''}): ${snippet(c.text)}\n` +
    `  ${opts.expectedLabel}: ${expected.length} tokens, ${opts.actualLabel}: ${actual.length} tokens; first difference at token index ${at}\n` +
    `  ${opts.expectedLabel.padEnd(12)}: ${tokenWindow(expected, at, show)}\n` +
    `  ${opts.actualLabel.padEnd(12)}: ${tokenWindow(actual, at, show)}` +
    around
  );
}

/** Encode every case with subject and references; count and describe disagreements. */
export async function runParity(
  t: RealTokenizer,
  subject: Subject,
  corpus: string,
  cases: Case[],
  opts: ParityOptions = {},
): Promise<ParityResult> {
  const t0 = performance.now();
  const batchSize = opts.batchSize ?? 1000;
  const maxMessages = opts.maxMessages ?? 5;
  const useJs = opts.jsReference ?? true;
  const js: JsReference = await hfJs(t);
  const r: ParityResult = {
    tokenizer: t.name,
    corpus,
    texts: cases.length,
    tokens: 0,
    mismatches: 0,
    batchMismatches: 0,
    decodeMismatches: 0,
    roundTripFailures: 0,
    refDisagreements: 0,
    loneSurrogateTexts: 0,
    messages: [],
    refMessages: [],
    seconds: 0,
  };
  const idToToken = (id: number) => js.idToToken(id) ?? subject.idToToken(id);
  const decodePrefix = (ids: number[]) => js.decode(ids);
  const push = (list: string[], m: string) => {
    if (list.length < maxMessages) list.push(m);
  };

  for (let b = 0; b < cases.length; b += batchSize) {
    const batch = cases.slice(b, b + batchSize);
    const texts = batch.map((c) => c.text);
    const py = hfPythonEncode(t.path, texts);
    const mine = texts.map((s) => subject.encode(s));
    const mineBatch = opts.checkBatch !== false && subject.encodeBatch ? subject.encodeBatch(texts) : undefined;
    let pyDecoded: string[] | undefined;
    if (opts.checkDecode !== false) pyDecoded = hfPythonDecode(t.path, py);

    for (let i = 0; i < batch.length; i++) {
      const c = batch[i]!;
      const want = py[i]!;
      r.tokens += want.length;
      const lone = hasLoneSurrogate(c.text);
      if (lone) r.loneSurrogateTexts++;

      if (!eqIds(want, mine[i]!)) {
        r.mismatches++;
        push(
          r.messages,
          describeMismatch({
            tokenizer: t.name, what: `encode mismatch vs HF Python${lone ? ' (HF Python given lone surrogates as U+FFFD)' : ''}`, c,
            expected: want, actual: mine[i]!, expectedLabel: 'HF Python', actualLabel: subject.label, idToToken, decodePrefix,
          }),
        );
      }
      if (mineBatch && !eqIds(mine[i]!, mineBatch[i]!)) {
        r.batchMismatches++;
        push(
          r.messages,
          describeMismatch({
            tokenizer: t.name, what: 'encodeBatch differs from encode', c,
            expected: mine[i]!, actual: mineBatch[i]!, expectedLabel: 'encode', actualLabel: 'encodeBatch', idToToken, decodePrefix,
          }),
        );
      }
      if (useJs) {
        let jsIds: number[] | undefined;
        let jsErr: unknown;
        try {
          jsIds = js.encode(c.text);
        } catch (e) {
          jsErr = e;
        }
        if (!jsIds || !eqIds(want, jsIds)) {
          r.refDisagreements++;
          push(
            r.refMessages,
            jsIds
              ? describeMismatch({
                  tokenizer: t.name, what: 'reference disagreement (@huggingface/tokenizers vs HF Python; HF Python is ground truth)', c,
                  expected: want, actual: jsIds, expectedLabel: 'HF Python', actualLabel: 'HF JS', idToToken, decodePrefix,
                })
              : `[${t.name}] @huggingface/tokenizers threw on ${c.label}: ${String(jsErr)}`,
          );
        }
      }
      if (pyDecoded) {
        const got = subject.decode(Uint32Array.from(want));
        if (got !== pyDecoded[i]) {
          r.decodeMismatches++;
          push(r.messages, `[${t.name}] decode mismatch vs HF Python on the ids of ${c.label}\n  text: ${snippet(c.text)}\n  HF Python: ${snippet(pyDecoded[i]!, 200)}\n  ${subject.label}: ${snippet(got, 200)}`);
        }
      }
      if (opts.checkRoundTrip !== false && !lone) {
        const back = subject.decode(mine[i]!);
        const exp = expectedRoundTrip(t.name, c.text);
        if (back !== exp) {
          r.roundTripFailures++;
          let k = 0;
          while (k < back.length && back[k] === exp[k]) k++;
          push(r.messages, `[${t.name}] round trip decode(encode(s)) != s for ${c.label}, first differing UTF-16 index ${k}\n  expected: ${esc(exp.slice(Math.max(0, k - 20), k + 40))}\n  got:      ${esc(back.slice(Math.max(0, k - 20), k + 40))}`);
        }
      }
    }
  }
  r.seconds = (performance.now() - t0) / 1000;
  return r;
}

/** One line per result, Markdown table. */
export function summaryTable(results: ParityResult[]): string {
  const head = '| tokenizer | corpus | texts | tokens | mismatches | batch≠single | decode≠HF | round-trip fails | HF JS≠HF Py | lone-surrogate texts | s |';
  const sep = '|' + head.split('|').slice(1, -1).map(() => '---').join('|') + '|';
  const rows = results.map((r) =>
    `| ${r.tokenizer} | ${r.corpus} | ${r.texts} | ${r.tokens} | ${r.mismatches} | ${r.batchMismatches} | ${r.decodeMismatches} | ${r.roundTripFailures} | ${r.refDisagreements} | ${r.loneSurrogateTexts} | ${r.seconds.toFixed(1)} |`,
  );
  return [head, sep, ...rows].join('\n');
}

export { toWellFormed };
