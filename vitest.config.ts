import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.test.ts', 'conformance/**/*.test.ts'],
    testTimeout: 30000,
    hookTimeout: 30000,
    pool: 'forks',
    // A macrotask turn before each test, so a file of blocking (spawnSync) tests cannot starve
    // vitest's RPC (see spec/setup.ts).
    setupFiles: ['spec/setup.ts'],
    // Also write a JSON report (git-ignored), with or without CI set: .ci/run prints its totals
    // from it as a plain closing line.
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
