import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { runProcess } from '../helpers/cli.js';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planRemap, remapModel, Tokenizer, trim, VocabsmithError } from '../../src/index.js';
import { readSafetensorsHeader, readTensor } from '../../src/formats/safetensors.js';
import { realTokenizer } from '../helpers/tokenizers.js';
import { pythonPath } from '../helpers/oracle.js';
import { makeModel } from './model.js';

const tmp = mkdtempSync(join(tmpdir(), 'vocabsmith-remap-'));
// Its models and outputs are ~650 MB: without this every run left them in the temp folder.
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const llama = realTokenizer('llama3').path;
const gemma = realTokenizer('gemma3').path;
const LLAMA_IDS = 128256;
const specials = { bos_token_id: 128000, eos_token_id: [128001, 128009] };

/** All tensors of a folder: name -> bytes. */
function tensors(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const idx = join(dir, 'model.safetensors.index.json');
  const files = existsSync(idx) ? [...new Set(Object.values(JSON.parse(readFileSync(idx, 'utf8')).weight_map as Record<string, string>))] : ['model.safetensors'];
  for (const f of files) {
    const h = readSafetensorsHeader(join(dir, f));
    for (const t of h.tensors) out.set(t.name, readTensor(h, t));
  }
  return out;
}

let n = 0;
const fresh = (name: string) => join(tmp, `${name}-${n++}`);

describe('remap to the same tokenizer is the identity', () => {
  for (const dtype of ['F32', 'F16', 'BF16'] as const) {
    for (const tied of [true, false]) {
      it(`${dtype} ${tied ? 'tied' : 'untied'}${tied ? '' : ', sharded'}: every tensor byte-identical`, () => {
        const src = fresh('src');
        makeModel(src, { tokenizer: llama, rows: LLAMA_IDS, dim: 8, dtype, tied, sharded: !tied, config: specials });
        const out = fresh('out');
        const r = remapModel({ model: src, targetTokenizer: llama, method: 'fvt', out });
        expect(r.rows.copy).toBe(LLAMA_IDS);
        expect(r.tied).toBe(tied);
        const [a, b] = [tensors(src), tensors(out)];
        expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
        for (const [name, bytes] of a) expect(b.get(name)!.equals(bytes), name).toBe(true);
        const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
        expect(cfg).toMatchObject({ vocab_size: LLAMA_IDS, ...specials });
        expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('synthetic\n');
      });
    }
  }
});

describe('remap to a permuted vocabulary moves rows exactly', () => {
  it('reversed model ids: target row i is source row 127999 − i, byte for byte', () => {
    const json = JSON.parse(readFileSync(llama, 'utf8'));
    const vocab = json.model.vocab as Record<string, number>;
    for (const k of Object.keys(vocab)) if (vocab[k]! < 128000) vocab[k] = 127999 - vocab[k]!;
    const target = join(tmp, 'reversed.json');
    writeFileSync(target, JSON.stringify(json));
    const src = fresh('src');
    makeModel(src, { tokenizer: llama, rows: LLAMA_IDS, dim: 8, dtype: 'BF16', tied: false, config: specials });
    const out = fresh('out');
    const r = remapModel({ model: src, targetTokenizer: target, method: 'fvt', out });
    expect(r.rows.copy).toBe(LLAMA_IDS);
    const [a, b] = [tensors(src), tensors(out)];
    const rb = 8 * 2;
    for (const name of ['model.embed_tokens.weight', 'lm_head.weight']) {
      for (let i = 0; i < LLAMA_IDS; i += 97) {
        const j = i < 128000 ? 127999 - i : i;
        expect(b.get(name)!.subarray(i * rb, (i + 1) * rb).equals(a.get(name)!.subarray(j * rb, (j + 1) * rb))).toBe(true);
      }
    }
    // The re-encoded text maps the same tokens to the same rows.
    const [s, t] = [Tokenizer.fromFile(llama), Tokenizer.fromFile(target)];
    const text = 'Remapping moves rows, not values.';
    expect(Array.from(t.encode(text))).toEqual(Array.from(s.encode(text), (id) => 127999 - id));
  });
});

