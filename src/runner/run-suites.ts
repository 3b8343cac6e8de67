import { fileURLToPath } from 'node:url';
import type { Reporter, TestCase } from 'vitest/node';
import { createVitest } from 'vitest/node';
import type { RunPlan } from '../client/target.js';
import { protocolById } from '../protocols/index.js';
import type { CheckRecord } from '../spec/check.js';
import { kindsOf } from '../spec/protocol.js';
import { folderAbove } from '../commands/version.js';

/** The folder of the suites: dist/ (compiled, next to dist/src/), or the source tree when run from it. */
const ROOT = folderAbove('suites') ?? fileURLToPath(new URL('../../', import.meta.url));

/**
 * Compiled suites (dist/) import compiled JavaScript: Node loads src/ and mock/ itself, instead of vite
 * transforming and evaluating some hundred modules per run (about a second). TypeScript sources still
 * go through vitest's transform.
 */
const NATIVE_MODULES = import.meta.url.endsWith('.js') ? [/[\\/]dist[\\/](src|mock)[\\/]/] : [];

export interface SuiteRunOptions {
  /** Stop after this many failed checks. */
  readonly bail?: number;
  /** `i/n`: run one shard of the checks (vitest's own sharding, by file). */
  readonly shard?: string;
  /** Called for each check as it finishes (progress output). */
  readonly onCheck?: (record: CheckRecord) => void;
  /** Output a suite printed (teardown warnings): shown, never swallowed. */
  readonly onLog?: (text: string) => void;
  /** Aborting cancels the run (Ctrl-C, a deadline); the checks that finished are still returned. */
  readonly signal?: AbortSignal;
}

export interface SuiteRunResult {
  readonly records: readonly CheckRecord[];
  /** Problems outside any check: a suite that failed to load, an unhandled error. */
  readonly errors: readonly string[];
}

/**
 * Run the generic suites (suites/*.suite) through vitest, with the plan as provided context, and collect
 * every check's record. vitest's own reporters stay silent: the records are the output.
 */
export async function runSuites(plan: RunPlan, options: SuiteRunOptions = {}): Promise<SuiteRunResult> {
  const records: CheckRecord[] = [];
  const errors: string[] = [];
  const collector: Reporter = {
    onTestCaseResult(testCase: TestCase) {
      const record = testCase.meta().accord;
      if (record) {
        records.push(record);
        options.onCheck?.(record);
      } else if (testCase.result().state === 'failed') {
        errors.push(`${testCase.fullName}: ${testCase.result().errors?.[0]?.message ?? 'failed'}`);
      }
    },
    onTestRunEnd(modules, unhandled) {
      for (const m of modules) for (const e of m.errors()) errors.push(`${m.moduleId}: ${e.message}`);
      for (const e of unhandled) errors.push(e.message ?? String(e));
    },
    onUserConsoleLog(log) {
      options.onLog?.(log.content);
    },
  };
  const serial = plan.targets.some((t) => protocolById(t.protocol)?.serial);
  // Only the suites that have something to check: vitest treats a file without tests as an error.
  const kinds = new Set(plan.targets.flatMap((t) => { const p = protocolById(t.protocol); return p ? kindsOf(p) : []; }));
  const wanted = [...kinds].filter((k) => plan.selection.kinds.length === 0 || plan.selection.kinds.includes(k));
  if (wanted.length === 0) return { records, errors: ['nothing to check: no selected kind of check applies to these targets'] };
  const exitCode = process.exitCode;
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const ownListeners = new Map(signals.map((sig) => [sig, process.listeners(sig)]));
  const vitest = await createVitest(
    'test',
    {
      config: false,
      root: ROOT,
      include: [`suites/{${[...wanted, 'none'].join(',')}}.suite.{ts,js}`],
      watch: false,
      reporters: [collector],
      provide: { accordPlan: plan },
      testTimeout: Math.max(plan.timeoutMs * 10, 30_000),
      hookTimeout: Math.max(plan.timeoutMs * 20, 60_000),
      server: { deps: { external: NATIVE_MODULES } },
      fileParallelism: !serial,
      // Serial files share one worker: no process start per file, and client state (nymea's lockdown
      // clock) carries from one file to the next as it does on the server.
      isolate: !serial,
      maxWorkers: serial ? 1 : 4,
      ...(options.bail ? { bail: options.bail } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
    },
    { logLevel: 'silent', clearScreen: false },
  );
  // vitest's logger exits the process on SIGINT/SIGTERM; accord stops the run itself so that it can
  // remove what the run created first (the caller aborts `signal`).
  for (const sig of signals) for (const l of process.listeners(sig)) if (!ownListeners.get(sig)?.includes(l)) process.off(sig, l);
  const cancel = () => void vitest.cancelCurrentRun('keyboard-input');
  options.signal?.addEventListener('abort', cancel, { once: true });
  try {
    if (!options.signal?.aborted) await vitest.start();
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    await vitest.close();
  }
  // vitest sets the exit code for failed tests; accord decides its own from the records.
  process.exitCode = exitCode;
  return { records, errors };
}
