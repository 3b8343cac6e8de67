import { capLevel } from '../src/spec/expectation.js';
import { arrangement } from '../src/spec/method.js';
import { permittedOf, trackCreated } from './support/calls.js';
import type { TargetRun } from './support/suite.js';

/**
 * The admin-rights matrix: every method × every identity the protocol declares. A permitted identity's
 * valid call is not refused; anyone else gets exactly the protocol's denial, as its access rule says.
 */
export function rights(run: TargetRun): void {
  for (const method of run.methods) {
    for (const identity of run.protocol.identities) {
      run.check(
        {
          method: method.name,
          case: identity.id,
          identity: identity.id,
          title: `${method.name} as ${identity.label}`,
          see: [method.access.see],
        },
        async (rec, ctx) => {
          // Fails with IdentityUnavailable (a skip) before anything is arranged when the target cannot provide it.
          await ctx.session(identity.id);
          const c = ctx.callContext(identity.id);
          const decision = method.access.decide(identity, ctx.world);
          const { params, context } = await arrangement(method.valid(c));
          const exchange = await ctx.exchange(method.name, params, identity.id);
          trackCreated(ctx, method, params, exchange, identity.id);
          const permitted = `${method.access.term}: ${identity.id} may call it`;
          if (decision.allowed) rec.hold(exchange, permittedOf(run.protocol, method, params, c, context), permitted);
          else rec.hold(exchange, capLevel('must', decision.denial), `${method.access.term}: ${decision.why}`);
        },
      );
    }
  }
}