describe('remap to a trimmed vocabulary', () => {
  it('equals what trimming writes: every row copied from the kept id, weights byte-identical', () => {
    const src = fresh('src');
    makeModel(src, { tokenizer: llama, rows: LLAMA_IDS, dim: 8, dtype: 'BF16', tied: false, sharded: true });
    const trimmed = fresh('trimmed');
    const t = trim({ model: src, corpus: ['udhr:eng,fra'], out: trimmed });
    const out = fresh('out');
    const r = remapModel({ model: src, targetTokenizer: join(trimmed, 'tokenizer.json'), method: 'fvt', out });
    expect(r.targetIds).toBe(t.keptIds.length);
    expect(r.rows.copy).toBe(t.keptIds.length);
    const [a, b] = [tensors(trimmed), tensors(out)];
    for (const [name, bytes] of a) expect(b.get(name)!.equals(bytes), name).toBe(true);
  });
});

describe('cross-family FVT: Llama-3 (byte-level) model to the Gemma3 (SentencePiece) tokenizer', () => {
  for (const dtype of ['F32', 'BF16'] as const) {
    it(`${dtype}: copies and FVT means match an independent Python computation`, async () => {
      const src = fresh('src');
      makeModel(src, { tokenizer: llama, rows: LLAMA_IDS, dim: 8, dtype, tied: dtype === 'F32', config: { bos_token_id: 128000 } });
      const out = fresh('out');
      // Gemma3 lacks Llama's <|begin_of_text|>: the bos role maps it to Gemma's <bos> (id 2), whose
      // row is the source's bos row; config ids follow. (Before roles, this remap was refused.)
      const roled = fresh('roled');
      const rr = remapModel({ model: src, targetTokenizer: gemma, method: 'fvt', out: roled });
      expect(rr.specialMapped).toContainEqual({ role: 'bos', source: '<|begin_of_text|>', target: '<bos>' });
      expect(JSON.parse(readFileSync(join(roled, 'config.json'), 'utf8')).bos_token_id).toBe(2);
      const rowBytes = 8 * (dtype === 'F32' ? 4 : 2);
      const [a, b] = [tensors(src).get('model.embed_tokens.weight')!, tensors(roled).get('model.embed_tokens.weight')!];
      expect(b.subarray(2 * rowBytes, 3 * rowBytes).equals(a.subarray(128000 * rowBytes, 128001 * rowBytes))).toBe(true);
      writeFileSync(join(src, 'config.json'), JSON.stringify({ model_type: 'llama', vocab_size: LLAMA_IDS, tie_word_embeddings: dtype === 'F32' }));
      writeFileSync(join(src, 'generation_config.json'), '{}');
      const t0 = performance.now();
      const r = remapModel({ model: src, targetTokenizer: gemma, method: 'fvt', out });
      const ms = performance.now() - t0;
      console.log(`llama3 -> gemma3 ${dtype} dim 8: ${JSON.stringify(r.rows)} in ${ms.toFixed(0)} ms (plan ${r.seconds.plan.toFixed(2)} s)`);
      expect(r.rows.copy).toBeGreaterThan(40_000);
      expect(r.rows.fvt).toBeGreaterThan(100_000);
      const plan = planRemap(Tokenizer.fromFile(llama), Tokenizer.fromFile(gemma), 'fvt');
      const kinds = join(tmp, `kinds-${n++}.json`);
      writeFileSync(kinds, JSON.stringify({ kinds: Array.from(plan.kinds) }));
      const py = await runProcess(pythonPath(), [fileURLToPath(new URL('check_remap.py', import.meta.url)), src, out, kinds]);
      expect(py.stderr).toBe('');
      const res = JSON.parse(py.stdout);
      expect(res.ok).toBe(true);
      expect(res.checked.copy).toBeGreaterThan(100);
      console.log(`python check: ${py.stdout.trim()}`);
    });
  }
});

