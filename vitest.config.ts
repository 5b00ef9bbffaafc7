import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Parity tests load multi-MB tokenizers and call the Python oracle.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
