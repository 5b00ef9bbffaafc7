/**
 * A GGUF model run by llama.cpp (node-llama-cpp 3.21.1, optional peer dependency) as a
 * `LanguageModel`.
 *
 * Prefix reuse: each llama.cpp sequence keeps the tokens of its KV cache. A request for the
 * vector after prefix p on a sequence holding tokens c keeps the longest common prefix k of p
 * and c (at most |p| − 1: the logits of p's last position are not stored, so that token is fed
 * again), erases the KV from k on and evaluates only p[k..]. ByteLM asks for prefixes that share
 * a trunk, so a new byte usually costs one token of evaluation.
 *
 * Batching: prefixes nested in one another (p a prefix of q) are served by one evaluation of q
 * with the next-token distribution read at each of their ends (a token-level chain rule over a
 * whole text is one evaluation); unrelated prefixes go to different sequences, evaluated
 * concurrently, which node-llama-cpp decodes as one llama.cpp batch.
 *
 * Vectors: node-llama-cpp returns every id's probability (softmax of the raw logits, greedy
 * sampler, nothing applied before it; f32, divided by an f32 running sum) as a Map; they are
 * handed over as they are (`output: 'probs'`), copied into a Float32Array in one pass: no log
 * here, no exp in ByteLM, which divides by the total (within |V| · 2^-24 of 1; measured on
 * SmolLM2: 1 + 3e-5 to 1 + 2.1e-4). Deterministic: same inputs, same numbers (no sampling).
 */
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { about, VocabsmithError } from '../errors.js';
import type { ProbModel } from './language-model.js';
import { loadRuntime } from './runtime.js';
import { defaultThreads } from './threads.js';

export interface LlamaCppOptions {
  /** CPU threads; default: the cores not busy with other work (`defaultThreads()`: cores minus the
   * load average, at least 1). */
  threads?: number;
  /** Tokens each sequence can hold (default 2048). Longer prefixes are an error, never shifted. */
  contextSize?: number;
  /** Parallel sequences (KV caches) for unrelated prefixes (default 4). */
  sequences?: number;
  /** 'auto' uses a GPU build of llama.cpp where one works, false forces the CPU (default false). */
  gpu?: false | 'auto' | 'cuda' | 'vulkan' | 'metal';
  /** Ids before every text; default [BOS] when the GGUF says add_bos_token, else the document separator. */
  contextIds?: readonly number[];
  /** End-of-text id; default the document separator (`<|endoftext|>` where the vocabulary has it), else EOS. */
  eosId?: number;
}

/** Where the time went: model calls and the tokens they evaluated. */
export interface LlamaCppStats {
  /** Vectors returned. */
  vectors: number;
  /** Requests (`batchNextTokenProbs` calls; a single `nextTokenProbs` is one too). */
  batches: number;
  /** controlledEvaluate calls (one per sequence per batch: nested prefixes share one). */
  evaluations: number;
  /**
   * llama.cpp decode calls, i.e. forward passes: the evaluations of one batch run concurrently on
   * their sequences and node-llama-cpp decodes them together, so a batch is one forward pass
   * (more only past the context's batch size). Counted at node-llama-cpp's native decode call
   * (`llamaCpp` wraps it); undefined where that runtime internal was not found.
   */
  forwardPasses: number | undefined;
  /** Tokens fed to the model, and tokens whose KV was reused instead. */
  evaluatedTokens: number;
  reusedTokens: number;
  /** Wall time inside node-llama-cpp (decode + its probability list; concurrent sequences counted
   * once), and copying its lists into vectors. */
  modelMs: number;
  convertMs: number;
}

interface Slot {
  seq: LlamaContextSequence;
}

const common = (a: readonly number[], b: Uint32Array): number => {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
};
const startsWith = (long: Uint32Array, short: Uint32Array): boolean =>
  short.length <= long.length && short.every((t, i) => long[i] === t);

export class LlamaCppModel implements ProbModel {
  readonly output = 'probs';
  readonly vocabSize: number;
  readonly contextIds: readonly number[];
  readonly eosId: number;
  readonly bosId: number | undefined;
  readonly threads: number;
  readonly stats: LlamaCppStats = {
    vectors: 0,
    batches: 0,
    evaluations: 0,
    forwardPasses: undefined,
    evaluatedTokens: 0,
    reusedTokens: 0,
    modelMs: 0,
    convertMs: 0,
  };
  readonly #slots: Slot[];
  #queue: Promise<unknown> = Promise.resolve();