describe('remap bad input leaves no output', () => {
  it('a target token that cannot be byte-canonicalised', () => {
    const src = fresh('src');
    makeModel(src, { tokenizer: llama, rows: LLAMA_IDS, dim: 4, dtype: 'F32', tied: true });
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ model: { type: 'BPE', vocab: { a: 0, 中: 1 }, merges: [] }, pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true }, decoder: { type: 'ByteLevel' } }));
    const out = fresh('out');
    expect(() => remapModel({ model: src, targetTokenizer: bad, method: 'fvt', out })).toThrow(/cannot be byte-canonicalised: token "中"/);
    expect(existsSync(out)).toBe(false);
  });
  it('fewer embedding rows than tokenizer ids', () => {
    const src = fresh('src');
    makeModel(src, { tokenizer: llama, rows: 1000, dim: 4, dtype: 'F32', tied: true });
    const out = fresh('out');
    expect(() => remapModel({ model: src, targetTokenizer: llama, method: 'fvt', out })).toThrow(/vocabulary size mismatch/);
    expect(existsSync(out)).toBe(false);
  });
  it('an embedding that is not [vocab, hidden]', () => {
    const src = fresh('src');
    makeModel(src, { tokenizer: llama, rows: LLAMA_IDS, dim: 4, dtype: 'F32', tied: true, embedShape: [LLAMA_IDS, 2, 2] });
    const out = fresh('out');
    expect(() => remapModel({ model: src, targetTokenizer: llama, method: 'fvt', out })).toThrow(/unknown tensor layout/);
    expect(existsSync(out)).toBe(false);
  });
  it('FOCUS without auxiliary vectors; a non-empty output folder', () => {
    const src = fresh('src');
    makeModel(src, { tokenizer: llama, rows: LLAMA_IDS, dim: 4, dtype: 'F32', tied: true });
    expect(() => remapModel({ model: src, targetTokenizer: llama, method: 'focus', out: fresh('out') })).toThrow(VocabsmithError);
    expect(() => remapModel({ model: src, targetTokenizer: llama, method: 'fvt', out: src })).toThrow(/not empty/);
  });
});

describe('vocabsmith remap (CLI)', () => {
  it('copy method; prints the report; errors are one line', () => {
    const cli = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));
    const src = fresh('src');
    makeModel(src, { tokenizer: llama, rows: LLAMA_IDS, dim: 4, dtype: 'F16', tied: false, config: specials });
    const out = fresh('out');
    const r = spawnSync(process.execPath, [cli, 'remap', '--model', src, '--target-tokenizer', llama, '--method', 'copy', '--out', out, '--json'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).rows.copy).toBe(LLAMA_IDS);
    const bad = spawnSync(process.execPath, [cli, 'remap', '-m', src, '-t', llama, '--method', 'nope', '-o', fresh('out')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^vocabsmith: unknown method nope/);
  });
});

