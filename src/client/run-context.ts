import { appendFileSync } from 'node:fs';
import type { CallContext, Handle, Outcome } from '../spec/context.js';
import { isUnavailable, type ProtocolSpec } from '../spec/protocol.js';
import type { Exchange, Session } from '../spec/session.js';
import type { RunPlan, TargetConfig } from './target.js';

/** Thrown when arranging state fails: what was sent and what came back, for the report. */
export class ArrangeError extends Error {
  constructor(
    message: string,
    readonly exchange?: Exchange,
  ) {
    super(message);
  }
}

/** An identity the target cannot provide (no app token given...): checks that need it are skipped. */
export class IdentityUnavailable extends Error {}

export type As = string | { readonly credentials: unknown };

/**
 * One suite file's view of one target: sessions per identity, the world, names with the run prefix, and
 * every object created, so that teardown removes exactly those (in reverse order, also after failures).
 */
export class RunContext<W = unknown> {
  readonly #sessions = new Map<string, Promise<Session>>();
  readonly #created: { kind: string; handle: Handle }[] = [];
  #counter = 0;
  world: W | undefined;
  /** Exchanges made while arranging the current check, so a failing check can show them. */
  arranged: Exchange[] = [];

  constructor(
    readonly plan: RunPlan,
    readonly target: TargetConfig,
    readonly protocol: ProtocolSpec<W, unknown>,
    /** Short tag of the suite file, so that parallel files never make the same name. */
    readonly tag: string,
  ) {}

  get given(): Readonly<Record<string, unknown>> {
    return this.target.given;
  }

  name(kind: string): string {
    this.#counter += 1;
    return `${this.plan.prefix}_${kind.replace(/[^a-z0-9]/gi, '').toLowerCase()}_${this.tag}${this.#counter}`;
  }

  /** The arranging identity: the first of the protocol's arrangers this target can provide. */
  get arranger(): string {
    for (const id of this.protocol.arrangers) if (!isUnavailable(this.credentialsOf(id))) return id;
    throw new IdentityUnavailable(`none of the identities that can arrange state is available: ${this.protocol.arrangers.join(', ')}`);
  }

  credentialsOf(identity: string): unknown {
    const spec = this.protocol.identities.find((i) => i.id === identity);
    if (!spec) throw new Error(`${this.protocol.id} has no identity "${identity}"`);
    return spec.credentials(this.world, this.target.given);
  }

  /** The session of an identity (cached), or a fresh one for explicit credentials. */
  session(as: As): Promise<Session> {
    const options = { timeoutMs: this.plan.timeoutMs, given: this.target.given };
    if (typeof as !== 'string') return this.protocol.binding.connect(this.target.url, as.credentials, options);
    let session = this.#sessions.get(as);
    if (!session) {
      const credentials = this.credentialsOf(as);
      if (isUnavailable(credentials)) return Promise.reject(new IdentityUnavailable(`identity ${as} is not available: ${credentials.unavailable}`));
      session = this.protocol.binding.connect(this.target.url, credentials, options);
      session.catch(() => this.#sessions.delete(as));
      this.#sessions.set(as, session);
    }
    return session;
  }

  async exchange(method: string, params: unknown, as: As): Promise<Exchange> {
    const session = await this.session(as);
    return session.call(method, params as never);
  }

  async call(method: string, params: unknown, as?: As): Promise<Outcome> {
    const exchange = await this.exchange(method, params, as ?? this.arranger);
    this.arranged.push(exchange);
    return this.protocol.binding.outcome(exchange.observed);
  }

  async ok(method: string, params: unknown, as?: As): Promise<unknown> {
    const exchange = await this.exchange(method, params, as ?? this.arranger);
    this.arranged.push(exchange);
    const outcome = this.protocol.binding.outcome(exchange.observed);
    if (!outcome.ok) throw new ArrangeError(`arranging state: ${method} failed: ${outcome.error}`, exchange);
    return outcome.value;
  }

  track(kind: string, handle: Handle): void {
    this.#created.push({ kind, handle });
    if (this.plan.ledger) {
      appendFileSync(this.plan.ledger, `${JSON.stringify({ target: this.target.name, protocol: this.protocol.id, url: this.target.url, kind, id: handle.id, name: handle.name })}\n`);
    }
  }

  untrack(kind: string, handle: Handle): void {
    const i = this.#created.findIndex((c) => c.kind === kind && c.handle.id === handle.id);
    if (i >= 0) this.#created.splice(i, 1);
  }

  async create(kind: string, options: Readonly<Record<string, unknown>> = {}): Promise<Handle> {
    const resource = this.protocol.resources.find((r) => r.kind === kind);
    if (!resource) throw new Error(`${this.protocol.id} has no resource kind "${kind}"`);
    return resource.create(this, options);
  }

  /** The context a declaration's valid()/params() functions see. */
  callContext(): CallContext<W> {
    const world = this.world;
    if (world === undefined) throw new Error('the world is not built yet');
    return {
      world,
      given: this.target.given,
      name: (kind) => this.name(kind),
      call: (method, params, as) => this.call(method, params, as),
      ok: (method, params, as) => this.ok(method, params, as),
      track: (kind, handle) => this.track(kind, handle),
      untrack: (kind, handle) => this.untrack(kind, handle),
      create: (kind, options) => this.create(kind, options),
    };
  }

  async buildWorld(): Promise<W> {
    this.world = await this.protocol.world(this);
    return this.world;
  }

  /** Remove everything this context created, newest first. Failures are collected, never thrown. */
  async teardown(): Promise<string[]> {
    const problems: string[] = [];
    while (this.#created.length > 0) {
      const { kind, handle } = this.#created.pop()!;
      const resource = this.protocol.resources.find((r) => r.kind === kind);
      try {
        await resource?.remove(this, handle);
      } catch (error) {
        problems.push(`could not remove ${kind} ${handle.name} (${handle.id}): ${(error as Error).message}`);
      }
    }
    for (const session of this.#sessions.values()) await session.then((s) => s.close()).catch(() => undefined);
    this.#sessions.clear();
    return problems;
  }
}
