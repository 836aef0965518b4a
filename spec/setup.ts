// Loaded before every test file (vitest.config.ts, setupFiles). Many specs run programs with
// spawnSync, which blocks the worker: vitest's RPC answers (e.g. to onTaskUpdate, sent as tests
// end) then wait until the event loop turns, and one that waits more than 60 s fails the whole
// run with `Timeout calling "onTaskUpdate"`. Awaiting a macrotask before each test lets the
// worker read those answers, so only a single test that blocks for a minute could still trip it:
// tests that can run long use spawnAsync instead (spec/helpers.ts).
import { beforeEach } from 'vitest';

beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
