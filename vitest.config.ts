import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Parity tests load multi-MB tokenizers and call the Python oracle.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Each test starts and ends with a turn of the event loop, so vitest's worker RPC replies
    // are read between long synchronous tests (see test/setup/yield.ts). A single test must not
    // block its process for a minute: long work runs in a child process (test/helpers/cli.ts).
    setupFiles: ['test/setup/yield.ts', 'test/setup/ts-workers.ts'],
  },
});
