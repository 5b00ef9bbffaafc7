/**
 * Exact byte-level probabilities from a token-level LM (Phan et al. 2024 BTR lemma; ByteSampler's
 * valid covering tree). The Rust core (byteprob/) says which token prefixes cover a byte prefix;
 * this file asks the model for their next-token distributions and the core sums them:
 *   P(x b) = Σ_j Σ_{valid t, bytes(t) ⊒ x[j..] b} P(E(x[..j])) · q_j(t).
 * The core names the token sequences the covers extend (nodes); without a splitting pretokenizer
 * there is one per byte position (E(x[..j]) is unique), so a state pushing one byte needs one new
 * model call (at E(x)); with one, a tail whose piece boundaries are still provisional may have a
 * node per structure. Older vectors are kept sparse (only the tokens that can still extend the
 * text). Exact under the canonical-encoding assumption (`exact`) for byte-level BPE without a
 * splitting pretokenizer or with one of the known scanners (GPT-2, Llama-3, cl100k, o200k), and
 * for SentencePiece-style BPE with byte fallback (Gemma3: `▁` for spaces, `<0xNN>` tokens; no
 * prepended `▁`), where a text may not end inside a UTF-8 char.
 *
 * Vectors: log-probabilities (the default) or probabilities (`output: 'probs'`, what llama.cpp
 * gives: the core's pass over each vector then has no exp). Probabilities are read divided by
 * their total (checked within 1e-3, or |V| · 2^-24 where that is more: an f32 softmax's
 * rounding), both in the core's sums and in the chain links' weights here; log-probabilities
 * are read as given (logsumexp checked within 1e-3).
 */
import { readFileSync } from 'node:fs';
import { about, VocabsmithError } from './errors.js';
import { tokenizerFile } from './files.js';
import { loadWasm, readFields, WasmByteModel, type VectorOutput, type WasmCoverState } from './wasm.js';
import type { LanguageModel } from './lm/language-model.js';
import type { GgufOptions } from './lm/from-gguf.js';

/** What a model's vectors hold: `'logProbs'` (log-softmax) or `'probs'` (softmax). */
export type { VectorOutput };
/** A next-token vector: one value per id, of the kind `ByteLMOptions.output` says. */
export type TokenVector = Float32Array | Float64Array;
/** Next-token log-probabilities (log-softmax, one entry per id) after `prefixIds`. */
export type LogProbVector = TokenVector;
export type NextTokenLogProbs = (prefixIds: Uint32Array) => Promise<LogProbVector> | LogProbVector;
/** Batched form: one vector per prefix. */
export type BatchNextTokenLogProbs = (prefixes: Uint32Array[]) => Promise<LogProbVector[]>;
/** Next-token probabilities (softmax, one entry per id) after `prefixIds`. */
export type ProbVector = TokenVector;
export type NextTokenProbs = (prefixIds: Uint32Array) => Promise<ProbVector> | ProbVector;
export type BatchNextTokenProbs = (prefixes: Uint32Array[]) => Promise<ProbVector[]>;

export interface ByteLMOptions {
  /** Id of the end-of-text token in the model's vectors. */
  eosId: number;
  /** Ids always placed before the text (e.g. BOS). Default none. */
  contextIds?: readonly number[];
  /** Length of the model's vectors. Default: the tokenizer's id count. */
  vocabSize?: number;
  /** Optional batched callback, used when several prefixes are needed at once. */
  batch?: BatchNextTokenLogProbs | BatchNextTokenProbs;
  /**
   * What the callbacks return: `'logProbs'` (log-softmax, default) or `'probs'` (softmax:
   * finite, ≥ 0, total 1 within 1e-3, or |V| · 2^-24 where that is more; read divided by the total).
   */
  output?: VectorOutput;
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
  /** Token sequences the covers of x extend (one model vector each, most of them cached). */
  nodes: number;
}

