import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The project's own tests (test/). The conformance suites (suites/) run through `accord check`.
 * Most test files spend their time waiting on processes they start (`accord check`, `accord serve`), so
 * more files run at once than there are cores (vitest's default is one less than the cores: a single
 * file at a time on two).
 * A worker runs file after file without loading the code again for each (`isolate: false`: that loading
 * was half the CPU of test/unit); the files that patch globals (msw's server intercepts node's http and
 * fetch) keep a fresh module graph of their own.
 */
const PATCHES_GLOBALS = ['test/msw-octoprint.test.ts', 'test/unit/nymea-msw.test.ts', 'test/unit/msw-typed.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    maxWorkers: Math.max(3, availableParallelism()),
    projects: [
      {
        extends: true,
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: PATCHES_GLOBALS, isolate: false },
      },
      { extends: true, test: { name: 'isolated', include: PATCHES_GLOBALS, isolate: true } },
    ],
  },
});