  /** @internal use `llamaCpp()` */
  constructor(
    readonly path: string,
    readonly llama: Llama,
    readonly model: LlamaModel,
    readonly context: LlamaContext,
    sequences: LlamaContextSequence[],
    options: LlamaCppOptions & { threads: number },
  ) {
    this.#slots = sequences.map((seq) => ({ seq }));
    this.threads = options.threads;
    const tk = model.fileInfo.metadata.tokenizer?.ggml;
    const tokens = tk?.tokens;
    if (!Array.isArray(tokens) || tokens.length === 0) throw new VocabsmithError('the GGUF has no tokenizer.ggml.tokens', path);
    this.vocabSize = tokens.length;
    const bos = model.tokens.bos ?? undefined;
    this.bosId = bos === undefined ? undefined : Number(bos);
    const eos = model.tokens.eos ?? undefined;
    // Models without BOS (SmolLM2, GPT-2) were trained on documents separated by <|endoftext|>:
    // that token is both what precedes a text and what ends it.
    const sepIdx = tokens.indexOf('<|endoftext|>');
    const sep = sepIdx >= 0 ? sepIdx : eos === undefined ? undefined : Number(eos);
    const addBos = model.tokens.shouldPrependBosToken;
    this.contextIds = options.contextIds ?? (addBos && this.bosId !== undefined ? [this.bosId] : sep !== undefined ? [sep] : []);
    if (this.contextIds.length === 0) throw new VocabsmithError('the model has neither BOS nor an end-of-text token to start a text with; pass contextIds', path);
    const eosId = options.eosId ?? sep;
    if (eosId === undefined) throw new VocabsmithError('the model has no end-of-text token; pass eosId', path);
    this.eosId = eosId;
    if (countDecodes(context, () => (this.stats.forwardPasses = (this.stats.forwardPasses ?? 0) + 1))) this.stats.forwardPasses = 0;
  }

  /** P(next token | prefixIds) for every id (f32, as llama.cpp computes them). */
  readonly nextTokenProbs = async (prefixIds: Uint32Array): Promise<Float32Array> =>
    (await this.batchNextTokenProbs([prefixIds]))[0] as Float32Array;

  /** One vector per prefix; nested prefixes share an evaluation, unrelated ones run in parallel. */
  readonly batchNextTokenProbs = (prefixes: Uint32Array[]): Promise<Float32Array[]> => {
    // One batch at a time: the sequences' KV state is shared.
    const run = this.#queue.then(() => this.#batch(prefixes));
    this.#queue = run.catch(() => undefined);
    return run;
  };

  /** The runtime's own tokenization (no special tokens parsed, no BOS added). */
  tokenize(text: string): Uint32Array {
    return Uint32Array.from(this.model.tokenize(text, false) as number[]);
  }

  /** Text of a token, as the runtime decodes it. */
  detokenize(ids: Uint32Array | readonly number[]): string {
    return this.model.detokenize([...ids] as Token[]);
  }

