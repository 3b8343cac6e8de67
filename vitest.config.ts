import { defineConfig } from 'vitest/config';

/** The project's own tests (test/). The conformance suites (suites/) run through `accord check`. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
