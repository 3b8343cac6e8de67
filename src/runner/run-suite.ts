import { redactorFor } from '../report/redact.js';
import { RunContext } from '../client/run-context.js';
import type { RunPlan } from '../client/target.js';
import type { CheckRecord } from '../spec/check.js';
import type { SuitePlan } from './declare.js';
import { runCheck } from './run-check.js';

/** What a suite needs from the run it is part of. */
export interface SuiteRun {
  /** Set by Ctrl-C, the deadline or --bail: start no further check. */
  stopped(): boolean;
  /** Each check's record, as soon as it is made; `stop-suite`: run no further check of this suite. */
  record(record: CheckRecord): 'go-on' | 'stop-suite';
  /** Lines for the user (teardown warnings): shown, never swallowed. */
  log(text: string): void;
}

/** How long one check may take: ten calls' worth of the per-call timeout, and never under 30 s. */
export function checkTimeoutMs(plan: RunPlan): number {
  return Math.max(plan.timeoutMs * 10, 30_000);
}

/**
 * One suite on one target: build the world, run the checks in order, and tear down everything the suite
 * created, always: after failures, and when the run is stopped (the check under way finishes first).
 */
export async function runSuite(plan: RunPlan, suite: SuitePlan, run: SuiteRun): Promise<void> {
  if (run.stopped()) return;
  const ctx = new RunContext<unknown>(plan, suite.target, suite.protocol, suite.tag);
  const redact = redactorFor(suite.target);
  const abandoned: Promise<unknown>[] = [];
  try {
    let worldError: Error | undefined;
    // A suite whose checks are all skipped needs no world.
    if (suite.checks.some((c) => c.skip === undefined)) {
      try {
        await ctx.buildWorld();
      } catch (error) {
        worldError = error as Error;
      }
    }
    const options = {
      gate: plan.gate,
      redact,
      timeoutMs: checkTimeoutMs(plan),
      onAbandoned: (p: Promise<unknown>) => void abandoned.push(p),
    };
    for (const check of suite.checks) {
      if (run.stopped()) break;
      const next = run.record(await runCheck(suite, check, ctx, { ...options, ...(worldError ? { worldError } : {}) }));
      if (next === 'stop-suite') break;
    }
  } finally {
    // A check given up on may still be making objects: give it one call's time to settle first.
    if (abandoned.length > 0) await Promise.race([Promise.allSettled(abandoned), delay(plan.timeoutMs)]);
    const problems = await ctx.teardown();
    if (problems.length > 0) run.log(`accord teardown on ${suite.target.name}:\n  ${problems.join('\n  ')}`);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
