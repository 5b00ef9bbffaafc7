// A folder's chat template and the tokens of its markup. A trimmed model must keep every token
// the template emits (Llama-3's `user`, `assistant`, `ĊĊ` after a header; Gemma's `model`), or
// prompts grow into token sequences the model never saw. The template is rendered with
// @huggingface/jinja (the engine transformers.js uses) on sample conversations — system, user,
// assistant, tool turns, with and without the generation prompt — and the rendered text is
// encoded: its tokens are the markup's (plus the few of the short sample texts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { about, VocabsmithError } from '../errors.js';
import type { Tokenizer } from '../tokenizer.js';

export interface ChatTemplate {
  /** Named templates (`default`, `tool_use`, ...); a single template is `default`. */
  templates: Map<string, string>;
  /** Where it was read from. */
  file: string;
  /** Special-token strings the template may refer to (bos_token, eos_token, ...). */
  specials: Record<string, string>;
}

/** The special-token strings of a tokenizer_config.json object (`{content}` objects unwrapped). */
export function specialStrings(cfg: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(cfg)) {
    if (!k.endsWith('_token')) continue;
    const s = typeof v === 'string' ? v : typeof v === 'object' && v !== null && typeof (v as { content?: unknown }).content === 'string' ? (v as { content: string }).content : undefined;
    if (s !== undefined) out[k] = s;
  }
  return out;
}

/** The chat template of the folder `dir` (chat_template.jinja, else tokenizer_config.json), if any. */
export function readChatTemplate(dir: string): ChatTemplate | undefined {
  const cfgPath = join(dir, 'tokenizer_config.json');
  const cfg = existsSync(cfgPath) ? about(cfgPath, () => JSON.parse(readFileSync(cfgPath, 'utf8')) as Record<string, unknown>) : {};
  const specials = specialStrings(cfg);
  const jinja = join(dir, 'chat_template.jinja');
  if (existsSync(jinja)) return { templates: new Map([['default', readFileSync(jinja, 'utf8')]]), file: jinja, specials };
  const t = cfg.chat_template;
  if (typeof t === 'string') return { templates: new Map([['default', t]]), file: cfgPath, specials };
  if (Array.isArray(t)) {
    return { templates: new Map((t as { name: string; template: string }[]).map((x) => [x.name, x.template])), file: cfgPath, specials };
  }
  return undefined;
}

const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather in a city',
      parameters: { type: 'object', properties: { city: { type: 'string', description: 'City name' } }, required: ['city'] },
    },
  },
];

/** Sample conversations: every role a template commonly handles. */
const CONVERSATIONS: { messages: Record<string, unknown>[]; tools?: unknown[] }[] = [
  { messages: [{ role: 'user', content: 'Hi' }] },
  { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: 'Bye' }] },
  { messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] },
  {
    tools: TOOLS,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: '', tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
      { role: 'tool', name: 'get_weather', content: '20' },
      { role: 'assistant', content: 'Warm' },
    ],
  },
];

/** Every text the template renders for the sample conversations (a sample it rejects is skipped). */
export function renderSamples(t: ChatTemplate): string[] {
  const out: string[] = [];
  for (const [name, source] of t.templates) {
    const tpl = about(t.file, () => {
      try {
        return new Template(source);
      } catch (e) {
        throw new VocabsmithError(`chat template ${name} does not parse: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    for (const c of CONVERSATIONS) {
      for (const add_generation_prompt of [false, true]) {
        try {
          out.push(
            tpl.render({
              ...t.specials,
              messages: c.messages,
              tools: c.tools,
              add_generation_prompt,
            }),
          );
        } catch {
          // Not every template takes every conversation; the others still cover its markup.
        }
      }
    }
  }
  if (out.length === 0) throw new VocabsmithError('the chat template rendered none of the sample conversations', t.file);
  return out;
}

/** Ids of every token in the template's rendered markup, ascending. */
export function chatTemplateIds(t: ChatTemplate, tok: Tokenizer): number[] {
  const ids = new Set<number>();
  for (const text of renderSamples(t)) for (const id of tok.encode(text)) ids.add(id);
  return [...ids].sort((a, b) => a - b);
}
