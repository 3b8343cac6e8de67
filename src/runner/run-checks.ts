import type { RunPlan } from '../client/target.js';
import { verdictOf, type CheckRecord } from '../spec/check.js';
import { inPool, queuesOf, runWideConcurrency, Slots } from './concurrency.js';
import { declareChecks } from './declare.js';
import { runSuite } from './run-suite.js';
import { shardOf, type Shard } from './shard.js';

export interface RunOptions {
  /** Stop after this many checks failed or could not run (`--bail`: 1). */
  readonly bail?: number;
  /** Run one part of the checks (`--shard i/n`), split by check id. */
  readonly shard?: Shard;
  /** Suites at once against one server, instead of what its protocol declares (`--concurrency N`). */
  readonly concurrency?: number;
  /**
   * A suite stops at the first check for which this holds (its other checks are not run and leave no
   * record); the self-test stops a fault's suite once the fault is caught: the rest proves nothing more.
   */
  readonly stopSuiteAfter?: (record: CheckRecord) => boolean;
  /** Called for each check as it finishes (progress output). */
  readonly onCheck?: (record: CheckRecord) => void;
  /** Lines for the user (teardown warnings). */
  readonly onLog?: (text: string) => void;
  /** Aborting stops the run (Ctrl-C, a deadline): no check starts after it, every suite still tears down. */
  readonly signal?: AbortSignal;
}

export interface RunResult {
  readonly records: readonly CheckRecord[];
  /** Problems outside any check: a suite that could not declare its checks, nothing to check. */
  readonly errors: readonly string[];
}

/**
 * `accord check`'s loop. The suites declare their checks for every target (declare.ts); the shard keeps
 * its part; each server runs its suites, as many at once as it tolerates (concurrency.ts), servers side by
 * side within the run-wide limit; each suite builds its world, runs its checks and tears down (run-suite.ts); each check becomes a
 * record (run-check.ts). The records are the result: the reports render them.
 */
export async function runChecks(plan: RunPlan, options: RunOptions = {}): Promise<RunResult> {
  const declared = declareChecks(plan);
  const errors = [...declared.errors];
  if (declared.suites.length === 0) {
    return { records: [], errors: [...errors, 'nothing to check: no selected kind of check applies to these targets'] };
  }
  const suites = options.shard ? shardOf(declared.suites, options.shard) : declared.suites;
  const records: CheckRecord[] = [];
  let failures = 0;
  const run = {
    stopped: () => options.signal?.aborted === true || (options.bail !== undefined && failures >= options.bail),
    record(record: CheckRecord) {
      records.push(record);
      if (['failed', 'broken'].includes(verdictOf(record, plan.gate))) failures += 1;
      options.onCheck?.(record);
      return options.stopSuiteAfter?.(record) === true ? 'stop-suite' : 'go-on';
    },
    log: (text: string) => options.onLog?.(text),
  };
  const queues = queuesOf(suites, options.concurrency);
  const runWide = new Slots(runWideConcurrency(queues, options.concurrency));
  const runOne = (suite: (typeof suites)[number]) =>
    runWide
      .hold(() => runSuite(plan, suite, run))
      .catch((error: unknown) => {
        errors.push(`${suite.target.name} ${suite.kind}: ${(error as Error).message}`);
      });
  await Promise.all(queues.map((queue) => inPool(queue.suites, queue.concurrency, runOne)));
  return { records, errors };
}
