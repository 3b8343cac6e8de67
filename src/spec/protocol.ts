import type { TSchema } from 'typebox';
import { CHECK_KINDS, type CheckKind } from './check.js';
import type { Codec } from './codec.js';
import type { IdentityFacts } from './access.js';
import type { ExportFacts } from './export-facts.js';
import type { ArrangeContext, CallContext, Handle, Outcome } from './context.js';
import type { Expectation, Facet } from './expectation.js';
import type { Level } from './levels.js';
import type { MethodSpec, Params, ValidParams } from './method.js';
import type { Observed } from './observed.js';
import type { Session } from './session.js';
import type { Varied, VariantsSpec } from './variant.js';

/** A credential or option a target takes on the command line and in accord.config.json. */
export interface GivenOption {
  /** Key in the target's `given` map and in accord.config.json: `appToken`, `admin`. */
  readonly key: string;
  /** Long flag without dashes: `app-token`. */
  readonly flag: string;
  readonly value: string;
  /** What `accord check` does with it. */
  readonly help: string;
  /** What `accord serve` does with it; absent: the mock does not take it. */
  readonly serve?: string;
  /** `user:pass` values are split into { username, password }. */
  readonly kind: 'string' | 'user-pass';
  readonly secret: boolean;
  /** Other forms the secret takes on the wire (Kanboard's token inside `Basic base64(jsonrpc:token)`), so reports can redact them too. */
  readonly wireForms?: (value: string) => readonly string[];
}

/**
 * Where a protocol carries credentials on the wire, beyond what HTTP itself defines (Authorization, cookies):
 * reports and output remove the value found there whatever it is (src/report/redact.ts).
 */
export interface CredentialPositions {
  /** Header names, matched in any case: `x-api-key`. */
  readonly headers: readonly string[];
  /**
   * Names whose value is a credential, in a request or a reply: JSON members (a string or a list of strings),
   * query and form parameters. `apikey`, `password`, `auth_tokens`.
   */
  readonly fields: readonly string[];
}

export interface Unavailable {
  readonly unavailable: string;
}

export interface IdentitySpec<W, F> extends IdentityFacts<F> {
  /** The given option (GivenOption.key) its credentials come from, if any: named in pre-flight errors. */
  readonly givenBy?: string;
  /**
   * Its credentials on a target: taken from what was given, or from what the world made. While the world
   * is being built it is undefined, so only identities made of given credentials can arrange it.
   */
  credentials(world: W | undefined, given: Readonly<Record<string, unknown>>): unknown | Unavailable;
}

/** A kind of server object a run creates, and how to remove it again. */
export interface ResourceSpec {
  readonly kind: string;
  /**
   * Make one and track it for teardown. It is named with the run prefix, or `options.name` when given
   * (concurrency tests create many with one name). Throws when the server refuses.
   */
  create(c: ArrangeContext, options: Readonly<Record<string, unknown>>): Promise<Handle>;
  remove(c: ArrangeContext, handle: Handle): Promise<void>;
  /** Every object of this kind on the target; `accord clean` removes those that carry a run prefix. */
  list?(c: ArrangeContext): Promise<Handle[]>;
}

/** How the protocol answers invalid parameters, per kind of mistake; a string says why it is not checked. */
/** `M` is the protocol's own method type: a method with a typed wire part (OctoPrint's route and texts). */
export interface ParamsPolicy<W, F, M extends MethodSpec<W, F> = MethodSpec<W, F>> {
  /** `variant`: the one the run checks (src/spec/variant.ts), for forms that differ between variants. */
  missing(method: M, name: string, rest: Readonly<Record<string, unknown>>, variant?: string): Expectation | string;
  /**
   * An unknown parameter added to a valid call: the error it gives, or (`asValid`) that it is ignored and
   * the call answers as a valid one would, with that statement held at the given level.
   */
  extra(
    method: M,
    params: Readonly<Record<string, unknown>>,
  ):
    | { readonly params: Params; readonly expect: Expectation }
    | { readonly params: ValidParams; readonly asValid: Level }
    | string;
  wrongType(method: M, name: string, value: unknown): Expectation | string;
  /**
   * What every answer to garbage parameters (the fuzz suite) must satisfy: the protocol's envelope, or
   * one of the real server's own failure modes (Kanboard's empty HTTP 500 on a PHP TypeError).
   */
  garbage(method: M): Expectation;
  /** Parameters garbage must leave as they are, because they say where the call goes (a REST path). */
  addressing?(method: M): readonly string[];
  /**
   * The server reads a value of another JSON type as the declared one (nymea's Qt6 builds: -7 becomes
   * "-7", null the empty name): garbage never sends one, since it could name an object the run did not make.
   */
  readonly coerces?: boolean;
}

