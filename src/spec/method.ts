import type { Static, TObject, TSchema } from 'typebox';
import type { AccessRule } from './access.js';
import type { CallContext, Handle } from './context.js';
import type { Expectation } from './expectation.js';
import type { Level } from './levels.js';
import type { Varied } from './variant.js';

export type Params = Readonly<Record<string, unknown>> | readonly unknown[];

/** The params of a valid call of a method whose schema is not known here (shared suites): named members. */
export type ValidParams = Static<TObject>;

/** How a REST method is reached; RPC methods are reached by name and leave this out. */
export interface HttpRoute {
  readonly verb: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path template with `{param}` placeholders taken from the params, e.g. `/api/access/users/{name}`. */
  readonly path: string;
  /**
   * Where the params not in the path go: `fields` (default for POST, PUT, PATCH) a JSON object of them,
   * `{ param }` that one param is the whole body, `none` (default for GET, DELETE) the query string.
   */
  readonly body?: 'fields' | 'none' | { readonly param: string; readonly bodyDefault?: unknown };
}

/**
 * The shape of a successful result, per level: `must` is what documentation and real server share (for
 * Kanboard, ids as numbers or numeric strings), `quirk` the exact real form (ids as JSON numbers).
 */
export interface ResultSchemas {
  readonly must: TSchema;
  readonly should?: TSchema;
  /** The exact form differs between variants (byVariant): must and should hold for every one. */
  readonly quirk?: Varied<TSchema>;
}

/** A documented failure: the input that provokes it and exactly what comes back. */
export interface ErrorCase<W> {
  readonly id: string;
  readonly says: string;
  readonly see: string;
  readonly level: Level;
  /** The identity that makes the call; default: the protocol's arranging identity. */
  readonly as?: string;
  params(c: CallContext<W>): Params | Promise<Params>;
  readonly expect: Expectation | ExpectFor<W>;
}

/**
 * What an error case expects of its params. Written as a method's type so that a protocol's list of
 * methods of its own world fits the registry of all protocols (a method is bivariant in its arguments):
 * each case is only ever handed the context of its own protocol.
 */
type ExpectFor<W> = { expect(params: Params, c: CallContext<W>): Expectation }['expect'];

/** A request/response pair as the documentation shows it. */
export interface DocExample {
  readonly source: string;
  readonly request: unknown;
  readonly response: unknown;
  readonly note?: string;
}

/**
 * One method of a protocol. `P` is its params schema, and `Static<P>` the type of every valid call's params
 * (`valid`, `succeeds`, `answers`, `creates`). Error cases keep plain `Params`: they send wrong values on purpose.
 */
export interface MethodSpec<W, F, P extends TObject = TObject> {
  /** As the protocol spells it: `createUser`, `users.add`, `Users.CreateUser`, `create_user`. */
  readonly name: string;
  /** Report grouping: users, groups, members, permissions, support... */
  readonly group: string;
  readonly summary: string;
  readonly see: string;
  /** Declared so that suites can arrange state on any server; still covered like every other method. */
  readonly support?: boolean;
  readonly route?: HttpRoute;
  /** Property order is the declared parameter order (positional binding, reports). */
  readonly params: P;
  readonly result: ResultSchemas;
  readonly access: AccessRule<W, F>;
  /**
   * The identity that makes this method's ordinary calls (shapes, errors, params, fuzz) instead of the
   * first permitted one. A method that acts on the caller's own account (nymea's Users.ChangePassword) is
   * called as an account the run made, so that garbage never lands on a given one; without that identity
   * those checks do not run.
   */
  readonly caller?: string;
  /** Parameters of a call that succeeds for a permitted caller. Fresh objects come from `c.create`. */
  valid(c: CallContext<W>): Static<P> | Promise<Static<P>>;
  /** Extra facets a valid call's reply must satisfy beyond the result schemas (an exact value, say). */
  succeeds?(params: Static<P>, c: CallContext<W>): Expectation;
  /**
   * For the rare method whose valid call does not succeed on the reference server (Kanboard's
   * createLdapUser without LDAP): what it answers instead, replacing the success facets.
   */
  answers?(params: Static<P>, c: CallContext<W>): Expectation;
  /** A successful call creates an object: how to find it, so that teardown removes it. */
  readonly creates?: { readonly kind: string; handle(result: unknown, params: Static<P>): Handle | undefined };
  readonly errors: readonly ErrorCase<W>[];
  readonly examples: readonly DocExample[];
}

/**
 * A method declaration, its params typed by its own schema. The result goes into a protocol's list beside
 * methods of other schemas; each is only ever handed the params its own valid() made.
 */
export function defineMethod<W, F, P extends TObject>(spec: MethodSpec<W, F, P>): MethodSpec<W, F> {
  return spec;
}

/** Parameter names in declared order, which ones are required, and their defaults. */
export interface ParamSignature {
  readonly names: readonly string[];
  readonly required: readonly string[];
  readonly defaults: Readonly<Record<string, unknown>>;
}

export function signatureOf(params: TObject): ParamSignature {
  const properties = params.properties as Record<string, { default?: unknown }>;
  const names = Object.keys(properties);
  const required = (params.required as string[] | undefined) ?? [];
  const defaults: Record<string, unknown> = {};
  for (const name of names) {
    const p = properties[name];
    if (p && 'default' in p) defaults[name] = p.default;
  }
  return { names, required: names.filter((n) => required.includes(n)), defaults };
}
