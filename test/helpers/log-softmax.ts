/**
 * log-softmax in float64 with a compensated (Neumaier) sum: Σ exp of the result is 1 to ~1e-15
 * even over 262k ids, where a plain running sum is off by up to |V| · 2^-53 (~1e-11 measured on
 * Gemma3): tests that compare log-prob and probability vectors of one distribution to 1e-12 need
 * the distribution normalised below that.
 */
export function logSoftmax64(v: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) max = Math.max(max, v[i] as number);
  let s = 0;
  let c = 0;
  for (let i = 0; i < v.length; i++) {
    const x = Math.exp((v[i] as number) - max);
    const t = s + x;
    c += Math.abs(s) >= x ? s - t + x : x - t + s;
    s = t;
  }
  const l = max + Math.log(s + c);
  return Float64Array.from(v, (x) => x - l);
}