  /** Empties every sequence's KV cache (the next request is evaluated from scratch). */
  async clear(): Promise<void> {
    await this.#queue;
    for (const { seq } of this.#slots) await seq.clearHistory();
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }

  async #batch(prefixes: Uint32Array[]): Promise<Float32Array[]> {
    this.stats.batches++;
    const limit = this.#slots[0]?.seq.contextSize ?? 0;
    for (const p of prefixes) {
      if (p.length === 0) throw new VocabsmithError('a prefix needs at least one token (start texts with contextIds)');
      if (p.length > limit) throw new VocabsmithError(`a prefix of ${p.length} tokens is longer than the context (${limit}); raise contextSize`);
      for (const t of p) if (t >= this.vocabSize) throw new VocabsmithError(`token id ${t} is not below the vocabulary size ${this.vocabSize}`);
    }
    // Groups of nested prefixes: the longest one is evaluated, the others read on the way.
    const order = prefixes.map((_, i) => i).sort((a, b) => (prefixes[b] as Uint32Array).length - (prefixes[a] as Uint32Array).length);
    const groups: { head: Uint32Array; members: number[] }[] = [];
    for (const i of order) {
      const p = prefixes[i] as Uint32Array;
      const g = groups.find((x) => startsWith(x.head, p));
      if (g) g.members.push(i);
      else groups.push({ head: p, members: [i] });
    }
    const out: Float32Array[] = new Array<Float32Array>(prefixes.length);
    for (let r = 0; r < groups.length; r += this.#slots.length) {
      const round = groups.slice(r, r + this.#slots.length);
      // Each group to the free sequence whose cache shares the most with it.
      const free = [...this.#slots];
      const jobs = round.map((g) => {
        let best = 0;
        free.forEach((s, k) => {
          if (common(s.seq.contextTokens, g.head) > common((free[best] as Slot).seq.contextTokens, g.head)) best = k;
        });
        const slot = free.splice(best, 1)[0] as Slot;
        return this.#evaluate(slot.seq, g.head, g.members.map((i) => (prefixes[i] as Uint32Array).length)).then((vecs) =>
          g.members.forEach((i, k) => (out[i] = vecs[k] as Float32Array)),
        );
      });
      // Model time is the round's wall time (its sequences decode concurrently) less the
      // conversions done meanwhile.
      const t0 = performance.now();
      const c0 = this.stats.convertMs;
      await Promise.all(jobs);
      this.stats.modelMs += performance.now() - t0 - (this.stats.convertMs - c0);
    }
    this.stats.vectors += prefixes.length;
    return out;
  }

  /** Vectors after head[..end] for each end, from one evaluation on `seq`. */
  async #evaluate(seq: LlamaContextSequence, head: Uint32Array, ends: number[]): Promise<Float32Array[]> {
    const keep = Math.min(common(seq.contextTokens, head), Math.min(...ends) - 1);
    if (seq.nextTokenIndex > keep) await seq.eraseContextTokenRanges([{ start: keep, end: seq.nextTokenIndex }]);
    const want = new Set(ends.map((e) => e - 1 - keep));
    const input = [...head.subarray(keep)].map((t, i) =>
      want.has(i) ? ([t as Token, { generateNext: { probabilities: true } }] as const) : (t as Token),
    );
    const res = await seq.controlledEvaluate(input as Parameters<LlamaContextSequence['controlledEvaluate']>[0]);
    const t1 = performance.now();
    this.stats.evaluations++;
    this.stats.evaluatedTokens += head.length - keep;
    this.stats.reusedTokens += keep;
    const vecs = ends.map((e) => {
      const probs = res[e - 1 - keep]?.next.probabilities;
      if (probs === undefined) throw new VocabsmithError(`the runtime returned no distribution after ${e} tokens`, this.path);
      return this.#vector(probs);
    });
    this.stats.convertMs += performance.now() - t1;
    return vecs;
  }

  /** The runtime's Map as a vector: one pass, ids it leaves out at 0 (its values are f32 already). */
  #vector(probs: Map<Token, number>): Float32Array {
    const out = new Float32Array(this.vocabSize);
    for (const [id, p] of probs) out[id] = p;
    return out;
  }
}

/**
 * Loads a GGUF model with llama.cpp. Needs node-llama-cpp 3.21.1 (`npm i -E node-llama-cpp@3.21.1`);
 * without it, one VocabsmithError says so.
 */
export async function llamaCpp(path: string, options: LlamaCppOptions = {}): Promise<LlamaCppModel> {
  const runtime = await loadRuntime();
  const threads = options.threads ?? defaultThreads();
  const llama = await runtime.getLlama({ gpu: options.gpu ?? false, build: 'never', logLevel: runtime.LlamaLogLevel.error });
  const model = await aboutAsync(path, () => llama.loadModel({ modelPath: path }));
  const sequences = options.sequences ?? 4;
  const context = await aboutAsync(path, () =>
    model.createContext({ threads, contextSize: options.contextSize ?? 2048, sequences }),
  );
  const seqs = Array.from({ length: sequences }, () => context.getSequence());
  return about(path, () => new LlamaCppModel(path, llama, model, context, seqs, { ...options, threads }));
}

/**
 * Calls `onDecode` at each llama.cpp decode of `context`. node-llama-cpp 3.21.1 (pinned) keeps
 * its native context in `_ctx` and runs every batch through its `decodeBatch`; the object is
 * wrapped so those calls are counted and everything else passes through. False (nothing
 * wrapped) where the runtime has no such internal.
 */
function countDecodes(context: LlamaContext, onDecode: () => void): boolean {
  const holder = context as unknown as { _ctx?: unknown };
  const native = holder._ctx;
  if (typeof native !== 'object' || native === null || typeof (native as { decodeBatch?: unknown }).decodeBatch !== 'function') return false;
  holder._ctx = new Proxy(native, {
    get(target, key) {
      const v: unknown = Reflect.get(target, key);
      if (typeof v !== 'function') return v;
      const f = v as (...a: unknown[]) => unknown;
      if (key === 'decodeBatch')
        return (...a: unknown[]) => {
          onDecode();
          return f.apply(target, a);
        };
      return f.bind(target);
    },
  });
  return true;
}

async function aboutAsync<T>(file: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof VocabsmithError) throw e;
    throw new VocabsmithError(e instanceof Error ? e.message : String(e), file);
  }
}
