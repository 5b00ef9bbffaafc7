// The id-bearing fields of a model folder's JSON files besides tokenizer.json, moved through an
// old -> new id map by surgical edits (json-edit.ts), so that everything else — float lexemes
// such as `final_logit_softcapping: 30.0`, key order, formatting — is written back unchanged.
//   config.json / generation_config.json: every `*_token_id(s)` / `*_token_index` (nested too,
//     e.g. Gemma3's text_config), the id lists `suppress_tokens`, `begin_suppress_tokens`,
//     `bad_words_ids`, `forced_decoder_ids`, and the vocabulary sizes;
//   tokenizer_config.json: `added_tokens_decoder` (keyed by id); added_tokens.json: {content: id}.
import { VocabsmithError } from '../errors.js';
import { JsonEdits, member, parseJson, plain, withEntries, type JsonNode } from './json-edit.js';

/** Keys holding one token id or a list of alternatives: bos_token_id, eos_token_id, image_token_index, ... */
export const isIdKey = (k: string): boolean => /_token_ids?$|_token_index$/.test(k);
/** Lists of ids that only restrict generation: an id that no longer exists is simply left out. */
const SUPPRESS_LISTS = new Set(['suppress_tokens', 'begin_suppress_tokens']);

/** Where an id goes: its new id, or undefined when the token is gone. */
export type IdMapper = (id: number) => number | undefined;

export interface ConfigEdit {
  map: IdMapper;
  /** Vocabulary sizes to rewrite: a `vocab_size*` field holding a key of this map gets its value. */
  sizes: Map<number, number>;
  /** Names a token for error messages: `128000 ("<|begin_of_text|>")`. */
  describe?: (id: number) => string;
  /**
   * For an id field whose token `map` does not place: the field's role decides (remap: an
   * `eos_token_id` entry becomes the target's eos). null writes null: the target has no such token.
   */
  byField?: (id: number, key: string) => number | null | undefined;
  /**
   * For a list of alternatives (`eos_token_id: [...]`): every new id of a token, when one token
   * became several (remap: Qwen's `<|im_end|>` row serves both Llama's `<|end_of_text|>` and `<|eot_id|>`).
   */
  mapAll?: (id: number) => number[];
  /** Fields to set or add at the top level. */
  set?: Record<string, number | number[] | null>;
}

const isId = (n: JsonNode): n is Extract<JsonNode, { kind: 'number' }> => n.kind === 'number' && Number.isInteger(n.value) && n.value >= 0;

/** Every token id a config names in an id field (so that trimming keeps them). */
export function configIds(text: string, file: string): number[] {
  const out: number[] = [];
  const walk = (n: JsonNode) => {
    if (n.kind === 'array') n.items.forEach(walk);
    if (n.kind !== 'object') return;
    for (const e of n.entries) {
      if (isIdKey(e.key)) for (const x of e.value.kind === 'array' ? e.value.items : [e.value]) if (isId(x)) out.push(x.value);
      if (e.key === 'forced_decoder_ids' && e.value.kind === 'array') {
        for (const pair of e.value.items) if (pair.kind === 'array' && pair.items[1] !== undefined && isId(pair.items[1])) out.push(pair.items[1].value);
      }
      walk(e.value);
    }
  };
  walk(parseJson(text, file));
  return out;
}

