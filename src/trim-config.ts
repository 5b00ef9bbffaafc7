// The id-bearing fields of a model folder's JSON files besides tokenizer.json, remapped through the
// old -> new id map: config.json / generation_config.json special ids (also nested, e.g. Gemma3's
// text_config) and vocab_size, tokenizer_config.json added_tokens_decoder, added_tokens.json.
import { VocabsmithError } from './errors.js';

const DROPPED = 0xffffffff;

/** Keys holding token ids: bos_token_id, eos_token_id (a number or a list), image_token_index, ... */
const isIdKey = (k: string) => /_token_ids?$|_token_index$/.test(k);

/** Every token id named in a config object (so that trimming keeps them). */
export function configIds(v: unknown, out: number[] = []): number[] {
  if (Array.isArray(v)) v.forEach((x) => configIds(x, out));
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (isIdKey(k)) for (const id of [x].flat()) if (Number.isInteger(id) && id >= 0) out.push(id as number);
      configIds(x, out);
    }
  }
  return out;
}

/** A copy of a config object with ids remapped and every vocab_size set to `vocabSize`. */
export function remapConfig(v: unknown, oldToNew: Uint32Array, vocabSize: number, file: string): unknown {
  const map = (id: unknown): unknown => {
    if (!Number.isInteger(id) || (id as number) < 0) return id;
    const n = oldToNew[id as number];
    if (n === undefined || n === DROPPED) throw new VocabsmithError(`token id ${id as number} was dropped`, file);
    return n;
  };
  if (Array.isArray(v)) return v.map((x) => remapConfig(x, oldToNew, vocabSize, file));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'vocab_size' && typeof x === 'number') out[k] = vocabSize;
    else if (isIdKey(k)) out[k] = Array.isArray(x) ? x.map(map) : map(x);
    else out[k] = remapConfig(x, oldToNew, vocabSize, file);
  }
  return out;
}

/** tokenizer_config.json: `added_tokens_decoder` is keyed by id. */
export function remapTokenizerConfig(v: Record<string, unknown>, oldToNew: Uint32Array, file: string): Record<string, unknown> {
  const dec = v.added_tokens_decoder as Record<string, unknown> | undefined;
  if (dec === undefined) return v;
  const out: Record<string, unknown> = {};
  for (const [id, tok] of Object.entries(dec)) {
    const n = oldToNew[Number(id)];
    if (n === undefined || n === DROPPED) throw new VocabsmithError(`added token id ${id} was dropped`, file);
    out[String(n)] = tok;
  }
  return { ...v, added_tokens_decoder: out };
}

/** added_tokens.json: {content: id}. */
export function remapAddedTokens(v: Record<string, number>, oldToNew: Uint32Array, file: string): Record<string, number> {
  return Object.fromEntries(
    Object.entries(v).map(([k, id]) => {
      const n = oldToNew[id];
      if (n === undefined || n === DROPPED) throw new VocabsmithError(`added token id ${id} was dropped`, file);
      return [k, n];
    }),
  );
}
