import fc from 'fast-check';
import { IdentityUnavailable } from '../src/client/run-context.js';
import { evaluate } from '../src/spec/expectation.js';
import { arrangement } from '../src/spec/method.js';
import { mutationsOf, type Mutation } from '../src/spec/mutations.js';
import type { Exchange } from '../src/spec/session.js';
import { callerFor, trackCreated } from './support/calls.js';
import { SkipCheck } from './support/recorder.js';
import type { TargetRun } from './support/suite.js';

/**
 * Garbage derived from each method's params schema (fast-check, fixed seed; `--fuzz N`, `--fuzz-seed S`): every
 * answer must be one the real server could give (the protocol's envelope or its own failure modes) —
 * never a dropped connection, a timeout or a reply outside the protocol. A failure shows the minimal
 * request (fast-check shrinks it).
 */
const DEFAULT_RUNS = 20;

export function fuzz(run: TargetRun): void {
  const runs = run.plan.fuzz?.runs ?? DEFAULT_RUNS;
  const seed = run.plan.fuzz?.seed ?? 1;
  for (const method of run.methods) {
    run.check(
      {
        method: method.name,
        case: 'garbage',
        identity: null,
        title: `${method.name}: ${runs} garbage calls get answers the real server could give`,
        see: [method.see],
      },
      async (rec, ctx) => {
        const caller = callerFor(ctx, method);
        if (!caller) throw new IdentityUnavailable(`no available identity may call ${method.name}`);
        const { params: valid } = await arrangement(method.valid(ctx.callContext()));
        if (Array.isArray(valid)) throw new SkipCheck('the valid call uses positional parameters');
        const expectation = run.protocol.params.garbage(method);
        let last: { mutation: Mutation; exchange: Exchange } | undefined;
        const keep = run.protocol.params.addressing?.(method) ?? [];
        const mutations = mutationsOf(method.params, valid as Record<string, unknown>, run.plan.prefix, {
          keep,
          creates: method.creates !== undefined,
          coerces: run.protocol.params.coerces === true,
        });
        const property = fc.asyncProperty(mutations, async (mutation) => {
          const exchange = await ctx.exchange(method.name, mutation.params, caller);
          trackCreated(ctx, method, mutation.params, exchange, caller);
          const failed = evaluate(expectation, exchange.observed, ctx.variant).filter((f) => !f.ok);
          if (failed.length > 0) last = { mutation, exchange };
          return failed.length === 0;
        });
        const result = await fc.check(property, { numRuns: runs, seed, endOnFailure: false });
        if (result.failed && result.counterexample && last) {
          // The last failing exchange is the shrunk, minimal one.
          rec.hold(
            last.exchange,
            expectation,
            `${last.mutation.kind} (minimal; seed ${seed}, path ${result.counterexamplePath ?? '-'})`,
          );
        } else {
          rec.facets.push({
            level: expectation[0]?.level ?? 'must',
            says: `${result.numRuns} garbage calls: ${expectation.map((f) => f.says).join('; ')}`,
            ok: !result.failed,
            ...(result.failed ? { mismatch: String(result.errorInstance ?? 'failed') } : {}),
          });
        }
      },
    );
  }
}
