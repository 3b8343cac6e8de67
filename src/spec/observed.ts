/**
 * What a client observed for one call, in transport terms. Facets (expectations) are functions of this;
 * the wire formats decode their envelopes from it. A protocol never appears here.
 */

/** Marks an HTTP body that is not JSON (empty, HTML, garbage). */
export const NOT_JSON: unique symbol = Symbol('not-json');

export interface HttpObserved {
  readonly transport: 'http';
  readonly status: number;
  readonly statusText: string;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  readonly json: unknown;
}

export interface StreamObserved {
  readonly transport: 'tcp' | 'ws';
  /** Every message received while waiting for the reply, parsed; unparseable ones as NOT_JSON. */
  readonly messages: readonly unknown[];
  /** The same messages as received on the wire. */
  readonly raw: readonly string[];
  /** The server closed the connection (before or right after the reply). */
  readonly closed: boolean;
}

/** The call never produced a reply: connection refused, timeout, reset. */
export interface FailedObserved {
  readonly transport: 'none';
  readonly error: string;
}

export type Observed = HttpObserved | StreamObserved | FailedObserved;
