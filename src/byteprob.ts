/**
 * Exact byte-level probabilities from a token-level LM (Phan et al. 2024 BTR lemma; ByteSampler's
 * valid covering tree). The Rust core (byteprob/) says which token prefixes cover a byte prefix;
 * this file asks the model for their next-token log-probabilities and sums them:
 *   P(x b) = Σ_j Σ_{valid t, bytes(t) ⊒ x[j..] b} P(E(x[..j])) · q_j(t).
 * The core names the token sequences the covers extend (nodes); without a splitting pretokenizer
 * there is one per byte position (E(x[..j]) is unique), so a state pushing one byte needs one new
 * model call (at E(x)); with one, a tail whose piece boundaries are still provisional may have a
 * node per structure. Older vectors are kept sparse (only the tokens that can still extend the
 * text). Exact under the canonical-encoding assumption (`exact`) for byte-level BPE without a
 * splitting pretokenizer or with one of the known scanners (GPT-2, Llama-3, cl100k, o200k), and
 * for SentencePiece-style BPE with byte fallback (Gemma3: `▁` for spaces, `<0xNN>` tokens; no
 * prepended `▁`), where a text may not end inside a UTF-8 char.
 */
import { readFileSync } from 'node:fs';
import { about, VocabsmithError } from './errors.js';
import { tokenizerFile } from './files.js';
import { loadWasm, WasmByteModel, type WasmCoverState } from './wasm.js';

/** Next-token log-probabilities (log-softmax, one entry per id) after `prefixIds`. */
export type LogProbVector = Float32Array | Float64Array;
export type NextTokenLogProbs = (prefixIds: Uint32Array) => Promise<LogProbVector> | LogProbVector;
/** Batched form: one vector per prefix. */
export type BatchNextTokenLogProbs = (prefixes: Uint32Array[]) => Promise<LogProbVector[]>;

export interface ByteLMOptions {
  /** Id of the end-of-text token in the model's vectors. */
  eosId: number;
  /** Ids always placed before the text (e.g. BOS). Default none. */
  contextIds?: readonly number[];
  /** Length of the model's vectors. Default: the tokenizer's id count. */
  vocabSize?: number;
  /** Optional batched callback, used when several prefixes are needed at once. */
  batch?: BatchNextTokenLogProbs;
}

export interface ByteDistribution {
  /** P(next = b | x) for b = 0..255, and index 256 = end of text; sums to 1. */
  probs: Float64Array;
  /** Mass the model put on non-canonical or special continuations, renormalised away. */
  noncanonicalMass: number;
  /** log P(x) as a prefix (natural log). */
  logPrefix: number;
  /** False when the tokenizer's pretokenizer makes boundaries an assumption (see module doc). */
  exact: boolean;
}

export interface GenerateOptions {
  maxBytes?: number;
  /** 0 = greedy (default 1). */
  temperature?: number;
  /** Uniform [0, 1) source, for reproducible sampling. Default Math.random. */
  random?: () => number;
}

const EOS = 256;
const add = (a: Float64Array, i: number, v: number): void => {
  a[i] = (a[i] as number) + v;
};
const bytesOf = (s: string | Uint8Array): Uint8Array => (typeof s === 'string' ? new TextEncoder().encode(s) : s);

/** A byte-level view of a token LM (byte-level BPE, or SentencePiece BPE with byte fallback). */
export class ByteLM {
  readonly exact: boolean;
  readonly vocabSize: number;
  /** Model calls made so far (one per distinct token prefix). */
  modelCalls = 0;
  readonly #model: WasmByteModel;
  readonly #firstBytes: Uint16Array;
  readonly #context: readonly number[];
  readonly #byFirst = new WeakMap<LogProbVector, Float64Array>();

  private constructor(
    model: WasmByteModel,
    readonly lm: NextTokenLogProbs,
    readonly options: ByteLMOptions,
  ) {
    this.#model = model;
    this.exact = model.exact;
    this.vocabSize = options.vocabSize ?? model.vocabSize;
    if (this.vocabSize < model.vocabSize) {
      throw new VocabsmithError(`vocabSize ${this.vocabSize} is smaller than the tokenizer's ${model.vocabSize} ids`);
    }
    if (!Number.isInteger(options.eosId) || options.eosId < 0 || options.eosId >= this.vocabSize) {
      throw new VocabsmithError(`eosId ${options.eosId} is not an id below vocabSize ${this.vocabSize}`);
    }
    const fb = new Uint16Array(this.vocabSize).fill(EOS);
    fb.set(model.firstBytes());
    this.#firstBytes = fb;
    this.#context = options.contextIds ?? [];
  }

