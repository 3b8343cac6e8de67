import type { Params } from './method.js';
import type { ConnectOptions } from './protocol.js';
import type { CallOptions, Exchange, Session } from './session.js';
import type { HttpRequestData } from '../wire/http.js';

/**
 * How a protocol puts its calls on the wire, as data: no sockets, no `node:` imports, so that a protocol
 * folder loads in a browser (the msw handlers). src/client owns every transport and opens the session.
 */
export type Codec<C, R = unknown> = HttpCodec<C, R> | StreamCodec<C>;

/** A hand-written HTTP request (envelope cases): headers and body exactly as given. */
export interface RawHttpRequest {
  readonly verb: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Leave the session's credentials off this request. */
  readonly anonymous?: boolean;
  /**
   * Send the session's credentials in another form instead (the real secret where the server must not
   * look for it): given the session's own credential headers, the headers to send in their place.
   */
  readonly credentialsAs?: (own: Readonly<Record<string, string>>) => Record<string, string>;
  /** The server needs this many times the usual time for it (a body of megabytes on a single-worker server). */
  readonly slowness?: number;
}

/** A hand-written request as the codec puts it on the wire, and how much longer than usual its answer may take. */
export interface EncodedRawRequest extends HttpRequestData {
  readonly slowness?: number;
}

/** One request per call; the session is stateless, so src/client builds every HTTP session the same way. */
/** `R` is the protocol's hand-written request (envelope cases), as its own codec reads it. */
export interface HttpCodec<C, R = unknown> {
  readonly transport: 'http';
  /**
   * The HTTP request for a call as `credentials`; `n` counts the session's calls (request ids). The
   * credentials are read at every call: the world may rotate a key after the session was opened.
   */
  encode(credentials: C, method: string, params: Params | undefined, options: CallOptions, n: number): HttpRequestData;
  /** A hand-written request as sent with `credentials` (the protocol's envelope cases wrote it). */
  raw(credentials: C, request: R): EncodedRawRequest;
}

/** A hand-written stream exchange: text sent as is, and how long to listen. */
export interface StreamRawRequest {
  /** Pieces sent one after the other: TCP writes or WebSocket text frames. */
  readonly send: readonly string[];
  /** Send the pieces as binary WebSocket frames (a TCP target skips the check). */
  readonly binary?: boolean;
  /** Pause between pieces, so that a server reads them apart (default 0). */
  readonly gapMs?: number;
  /**
   * Send the next piece only once the previous one has been answered, so that a server reading a TCP
   * stream cannot get two pieces in one read.
   */
  readonly lockstep?: boolean;
  /** Replies to wait for (default 1). */
  readonly replies?: number;
  /** Then listen this much longer for more messages or a close; ends early when the server closes. */
  readonly settleMs?: number;
}

/** One connection src/client opened for a stream protocol (TCP or WebSocket): src/client/stream-session.ts. */
export interface StreamLink {
  readonly transport: 'tcp' | 'ws';
  readonly closed: boolean;
  /** Lines sent to bring this connection into its state (handshake, login): reproduction lines start with them. */
  readonly setup: string[];
  /** Send one message and wait for its reply (what a reply is, the opener's `isReply` says). */
  request(text: string): Promise<Exchange>;
  raw(request: StreamRawRequest): Promise<Exchange>;
  unasked(): Exchange;
  waitFor(match: (message: unknown) => boolean, timeoutMs: number): Promise<Exchange>;
  close(): Promise<void>;
}

/**
 * A stateful protocol (nymea): it runs its own handshake and keeps its own state, over connections
 * src/client opens for it (`open`), so that the protocol itself never touches a socket.
 */
export interface StreamCodec<C> {
  readonly transport: 'stream';
  connect(url: string, credentials: C, options: ConnectOptions, open: OpenStream): Promise<Session>;
}

export interface StreamOpenOptions {
  readonly timeoutMs: number;
  /** Is this parsed message a reply (as opposed to a notification)? */
  readonly isReply: (message: unknown) => boolean;
  /** Is this a reply after which the server closes the connection? Then the close is waited for too. */
  readonly closesAfter?: (message: unknown) => boolean;
  /** The longest wait for such a close (default 500 ms). */
  readonly closeGraceMs?: number;
}

export type OpenStream = (url: string, options: StreamOpenOptions) => Promise<StreamLink>;

/** The usual raw request: the session's credential headers (or what `credentialsAs` makes of them) first. */
export function rawWithHeaders(request: RawHttpRequest, own: Readonly<Record<string, string>>): EncodedRawRequest {
  const mine = request.anonymous ? {} : own;
  const headers = { ...(request.credentialsAs ? request.credentialsAs(mine) : mine), ...(request.headers ?? {}) };
  const slowness = request.slowness === undefined ? {} : { slowness: request.slowness };
  return { method: request.verb, url: request.path, headers, body: request.body ?? '', ...slowness };
}