describe('FOCUS and OMP with auxiliary vectors', () => {
  it('rows are the planned weighted sums of source rows; tokens without a vector fall back to FVT', () => {
    const [s, t] = [Tokenizer.fromFile(llama), Tokenizer.fromFile(gemma)];
    const fvt = planRemap(s, t, 'fvt');
    const ids = fvt.kinds.length;
    const dim = 6;
    // Vectors for 3000 copied tokens and 300 new ones only: the fit is a full scan per new token.
    const vectors = new Float32Array(ids * dim);
    let x = 7;
    const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    let copied = 0;
    let fresh = 0;
    for (let i = 0; i < ids; i++) {
      const want = fvt.kinds[i] === 0 ? copied++ < 3000 : fvt.kinds[i] === 1 ? fresh++ < 300 : false;
      if (want) for (let d = 0; d < dim; d++) vectors[i * dim + d] = rnd();
    }
    const src = join(tmp, `aux-src-${n++}`);
    makeModel(src, { tokenizer: llama, rows: LLAMA_IDS, dim: 4, dtype: 'F32', tied: true });
    const srcEmb = tensors(src).get('model.embed_tokens.weight')!;
    const row = (buf: Buffer, i: number) => Array.from({ length: 4 }, (_, d) => buf.readFloatLE((i * 4 + d) * 4));
    for (const method of ['focus', 'omp'] as const) {
      const plan = planRemap(s, t, method, { vectors, dim });
      const fitted = [...plan.kinds.keys()].filter((i) => plan.kinds[i] === (method === 'focus' ? 2 : 3));
      expect(fitted).toHaveLength(300);
      expect(plan.kinds.filter((k) => k === 1).length).toBe(fvt.kinds.filter((k) => k === 1).length - 300);
      if (method === 'focus') {
        for (const i of fitted) {
          const w = plan.weights.subarray(plan.ptr[i]!, plan.ptr[i + 1]!);
          expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        }
      }
      const out = fresh_(method);
      const r = remapModel({ model: src, targetTokenizer: gemma, method, out, aux: { vectors, dim } });
      expect(r.rows[method]).toBe(300);
      if (method === 'focus') expect(r.weights).toEqual({ max: expect.closeTo(1, 5), large: 0 });
      else expect(r.weights.max).toBeGreaterThan(1);
      const emb = tensors(out).get('model.embed_tokens.weight')!;
      for (const i of fitted.slice(0, 50)) {
        const acc = new Float64Array(4);
        for (let k = plan.ptr[i]!; k < plan.ptr[i + 1]!; k++) row(srcEmb, plan.sources[k]!).forEach((v, d) => (acc[d]! += plan.weights[k]! * v));
        expect(row(emb, i)).toEqual(Array.from(Float32Array.from(acc)));
      }
    }
  });
});

function fresh_(name: string) {
  return fresh(name);
}

