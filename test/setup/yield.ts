// Runs around every test (vitest.config.ts setupFiles). vitest's worker talks to the main process
// over RPC (birpc, 60 s timeout); replies are read only when the worker's event loop turns, and
// the timeout timer fires first if it has expired by then. A file of synchronous tests (WASM
// calls, spawnSync) keeps the loop busy from one test to the next, so on a loaded machine a
// pending "onTaskUpdate" times out although the main process answered long ago. One full turn of
// the loop (setImmediate runs after the I/O poll) before and after each test reads the replies.
import { afterEach, beforeEach } from 'vitest';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
beforeEach(turn);
afterEach(turn);
