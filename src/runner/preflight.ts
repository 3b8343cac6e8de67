import { RunContext } from '../client/run-context.js';
import type { RunPlan, TargetConfig } from '../client/target.js';
import { protocolById } from '../protocols/index.js';
import { evaluate } from '../spec/expectation.js';
import { NOT_JSON } from '../spec/observed.js';
import { isUnavailable, type GivenOption } from '../spec/protocol.js';
import { SessionFailed } from '../spec/session.js';
import { clip } from '../spec/show.js';

/** Why a target cannot be checked, in one line a person can act on; undefined when it can. */
export type PreflightVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function flagOf(options: readonly GivenOption[], key: string | undefined): string {
  const o = options.find((x) => x.key === key);
  return o ? `--${o.flag}` : 'the given credentials';
}

/**
 * Before any check: the target answers, it speaks the protocol, and each given identity is what it claims
 * (the admin really is admin, the user really is not). Each probe is one call, under a short timeout.
 */
export async function preflight(plan: RunPlan, target: TargetConfig, timeoutMs = 4000): Promise<PreflightVerdict> {
  const protocol = protocolById(target.protocol);
  if (!protocol) return { ok: false, reason: `unknown protocol ${target.protocol}` };
  const ctx = new RunContext({ ...plan, timeoutMs }, target, protocol, 'x');
  try {
    try {
      void ctx.arranger;
    } catch {
      const flags = protocol.arrangers.map((id) => flagOf(protocol.given, protocol.identities.find((i) => i.id === id)?.givenBy));
      return { ok: false, reason: `${target.name}: no identity that can set up checks was given; give ${flags.join(' or ')}` };
    }
    for (const probe of protocol.preflight) {
      const identity = protocol.identities.find((i) => i.id === probe.identity);
      const method = protocol.methods.find((m) => m.name === probe.method);
      if (!identity || !method) return { ok: false, reason: `${protocol.id} declares a pre-flight probe of unknown ${identity ? 'method' : 'identity'}` };
      if (isUnavailable(identity.credentials(undefined, target.given))) continue;
      const flag = flagOf(protocol.given, identity.givenBy);
      let exchange;
      try {
        exchange = await ctx.exchange(method.name, probe.params, identity.id);
      } catch (error) {
        // A stream session connects and logs in up front: it says why it could not.
        if (!(error instanceof SessionFailed)) throw error;
        if (error.why === 'unreachable') return { ok: false, reason: `cannot reach ${target.name}: ${error.message}` };
        if (error.why === 'not-the-protocol') return { ok: false, reason: `${error.message}: not ${protocol.title}; is the URL right?` };
        return { ok: false, reason: `${target.name}: ${flag} (${identity.label}) was refused: ${error.message}` };
      }
      const o = exchange.observed;
      if (o.transport === 'none') return { ok: false, reason: `cannot reach ${target.name}: ${o.error}` };
      if (o.transport === 'http' && (o.status === 404 || o.status === 405)) {
        return { ok: false, reason: `${target.url} answered HTTP ${o.status} to ${method.name}: no ${protocol.title} there; is the URL right?` };
      }
      const decision = method.access.decide(identity, undefined);
      // A permitted call answers JSON on every protocol; a refusal may be an HTML page (OctoPrint 1.3).
      const refusedOverHttp = o.transport === 'http' && (o.status === 401 || o.status === 403);
      if (decision.allowed && refusedOverHttp) {
        return { ok: false, reason: `${target.name}: ${flag} (${identity.label}) was refused for ${method.name}: HTTP ${o.status}; check the credentials and the role` };
      }
      if (decision.allowed && o.transport === 'http' && o.json === NOT_JSON) {
        const type = o.headers['content-type'] ?? 'no content type';
        return { ok: false, reason: `${target.url} answered HTTP ${o.status} with ${type} (${clip(o.text, 60) || 'empty'}), not ${protocol.title}: is the URL right?` };
      }
      if (decision.allowed) {
        const outcome = protocol.binding.outcome(o);
        if (!outcome.ok) return { ok: false, reason: `${target.name}: ${flag} (${identity.label}) was refused for ${method.name}: ${clip(outcome.error, 100)}; check the credentials and the role` };
      } else {
        const failed = evaluate(decision.denial, o).filter((f) => !f.ok && f.level === 'must');
        if (failed.length > 0) return { ok: false, reason: `${target.name}: ${flag} is not ${identity.label}: ${method.name} should be refused to it (${decision.why}) but was not` };
      }
    }
    return { ok: true };
  } finally {
    await ctx.teardown();
  }
}
