// Special-token roles across tokenizer families. A Llama-3 model remapped to Qwen3 must end its
// turns with Qwen's `<|im_end|>`, which Llama's vocabulary does not contain: matching by content
// cannot place it, and a config still naming `<|begin_of_text|>` would not load against the
// target. So roles are matched instead of strings: bos / eos / pad / unk from each side's
// tokenizer_config.json (the source's config.json ids as a fallback), and the chat template's
// turn markers — the added token that opens a turn (written right before the role name) and the
// one that closes it (right after the content) — found by rendering each side's template. The
// target's role token gets the source role token's row; `--map-special SRC=TGT` adds or
// overrides pairs. Precedence when two pairs name one target token: explicit, turn markers, then
// bos/eos/pad/unk (a chat model's eos row is its end-of-turn row).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { about, VocabsmithError } from './errors.js';
import { readChatTemplate, specialStrings, type ChatTemplate } from './model-folder/index.js';
import type { Tokenizer } from './tokenizer.js';

export type Role = 'bos' | 'eos' | 'pad' | 'unk' | 'turn_start' | 'turn_end';
const BASIC: Role[] = ['bos', 'eos', 'pad', 'unk'];

/** One special token's id on each side, and why they were paired. */
export interface RolePair {
  role: Role | 'explicit';
  source: { id: number; token: string };
  target: { id: number; token: string };
}

/** A tokenizer's role tokens, by role. */
export type Roles = Partial<Record<Role, { id: number; token: string }>>;

const readJson = (p: string): Record<string, unknown> =>
  existsSync(p) ? about(p, () => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>) : {};

/** The added tokens' strings of a tokenizer (the candidates for turn markers). */
function addedTokens(tokenizerJson: string): string[] {
  const v = about(tokenizerJson, () => JSON.parse(readFileSync(tokenizerJson, 'utf8')) as { added_tokens?: { content: string }[] });
  return (v.added_tokens ?? []).map((t) => t.content).filter((s) => s.length > 1);
}

/** The turn markers of a chat template: the added tokens written right before `user` and right after a message's content. */
function turnMarkers(t: ChatTemplate, added: string[]): { start?: string; end?: string } {
  const content = 'Q7xZ';
  let text: string;
  try {
    text = new Template(t.templates.get('default') ?? [...t.templates.values()][0]!).render({
      ...t.specials,
      messages: [{ role: 'user', content }, { role: 'assistant', content }],
      add_generation_prompt: false,
    });
  } catch {
    return {};
  }
  // Longest first, so `<|im_start|>` wins over any shorter token it contains.
  const byLength = [...added].sort((a, b) => b.length - a.length);
  const start = byLength.find((a) => new RegExp(`${escape(a)}\\s*user`).test(text));
  const end = byLength.find((a) => text.includes(`${content}${a}`));
  return { start, end };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The role tokens of a tokenizer: `dir` holds its tokenizer_config.json (and, for a model folder,
 * config.json and generation_config.json, whose ids fill roles the tokenizer config leaves out).
 */
export function readRoles(dir: string, tokenizerJson: string, tok: Tokenizer): Roles {
  const roles: Roles = {};
  const strings = specialStrings(readJson(join(dir, 'tokenizer_config.json')));
  const put = (role: Role, id: number | undefined) => {
    const token = id === undefined ? undefined : tok.idToToken(id);
    if (id !== undefined && token !== undefined && roles[role] === undefined) roles[role] = { id, token };
  };
  for (const r of BASIC) {
    const s = strings[`${r}_token`];
    if (s !== undefined) put(r, tok.tokenToId(s));
  }
  for (const file of ['config.json', 'generation_config.json']) {
    const cfg = readJson(join(dir, file));
    for (const r of BASIC) {
      const v = cfg[`${r}_token_id`];
      put(r, typeof v === 'number' ? v : Array.isArray(v) && typeof v[0] === 'number' ? (v[0] as number) : undefined);
    }
  }
  const template = readChatTemplate(dir);
  if (template !== undefined) {
    const m = turnMarkers(template, addedTokens(tokenizerJson));
    if (m.start !== undefined) put('turn_start', tok.tokenToId(m.start));
    if (m.end !== undefined) put('turn_end', tok.tokenToId(m.end));
  }
  return roles;
}

/** Parses `--map-special` pairs `SRC=TGT` (token strings) into ids, naming what is wrong. */
export function explicitPairs(specs: string[], source: Tokenizer, target: Tokenizer): RolePair[] {
  return specs.map((spec) => {
    const eq = spec.indexOf('=', 1);
    if (eq < 0) throw new VocabsmithError(`--map-special ${JSON.stringify(spec)}: expected SOURCE_TOKEN=TARGET_TOKEN`);
    const [s, t] = [spec.slice(0, eq), spec.slice(eq + 1)];
    const sid = source.tokenToId(s);
    const tid = target.tokenToId(t);
    if (sid === undefined) throw new VocabsmithError(`--map-special: the source tokenizer has no token ${JSON.stringify(s)}`);
    if (tid === undefined) throw new VocabsmithError(`--map-special: the target tokenizer has no token ${JSON.stringify(t)}`);
    return { role: 'explicit', source: { id: sid, token: s }, target: { id: tid, token: t } };
  });
}

/** Source/target pairs by role, one per target token, in precedence order (explicit first). */
export function pairRoles(source: Roles, target: Roles, explicit: RolePair[]): RolePair[] {
  const out: RolePair[] = [...explicit];
  const taken = new Set(explicit.map((p) => p.target.id));
  for (const role of ['turn_end', 'turn_start', ...BASIC] as Role[]) {
    const [s, t] = [source[role], target[role]];
    if (s === undefined || t === undefined || taken.has(t.id)) continue;
    taken.add(t.id);
    out.push({ role, source: s, target: t });
  }
  return out;
}

/** The role a config field names: `eos_token_id` -> eos. */
export function fieldRole(key: string): Role | undefined {
  const m = /^(bos|eos|pad|unk)_token_ids?$/.exec(key);
  return m === null ? undefined : (m[1] as Role);
}