export interface GenerateOptions {
  maxBytes?: number;
  /** 0 = greedy (default 1). */
  temperature?: number;
  /** Uniform [0, 1) source, for reproducible sampling. Default Math.random. */
  random?: () => number;
  /** Called with each byte as soon as it is drawn (streaming). */
  onByte?: (byte: number) => void;
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
  /** What the model's vectors hold. */
  readonly output: VectorOutput;
  /** Model calls made so far: vectors asked for (one per distinct token prefix). */
  modelCalls = 0;
  /**
   * Requests made so far: the vectors one step needs go to the model together (one `batch` call,
   * or concurrent single calls without one), so a runtime that batches computes them in one
   * forward pass (llama.cpp: `LlamaCppStats.forwardPasses`). At most one per byte: every vector
   * a next-byte distribution needs is named by the core's layout before any is fetched.
   */
  modelRequests = 0;
  readonly #model: WasmByteModel;
  readonly #context: readonly number[];

  private constructor(
    model: WasmByteModel,
    readonly lm: NextTokenLogProbs | NextTokenProbs,
    readonly options: ByteLMOptions,
  ) {
    this.#model = model;
    this.exact = model.exact;
    const output = options.output ?? 'logProbs';
    if (output !== 'logProbs' && output !== 'probs') throw new VocabsmithError(`output ${String(output)} is not 'logProbs' or 'probs'`);
    this.output = output;
    this.vocabSize = options.vocabSize ?? model.vocabSize;
    if (this.vocabSize < model.vocabSize) {
      throw new VocabsmithError(`vocabSize ${this.vocabSize} is smaller than the tokenizer's ${model.vocabSize} ids`);
    }
    if (!Number.isInteger(options.eosId) || options.eosId < 0 || options.eosId >= this.vocabSize) {
      throw new VocabsmithError(`eosId ${options.eosId} is not an id below vocabSize ${this.vocabSize}`);
    }
    this.#context = options.contextIds ?? [];
  }

  /** From a tokenizer.json file; throws VocabsmithError for tokenizers that cannot be handled. */
  static fromFile(pathOrFolder: string, lm: NextTokenLogProbs | NextTokenProbs, options: ByteLMOptions): ByteLM {
    const path = tokenizerFile(pathOrFolder);
    return ByteLM.fromJSON(about(path, () => readFileSync(path, 'utf8')), lm, options, path);
  }

  static fromJSON(json: string | object, lm: NextTokenLogProbs | NextTokenProbs, options: ByteLMOptions, source?: string): ByteLM {
    loadWasm();
    const text = typeof json === 'string' ? json : JSON.stringify(json);
    return new ByteLM(about(source, () => WasmByteModel.fromJson(text)), lm, options);
  }

  /** The model behind the callback, when built with `fromModel` or `fromGguf`. */
  model: (LanguageModel & { dispose?(): Promise<void> }) | undefined;

  /** From a tokenizer.json document and a `LanguageModel` (its ids, context, batched form and kind of vector). */
  static fromModel(json: string | object, model: LanguageModel, source?: string): ByteLM {
    const ids = { eosId: model.eosId, contextIds: model.contextIds, vocabSize: model.vocabSize };
    const b =
      model.output === 'probs'
        ? ByteLM.fromJSON(json, model.nextTokenProbs, { ...ids, batch: model.batchNextTokenProbs, output: 'probs' }, source)
        : ByteLM.fromJSON(json, model.nextTokenLogProbs, { ...ids, batch: model.batchNextTokenLogProbs }, source);
    b.model = model;
    return b;
  }

  /**
   * A GGUF model run by llama.cpp (node-llama-cpp, optional peer dependency), with the tokenizer
   * read from the GGUF's own metadata and checked against the runtime's at load.
   */
  static async fromGguf(path: string, options: GgufOptions = {}): Promise<ByteLM> {
    const { loadGguf } = await import('./lm/from-gguf.js');
    return (await loadGguf(path, options)).byteLM;
  }

