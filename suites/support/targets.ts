import { afterAll, beforeAll, describe, test } from 'vitest';
import { redactorFor } from '../../src/client/redact.js';
import { ArrangeError, IdentityUnavailable, RunContext } from '../../src/client/run-context.js';
import type { RunPlan, TargetConfig } from '../../src/client/target.js';
import { protocolById } from '../../src/protocols/index.js';
import { checkId, matchesCheckId, settleRecord, verdictOf, type CheckKind, type CheckRecord } from '../../src/spec/check.js';
import type { MethodSpec } from '../../src/spec/method.js';
import type { ProtocolSpec } from '../../src/spec/protocol.js';
import { renderFailure } from '../../src/report/failure-text.js';
import { runPlan } from './plan.js';
import { Recorder, SkipCheck, StopCheck } from './recorder.js';

type AnyProtocol = ProtocolSpec<unknown, unknown>;

/** What a suite sees of one target while it declares its checks. */
export interface TargetRun {
  readonly plan: RunPlan;
  readonly target: TargetConfig;
  readonly protocol: AnyProtocol;
  /** Valid once the suite's beforeAll has built the world. */
  readonly ctx: RunContext<unknown>;
  /** Methods the selection keeps. */
  readonly methods: readonly MethodSpec<unknown, unknown>[];
  /** Declare one check: a vitest test whose outcome is a CheckRecord. */
  check(meta: CheckMeta, body: (rec: Recorder, ctx: RunContext<unknown>) => Promise<void>): void;
}

export interface CheckMeta {
  readonly method: string | null;
  readonly case: string;
  readonly identity: string | null;
  readonly title: string;
  readonly see: readonly string[];
}

/**
 * Declare a suite of one kind for every target of the run that has something to check. Each target gets
 * its own describe block, world (built before, torn down after, even when checks fail) and checks.
 */
export function describeTargets(kind: CheckKind, tag: string, declare: (run: TargetRun) => void): void {
  const plan = runPlan();
  if (plan.selection.kinds.length > 0 && !plan.selection.kinds.includes(kind)) return;
  // Targets are independent servers: they are checked side by side; one target's checks run in order
  // (they share its world). A protocol marked serial (server-wide state such as nymea's lockdown) is not.
  const concurrent = !plan.targets.some((t) => protocolById(t.protocol)?.serial);
  (concurrent ? describe.concurrent : describe.sequential)(kind, () => declareAll(plan, kind, tag, declare));
}

function declareAll(plan: RunPlan, kind: CheckKind, tag: string, declare: (run: TargetRun) => void): void {
  for (const target of plan.targets) {
    const protocol = protocolById(target.protocol) as AnyProtocol | undefined;
    if (!protocol) continue;
    const ctx = new RunContext<unknown>(plan, target, protocol, tag);
    const redact = redactorFor(target);
    let worldError: Error | undefined;
    const methods = protocol.methods.filter((m) => plan.selection.methods.length === 0 || plan.selection.methods.includes(m.name));
    describe.sequential(`${target.name} ${kind}`, () => {
      beforeAll(async () => {
        try {
          await ctx.buildWorld();
        } catch (error) {
          worldError = error as Error;
        }
      });
      afterAll(async () => {
        const problems = await ctx.teardown();
        if (problems.length > 0) console.warn(`accord teardown on ${target.name}:\n  ${problems.join('\n  ')}`);
      });
      declare({
        plan,
        target,
        protocol,
        ctx,
        methods,
        check(meta, body) {
          const id = checkId(protocol.id, meta.method, kind, meta.case);
          const skip = protocol.skips.find((s) => matchesCheckId(s.check, id));
          test(meta.title, async (t) => {
            const rec = new Recorder(plan.gate, redact);
            let skipped = skip?.reason;
            let broken: string | undefined;
            if (!skipped) {
              if (worldError) broken = `could not build the world: ${worldError.message}`;
              else {
                ctx.arranged = [];
                try {
                  await body(rec, ctx);
                } catch (error) {
                  if (error instanceof IdentityUnavailable || error instanceof SkipCheck) skipped = error.message;
                  else if (!(error instanceof StopCheck)) {
                    broken = redact((error as Error).message);
                    if (error instanceof ArrangeError && error.exchange) rec.note(error.exchange, 'arranging');
                  }
                }
              }
            }
            const record: CheckRecord = settleRecord({
              id,
              target: target.name,
              protocol: protocol.id,
              kind,
              method: meta.method,
              case: meta.case,
              identity: meta.identity,
              title: meta.title,
              see: meta.see,
              facets: rec.facets,
              exchanges: rec.exchanges,
              ...(skipped !== undefined ? { skipped } : {}),
              ...(broken !== undefined ? { broken } : {}),
            });
            t.task.meta.accord = record;
            if (skipped !== undefined) return t.skip(skipped);
            const verdict = verdictOf(record, plan.gate);
            if (verdict === 'failed' || verdict === 'broken') throw new Error(renderFailure(record));
          });
        },
      });
    });
  }
}
