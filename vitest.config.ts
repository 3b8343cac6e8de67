import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The project's own tests (test/). The conformance suites (suites/) run through `accord check`.
 * Most test files spend their time waiting on processes they start (`accord check`, `accord serve`), so
 * more files run at once than there are cores (vitest's default is one less than the cores: a single
 * file at a time on two). Each file keeps its own process (msw patches globals).
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    maxWorkers: Math.max(3, availableParallelism()),
  },
});
