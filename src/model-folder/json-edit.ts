// Lossless JSON editing. A model folder's configs are read by strict loaders: transformers 5
// validates field types, so `30.0` rewritten as `30` no longer loads as a float, and Llama's
// `rope_theta: 500000.0` silently becomes an int. JSON.parse + JSON.stringify cannot tell the
// two apart, so configs are parsed here into a tree that remembers each value's byte span, and
// an edit replaces only the spans it changes: every other character — number lexemes, key
// order, whitespace, escapes — is written back exactly as it was read.
import { VocabsmithError } from '../errors.js';

export type JsonNode =
  | { kind: 'object'; start: number; end: number; entries: { key: string; keyStart: number; keyEnd: number; value: JsonNode }[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'number'; start: number; end: number; value: number; lexeme: string }
  | { kind: 'literal'; start: number; end: number; value: boolean | null };

/** Parses `text` keeping every value's span; throws a VocabsmithError naming `file` and the offset. */
export function parseJson(text: string, file?: string): JsonNode {
  let i = 0;
  const fail = (what: string): never => {
    throw new VocabsmithError(`not valid JSON at character ${i}: ${what}`, file);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const str = (): { value: string; start: number; end: number } => {
    const start = i;
    if (text[i] !== '"') fail('expected a string');
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    // The decoded value comes from the platform parser (escapes, surrogates); the span is ours.
    return { value: JSON.parse(text.slice(start, i)) as string, start, end: i };
  };
  const value = (): JsonNode => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: Extract<JsonNode, { kind: 'object' }>['entries'] = [];
      ws();
      if (text[i] === '}') return { kind: 'object', start, end: ++i, entries };
      for (;;) {
        ws();
        const k = str();
        ws();
        if (text[i++] !== ':') fail('expected ":"');
        entries.push({ key: k.value, keyStart: k.start, keyEnd: k.end, value: value() });
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return { kind: 'object', start, end: ++i, entries };
        else fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') return { kind: 'array', start, end: ++i, items };
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return { kind: 'array', start, end: ++i, items };
        else fail('expected "," or "]"');
      }
    }
    if (c === '"') return { kind: 'string', ...str() };
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m !== null && m[0].length > 0) {
      i += m[0].length;
      return { kind: 'number', start, end: i, value: Number(m[0]), lexeme: m[0] };
    }
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return { kind: 'literal', start, end: i, value: v };
      }
    }
    // Python's json.dump writes NaN/Infinity for non-finite floats; transformers reads them back.
    for (const lit of ['NaN', 'Infinity', '-Infinity']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return { kind: 'number', start, end: i, value: Number(lit), lexeme: lit };
      }
    }
    return fail('expected a value');
  };
  const root = value();
  ws();
  if (i !== text.length) fail('trailing characters');
  return root;
}

/** The plain JavaScript value of a node (numbers lose their lexeme: read-only use). */
export function plain(n: JsonNode): unknown {
  switch (n.kind) {
    case 'object':
      return Object.fromEntries(n.entries.map((e) => [e.key, plain(e.value)]));
    case 'array':
      return n.items.map(plain);
    default:
      return n.value;
  }
}

/** A set of span replacements over one text, applied at once (spans must not overlap). */
export class JsonEdits {
  private readonly edits: { start: number; end: number; text: string }[] = [];
  constructor(readonly text: string) {}
  replace(n: { start: number; end: number }, text: string): void {
    this.edits.push({ start: n.start, end: n.end, text });
  }
  get count(): number {
    return this.edits.length;
  }
  apply(): string {
    const sorted = [...this.edits].sort((a, b) => a.start - b.start);
    let out = '';
    let at = 0;
    for (const e of sorted) {
      if (e.start < at) throw new Error('overlapping JSON edits: a bug in the caller');
      out += this.text.slice(at, e.start) + e.text;
      at = e.end;
    }
    return out + this.text.slice(at);
  }
}

/** The entry `key` of an object node, if any. */
export function member(n: JsonNode, key: string): JsonNode | undefined {
  return n.kind === 'object' ? n.entries.find((e) => e.key === key)?.value : undefined;
}

/**
 * Text for an object with `entries` added after the existing ones, in the indentation the file
 * already uses (or two spaces): for filling in fields a file lacks, e.g. a target's eos id.
 */
export function withEntries(text: string, obj: Extract<JsonNode, { kind: 'object' }>, add: [string, unknown][]): { start: number; end: number; text: string } {
  if (add.length === 0) return { start: obj.start, end: obj.end, text: text.slice(obj.start, obj.end) };
  const last = obj.entries.at(-1);
  const indent = last === undefined ? '  ' : /[ \t]*$/.exec(text.slice(0, last.keyStart))![0];
  const closeIndent = /[ \t]*$/.exec(text.slice(0, obj.end - 1))![0];
  const body = add.map(([k, v]) => `${indent}${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n');
  if (last === undefined) return { start: obj.start, end: obj.end, text: `{\n${body}\n${closeIndent}}` };
  return { start: last.value.end, end: last.value.end, text: `,\n${body}` };
}