describe('remap across families: special-token roles, the target chat template, Gemma-3 identity', () => {
  const qwen = realTokenizer('qwen3');
  const llamaReal = realTokenizer('llama3');
  /** A Llama-3-instruct-shaped folder: tokenizer, tokenizer_config (template), generation_config with three eos ids. */
  function llamaInstruct(): string {
    const src = fresh('instruct');
    makeModel(src, { tokenizer: llama, rows: LLAMA_IDS, dim: 4, dtype: 'BF16', tied: false, config: { bos_token_id: 128000, eos_token_id: 128009, rope_theta: 500000.0 } });
    copyFileSync(llamaReal.configPath, join(src, 'tokenizer_config.json'));
    writeFileSync(join(src, 'chat_template.jinja'), JSON.parse(readFileSync(llamaReal.configPath, 'utf8')).chat_template);
    writeFileSync(join(src, 'generation_config.json'), '{\n  "bos_token_id": 128000,\n  "eos_token_id": [128001, 128008, 128009],\n  "temperature": 0.6\n}\n');
    return src;
  }

  it('Llama-3 -> Qwen3: bos/eos/turn markers mapped by role, rows copied, config ids are the target\'s; the target template is written', () => {
    const src = llamaInstruct();
    const out = fresh('to-qwen');
    const r = remapModel({ model: src, targetTokenizer: qwen.path, method: 'fvt', out });
    expect(r.specialMapped).toEqual(
      expect.arrayContaining([
        { role: 'turn_end', source: '<|eot_id|>', target: '<|im_end|>' },
        { role: 'turn_start', source: '<|start_header_id|>', target: '<|im_start|>' },
      ]),
    );
    const [imEnd, imStart] = [151645, 151644];
    const gen = JSON.parse(readFileSync(join(out, 'generation_config.json'), 'utf8'));
    // eot (128009) follows its row to <|im_end|>; end_of_text and eom have no twin: the eos role gives <|im_end|>.
    expect(gen).toEqual({ bos_token_id: null, eos_token_id: [imEnd], temperature: 0.6 });
    expect(readFileSync(join(out, 'config.json'), 'utf8')).toContain('"rope_theta":500000');
    const [a, b] = [tensors(src), tensors(out)];
    const rb = 4 * 2;
    for (const [t, s] of [[imEnd, 128009], [imStart, 128006]] as [number, number][]) {
      for (const name of ['model.embed_tokens.weight', 'lm_head.weight']) expect(b.get(name)!.subarray(t * rb, (t + 1) * rb).equals(a.get(name)!.subarray(s * rb, (s + 1) * rb)), name).toBe(true);
    }
    // The target's template and tokenizer config, never the source's chat_template.jinja.
    expect(existsSync(join(out, 'chat_template.jinja'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'tokenizer_config.json'), 'utf8')).chat_template).toContain('<|im_start|>');
  });

  it('--map-special overrides a pair; an unknown token is one clear error', () => {
    const src = llamaInstruct();
    const out = fresh('override');
    const r = remapModel({ model: src, targetTokenizer: qwen.path, method: 'fvt', out, mapSpecial: ['<|end_of_text|>=<|im_end|>'] });
    expect(r.specialMapped[0]).toEqual({ role: 'explicit', source: '<|end_of_text|>', target: '<|im_end|>' });
    const [a, b] = [tensors(src).get('lm_head.weight')!, tensors(out).get('lm_head.weight')!];
    expect(b.subarray(151645 * 8, 151646 * 8).equals(a.subarray(128001 * 8, 128002 * 8))).toBe(true);
    expect(() => remapModel({ model: src, targetTokenizer: qwen.path, method: 'fvt', out: fresh('o'), mapSpecial: ['<nope>=<|im_end|>'] })).toThrow(/the source tokenizer has no token "<nope>"/);
  });

  it('Gemma-3 (262,144 rows, 262,145 ids) to its own tokenizer: every tensor byte-identical', () => {
    const src = fresh('gemma-src');
    makeModel(src, { tokenizer: gemma, rows: 262_144, dim: 4, dtype: 'BF16', tied: true, config: { bos_token_id: 2, eos_token_id: [1, 106] } });
    copyFileSync(realTokenizer('gemma3').configPath, join(src, 'tokenizer_config.json'));
    const out = fresh('gemma-out');
    const r = remapModel({ model: src, targetTokenizer: gemma, method: 'fvt', out });
    expect(r.rows.copy).toBe(262_145);
    expect(r.idsPastRows).toBe(1);
    const [a, b] = [tensors(src), tensors(out)];
    for (const [name, bytes] of a) expect(b.get(name)!.equals(bytes), name).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ vocab_size: 262_144, bos_token_id: 2, eos_token_id: [1, 106] });
  });
});

describe('planning reports its progress (issue 12 item 10)', () => {
  it('Llama-3 -> Gemma3 FVT: progress(done, total) rises to the rows it computes (the non-copies but added tokens the source lacks)', () => {
    const s = Tokenizer.fromFile(realTokenizer('llama3').path);
    const t = Tokenizer.fromFile(realTokenizer('gemma3').path);
    try {
      const calls: [number, number][] = [];
      const plan = planRemap(s, t, 'fvt', undefined, (done, total) => calls.push([done, total]));
      const computed = plan.kinds.filter((k) => k !== 0).length;
      const total = calls[0]![1];
      expect(calls[0]![0]).toBe(0);
      expect(total).toBeGreaterThan(100_000);
      expect(total).toBeLessThanOrEqual(computed);
      // Added tokens the source lacks are decided in pass 1 (Gemma3 has 6,000+ such placeholders).
      expect(total).toBeGreaterThan(computed - 10_000);
      expect(calls.at(-1)).toEqual([total, total]);
      expect(calls.length).toBeGreaterThan(total / 64);
      for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
    } finally {
      s.free();
      t.free();
    }
  }, 120_000);
});
