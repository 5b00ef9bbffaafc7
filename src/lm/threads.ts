/**
 * How many CPU threads llama.cpp should use when the caller does not say.
 *
 * llama.cpp's threads meet at a barrier after every operation of the graph and spin while they
 * wait. With as many threads as cores and another process runnable on one of them, every barrier
 * waits for a time slice: measured on a 2-core machine at load ~1.5 from other jobs, a one-token
 * call took 2–4.4 s with 2 threads and 45–50 ms with 1 (27 ms with 2 on the idle machine). So the
 * default is the cores not already busy: cores minus the 1-minute load average, rounded, at least
 * one. Where the platform has no load average (Windows reports 0) that is all the cores.
 */
import { availableParallelism, loadavg } from 'node:os';

export function defaultThreads(cores = availableParallelism(), load = loadavg()[0] ?? 0): number {
  const free = Math.round(cores - (Number.isFinite(load) && load > 0 ? load : 0));
  return Math.min(cores, Math.max(1, free));
}