/** config.json / generation_config.json with ids and vocabulary sizes moved; the rest byte-identical. */
export function editConfig(text: string, file: string, o: ConfigEdit): string {
  const root = parseJson(text, file);
  const edits = new JsonEdits(text);
  const name = (id: number) => (o.describe === undefined ? String(id) : o.describe(id));
  const need = (key: string, id: number): number | null => {
    const n = o.map(id) ?? o.byField?.(id, key);
    if (n === undefined) throw new VocabsmithError(`${key} names token ${name(id)}, which the new vocabulary lacks`, file);
    return n;
  };
  const walk = (n: JsonNode, top: boolean) => {
    if (n.kind === 'array') n.items.forEach((x) => walk(x, false));
    if (n.kind !== 'object') return;
    for (const e of n.entries) {
      const v = e.value;
      if (top && o.set !== undefined && e.key in o.set) {
        edits.replace(v, JSON.stringify(o.set[e.key]));
      } else if (isIdKey(e.key)) {
        if (isId(v)) edits.replace(v, String(need(e.key, v.value)));
        // A list of alternatives (eos_token_id: [128001, 128008, 128009]) may map two ids to one.
        else if (v.kind === 'array' && v.items.every(isId)) edits.replace(v, JSON.stringify([...new Set(v.items.flatMap((x) => {
          const all = o.mapAll?.(x.value) ?? [];
          return all.length > 0 ? all : [need(e.key, x.value)];
        }).filter((x) => x !== null))]));
      } else if (SUPPRESS_LISTS.has(e.key) && v.kind === 'array') {
        const ids = v.items.filter(isId).map((x) => o.map(x.value)).filter((x) => x !== undefined);
        edits.replace(v, JSON.stringify(ids));
      } else if (e.key === 'bad_words_ids' && v.kind === 'array') {
        // A banned sequence with a token the vocabulary no longer has can never be generated.
        const seqs = (plain(v) as number[][]).map((s) => s.map((id) => o.map(id))).filter((s) => s.every((x) => x !== undefined));
        edits.replace(v, JSON.stringify(seqs));
      } else if (e.key === 'forced_decoder_ids' && v.kind === 'array') {
        for (const pair of v.items) if (pair.kind === 'array' && pair.items[1] !== undefined && isId(pair.items[1])) edits.replace(pair.items[1], String(need(e.key, pair.items[1].value)));
      } else if (/^vocab_size/.test(e.key) && isId(v) && o.sizes.has(v.value)) {
        edits.replace(v, String(o.sizes.get(v.value)));
      } else {
        walk(v, false);
      }
    }
  };
  walk(root, true);
  if (o.set !== undefined && root.kind === 'object') {
    const missing = Object.entries(o.set).filter(([k]) => member(root, k) === undefined);
    if (missing.length > 0) {
      const w = withEntries(text, root, missing);
      edits.replace(w, w.text);
    }
  }
  return edits.apply();
}

/** tokenizer_config.json: `added_tokens_decoder` re-keyed by new id; entries of dropped tokens left out. */
export function editTokenizerConfig(text: string, file: string, map: IdMapper): string {
  const root = parseJson(text, file);
  const dec = member(root, 'added_tokens_decoder');
  if (dec === undefined || dec.kind !== 'object') return text;
  const edits = new JsonEdits(text);
  const keep = dec.entries.filter((e) => map(Number(e.key)) !== undefined);
  if (keep.length === dec.entries.length) {
    for (const e of dec.entries) edits.replace({ start: e.keyStart, end: e.keyEnd }, JSON.stringify(String(map(Number(e.key)))));
  } else {
    // Entries go: rebuild this one object (strings and booleans only, nothing lossy) in the file's indentation.
    const indent = /[ \t]*$/.exec(text.slice(0, dec.start - `"added_tokens_decoder": `.length))?.[0] ?? '';
    const obj = Object.fromEntries(keep.map((e) => [String(map(Number(e.key))), plain(e.value)]));
    edits.replace(dec, JSON.stringify(obj, null, 2).replace(/\n/g, `\n${indent}`));
  }
  return edits.apply();
}

/** added_tokens.json: {content: id}; dropped tokens left out. */
export function editAddedTokens(text: string, file: string, map: IdMapper): string {
  const v = plain(parseJson(text, file)) as Record<string, number>;
  const out = Object.entries(v).flatMap(([k, id]) => {
    const n = map(id);
    return n === undefined ? [] : [[k, n] as const];
  });
  return JSON.stringify(Object.fromEntries(out), null, 2) + '\n';
}
