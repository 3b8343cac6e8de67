import { appendFileSync } from 'node:fs';
import type { As, CallContext, Handle, Outcome } from '../spec/context.js';
import { isUnavailable, type ProtocolSpec } from '../spec/protocol.js';
import type { Exchange, Session } from '../spec/session.js';
import type { RunPlan, TargetConfig } from './target.js';
import { connectSession } from './connect.js';

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

export type { As };

/** One line of a run's ledger file. */
export interface LedgerEntry {
  readonly op: 'created' | 'removed';
  readonly target: string;
  readonly kind: string;
  readonly id: number | string;
  readonly name: string;
}

/** Calls in a row without any answer after which a target counts as gone for the rest of the run. */
const GIVE_UP_AFTER = 3;

/**
 * One suite's view of one target: sessions per identity, the world, names with the run prefix, and
 * every object created, so that teardown removes exactly those (in reverse order, also after failures).
 */
export class RunContext<W = unknown> {
  readonly #sessions = new Map<string, Promise<Session>>();
  /** Sessions for explicit credentials (not cached): closed at teardown too, or their sockets keep the process up. */
  readonly #uncached: Promise<Session>[] = [];
  readonly #created: { kind: string; handle: Handle }[] = [];
  #counter = 0;
  #silentCalls = 0;
  #lastFailure = '';
  world: W | undefined;

  constructor(
    readonly plan: RunPlan,
    readonly target: TargetConfig,
    readonly protocol: ProtocolSpec<W, unknown>,
    /** Short tag of the suite (suites/index.ts), so that suites running side by side never make the same name. */
    readonly tag: string,
  ) {}

  get given(): Readonly<Record<string, unknown>> {
    return this.target.given;
  }

  get variant(): string {
    return this.target.variant?.id ?? this.protocol.variants?.default ?? 'default';
  }

  name(kind: string): string {
    this.#counter += 1;
    return `${this.plan.prefix}_${kind.replace(/[^a-z0-9]/gi, '').toLowerCase()}_${this.tag}${this.#counter}`;
  }

  /** The arranging identity: the first of the protocol's arrangers this target can provide. */
  get arranger(): string {
    for (const id of this.protocol.arrangers) if (!isUnavailable(this.credentialsOf(id))) return id;
    throw new IdentityUnavailable(
      `none of the identities that can arrange state is available: ${this.protocol.arrangers.join(', ')}`,
    );
  }

  credentialsOf(identity: string): unknown {
    const spec = this.protocol.identities.find((i) => i.id === identity);
    if (!spec) throw new Error(`${this.protocol.id} has no identity "${identity}"`);
    return spec.credentials(this.world, this.target.given);
  }

  /** The session of an identity (cached), or a fresh one for explicit credentials. */
  session(as: As): Promise<Session> {
    const options = { timeoutMs: this.plan.timeoutMs, given: this.target.given, prefix: this.plan.prefix };
    if (typeof as !== 'string') {
      const fresh = connectSession(this.protocol.binding, this.target.url, as.credentials, options);
      this.#uncached.push(fresh);
      return fresh;
    }
    let session = this.#sessions.get(as);
    if (!session) {
      const credentials = this.credentialsOf(as);
      if (isUnavailable(credentials))
        return Promise.reject(new IdentityUnavailable(`identity ${as} is not available: ${credentials.unavailable}`));
      session = connectSession(this.protocol.binding, this.target.url, credentials, options);
      session.catch(() => this.#sessions.delete(as));
      this.#sessions.set(as, session);
    }
    return session;
  }

  async exchange(method: string, params: unknown, as: As): Promise<Exchange> {
    // A target that stopped answering fails fast instead of costing a timeout per call.
    if (this.#silentCalls >= GIVE_UP_AFTER) {
      const error = `the target stopped answering (${GIVE_UP_AFTER} calls in a row failed; the last: ${this.#lastFailure})`;
      return {
        observed: { transport: 'none', error },
        request: `${method} ${JSON.stringify(params)}`,
        response: `(not sent: ${error})`,
        reproduce: '',
        ms: 0,
      };
    }
    const session = await this.session(as);
    if (this.plan.callLog) {
      const identity = typeof as === 'string' ? as : 'credentials made by the check';
      appendFileSync(
        this.plan.callLog,
        `${JSON.stringify({ target: this.target.name, as: identity, method, params })}\n`,
      );
    }
    const exchange = await session.call(method, params as never);
    if (exchange.observed.transport === 'none') {
      this.#silentCalls += 1;
      this.#lastFailure = exchange.observed.error;
    } else this.#silentCalls = 0;
    return exchange;
  }

  async call(method: string, params: unknown, as?: As): Promise<Outcome> {
    const exchange = await this.exchange(method, params, as ?? this.arranger);
    return this.protocol.binding.outcome(exchange.observed);
  }

  async ok(method: string, params: unknown, as?: As): Promise<unknown> {
    const exchange = await this.exchange(method, params, as ?? this.arranger);
    const outcome = this.protocol.binding.outcome(exchange.observed);
    if (!outcome.ok) throw new ArrangeError(`arranging state: ${method} failed: ${outcome.error}`, exchange);
    return outcome.value;
  }

  track(kind: string, handle: Handle): void {
    this.#created.push({ kind, handle });
    this.#record('created', kind, handle);
  }

  untrack(kind: string, handle: Handle): void {
    const i = this.#created.findIndex((c) => c.kind === kind && c.handle.id === handle.id);
    if (i >= 0) this.#created.splice(i, 1);
    this.#record('removed', kind, handle);
  }

  /** The ledger lets an interrupted run remove what it made (see src/runner/cleanup.ts). */
  #record(op: 'created' | 'removed', kind: string, handle: Handle): void {
    if (!this.plan.ledger) return;
    const entry: LedgerEntry = { op, target: this.target.name, kind, id: handle.id, name: handle.name };
    appendFileSync(this.plan.ledger, `${JSON.stringify(entry)}\n`);
  }

