/**
 * The comparison's stub LM (twin of stub_lm.py): the same float32 vector for the same prefix ids.
 * `masked` ids get no mass (logit -Infinity).
 */
export function stubLogProbs(ids: ArrayLike<number>, V: number, masked: readonly number[] = []): Float32Array {
  let h = 2166136261;
  for (let i = 0; i < ids.length; i++) h = Math.imul(h ^ (ids[i] as number), 16777619) >>> 0;
  const phase = (h % 10007) * 0.37;
  const logits = new Float64Array(V);
  let m = -Infinity;
  for (let i = 0; i < V; i++) logits[i] = 3 * Math.sin(i * 0.0123 + phase);
  for (const i of masked) logits[i] = -Infinity;
  for (let i = 0; i < V; i++) m = Math.max(m, logits[i] as number);
  let s = 0;
  for (let i = 0; i < V; i++) s += Math.exp((logits[i] as number) - m);
  const lse = m + Math.log(s);
  return Float32Array.from(logits, (x) => x - lse);
}

