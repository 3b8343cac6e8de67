import { IdentityUnavailable } from '../src/client/run-context.js';
import { arrangement } from '../src/spec/method.js';
import { callerFor, successOf, trackCreated } from './support/calls.js';
import type { TargetRun } from './support/suite.js';

/** Every method, called validly by a permitted identity, succeeds and its result has the declared shape. */
export function shapes(run: TargetRun): void {
  for (const method of run.methods) {
    run.check(
      {
        method: method.name,
        case: 'valid',
        identity: null,
        title: `${method.name}: a valid call succeeds with the declared result`,
        see: [method.see],
      },
      async (rec, ctx) => {
        const caller = callerFor(ctx, method);
        if (!caller) throw new IdentityUnavailable(`no available identity may call ${method.name}`);
        const c = ctx.callContext(caller);
        const { params, context } = await arrangement(method.valid(c));
        const exchange = await ctx.exchange(method.name, params, caller);
        trackCreated(ctx, method, params, exchange, caller);
        rec.hold(exchange, successOf(run.protocol, method, params, c, context), `as ${caller}`);
      },
    );
  }
}