  async create(kind: string, options: Readonly<Record<string, unknown>> = {}): Promise<Handle> {
    const resource = this.protocol.resources.find((r) => r.kind === kind);
    if (!resource) throw new Error(`${this.protocol.id} has no resource kind "${kind}"`);
    return resource.create(this, options);
  }

  /** The context a declaration's valid()/params() functions see; `caller` is the identity the call is made as. */
  callContext(caller?: string): CallContext<W> {
    const world = this.world;
    if (world === undefined) throw new Error('the world is not built yet');
    return {
      world,
      ...(caller !== undefined ? { caller } : {}),
      given: this.target.given,
      variant: this.variant,
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

  /** How many objects have been created so far: `teardown(mark)` removes only those created after it. */
  mark(): number {
    return this.#created.length;
  }

  /**
   * Remove everything this context created (or, given a mark, only what came after it), newest first.
   * Failures are collected, never thrown. A full teardown also closes the sessions.
   */
  async teardown(mark = 0): Promise<string[]> {
    const problems: string[] = [];
    // Ids can be reused (SQLite gives a deleted highest id to the next row): an object is removed only if
    // the target still lists it under its id with the name it was made with, or with another name that
    // carries this run's prefix (a check renamed it, or the server cut a long name short). A check may
    // have removed it already.
    const listed = new Map<string, Map<string, string> | undefined>();
    const ours = `${this.plan.prefix}_`.toLowerCase();
    const stillThere = async (kind: string, handle: Handle): Promise<boolean> => {
      if (!listed.has(kind)) {
        const resource = this.protocol.resources.find((r) => r.kind === kind);
        const handles = resource?.list ? await resource.list(this).catch(() => undefined) : undefined;
        listed.set(kind, handles ? new Map(handles.map((h) => [String(h.id), h.name])) : undefined);
      }
      const known = listed.get(kind);
      if (known === undefined) return true;
      const name = known.get(String(handle.id));
      return name !== undefined && (name === handle.name || name.toLowerCase().startsWith(ours));
    };
    while (this.#created.length > mark) {
      const { kind, handle } = this.#created.pop()!;
      const resource = this.protocol.resources.find((r) => r.kind === kind);
      try {
        if (await stillThere(kind, handle)) await resource?.remove(this, handle);
        this.#record('removed', kind, handle);
      } catch (error) {
        problems.push(`could not remove ${kind} ${handle.name} (${handle.id}): ${(error as Error).message}`);
      }
    }
    if (mark === 0) {
      for (const session of [...this.#sessions.values(), ...this.#uncached])
        await session.then((s) => s.close()).catch(() => undefined);
      this.#sessions.clear();
      this.#uncached.length = 0;
    }
    return problems;
  }
}
