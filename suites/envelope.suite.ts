import type { TargetRun } from './support/suite.js';
import { capLevel } from '../src/spec/expectation.js';
import { variantFacets } from '../src/spec/variant.js';

/** Hand-written requests: bad JSON, bad envelopes, unknown methods, notifications, batches, transport. */
export function envelope(run: TargetRun): void {
  if (run.plan.selection.methods.length > 0) return;
  for (const c of run.protocol.envelope) {
    run.check({ method: null, case: c.id, identity: c.as ?? null, title: c.says, see: [c.see] }, async (rec, ctx) => {
      const session = await ctx.session(c.as ?? { credentials: null });
      rec.hold(await session.raw(c.request), capLevel(c.level, variantFacets(c.expect, ctx.variant)));
    });
  }
}
