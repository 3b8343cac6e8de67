import { RunContext } from '../client/run-context.js';
import type { TargetConfig } from '../client/target.js';
import { replyOf } from '../fixtures/generate.js';
import { arrangement, type Made, type MethodSpec, type Params, type ValidParams } from '../spec/method.js';
import { isUnavailable, type ProtocolSpec } from '../spec/protocol.js';

type Protocol = ProtocolSpec<unknown, unknown>;
type Method = MethodSpec<unknown, unknown>;

/** One call made for the export and what came back, as fixtures record it (status and body, or messages). */
export interface RecordedCall {
  readonly identity: string;
  readonly params: Params;
  readonly reply: unknown;
}

/** What a method answers on a server: a valid call, each declared error case, each refused identity. */
export interface RecordedMethod {
  readonly success?: RecordedCall;
  readonly errors: Readonly<Record<string, RecordedCall>>;
  readonly denials: Readonly<Record<string, RecordedCall>>;
  /** The access rule's decision for every identity, with the facets a refused call is held to. */
  readonly access: readonly AccessEntry[];
  /** Calls that could not be made (an identity the target lacks, arranging failed), with the reason. */
  readonly missed: readonly string[];
}

export interface AccessEntry {
  readonly identity: string;
  readonly label: string;
  readonly allowed: boolean;
  /** Calls with no credentials at all. */
  readonly anonymous: boolean;
  readonly why?: string;
  /** The denial as the rights suite checks it: `level: statement`. */
  readonly denial?: readonly string[];
}

export type Recording = Readonly<Record<string, RecordedMethod>>;

function callerOf(ctx: RunContext<unknown>, method: Method): string | undefined {
  const protocol = ctx.protocol;
  const ids = [
    ...protocol.arrangers,
    ...protocol.identities.map((i) => i.id).filter((id) => !protocol.arrangers.includes(id)),
  ];
  for (const id of method.caller === undefined ? ids : [method.caller]) {
    const identity = protocol.identities.find((i) => i.id === id);
    if (!identity || isUnavailable(identity.credentials(ctx.world, ctx.target.given))) continue;
    if (method.access.decide(identity, ctx.world).allowed) return id;
  }
  return undefined;
}

/** What makes a call's params: a valid() or an error case's params(), arranged or not. */
type Maker = () => Made<Params, unknown> | Promise<Made<Params, unknown>>;

async function callAs(ctx: RunContext<unknown>, method: Method, identity: string, make: Maker): Promise<RecordedCall> {
  await ctx.session(identity);
  const { params: p } = await arrangement(make());
  const exchange = await ctx.exchange(method.name, p, identity);
  if (method.creates) {
    const outcome = ctx.protocol.binding.outcome(exchange.observed);
    // Error cases may create too; see trackCreated (suites/support/calls.ts).
    const handle = outcome.ok ? method.creates.handle(outcome.value, p as ValidParams) : undefined;
    if (handle) ctx.track(method.creates.kind, { ...handle, by: identity });
  }
  return { identity, params: p, reply: replyOf(exchange.observed) };
}

/**
 * Make, on a target (the embedded mock), the calls the suites make, and keep the replies: the wire forms
 * an export shows are what the server sent, not a rendering of the declarations. Everything made is
 * removed again.
 */
export async function recordReplies(protocol: Protocol, target: TargetConfig): Promise<Recording> {
  const plan = {
    runId: 'export',
    prefix: 'accord_export',
    gate: 'quirk' as const,
    targets: [target],
    selection: { kinds: [], methods: [] },
    timeoutMs: 10_000,
  };
  const ctx = new RunContext(plan, target, protocol, 'x');
  const out: Record<string, RecordedMethod> = {};
  try {
    await ctx.buildWorld();
    for (const method of protocol.methods) {
      const missed: string[] = [];
      const attempt = async <T>(what: string, make: () => Promise<T>): Promise<T | undefined> => {
        try {
          return await make();
        } catch (error) {
          missed.push(`${what}: ${(error as Error).message}`);
          return undefined;
        }
      };
      const caller = callerOf(ctx, method);
      const success = caller
        ? await attempt('valid call', () => callAs(ctx, method, caller, () => method.valid(ctx.callContext(caller))))
        : undefined;
      const errors: Record<string, RecordedCall> = {};
      for (const error of method.errors) {
        const as = error.as ?? caller;
        if (!as) continue;
        const call = await attempt(`error ${error.id}`, () =>
          callAs(ctx, method, as, () => error.params(ctx.callContext(as))),
        );
        if (call) errors[error.id] = call;
      }
      const denials: Record<string, RecordedCall> = {};
      const access: AccessEntry[] = [];
      for (const identity of protocol.identities) {
        const decision = method.access.decide(identity, ctx.world);
        const anonymous = identity.credentials(ctx.world, target.given) === null;
        if (decision.allowed) {
          access.push({ identity: identity.id, label: identity.label, allowed: true, anonymous });
          continue;
        }
        const denial = decision.denial.map((f) => `${f.level}: ${f.says}`);
        access.push({
          identity: identity.id,
          label: identity.label,
          allowed: false,
          anonymous,
          why: decision.why,
          denial,
        });
        const call = await attempt(`as ${identity.id}`, () =>
          callAs(ctx, method, identity.id, () => method.valid(ctx.callContext(identity.id))),
        );
        if (call) denials[identity.id] = call;
      }
      out[method.name] = { ...(success ? { success } : {}), errors, denials, access, missed };
    }
  } finally {
    await ctx.teardown();
  }
  return out;
}
