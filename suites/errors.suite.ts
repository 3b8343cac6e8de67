import { IdentityUnavailable } from '../src/client/run-context.js';
import { capLevel } from '../src/spec/expectation.js';
import { arrangement } from '../src/spec/method.js';
import { callerFor, trackCreated } from './support/calls.js';
import type { TargetRun } from './support/suite.js';

/** Every declared error case gives exactly the declared output. */
export function errors(run: TargetRun): void {
  for (const method of run.methods) {
    for (const error of method.errors) {
      run.check(
        {
          method: method.name,
          case: error.id,
          identity: error.as ?? null,
          title: `${method.name}: ${error.says}`,
          see: [error.see],
        },
        async (rec, ctx) => {
          const caller = error.as ?? callerFor(ctx, method);
          if (!caller) throw new IdentityUnavailable(`no available identity may call ${method.name}`);
          // An identity the target cannot provide skips the case before anything is arranged for it.
          await ctx.session(caller);
          const c = ctx.callContext(caller);
          const { params, context } = await arrangement(error.params(c));
          const exchange = await ctx.exchange(method.name, params, caller);
          // A case that succeeds by design (a quirk) may create something: it is removed at teardown.
          trackCreated(ctx, method, params, exchange, caller);
          const expect = typeof error.expect === 'function' ? error.expect(params, c, context) : error.expect;
          rec.hold(exchange, capLevel(error.level, expect), `as ${caller}`);
        },
      );
    }
  }
}
