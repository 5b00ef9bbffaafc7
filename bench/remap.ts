/**
 * Remap and dynamic-merge timings: a synthetic Llama-3-tokenizer model (hidden 1024, bf16, untied
 * head: two 128,256 × 1024 matrices) remapped to its own tokenizer and to Gemma3's (262k ids,
 * FVT); dynamic merging of UDHR batches to word level. Writes bench/results/remap.json.
 * Run: npm run build && npx tsx bench/remap.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeBatch, remapModel, Tokenizer } from '../src/index.js';
import { realTokenizer } from '../test/helpers/tokenizers.js';
import { udhrParagraphs } from '../test/helpers/udhr.js';
import { makeModel } from '../test/remap/model.js';

const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-bench-remap-'));
const results: Record<string, unknown> = { node: process.version, cpu: cpus()[0]?.model, date: new Date().toISOString() };
try {
  const src = join(dir, 'src');
  const hidden = 1024;
  makeModel(src, { tokenizer: realTokenizer('llama3').path, rows: 128256, dim: hidden, dtype: 'BF16', tied: false });
  const remaps = [];
  for (const [name, target] of [['llama3 -> llama3', realTokenizer('llama3').path], ['llama3 -> gemma3', realTokenizer('gemma3').path]] as const) {
    const out = join(dir, `out-${remaps.length}`);
    const t0 = performance.now();
    const r = remapModel({ model: src, targetTokenizer: target, method: 'fvt', out });
    remaps.push({ name, hidden, dtype: 'BF16', untied: true, seconds: +((performance.now() - t0) / 1000).toFixed(2), phases: r.seconds, rows: r.rows, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) });
    rmSync(out, { recursive: true });
    console.log(remaps.at(-1));
  }
  results.remap = remaps;
  const merges = [];
  const tok = Tokenizer.fromFile(realTokenizer('llama3').path);
  const langs = ['eng', 'deu_1996', 'fra', 'rus', 'tur', 'fin', 'hin', 'arb', 'cmn_hans', 'jpn', 'kor', 'swh'];
  const batch = langs.flatMap((l) => udhrParagraphs(l));
  for (const n of [100, 1000, 100_000]) {
    const t0 = performance.now();
    const b = mergeBatch(tok, batch, { merges: n, wordLevel: false });
    merges.push({ texts: batch.length, tokens: b.originalLength, merges: b.merges, reduction: +b.reduction.toFixed(4), ms: Math.round(performance.now() - t0) });
    console.log(merges.at(-1));
  }
  results.mergeBatch = merges;
  writeFileSync(new URL('results/remap.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
