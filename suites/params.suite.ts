import { IdentityUnavailable, type RunContext } from '../src/client/run-context.js';
import { arrangement, signatureOf } from '../src/spec/method.js';
import { wrongValueFor } from '../src/spec/wrong-values.js';
import { callerFor, successOf, trackCreated } from './support/calls.js';
import { SkipCheck } from './support/recorder.js';
import type { TargetRun } from './support/suite.js';
import { capLevel } from '../src/spec/expectation.js';

/**
 * Invalid parameters derived from each method's params schema: each required one missing in turn, an
 * unknown one added, each one with a value of the wrong JSON type. The protocol's params policy says
 * what each gives (or why it is not checked).
 */
export function params(run: TargetRun): void {
  const policy = run.protocol.params;
  for (const method of run.methods) {
    const signature = signatureOf(method.params);
    const properties = method.params.properties as Record<string, Parameters<typeof wrongValueFor>[0]>;

    const prepare = async (ctx: RunContext<unknown>) => {
      const caller = callerFor(ctx, method);
      if (!caller) throw new IdentityUnavailable(`no available identity may call ${method.name}`);
      const c = ctx.callContext(caller);
      const { params, context } = await arrangement(method.valid(c));
      if (Array.isArray(params)) throw new SkipCheck('the valid call uses positional parameters');
      return { caller, c, context, params: params as Record<string, unknown> };
    };

    for (const name of signature.required) {
      run.check(
        {
          method: method.name,
          case: `missing-${name}`,
          identity: null,
          title: `${method.name}: without ${name}`,
          see: [method.see],
        },
        async (rec, ctx) => {
          const { caller, params } = await prepare(ctx);
          const { [name]: _dropped, ...rest } = params;
          const expect = policy.missing(method, name, rest, ctx.variant);
          if (typeof expect === 'string') throw new SkipCheck(expect);
          const exchange = await ctx.exchange(method.name, rest, caller);
          trackCreated(ctx, method, rest, exchange, caller);
          rec.hold(exchange, expect, `as ${caller}`);
        },
      );
    }

    run.check(
      {
        method: method.name,
        case: 'extra',
        identity: null,
        title: `${method.name}: with an unknown parameter`,
        see: [method.see],
      },
      async (rec, ctx) => {
        const { caller, c, context, params } = await prepare(ctx);
        const extra = policy.extra(method, params);
        if (typeof extra === 'string') throw new SkipCheck(extra);
        const exchange = await ctx.exchange(method.name, extra.params, caller);
        trackCreated(ctx, method, extra.params, exchange, caller);
        const expect =
          'expect' in extra
            ? extra.expect
            : capLevel(extra.asValid, successOf(run.protocol, method, extra.params, c, context));
        rec.hold(exchange, expect, `as ${caller}`);
      },
    );

    for (const name of signature.names) {
      const schema = properties[name];
      const wrong = schema === undefined ? undefined : wrongValueFor(schema);
      if (wrong === undefined) continue;
      run.check(
        {
          method: method.name,
          case: `wrong-type-${name}`,
          identity: null,
          title: `${method.name}: ${name} = ${JSON.stringify(wrong)}`,
          see: [method.see],
        },
        async (rec, ctx) => {
          const { caller, params } = await prepare(ctx);
          const expect = policy.wrongType(method, name, wrong);
          if (typeof expect === 'string') throw new SkipCheck(expect);
          const sent = { ...params, [name]: wrong };
          const exchange = await ctx.exchange(method.name, sent, caller);
          trackCreated(ctx, method, sent, exchange, caller);
          rec.hold(exchange, expect, `as ${caller}`);
        },
      );
    }
  }
}
