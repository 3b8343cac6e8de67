import { isUnavailable, type ScenarioContext } from '../../src/spec/protocol.js';
import type { Session } from '../../src/spec/session.js';
import { IdentityUnavailable, type As, type RunContext } from '../../src/client/run-context.js';
import { SkipCheck, StopCheck, type Recorder } from './recorder.js';
import { connectSession } from '../../src/client/connect.js';

/**
 * What a scenario declaration gets to work with: calls held to expectations step by step, its own
 * sessions, and everything a method declaration gets. A failure at the gating level ends the scenario.
 */
export function scenarioContext(
  ctx: RunContext<unknown>,
  rec: Recorder,
): { s: ScenarioContext<unknown>; close(): Promise<void> } {
  const opened: Session[] = [];
  const s: ScenarioContext<unknown> = {
    ...ctx.callContext(),
    async check(step, method, params, expect, as) {
      const exchange = await ctx.exchange(method, params, as ?? ctx.arranger);
      if (!rec.hold(exchange, expect, step)) throw new StopCheck(step);
      return ctx.protocol.binding.outcome(exchange.observed);
    },
    async open(as: As) {
      const credentials = typeof as === 'string' ? ctx.credentialsOf(as) : as.credentials;
      if (isUnavailable(credentials))
        throw new IdentityUnavailable(`identity ${String(as)} is not available: ${credentials.unavailable}`);
      const session = await connectSession(ctx.protocol.binding, ctx.target.url, credentials, {
        timeoutMs: ctx.plan.timeoutMs,
        given: ctx.target.given,
        prefix: ctx.plan.prefix,
      });
      opened.push(session);
      return session;
    },
    expect(step, observed, expect, exchange) {
      if (exchange)
        rec.exchanges.push({
          step,
          request: rec.redact(exchange.request),
          response: rec.redact(exchange.response),
          reproduce: '',
          ms: 0,
        });
      if (!rec.judge(observed, expect, step)) throw new StopCheck(step);
    },
    skip(reason) {
      throw new SkipCheck(reason);
    },
  };
  return { s, close: async () => void (await Promise.all(opened.map((x) => x.close().catch(() => undefined)))) };
}
