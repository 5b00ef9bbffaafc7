// Markdown summary tables: one row per tokenizer, then the parity premium per language.
import type { Report } from './types.js';

const f = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '–' : v.toFixed(d));
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

export function renderMarkdown(r: Report): string {
  const out: string[] = [`# Token efficiency report`, '', `${r.tokenizers.length} tokenizers × ${r.corpora.length} corpora; reference language: ${r.reference ?? 'none'}; Rényi α = ${r.alpha}. Created ${r.created}.`, ''];
  const problems = [
    ...r.tokenizers.filter((t) => t.error).map((t) => `- tokenizer **${t.name}**: ${t.error}`),
    ...r.corpusFailures.map((c) => `- corpus **${c.name}**: ${c.error}`),
  ];
  if (problems.length) out.push('## Problems', '', ...problems, '');
  // "all" pools every corpus; the reference language gets its own column because a pooled number
  // hides what one language gains (SuperBPE trained on English: its English gain vanishes in
  // 532 languages). No speed column: measuring includes the metrics, it is not encode throughput.
  const ref = r.reference;
  const head = ['tokenizer', 'vocab', ...(ref ? [`bytes/token (${ref})`] : []), 'bytes/token (all)', 'chars/token', 'fertility', 'continued words', 'mean premium', 'max premium', 'Gini (premium)', 'Gini (tok/byte)', `Rényi eff. α=${r.alpha}`, 'Shannon bits', 'vocab used', 'type/token', 'superwords', 'byte fallback', 'unk'];
  out.push('## Summary', '', '"all" pools every corpus.', '');
  out.push(row(head));
  out.push(row(Array(head.length).fill('---')));
  for (const t of r.tokenizers) {
    const s = t.summary;
    if (!s) {
      out.push(row([t.name, `failed: ${t.error ?? '?'}`, ...Array(head.length - 2).fill('')]));
      continue;
    }
    const refCell = ref ? [f(t.corpora?.[ref]?.bytesPerToken)] : [];
    out.push(row([t.name, t.vocabSize ?? '', ...refCell, f(s.bytesPerToken), f(s.charsPerToken), f(s.fertility), f(s.continuedWordRate, 3), f(s.meanPremium), f(s.maxPremium), f(s.giniParallel, 3), f(s.giniPerByte, 3), f(s.renyiEfficiency, 3), f(s.shannonBits), f(s.vocabUtilisation, 3), f(s.typeTokenRatio, 4), f(s.superwordShare, 3), f(s.byteFallbackRate, 4), f(s.unkRate, 4)]));
  }
  const ok = r.tokenizers.filter((t) => t.corpora);
  out.push('', '## Per language', '', 'Parity premium as ratio of totals / mean of ratios, and fertility (tokens per word).', '');
  out.push(row(['corpus', 'language', 'bytes', ...ok.flatMap((t) => [`${t.name} premium`, `${t.name} fertility`])]));
  out.push(row(Array(3 + 2 * ok.length).fill('---')));
  for (const c of r.corpora) {
    out.push(row([c.name, c.label, c.bytes, ...ok.flatMap((t) => {
      const m = t.corpora![c.name];
      return [m ? `${f(m.premiumTotal)} / ${f(m.premiumMean)}` : '–', f(m?.fertility)];
    })]));
  }
  out.push('', '## Definitions', '', ...Object.entries(r.definitions).map(([k, v]) => `- **${k}**: ${v}`), '');
  return out.join('\n');
}
