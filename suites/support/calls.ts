import type { RunContext } from '../../src/client/run-context.js';
import type { CallContext } from '../../src/spec/context.js';
import type { Expectation, Facet } from '../../src/spec/expectation.js';
import type { MethodSpec, Params, ValidParams } from '../../src/spec/method.js';
import { isUnavailable, type ProtocolSpec } from '../../src/spec/protocol.js';
import type { Exchange } from '../../src/spec/session.js';
import { byVariant, isByVariant, variantFacets } from '../../src/spec/variant.js';

type Method = MethodSpec<unknown, unknown>;
type Protocol = ProtocolSpec<unknown, unknown>;

function label(schema: { title?: unknown }, fallback: string): string {
  return typeof schema.title === 'string' ? schema.title : fallback;
}

/**
 * What a valid call of this method answers: the success facets and result schemas, or its own `answers`.
 * `context` is what the method's valid() arranged beside the params (Arranged).
 */
export function successOf(
  protocol: Protocol,
  method: Method,
  params: ValidParams,
  c: CallContext<unknown>,
  context: unknown,
): Expectation {
  if (method.answers) return method.answers(params, c, context);
  const b = protocol.binding;
  const facets: Facet[] = [
    ...b.succeeded,
    b.resultMatches(method.result.must, 'must', label(method.result.must, 'the documented result')),
  ];
  if (method.result.should)
    facets.push(
      b.resultMatches(method.result.should, 'should', label(method.result.should, 'the result in its usual form')),
    );
  const quirk = method.result.quirk;
  if (quirk && isByVariant(quirk)) {
    // Per variant: a failure names the variant expected and the one whose schema the result matches.
    const forms = Object.fromEntries(
      Object.entries(quirk.byVariant).map(([v, schema]) => [
        v,
        [b.resultMatches(schema, 'quirk', label(schema, 'the exact real result'))],
      ]),
    );
    facets.push(...variantFacets(byVariant(forms as typeof forms & { default: Expectation }), c.variant));
  } else if (quirk) facets.push(b.resultMatches(quirk, 'quirk', label(quirk, 'the exact real result')));
  if (method.succeeds) facets.push(...method.succeeds(params, c, context));
  return facets;
}

/** Just "not refused": what the rights suite expects of a permitted caller. */
export function permittedOf(
  protocol: Protocol,
  method: Method,
  params: ValidParams,
  c: CallContext<unknown>,
  context: unknown,
): Expectation {
  return method.answers ? method.answers(params, c, context) : protocol.binding.succeeded;
}

/** The identity that makes ordinary calls of a method: its declared caller, else the first permitted one, arrangers first. */
export function callerFor(ctx: RunContext<unknown>, method: Method): string | undefined {
  const protocol = ctx.protocol;
  const all = [
    ...protocol.arrangers,
    ...protocol.identities.map((i) => i.id).filter((id) => !protocol.arrangers.includes(id)),
  ];
  const order = method.caller === undefined ? all : [method.caller];
  for (const id of order) {
    const identity = protocol.identities.find((i) => i.id === id);
    if (!identity || isUnavailable(identity.credentials(ctx.world, ctx.target.given))) continue;
    if (method.access.decide(identity, ctx.world).allowed) return id;
  }
  return undefined;
}

/** After a call that may have created something, track it for teardown. */
export function trackCreated(
  ctx: RunContext<unknown>,
  method: Method,
  params: Params,
  exchange: Exchange,
  by?: string,
): void {
  if (!method.creates) return;
  const outcome = ctx.protocol.binding.outcome(exchange.observed);
  if (!outcome.ok) return;
  // Not only valid calls create (a server may accept garbage): the declaration reads what it needs from
  // whatever was sent, so that teardown still finds what a wrong call made.
  const handle = method.creates.handle(outcome.value, params as ValidParams);
  // Who made it: some objects can only be removed by their maker (a Kanboard project's manager).
  if (handle) ctx.track(method.creates.kind, by === undefined ? handle : { ...handle, createdBy: by });
}
