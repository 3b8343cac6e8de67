import { endpointOf } from '../../client/endpoint-url.js';
import type { RunPlan } from '../../client/target.js';
import { protocolById } from '../../protocols/index.js';
import { runChecks, type RunResult } from '../../runner/run-checks.js';
import type { CheckRecord } from '../../spec/check.js';
import { describeVariant } from '../../spec/variant.js';
import { EXIT } from '../cli-error.js';
import { VERSION } from '../version.js';
import type { CheckSettings } from './check-options.js';

export interface ChecksRun {
  readonly records: readonly CheckRecord[];
  /** Problems outside any check (runChecks): a suite that could not declare its checks, nothing to check. */
  readonly errors: readonly string[];
  /** Why the run was stopped before its end (Ctrl-C, SIGTERM, --deadline); undefined: it ran to its end. */
  readonly stopped: string | undefined;
  /** When the checks started (Date.now()). */
  readonly startedAt: number;
}

/** Where SIGINT and SIGTERM come from: the process, or a test's emitter. */
export interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/** One line per target: what is checked, where, at which gate, in which run, and which variant. */
function announce(plan: RunPlan, out: (line: string) => void): void {
  for (const t of plan.targets) {
    const endpoint = endpointOf(t.url, protocolById(t.protocol)!.endpoint);
    const where = `${t.name} at ${endpoint}${t.mock ? ' (embedded mock)' : ''}`;
    out(`accord ${VERSION}: checking ${where}, gate ${plan.gate}, run ${plan.runId}`);
    if (t.variant) out(`  variant ${describeVariant(t.variant, protocolById(t.protocol)?.variants)}`);
  }
}

/**
 * Say what is checked, then run the checks (src/runner/run-checks.ts) with --bail, --shard, --concurrency
 * and progress every 100 checks. Ctrl-C, SIGTERM or the --deadline stop them: no check starts after that,
 * and each suite still removes what it created; a second Ctrl-C quits at once.
 */
export async function runWithSignals(
  plan: RunPlan,
  settings: Pick<CheckSettings, 'bail' | 'shard' | 'concurrency' | 'deadlineMs'>,
  out: (line: string) => void,
  signals: SignalSource = process,
): Promise<ChecksRun> {
  const startedAt = Date.now();
  announce(plan, out);
  const abort = new AbortController();
  const stop = (why: string) => () => {
    if (abort.signal.aborted) process.exit(EXIT.couldNotRun);
    out(`\naccord: ${why}: stopping the checks and removing what this run created (Ctrl-C again to quit at once)`);
    abort.abort(why);
  };
  const onInt = stop('interrupted');
  const onTerm = stop('terminated');
  signals.on('SIGINT', onInt);
  signals.on('SIGTERM', onTerm);
  const { deadlineMs } = settings;
  const deadline =
    deadlineMs === undefined ? undefined : setTimeout(stop(`the ${deadlineMs / 1000} s deadline passed`), deadlineMs);
  let done = 0;
  let run: RunResult;
  try {
    run = await runChecks(plan, {
      ...(settings.bail ? { bail: 1 } : {}),
      ...(settings.shard ? { shard: settings.shard } : {}),
      ...(settings.concurrency ? { concurrency: settings.concurrency } : {}),
      onLog: (text) => out(text.trimEnd()),
      onCheck: () => {
        done += 1;
        if (done % 100 === 0) out(`  … ${done} checks done`);
      },
      signal: abort.signal,
    });
  } finally {
    signals.off('SIGINT', onInt);
    signals.off('SIGTERM', onTerm);
    if (deadline) clearTimeout(deadline);
  }
  const stopped = abort.signal.aborted ? String(abort.signal.reason) : undefined;
  if (run.errors.length > 0 && stopped === undefined) for (const e of run.errors) out(`accord: ${e}`);
  return { records: run.records, errors: run.errors, stopped, startedAt };
}