  /** From a tokenizer.json file; throws VocabsmithError for tokenizers that cannot be handled. */
  static fromFile(pathOrFolder: string, lm: NextTokenLogProbs, options: ByteLMOptions): ByteLM {
    const path = tokenizerFile(pathOrFolder);
    return ByteLM.fromJSON(about(path, () => readFileSync(path, 'utf8')), lm, options, path);
  }

  static fromJSON(json: string | object, lm: NextTokenLogProbs, options: ByteLMOptions, source?: string): ByteLM {
    loadWasm();
    const text = typeof json === 'string' ? json : JSON.stringify(json);
    return new ByteLM(about(source, () => WasmByteModel.fromJson(text)), lm, options);
  }

  /** A fresh incremental state at the empty prefix (or after `prefix`). */
  state(prefix: string | Uint8Array = new Uint8Array()): ByteState {
    const s = new ByteState(this, this.#model.state());
    for (const b of bytesOf(prefix)) s.push(b);
    return s;
  }

  async nextByteDistribution(prefix: string | Uint8Array): Promise<ByteDistribution> {
    return this.state(prefix).distribution();
  }

  /** log P(bytes) as a prefix of the text, or (complete) as the whole text followed by end of text. */
  async logProb(text: string | Uint8Array, options: { complete?: boolean } = {}): Promise<number> {
    const s = this.state(text);
    return options.complete ? s.logComplete() : s.logPrefix();
  }

  /**
   * Generates bytes after `prompt`, byte by byte. The prompt may end mid-token (FIM, prompt
   * healing): every continuation is drawn from the exact byte distribution, so the output extends
   * the prompt's bytes exactly. Returns the generated bytes (not the prompt).
   */
  async generate(prompt: string | Uint8Array, options: GenerateOptions = {}): Promise<Uint8Array> {
    return generateFrom([this.state(prompt)], options);
  }

  /** @internal */ async fetch(prefixes: Uint32Array[]): Promise<LogProbVector[]> {
    const ctx = this.#context;
    const full = prefixes.map((p) => {
      const a = new Uint32Array(ctx.length + p.length);
      a.set(ctx);
      a.set(p, ctx.length);
      return a;
    });
    this.modelCalls += full.length;
    const out =
      this.options.batch !== undefined && full.length > 1
        ? await this.options.batch(full)
        : await Promise.all(full.map((p) => this.lm(p)));
    out.forEach((v) => this.check(v));
    return out;
  }

  private check(v: unknown): asserts v is LogProbVector {
    if (!(v instanceof Float32Array || v instanceof Float64Array)) {
      throw new VocabsmithError('nextTokenLogProbs must return a Float32Array of log-probabilities');
    }
    if (v.length !== this.vocabSize) {
      throw new VocabsmithError(`nextTokenLogProbs returned ${v.length} values, expected vocabSize ${this.vocabSize}`);
    }
    let max = -Infinity;
    for (let i = 0; i < v.length; i++) {
      const x = v[i] as number;
      if (Number.isNaN(x) || x === Infinity) throw new VocabsmithError(`nextTokenLogProbs returned ${x} at id ${i}`);
      if (x > max) max = x;
    }
    // One pass of exp serves the log-softmax check and the mass per first byte (`byFirst`).
    const fb = this.#firstBytes;
    const byFirst = new Float64Array(257);
    let sum = 0;
    for (let i = 0; i < v.length; i++) {
      const e = Math.exp((v[i] as number) - max);
      sum += e;
      add(byFirst, fb[i] as number, e);
    }
    const lse = max + Math.log(sum);
    if (!(Math.abs(lse) < 1e-3)) {
      throw new VocabsmithError(`nextTokenLogProbs must return log-probabilities (log-softmax); their logsumexp is ${lse}`);
    }
    const scale = Math.exp(max);
    for (let b = 0; b < 257; b++) byFirst[b] = (byFirst[b] as number) * scale;
    this.#byFirst.set(v, byFirst);
  }

  /** @internal Probability mass of a checked vector per first byte of the token (256: none). */
  byFirst(v: LogProbVector): Float64Array {
    return Float64Array.from(this.#byFirst.get(v) as Float64Array);
  }

  /** @internal */ get firstBytes(): Uint16Array {
    return this.#firstBytes;
  }
  /** @internal */ prefixIds(bytes: Uint8Array): Uint32Array {
    return this.#model.prefixIds(bytes);
  }
}

type Vec = LogProbVector | Map<number, number>;
const at = (v: Vec, t: number): number => (v instanceof Map ? (v.get(t) ?? -Infinity) : (v[t] as number));
/** Full vectors kept for nodes ending this close to the end; older ones become sparse. */
const DENSE_WINDOW = 4;

interface Split {
  node: number;
  toks: Uint32Array;
  bytes: Uint32Array;
}
interface End {
  node: number;
  canonical: boolean;
  listedValid: boolean;
  ids: Uint32Array;
}

/** Splits a flat plan (see the bindings' `plan`). */
function parsePlan(flat: Uint32Array): { splits: Split[]; ends: End[] } {
  let k = 0;
  const splits: Split[] = [];
  const count = flat[k++] as number;
  for (let s = 0; s < count; s++) {
    const node = flat[k++] as number;
    const m = flat[k++] as number;
    const toks = new Uint32Array(m);
    const bytes = new Uint32Array(m);
    for (let i = 0; i < m; i++) {
      toks[i] = flat[k++] as number;
      bytes[i] = flat[k++] as number;
    }
    splits.push({ node, toks, bytes });
  }
  const ends: End[] = [];
  const e = flat[k++] as number;
  for (let i = 0; i < e; i++) {
    const node = flat[k++] as number;
    const flags = flat[k++] as number;
    const m = flat[k++] as number;
    ends.push({ node, canonical: (flags & 1) !== 0, listedValid: (flags & 2) !== 0, ids: flat.subarray(k, k + m) });
    k += m;
  }
  return { splits, ends };
}

/** An incremental byte prefix: push bytes, ask for the next-byte distribution. */
export class ByteState {
  #x: number[] = [];
  /** Model vectors and log-probabilities by node (a token sequence named by the core). */
  readonly #vec = new Map<number, Vec>();
  readonly #logP = new Map<number, number>([[0, 0]]);

  constructor(
    readonly lm: ByteLM,
    private readonly cover: WasmCoverState,
  ) {}

  get bytes(): Uint8Array {
    return Uint8Array.from(this.#x);
  }

  push(byte: number): void {
    this.#x.push(byte);
    this.cover.push(byte);
    const n = this.#x.length;
    for (const [node, v] of this.#vec) {
      const j = this.cover.end(node);
      if (n - j <= DENSE_WINDOW) continue;
      // Only tokens extending x[j..] can still be needed (as covers or chain links).
      const keep = new Map<number, number>();
      for (const t of this.lm.prefixIds(Uint8Array.from(this.#x.slice(j)))) {
        const lp = at(v, t);
        if (lp > -Infinity) keep.set(t, lp);
      }
      if (keep.size === 0) this.#vec.delete(node);
      else this.#vec.set(node, keep);
    }
  }

  /** Fetches the vectors of nodes not cached yet, in one batch. */
  private async ensure(nodes: number[]): Promise<void> {
    const need = [...new Set(nodes)].filter((n) => !this.#vec.has(n));
    if (need.length === 0) return;
    const got = await this.lm.fetch(need.map((n) => this.cover.path(n)));
    need.forEach((n, i) => this.#vec.set(n, got[i] as LogProbVector));
  }

  /** log P(node's tokens) by the chain of its parents. */
  private async logPath(node: number): Promise<number> {
    const chain: [number, number, number][] = [];
    let id = node;
    while (!this.#logP.has(id)) {
      const link = this.cover.link(id);
      if (link.length === 0) throw new VocabsmithError(`internal: node ${id} has no parent`);
      chain.push([id, link[0] as number, link[1] as number]);
      id = link[0] as number;
    }
    await this.ensure(chain.map((c) => c[1]));
    for (const [me, parent, tok] of chain.reverse()) {
      this.#logP.set(me, (this.#logP.get(parent) as number) + at(this.#vec.get(parent) as Vec, tok));
    }
    return this.#logP.get(node) as number;
  }

  private async plan(includeExact: boolean) {
    const { splits, ends } = parsePlan(this.cover.plan(includeExact));
    await this.ensure([...splits.map((s) => s.node), ...ends.map((e) => e.node)]);
    const weights = await Promise.all(splits.map((s) => this.logPath(s.node)));
    const endWeights = await Promise.all(ends.map((e) => this.logPath(e.node)));
    return { splits, weights, ends, endWeights };
  }

  async distribution(): Promise<ByteDistribution> {
    const n = this.#x.length;
    const { splits, weights, ends, endWeights } = await this.plan(false);
    // Masses relative to the largest path weight: P(x) underflows after a few hundred bytes.
    const ref = Math.max(...endWeights, ...weights);
    const mass = new Float64Array(257);
    splits.forEach((s, i) => {
      const v = this.#vec.get(s.node) as Vec;
      const w = (weights[i] as number) - ref;
      for (let k = 0; k < s.toks.length; k++) add(mass, s.bytes[k] as number, Math.exp(w + at(v, s.toks[k] as number)));
    });
    const fb = this.lm.firstBytes;
    let lost = 0;
    ends.forEach((e, i) => {
      const q = this.#vec.get(e.node) as LogProbVector;
      let byFirst: Float64Array;
      if (e.listedValid) {
        byFirst = new Float64Array(257);
        for (const t of e.ids) add(byFirst, fb[t] as number, Math.exp(q[t] as number));
      } else {
        byFirst = this.lm.byFirst(q);
        for (const t of e.ids) add(byFirst, fb[t] as number, -Math.exp(q[t] as number));
      }
      // End of text after a partial char is not canonical for SentencePiece BPE (its mass is lost).
      const eos = e.canonical && this.cover.mayEnd ? Math.exp(q[this.lm.options.eosId] as number) : 0;
      const pe = Math.exp((endWeights[i] as number) - ref);
      let canon = eos;
      for (let b = 0; b < 256; b++) {
        const m = Math.max(0, byFirst[b] as number);
        canon += m;
        add(mass, b, pe * m);
      }
      add(mass, EOS, pe * eos);
      lost += pe * Math.max(0, 1 - canon);
    });
    const total = mass.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new VocabsmithError('the model gives this byte prefix probability 0 (no canonical continuation)');
    return {
      probs: mass.map((m) => m / total),
      noncanonicalMass: lost / (total + lost),
      logPrefix: n === 0 ? 0 : ref + Math.log(total + lost),
      exact: this.lm.exact && this.cover.chainOk,
    };
  }

  /** log P(x) as a prefix: the sum over all covers. */
  async logPrefix(): Promise<number> {
    if (this.#x.length === 0) return 0;
    const { splits, weights } = await this.plan(true);
    const ref = Math.max(...weights);
    let p = 0;
    splits.forEach((s, i) => {
      const v = this.#vec.get(s.node) as Vec;
      for (const t of s.toks) p += Math.exp((weights[i] as number) - ref + at(v, t));
    });
    return ref + Math.log(p);
  }

  /** log P(E(x) ++ [eos]): x as the complete text. */
  async logComplete(): Promise<number> {
    const node = this.cover.canonical();
    if (node === 0xffffffff || !this.cover.mayEnd) return -Infinity;
    const w = await this.logPath(node);
    await this.ensure([node]);
    return w + at(this.#vec.get(node) as Vec, this.lm.options.eosId);
  }
}

/** Mean of the next-byte distributions of several states (models with different tokenizers). */
export async function ensembleDistribution(states: readonly ByteState[]): Promise<Float64Array> {
  const ds = await Promise.all(states.map((s) => s.distribution()));
  const out = new Float64Array(257);
  for (const d of ds) d.probs.forEach((p, b) => add(out, b, p / ds.length));
  return out;
}

/** Generates from the ensemble of `lms` (one model alone is a one-element ensemble). */
export async function generateEnsemble(
  lms: readonly ByteLM[],
  prompt: string | Uint8Array,
  options: GenerateOptions = {},
): Promise<Uint8Array> {
  return generateFrom(
    lms.map((l) => l.state(prompt)),
    options,
  );
}

async function generateFrom(states: ByteState[], options: GenerateOptions): Promise<Uint8Array> {
  const max = options.maxBytes ?? 64;
  const temp = options.temperature ?? 1;
  const random = options.random ?? Math.random;
  const out: number[] = [];
  while (out.length < max) {
    const probs = await ensembleDistribution(states);
    const b = temp === 0 ? argmax(probs) : sample(probs, temp, random());
    if (b === EOS) break;
    out.push(b);
    states.forEach((s) => s.push(b));
  }
  return Uint8Array.from(out);
}

function argmax(p: Float64Array): number {
  let best = 0;
  p.forEach((v, i) => {
    if (v > (p[best] as number)) best = i;
  });
  return best;
}

function sample(p: Float64Array, temp: number, u: number): number {
  const w = p.map((v) => Math.pow(v, 1 / temp));
  let r = u * w.reduce((a, b) => a + b, 0);
  for (let i = 0; i < w.length; i++) {
    r -= w[i] as number;
    if (r < 0 && (w[i] as number) > 0) return i;
  }
  return argmax(p);
}
