/**
 * What declarations may ask of a run when they describe a call: the world the run built, fresh objects,
 * prefixed names. Implemented by the runner (src/client/run-context.ts); declared here so that protocol
 * folders can be written against it without knowing how a run works.
 */

/** Who a call is made as: a named identity of the run, or credentials a check made itself. */
export type As = string | { readonly credentials: unknown };

/**
 * A server object a run created or looked up: its id on the wire and its name. `createdBy` (when set)
 * is who made it, for objects only their maker may remove.
 */
export interface Handle {
  readonly id: number | string;
  readonly name: string;
  readonly [detail: string]: unknown;
}

/** A decoded reply: the value of a success, or the error as the protocol states it. */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

export interface ArrangeContext {
  /** A unique name carrying the run prefix, e.g. `accord_k3x9_user_4`. Every object a run creates carries one. */
  name(kind: string): string;
  /** Call a method as a named identity (default: the protocol's arranging identity) and decode the reply. */
  call(method: string, params: unknown, as?: As): Promise<Outcome>;
  /** Like call, but a failure throws with what was sent and what came back. */
  ok(method: string, params: unknown, as?: As): Promise<unknown>;
  /** Remember an object for teardown; teardown runs in reverse order, also after failures. */
  track(kind: string, handle: Handle): void;
  /** Forget an object that a check removed itself. */
  untrack(kind: string, handle: Handle): void;
  /** Credentials given for the target, by name (`appToken`, `admin`...). */
  readonly given: Readonly<Record<string, unknown>>;
  /** The variant the run checks (src/spec/variant.ts): declarations pick their forms with it. */
  readonly variant: string;
}

export interface CallContext<W> extends ArrangeContext {
  readonly world: W;
  /**
   * The identity the checked call will be made as, when the suite knows it (the rights matrix, and the
   * caller the other suites pick). Declarations may shape fresh objects for it: an object that identity
   * owns, or one on which it was granted a permission.
   */
  readonly caller?: string;
  /** A fresh object of a resource kind, made for this check alone (and removed at teardown if still there). */
  create(kind: string, options?: Readonly<Record<string, unknown>>): Promise<Handle>;
}
