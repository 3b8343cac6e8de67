import { ArrangeError, IdentityUnavailable, type RunContext } from '../client/run-context.js';
import { settleRecord, type CheckRecord } from '../spec/check.js';
import type { Level } from '../spec/levels.js';
import { Recorder, SkipCheck, StopCheck } from '../../suites/support/recorder.js';
import type { DeclaredCheck, SuitePlan } from './declare.js';

export interface CheckRun {
  readonly gate: Level;
  /** Applied to every text a record keeps: a live target's secrets never reach a report. */
  readonly redact: (text: string) => string;
  /** A check still running after this long is given up as could-not-run. */
  readonly timeoutMs: number;
  /** Why the world could not be built: every check of the suite could not run. */
  readonly worldError?: Error;
  /** A body given up on (timed out) is still running: the suite waits a little for it before teardown. */
  readonly onAbandoned: (body: Promise<unknown>) => void;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Run one check and say what happened, as data: the exchanges and facets its body recorded, or why it
 * was skipped, or why it could not run. Failing is not an exception here; only the record says it.
 */
export async function runCheck(
  suite: SuitePlan,
  check: DeclaredCheck,
  ctx: RunContext<unknown>,
  run: CheckRun,
): Promise<CheckRecord> {
  const rec = new Recorder(run.gate, run.redact, ctx.variant);
  let skipped = check.skip;
  let broken: string | undefined;
  if (skipped === undefined && run.worldError)
    broken = `could not build the world: ${run.redact(run.worldError.message)}`;
  else if (skipped === undefined) {
    const body = check.body(rec, ctx);
    const timeout = AbortSignal.timeout(run.timeoutMs);
    const timedOut = new Promise<typeof TIMED_OUT>((resolve) =>
      timeout.addEventListener('abort', () => resolve(TIMED_OUT), { once: true }),
    );
    try {
      if ((await Promise.race([body, timedOut])) === TIMED_OUT) {
        broken = `the check did not finish within ${run.timeoutMs / 1000} s`;
        run.onAbandoned(body.catch(() => undefined));
      }
    } catch (error) {
      if (error instanceof IdentityUnavailable || error instanceof SkipCheck) skipped = error.message;
      else if (!(error instanceof StopCheck)) {
        broken = run.redact((error as Error).message);
        if (error instanceof ArrangeError && error.exchange) rec.note(error.exchange, 'arranging');
      }
    }
  }
  const { meta } = check;
  // settleRecord: a check that ran and asserted nothing could not run (it must not pass by accident).
  return settleRecord({
    id: check.id,
    target: suite.target.name,
    protocol: suite.protocol.id,
    kind: check.kind,
    method: meta.method,
    case: meta.case,
    identity: meta.identity,
    title: meta.title,
    see: meta.see,
    // A copy: a body given up on may still be recording.
    facets: [...rec.facets],
    exchanges: [...rec.exchanges],
    ...(skipped !== undefined ? { skipped } : {}),
    ...(broken !== undefined ? { broken } : {}),
  });
}
