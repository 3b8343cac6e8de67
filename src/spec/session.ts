import type { Params } from './method.js';
import type { Observed } from './observed.js';

/** One request and what came of it, kept whole for the report. */
export interface Exchange {
  readonly observed: Observed;
  /** The request as sent on the wire (HTTP message, or the JSON line). */
  readonly request: string;
  /** The response as received (HTTP message, messages, or what went wrong). */
  readonly response: string;
  /** Something a person can paste to send the same request again: a curl line, or nc/websocat input. */
  readonly reproduce: string;
  readonly ms: number;
  /** Stream sessions: what the connection was sent first to be in its state (a Hello with the token). */
  readonly setup?: readonly string[];
}

export interface CallOptions {
  /** The request id; a protocol without ids ignores it. `null` and absent are different on some wires. */
  readonly id?: unknown;
  readonly omitId?: boolean;
}

/** A way to talk to one target as one identity. Stateless over HTTP; one connection over TCP/WebSocket. */
export interface Session {
  call(method: string, params: Params | undefined, options?: CallOptions): Promise<Exchange>;
  /** Send a request the protocol declaration wrote by hand (bad JSON, a bad envelope, a batch...). */
  raw(request: unknown): Promise<Exchange>;
  close(): Promise<void>;
  /**
   * Stream sessions only: the messages the server sent that were not replies to a call (notifications)
   * since the last look, as one observation (which also says whether the server has closed).
   */
  unasked?(): Exchange;
  /** Stream sessions only: wait until such a message matches, or `timeoutMs` passes; returns what arrived. */
  waitFor?(match: (message: unknown) => boolean, timeoutMs: number): Promise<Exchange>;
}

/**
 * A session that could not start (stream protocols connect and log in up front): why, so that the
 * pre-flight says what to fix in one line. Checks that meet it report it as could-not-run.
 */
export class SessionFailed extends Error {
  constructor(
    readonly why: 'unreachable' | 'refused' | 'not-the-protocol',
    message: string,
  ) {
    super(message);
  }
}
