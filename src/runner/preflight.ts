import { redactorFor } from '../report/redact.js';
import { RunContext } from '../client/run-context.js';
import type { RunPlan, TargetConfig } from '../client/target.js';
import { protocolById } from '../protocols/index.js';
import { checkId, type CheckRecord, type ExchangeRecord } from '../spec/check.js';
import { evaluate, facet, type Expectation, type FacetOutcome } from '../spec/expectation.js';
import { NOT_JSON, type Observed } from '../spec/observed.js';
import {
  isUnavailable,
  type GivenOption,
  type IdentitySpec,
  type PreflightProbe,
  type ProtocolSpec,
} from '../spec/protocol.js';
import { SessionFailed, type Exchange } from '../spec/session.js';
import { clip } from '../spec/show.js';

/**
 * Whether a target can be checked. When it can, `findings` are the rights failures pre-flight already
 * saw (an identity the server describes as a plain user that may do what only an admin may): checks of
 * the run like any other, so the run goes on and the reports carry them.
 */
export type PreflightVerdict =
  { readonly ok: true; readonly findings: readonly CheckRecord[] } | { readonly ok: false; readonly reason: string };

type AnyProtocol = ProtocolSpec<unknown, unknown>;
type Identity = IdentitySpec<unknown, unknown>;

/** A reason the run cannot go on: thrown inside pre-flight, returned as its verdict. */
class Unusable extends Error {}

function flagOf(options: readonly GivenOption[], key: string | undefined): string {
  const o = options.find((x) => x.key === key);
  return o ? `--${o.flag}` : 'the given credentials';
}

/**
 * Before any check: the target answers, it speaks the protocol, and each given identity is what it claims,
 * by what the server says about it (its role, its admin flag, its scopes). Then each identity makes one
 * call whose access rule decides without the world: an identity the server described as claimed whose
 * answer is wrong is a rights failure of the server, not a mistake in the credentials.
 */
export async function preflight(plan: RunPlan, target: TargetConfig, timeoutMs = 4000): Promise<PreflightVerdict> {
  const protocol = protocolById(target.protocol) as AnyProtocol | undefined;
  if (!protocol) return { ok: false, reason: `unknown protocol ${target.protocol}` };
  const ctx = new RunContext({ ...plan, timeoutMs }, target, protocol, 'x');
  try {
    try {
      void ctx.arranger;
    } catch {
      const flags = protocol.arrangers.map((id) =>
        flagOf(protocol.given, protocol.identities.find((i) => i.id === id)?.givenBy),
      );
      return {
        ok: false,
        reason: `${target.name}: no identity that can set up checks was given; give ${flags.join(' or ')}`,
      };
    }
    const findings: CheckRecord[] = [];
    for (const probe of protocol.preflight) {
      const identity = protocol.identities.find((i) => i.id === probe.identity);
      if (!identity)
        return {
          ok: false,
          reason: `${protocol.id} declares a pre-flight probe of unknown identity ${probe.identity}`,
        };
      if (isUnavailable(identity.credentials(undefined, target.given))) continue;
      const finding = await probeIdentity(ctx, protocol, probe, identity);
      if (finding) findings.push(finding);
    }
    return { ok: true, findings };
  } catch (error) {
    if (error instanceof Unusable) return { ok: false, reason: error.message };
    throw error;
  } finally {
    await ctx.teardown();
  }
}

