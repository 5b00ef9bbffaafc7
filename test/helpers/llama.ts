// Runs a GGUF in node-llama-cpp for the tests: the full next-token distribution at every position
// of a token sequence (one evaluation), and greedy continuations. CPU, two threads.
import { getLlama, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token } from 'node-llama-cpp';

let llama: Promise<Llama> | undefined;

export interface Loaded {
  model: LlamaModel;
  context: LlamaContext;
  /** One sequence, cleared before each use (a disposed sequence's slot is reclaimed asynchronously). */
  seq: LlamaContextSequence;
  vocab: number;
  dispose(): Promise<void>;
}

export async function load(path: string): Promise<Loaded> {
  llama ??= getLlama({ gpu: false, build: 'never', logLevel: 'error' as never });
  const model = await (await llama).loadModel({ modelPath: path });
  const context = await model.createContext({ threads: 2, contextSize: 512 });
  const tokens = model.fileInfo.metadata.tokenizer?.ggml?.tokens as unknown[];
  return {
    model, context, seq: context.getSequence(), vocab: tokens.length,
    dispose: async () => {
      await context.dispose();
      await model.dispose();
    },
  };
}

type Input = Parameters<LlamaContextSequence['controlledEvaluate']>[0];

/** Log-probabilities (float64, renormalised) after each prefix ids[..k+1], k in `at` (default all). */
export async function distributions(m: Loaded, ids: number[], at?: number[]): Promise<Float64Array[]> {
  await m.seq.clearHistory();
  const want = new Set(at ?? ids.map((_, i) => i));
  const input = ids.map((t, i) => (want.has(i) ? ([t as Token, { generateNext: { probabilities: true } }] as const) : (t as Token)));
  const res = await m.seq.controlledEvaluate(input as Input);
  const out: Float64Array[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (!want.has(i)) continue;
    const probs = res[i]?.next.probabilities as Map<Token, number>;
    const v = new Float64Array(m.vocab).fill(-Infinity);
    let sum = 0;
    for (const p of probs.values()) sum += p;
    for (const [id, p] of probs) v[id] = Math.log(p / sum);
    out.push(v);
  }
  return out;
}

/** Greedy continuation of `ids`: the argmax of each next distribution (lowest id on ties), `n` tokens. */
export async function greedy(m: Loaded, ids: number[], n: number): Promise<number[]> {
  await m.seq.clearHistory();
  const out: number[] = [];
  let input: number[] = ids;
  for (let k = 0; k < n; k++) {
    const last = input.length - 1;
    const res = await m.seq.controlledEvaluate(input.map((t, i) => (i === last ? ([t as Token, { generateNext: { probabilities: true } }] as const) : (t as Token))) as Input);
    let next = -1;
    let best = -1;
    for (const [id, p] of res[last]!.next.probabilities as Map<Token, number>) {
      if (p > best || (p === best && id < next)) [next, best] = [id, p];
    }
    out.push(next);
    input = [next];
  }
  return out;
}
