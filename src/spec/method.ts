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

/**
 * Params a declaration made, with what its expectation needs to know but the call must not send: the name
 * of an object made while arranging, when the call names it by id. `valid()` and an error case's `params()`
 * may give one (`arranged(params, context)`); the suites send `params` and hand `context` to `succeeds`,
 * `answers` and `expect`, typed as the declaration made it.
 */
export class Arranged<T, X> {
  constructor(
    readonly params: T,
    readonly context: X,
  ) {}
}

export function arranged<T, X>(params: T, context: X): Arranged<T, X> {
  return new Arranged(params, context);
}

/** What `valid()` or `params()` gives: the params alone, or arranged with a context. */
export type Made<T, X> = T | Arranged<T, X>;

/** The params to send and the context to judge by (undefined when the declaration arranged none). */
export async function arrangement<T, X>(made: Made<T, X> | Promise<Made<T, X>>): Promise<Arranged<T, X | undefined>> {
  const m = await made;
  return m instanceof Arranged ? m : new Arranged(m, undefined);
}

/**
 * A documented failure: the input that provokes it and exactly what comes back. `T` is the type of the
 * params it sends (wrong on purpose, so not the method's schema), `X` the context its params() arranged.
 */
export interface ErrorCase<W, T = Params, X = unknown> {
  readonly id: string;
  readonly says: string;
  readonly see: string;
  readonly level: Level;
  /** The identity that makes the call; default: the protocol's arranging identity. */
  readonly as?: string;
  params(c: CallContext<W>): Made<T, X> | Promise<Made<T, X>>;
  readonly expect: Expectation | ExpectFor<W, T, X>;
}

/**
 * What an error case expects of its params. Written as a method's type so that a protocol's list of
 * methods of its own world fits the registry of all protocols (a method is bivariant in its arguments):
 * each case is only ever handed the context of its own protocol, and the params and context it made.
 */
type ExpectFor<W, T, X> = { expect(params: T, c: CallContext<W>, context: X): Expectation }['expect'];

/** A request/response pair as the documentation shows it. */
export interface DocExample {
  readonly source: string;
  readonly request: unknown;
  readonly response: unknown;
  readonly note?: string;
}

/**
 * A protocol's own wire details of each method, read by its binding, params policy and mock (OctoPrint's
 * REST route and error texts). With `R` unknown (the default) a method has none that anyone reads.
 */
export type WirePart<R> = unknown extends R ? { readonly wire?: unknown } : { readonly wire: R };

/**
 * One method of a protocol. `P` is its params schema, and `Static<P>` the type of every valid call's params
 * (`valid`, `succeeds`, `answers`, `creates`); `R` its wire part (WirePart); `X` the context its valid()
 * arranged (Arranged). Error cases type their own params: they send wrong values on purpose.
 */
export type MethodSpec<W, F, P extends TObject = TObject, R = unknown, X = unknown> = MethodDeclaration<W, F, P, X> &
  WirePart<R>;

interface MethodDeclaration<W, F, P extends TObject, X> {
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
  /**
   * Parameters of a call that succeeds for a permitted caller. Fresh objects come from `c.create`. Arranged
   * with a context (`arranged(params, context)`) when `succeeds` or `answers` need to know more than is sent.
   */
  valid(c: CallContext<W>): Made<Static<P>, X> | Promise<Made<Static<P>, X>>;
  /** Extra facets a valid call's reply must satisfy beyond the result schemas (an exact value, say). */
  succeeds?(params: Static<P>, c: CallContext<W>, context: X): Expectation;
  /**
   * For the rare method whose valid call does not succeed on the reference server (Kanboard's
   * createLdapUser without LDAP): what it answers instead, replacing the success facets.
   */
  answers?(params: Static<P>, c: CallContext<W>, context: X): Expectation;
  /**
   * A successful call creates an object: how to find it, so that teardown removes it. Typed by the schema,
   * but also handed what garbage and error calls sent (a server may accept those): read defensively.
   */
  readonly creates?: { readonly kind: string; handle(result: unknown, params: Static<P>): Handle | undefined };
  readonly errors: readonly ErrorCase<W>[];
  readonly examples: readonly DocExample[];
}

/**
 * The declaration helpers of one protocol, bound to its world `W`, facts `F` and wire part `R`; every
 * protocol's define.ts names them alike (`export const { method, errorCase } = methodsOf<W, F>()`).
 * `method` types a declaration by its own params schema and the context its valid() arranges, and gives it
 * back as one of the protocol's list, beside methods of other schemas (each is only ever handed the params
 * its own valid() made). `errorCase` types an error case by the params and context its params() makes;
 * a case that reads neither can stay a plain object in `errors`. `complete` derives, once for every
 * declaration, what the shared code reads from what the protocol declares (OctoPrint: `route` from its wire).
 */
export function methodsOf<W, F, R = unknown>(
  complete: (spec: MethodSpec<W, F, TObject, R>) => MethodSpec<W, F, TObject, R> = (spec) => spec,
) {
  return {
    method<P extends TObject, X = undefined>(spec: MethodSpec<W, F, P, R, X>): MethodSpec<W, F, TObject, R> {
      return complete(spec);
    },
    errorCase<T extends Params, X = undefined>(error: ErrorCase<W, T, X>): ErrorCase<W> {
      return error;
    },
  };
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