/** A request written by hand for the envelope suite, and what comes back. */
export interface EnvelopeCase {
  readonly id: string;
  readonly says: string;
  readonly see: string;
  readonly level: Level;
  /** Identity whose credentials go with the request; absent: none. */
  readonly as?: string;
  readonly request: unknown;
  /** Per variant (byVariant) where the variants answer differently. */
  readonly expect: Varied<Expectation>;
}

export interface ScenarioContext<W> extends CallContext<W> {
  /** Call as an identity (by id) or with explicit credentials; the reply is held to the expectation. */
  check(
    step: string,
    method: string,
    params: Params,
    expect: Expectation,
    as?: string | { credentials: unknown },
  ): Promise<Outcome>;
  /** Open a session as an identity or with credentials, for scenarios that need several (notifications). */
  open(as: string | { credentials: unknown }): Promise<Session>;
  /** Hold an observation made outside `check` (a notification, a closed socket) to an expectation. */
  expect(
    step: string,
    observed: Observed,
    expect: Expectation,
    exchangeText?: { request: string; response: string },
  ): void;
  /** End the scenario as skipped: the target lacks something it needs (a login form, say). */
  skip(reason: string): never;
}

/** A multi-step check: lifecycle, cascades, notifications. */
export interface ScenarioSpec<W> {
  readonly id: string;
  readonly kind: 'lifecycle' | 'notifications';
  readonly says: string;
  readonly see: string;
  /** The method the report files it under; scenarios span several, this is the one they are about. */
  readonly method: string;
  run(s: ScenarioContext<W>): Promise<void>;
}

/** A check the protocol cannot support, keyed by check id pattern (`*` matches one segment). */
export interface Skip {
  readonly check: string;
  readonly reason: string;
}

/** Where a protocol's requests go on a server: `accord check --url` takes the base or this endpoint alike. */
export interface EndpointSpec {
  /** The endpoint's path under the server's base URL (`/jsonrpc.php`); empty when the URL is the endpoint. */
  readonly path: string;
  /** URL schemes the protocol is spoken over, without the colon: `http`, `https`. */
  readonly schemes: readonly string[];
}

/**
 * Where a user can read what a reference section rests on (the reference files are not shipped):
 * upstream documentation or source URLs, keyed by section as checks cite it (`§4`, `§6 Users`), and
 * under '' for the reference as a whole. A cited `§4.3` without an entry of its own uses `§4`'s.
 */
export type ReferenceSources = Readonly<Record<string, readonly string[]>>;

/** How a client reaches a target of this protocol and reads its replies. */
export interface ConnectOptions {
  readonly timeoutMs: number;
  /** The target's given options (credentials, server settings such as nymea's lockdown length). */
  readonly given?: Readonly<Record<string, unknown>>;
  /** The run prefix, for what a session names itself (nymea's login device name): two runs never share a name. */
  readonly prefix?: string;
}

/** How a client talks to a protocol, `C` being its credentials: the codec, and how replies read. */
export interface ClientBinding<C = unknown, R = unknown> {
  /** What goes on the wire; src/client/connect.ts opens the session over the transport it names. */
  readonly codec: Codec<C, R>;
  /** Decode a reply: the result value, or the error in the protocol's words. */
  outcome(observed: Observed): Outcome;
  /** Facets every successful call satisfies (HTTP 200, no error member...). */
  readonly succeeded: Expectation;
  /**
   * What every reply of this protocol satisfies, whatever was sent (garbage bodies included): its
   * envelope, or one of the real server's own failure modes. Robustness tests hold the mock to it.
   */
  readonly anyReply: Expectation;
  /** A facet: the result matches a schema. */
  resultMatches(schema: TSchema, level: Level, label: string): Facet;
  /** A facet: the result is exactly this value. */
  resultEquals(value: unknown, level: Level): Facet;
}

/** What the server says an identity is, in words (`role app-user`), and whether that is what it claims. */
export interface IdentityReading {
  readonly says: string;
  readonly asClaimed: boolean;
  /** The server knows no one by these credentials (OctoPrint 1.11 answers an unknown key as anonymous). */
  readonly unknown?: boolean;
}

export interface PreflightProbe {
  readonly identity: string;
  /**
   * Who the identity is, by the server's own account: a call about the caller itself (Kanboard getMe,
   * RhodeCode get_user) and what its result says; undefined from `read` when the result does not say.
   */
  readonly whoami?: {
    readonly method: string;
    readonly params: Params;
    read(result: unknown): IdentityReading | undefined;
  };
  /** A call whose access rule decides without the world: allowed must succeed, denied must be denied. */
  readonly method: string;
  readonly params: Params;
}