/** One identity: who the server says it is (exit 2 when not what it claims), then its rights (a finding). */
async function probeIdentity(
  ctx: RunContext<unknown>,
  protocol: AnyProtocol,
  probe: PreflightProbe,
  identity: Identity,
): Promise<CheckRecord | undefined> {
  const target = ctx.target;
  const flag = flagOf(protocol.given, identity.givenBy);
  const method = protocol.methods.find((m) => m.name === probe.method);
  if (!method || (probe.whoami && !protocol.methods.some((m) => m.name === probe.whoami!.method)))
    throw new Unusable(`${protocol.id} declares a pre-flight probe of unknown method`);
  const exchanges: Exchange[] = [];
  // What the server said of the identity, once it accepted the credentials and did not contradict the flag.
  let described: string | undefined;
  if (probe.whoami) {
    const asked = await usableExchange(ctx, protocol, probe.whoami.method, probe.whoami.params, identity, flag, true);
    exchanges.push(asked);
    const outcome = protocol.binding.outcome(asked.observed);
    if (!outcome.ok)
      throw new Unusable(
        `${target.name}: ${flag} (${identity.label}) was refused for ${probe.whoami.method}: ${clip(outcome.error, 100)}; check the credentials`,
      );
    const reading = probe.whoami.read(outcome.value);
    if (reading?.unknown)
      throw new Unusable(
        `${target.name}: ${flag} (${identity.label}) was refused: ${probe.whoami.method} says it is ${reading.says}`,
      );
    if (reading && !reading.asClaimed)
      throw new Unusable(
        `${target.name}: ${flag} is not ${identity.label}: ${probe.whoami.method} says it is ${reading.says}`,
      );
    described = reading ? `${probe.whoami.method} says it is ${reading.says}` : `${probe.whoami.method} accepts it`;
  }
  const decision = method.access.decide(identity, undefined);
  const exchange = await usableExchange(ctx, protocol, method.name, probe.params, identity, flag, decision.allowed);
  exchanges.push(exchange);
  const o = exchange.observed;
  let expectation: Expectation;
  if (decision.allowed) {
    const outcome = protocol.binding.outcome(o);
    expectation = [
      ...protocol.binding.succeeded,
      facet('must', `${method.name} succeeds for ${identity.label}`, () =>
        outcome.ok ? null : clip(outcome.error, 200),
      ),
    ];
    if (!described && !outcome.ok) {
      const why =
        o.transport === 'http' && (o.status === 401 || o.status === 403)
          ? `HTTP ${o.status}`
          : clip(outcome.error, 100);
      throw new Unusable(
        `${target.name}: ${flag} (${identity.label}) was refused for ${method.name}: ${why}; check the credentials and the role`,
      );
    }
  } else {
    expectation = decision.denial;
    const denied = evaluate(decision.denial, o, ctx.variant).every((f) => f.ok || f.level !== 'must');
    if (!described && !denied)
      throw new Unusable(
        `${target.name}: ${flag} is not ${identity.label}: ${method.name} should be refused to it (${decision.why}) but was not`,
      );
  }
  const facets = evaluate(expectation, o, ctx.variant);
  if (facets.every((f) => f.ok || f.level !== 'must')) return undefined;
  const title = decision.allowed
    ? `${identity.label} (${flag}; ${described}) may call ${method.name}`
    : `${identity.label} (${flag}; ${described}) is refused ${method.name} (${decision.why})`;
  return findingOf(ctx, method.name, identity, title, [method.see, method.access.see], facets, exchanges);
}

/** Make a pre-flight call; a target that does not answer, or not as the protocol, stops the run. */
async function usableExchange(
  ctx: RunContext<unknown>,
  protocol: AnyProtocol,
  method: string,
  params: unknown,
  identity: Identity,
  flag: string,
  permitted: boolean,
): Promise<Exchange> {
  const target = ctx.target;
  let exchange: Exchange;
  try {
    exchange = await ctx.exchange(method, params, identity.id);
  } catch (error) {
    // A stream session connects and logs in up front: it says why it could not.
    if (!(error instanceof SessionFailed)) throw error;
    if (error.why === 'unreachable') throw new Unusable(`cannot reach ${target.name}: ${error.message}`);
    if (error.why === 'not-the-protocol')
      throw new Unusable(`${error.message}: not ${protocol.title}; is the URL right?`);
    throw new Unusable(`${target.name}: ${flag} (${identity.label}) was refused: ${error.message}`);
  }
  const reason = notTheProtocol(exchange.observed, target, protocol, method, permitted);
  if (reason) throw new Unusable(reason);
  return exchange;
}

function notTheProtocol(
  o: Observed,
  target: TargetConfig,
  protocol: AnyProtocol,
  method: string,
  permitted: boolean,
): string | undefined {
  if (o.transport === 'none') return `cannot reach ${target.name}: ${o.error}`;
  if (o.transport !== 'http') return undefined;
  if (o.status === 404 || o.status === 405)
    return `${target.url} answered HTTP ${o.status} to ${method}: no ${protocol.title} there; is the URL right?`;
  // A permitted call answers JSON on every protocol; a refusal may be an HTML page (OctoPrint 1.3).
  if (permitted && o.json === NOT_JSON && o.status !== 401 && o.status !== 403) {
    const type = o.headers['content-type'] ?? 'no content type';
    return `${target.url} answered HTTP ${o.status} with ${type} (${clip(o.text, 60) || 'empty'}), not ${protocol.title}: is the URL right?`;
  }
  return undefined;
}

function findingOf(
  ctx: RunContext<unknown>,
  method: string,
  identity: Identity,
  title: string,
  see: readonly string[],
  facets: readonly FacetOutcome[],
  exchanges: readonly Exchange[],
): CheckRecord {
  const redact = redactorFor(ctx.target);
  const redacted = (f: FacetOutcome): FacetOutcome => ({
    ...f,
    says: redact(f.says),
    ...(f.mismatch ? { mismatch: redact(f.mismatch) } : {}),
    ...(f.note ? { note: redact(f.note) } : {}),
  });
  const steps = exchanges.map((e, i): ExchangeRecord => ({
    step: i < exchanges.length - 1 ? 'who the server says the identity is' : method,
    request: redact(e.request),
    response: redact(e.response),
    reproduce: redact(e.reproduce),
    ms: Math.round(e.ms * 10) / 10,
  }));
  const caseId = `preflight-${identity.id}`;
  return {
    id: checkId(ctx.protocol.id, method, 'rights', caseId),
    target: ctx.target.name,
    protocol: ctx.protocol.id,
    kind: 'rights',
    method,
    case: caseId,
    identity: identity.id,
    title: redact(title),
    see,
    facets: facets.map(redacted),
    exchanges: steps,
  };
}