  /** Releases the model (when this ByteLM owns one). */
  async dispose(): Promise<void> {
    await this.model?.dispose?.();
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

  /** @internal */ async fetch(prefixes: Uint32Array[]): Promise<TokenVector[]> {
    const ctx = this.#context;
    const full = prefixes.map((p) => {
      const a = new Uint32Array(ctx.length + p.length);
      a.set(ctx);
      a.set(p, ctx.length);
      return a;
    });
    this.modelCalls += full.length;
    this.modelRequests++;
    const out =
      this.options.batch !== undefined && full.length > 1
        ? await this.options.batch(full)
        : await Promise.all(full.map((p) => this.lm(p)));
    out.forEach((v) => this.check(v));
    return out;
  }

  /** The shape here; values (log-probs: finite, log-softmax; probs: finite, ≥ 0, total near 1)
   * in the core when the vector is handed over. */
  private check(v: unknown): asserts v is TokenVector {
    const [name, what] = this.output === 'probs' ? ['nextTokenProbs', 'probabilities'] : ['nextTokenLogProbs', 'log-probabilities'];
    if (!(v instanceof Float32Array || v instanceof Float64Array)) {
      throw new VocabsmithError(`${name} must return a Float32Array (or Float64Array) of ${what}`);
    }
    if (v.length !== this.vocabSize) {
      throw new VocabsmithError(`${name} returned ${v.length} values, expected vocabSize ${this.vocabSize}`);
    }
  }

  /** @internal Checks a vector's values without keeping it; returns its total (Σ exp or Σ). */
  checkValues(v: TokenVector): number {
    return about(undefined, () =>
      v instanceof Float32Array
        ? this.#model.checkVector32(v, this.vocabSize, this.output)
        : this.#model.checkVector64(v, this.vocabSize, this.output),
    );
  }
  /** @internal */ prefixIds(bytes: Uint8Array): Uint32Array {
    return this.#model.prefixIds(bytes);
  }
}

/**
 * A node's vector as kept here: the model's (with its total, from the core's checks), or once it
 * is old, the log-probabilities of the tokens that can still extend the text (absent: -inf).
 */
type Kept = { v: TokenVector; total: number } | Map<number, number>;
/** log P(t) from a kept vector: probabilities divided by their total, as the core reads them. */
const logAt = (k: Kept, t: number, output: VectorOutput): number => {
  if (k instanceof Map) return k.get(t) ?? -Infinity;
  const x = k.v[t] as number;
  return output === 'probs' ? Math.log(x / k.total) : x;
};
/** Full vectors kept for nodes ending this close to the end; older ones become sparse. */
const DENSE_WINDOW = 4;

/** An incremental byte prefix: push bytes, ask for the next-byte distribution. */
export class ByteState {
  #x: number[] = [];
  /** Model vectors and log-probabilities by node (a token sequence named by the core). */
  readonly #vec = new Map<number, Kept>();
  readonly #logP = new Map<number, number>([[0, 0]]);
  readonly #links = new Map<number, [number, number]>();

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
        const lp = logAt(v, t, this.lm.output);
        if (lp > -Infinity) keep.set(t, lp);
      }
      if (keep.size === 0) this.#vec.delete(node);
      else this.#vec.set(node, keep);
    }
  }

  /**
   * Fetches every vector one step needs that is not cached yet, in one request (one batch: a
   * runtime that batches computes them in one forward pass). `sum`: nodes that cover x, whose
   * vectors the core takes (and sums: only 257 numbers come back); `check`: parents on the chains
   * of those nodes, whose vectors only score a link (values checked here).
   */
  private async ensure(sum: Iterable<number>, check: Iterable<number> = []): Promise<void> {
    const summed = [...new Set(sum)].filter((n) => !this.#vec.has(n) || !this.cover.hasVector(n));
    const checked = [...new Set(check)].filter((n) => !this.#vec.has(n) && !summed.includes(n));
    if (summed.length === 0 && checked.length === 0) return;
    const dense = (n: number) => {
      const k = this.#vec.get(n);
      return k !== undefined && !(k instanceof Map);
    };
    const fresh = [...summed.filter((n) => !dense(n)), ...checked];
    const got = fresh.length > 0 ? await this.lm.fetch(fresh.map((n) => this.cover.path(n))) : [];
    // Totals NaN until the core's checks (every fresh node is summed or checked below).
    fresh.forEach((n, i) => this.#vec.set(n, { v: got[i] as TokenVector, total: NaN }));
    for (const n of checked) {
      const k = this.#vec.get(n) as { v: TokenVector; total: number };
      k.total = this.lm.checkValues(k.v);
    }
    const { eosId } = this.lm.options;
    const { output, vocabSize } = this.lm;
    for (const n of summed) {
      const k = this.#vec.get(n) as { v: TokenVector; total: number };
      const v = k.v;
      k.total = about(undefined, () =>
        v instanceof Float32Array
          ? this.cover.setVector32(n, v, eosId, vocabSize, output)
          : this.cover.setVector64(n, v, eosId, vocabSize, output),
      );
    }
  }

  /** (parent, last token) of a node; nodes are interned token sequences, so links never change. */
  private link(node: number): [number, number] {
    let l = this.#links.get(node);
    if (l === undefined) {
      const got = this.cover.link(node);
      if (got === undefined) throw new VocabsmithError(`internal: node ${node} has no parent`);
      const f = readFields(got);
      l = [f.parent, f.token];
      this.#links.set(node, l);
    }
    return l;
  }

  /** The parents on the chains of `nodes` down to a node whose log-probability is known. */
  private chainParents(nodes: Iterable<number>): number[] {
    const out = new Set<number>();
    for (const node of nodes) {
      for (let id = node; !this.#logP.has(id) && !out.has(this.link(id)[0]); ) {
        id = this.link(id)[0];
        out.add(id);
      }
    }
    return [...out];
  }

  /** log P(node's tokens) by the chain of its parents (their vectors fetched by `ensure`). */
  private logPath(node: number): number {
    const chain: number[] = [];
    for (let id = node; !this.#logP.has(id); id = this.link(id)[0]) chain.push(id);
    for (const me of chain.reverse()) {
      const [parent, tok] = this.link(me);
      const v = this.#vec.get(parent);
      if (v === undefined) throw new VocabsmithError(`internal: no vector for node ${parent}`);
      this.#logP.set(me, (this.#logP.get(parent) as number) + logAt(v, tok, this.lm.output));
    }
    return this.#logP.get(node) as number;
  }

  /** The core's masses of the covers of x (relative to exp(reference)). */
  private async masses(): Promise<{ next: Float64Array; prefix: number; lost: number; reference: number; nodes: number }> {
    const nodes = this.cover.layOut();
    // The covers' vectors and those scoring their chains, in one request.
    await this.ensure(nodes, this.chainParents(nodes));
    const weights = new Float64Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) weights[i] = this.logPath(nodes[i] as number);
    const m = readFields(about(undefined, () => this.cover.masses(nodes, weights)));
    return { ...m, nodes: nodes.length };
  }

  async distribution(): Promise<ByteDistribution> {
    const n = this.#x.length;
    const { next, lost, reference, nodes } = await this.masses();
    const total = next.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new VocabsmithError('the model gives this byte prefix probability 0 (no canonical continuation)');
    return {
      probs: next.map((m) => m / total),
      noncanonicalMass: lost / (total + lost),
      logPrefix: n === 0 ? 0 : reference + Math.log(total + lost),
      exact: this.lm.exact && this.cover.chainOk,
      nodes,
    };
  }

  /** log P(x) as a prefix: the sum over all covers. */
  async logPrefix(): Promise<number> {
    if (this.#x.length === 0) return 0;
    const { prefix, reference } = await this.masses();
    return reference + Math.log(prefix);
  }

  /** log P(E(x) ++ [eos]): x as the complete text. */
  async logComplete(): Promise<number> {
    const node = this.cover.canonical();
    if (node === 0xffffffff || !this.cover.mayEnd) return -Infinity;
    await this.ensure([], [node, ...this.chainParents([node])]);
    return this.logPath(node) + logAt(this.#vec.get(node) as Kept, this.lm.options.eosId, this.lm.output);
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
    options.onByte?.(b);
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