export interface ProtocolSpec<W = unknown, F = unknown, M extends MethodSpec<W, F> = MethodSpec<W, F>> {
  readonly id: string;
  readonly title: string;
  /** The reference document, relative to the shared folder: `reference/kanboard.md`. */
  readonly reference: string;
  readonly sources: ReferenceSources;
  readonly binding: ClientBinding;
  readonly endpoint: EndpointSpec;
  /** The variants of the real system and how to tell them apart (src/spec/variant.ts); absent: one. */
  readonly variants?: VariantsSpec;
  readonly given: readonly GivenOption[];
  /** Where its credentials travel, so that no report shows them. */
  readonly credentialPositions: CredentialPositions;
  readonly methods: readonly M[];
  readonly identities: readonly IdentitySpec<W, F>[];
  /** Identities that can arrange state (create users, groups...) and tear it down; the first available is used. */
  readonly arrangers: readonly string[];
  /** Build the objects every check may use; everything made is tracked for teardown. */
  world(c: ArrangeContext): Promise<W>;
  readonly resources: readonly ResourceSpec[];
  readonly params: ParamsPolicy<W, F, M>;
  readonly envelope: readonly EnvelopeCase[];
  readonly scenarios: readonly ScenarioSpec<W>[];
  readonly skips: readonly Skip[];
  /**
   * Calls that prove a target usable before any check (accord check's pre-flight), one probe per identity
   * when available. A target that cannot be checked (unreachable, not the protocol, refused credentials,
   * an identity the server says is not what its flag claims) stops the run with exit code 2; an identity
   * the server describes as claimed but whose rights are wrong is the run's first rights failure.
   */
  readonly preflight: readonly PreflightProbe[];
  /**
   * What `npm run bench` measures: one read and one write call with authentication. The write call's
   * params get a sequence number each time (`seq` is a string token the bench replaces per request).
   */
  readonly bench?: {
    /** `of`: whether it reads one record or a list (the default). */
    readonly read: {
      readonly identity: string;
      readonly method: string;
      readonly params: Params;
      readonly of?: 'one' | 'list';
    };
    /**
     * A read of the other kind, for bench/growth.ts: one record beside a `read` that lists, a list beside one
     * that reads a record. With both, growth shows whether reading one record keeps its speed as the state grows.
     */
    readonly otherRead?: {
      readonly identity: string;
      readonly method: string;
      readonly params: Params;
      readonly of: 'one' | 'list';
    };
    readonly write: { readonly identity: string; readonly method: string; params(seq: string): Params };
    /**
     * The i-th of many users for the mock's --seed file (its `users` list): the bench grows the populated
     * fixture to 10 and to 10,000 users with them, to see the same calls as the state grows.
     */
    seedUser?(i: number): Readonly<Record<string, unknown>>;
  };
  /**
   * How many suites may run at once against one real server of this protocol (each makes one call at a
   * time): 1 where the server cannot take more (a server-wide lockdown, writes lost when they overlap).
   * Unset: src/runner/concurrency.ts's default. `accord check --concurrency N` overrides it.
   */
  readonly concurrency?: number;
  /**
   * Options for the embedded mock `accord check` starts, where a fresh install lacks what a run needs
   * (an admin, when the real system has no default account) or its timers would make the suites slow.
   * The mock reports what it was given back through its `given`; a live target is never affected.
   */
  readonly embeddedMock?: { readonly options: Readonly<Record<string, unknown>>; readonly why: string };
  /** What `accord export --format` needs beyond the declarations (security scheme, envelope mapping). */
  readonly exportAs?: ExportFacts;
}

export function defineProtocol<W, F, M extends MethodSpec<W, F> = MethodSpec<W, F>>(
  spec: ProtocolSpec<W, F, M>,
): ProtocolSpec<W, F, M> {
  return spec;
}

export function isUnavailable(value: unknown): value is Unavailable {
  return typeof value === 'object' && value !== null && 'unavailable' in value;
}

/** The kinds of check a protocol has something to check for (a suite with nothing to run is left out). */
export function kindsOf(protocol: ProtocolSpec): CheckKind[] {
  const has: Record<CheckKind, boolean> = {
    shapes: protocol.methods.length > 0,
    errors: protocol.methods.some((m) => m.errors.length > 0),
    params: protocol.methods.length > 0,
    fuzz: protocol.methods.length > 0,
    rights: protocol.methods.length > 0 && protocol.identities.length > 0,
    lifecycle: protocol.scenarios.some((s) => s.kind === 'lifecycle'),
    envelope: protocol.envelope.length > 0,
    notifications: protocol.scenarios.some((s) => s.kind === 'notifications'),
  };
  return CHECK_KINDS.filter((k) => has[k]);
}
