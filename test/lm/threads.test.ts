import { describe, expect, it } from 'vitest';
import { defaultThreads } from '../../src/lm/threads.js';

describe('defaultThreads: llama.cpp threads that do not fight other processes for cores', () => {
  it('uses every core of an idle machine', () => {
    expect(defaultThreads(2, 0.17)).toBe(2);
    expect(defaultThreads(16, 0)).toBe(16);
  });
  it('leaves the busy cores alone', () => {
    expect(defaultThreads(2, 1.47)).toBe(1);
    expect(defaultThreads(16, 4.2)).toBe(12);
  });
  it('never goes below one thread or above the cores', () => {
    expect(defaultThreads(2, 25)).toBe(1);
    expect(defaultThreads(1, 0.9)).toBe(1);
    expect(defaultThreads(4, -1)).toBe(4);
    expect(defaultThreads(4, Number.NaN)).toBe(4);
  });
});
