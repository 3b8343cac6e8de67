import type { HttpRequestData, HttpResponseData } from '../src/wire/http.js';

/**
 * What a host (node:http server, msw handlers) needs of a protocol's mock. A dialect owns its state and
 * its semantics; hosts only move bytes. Request-response protocols are HttpDialects; nymea's
 * connection-oriented protocol is a StreamDialect.
 */
export interface DialectInfo {
  readonly protocol: string;
  /** The credentials and options this instance accepts, keyed like a target's `given` (appToken, admin...). */
  readonly given: Readonly<Record<string, unknown>>;
  /** Lines for the `accord serve` banner: every credential it accepts, in words. */
  banner(): string[];
  /** The state as plain data, for safety tests (before/after equality) and debugging. */
  snapshot(): unknown;
  /** Broken invariants of the state (a member of a group that no longer exists, a dangling token); [] when sound. */
  consistency(): string[];
  /**
   * Test and operator hooks beyond the protocol (nymea's push button, say), reached at
   * `POST /__accord/control/<action>` on the mock's control endpoint. Throw ControlError for a bad action.
   */
  control?(action: string, body: unknown): unknown;
  /** Who holds this secret (an API key, a token), in words, for the request journal; undefined: no one. */
  holderOf?(secret: string): string | undefined;
}

export class ControlError extends Error {}

/** A dialect option with a value it cannot use (a length that is not a number, say): a user mistake. */
export class DialectOptionError extends Error {}

export interface HttpDialect extends DialectInfo {
  readonly kind: 'http';
  /** Path patterns this dialect answers, for msw routing (`/jsonrpc.php`, `/api/*`). */
  readonly routes: readonly string[];
  handle(request: HttpRequestData): Promise<HttpResponseData>;
  /**
   * The reply to a request node's parser never hands to `handle`: a CONNECT (node treats it as a tunnel) or a
   * verb node does not know (FOO), where the real server's HTTP layer answers those itself. The host writes it
   * and closes the connection. Absent: a CONNECT is closed without a byte and an unknown verb gets node's 400.
   */
  unparsedRequest?(): HttpResponseData;
}

/** One client connection of a stream protocol. The host calls receive() with text as it arrives. */
export interface StreamConnection {
  receive(text: string): void;
  /** The peer went away. */
  closed(): void;
}

export interface StreamPeer {
  /**
   * Send text (one message or more, each ending with a newline). `message`: the one message it holds, as the
   * object it was written from, when the dialect has it: the journal then reads it instead of parsing the text.
   */
  send(text: string, message?: object): void;
  /** Close the connection (WebSocket: with this close code, default 1000). */
  close(code?: number): void;
}

export interface StreamDialect extends DialectInfo {
  readonly kind: 'stream';
  connect(peer: StreamPeer, transport: 'tcp' | 'ws'): StreamConnection | undefined;
}

export type Dialect = HttpDialect | StreamDialect;

/** Options every dialect takes. */
export interface DialectOptions {
  /** Seed state (a protocol's seed.json content); absent: the protocol's fresh install. */
  readonly seed?: unknown;
  /** Named faults to switch on (mock/faults). */
  readonly faults?: readonly string[];
  /** Log lines (request diagnostics); absent: silent. */
  readonly log?: (line: string) => void;
  /** No randomness and a fixed clock (fixed tokens, fixed timestamps): fixtures are recorded this way. */
  readonly fixed?: boolean;
  /** stateful (default), or replay: answer from recorded fixtures (passed in `fixtures`) and keep no state. */
  readonly mode?: 'stateful' | 'replay';
  /** The fixtures a replaying dialect answers from (src/fixtures/format.ts shapes). */
  readonly fixtures?: readonly unknown[];
  /** How deeply a request's JSON may nest before it is refused as its real server would (Kanboard: 512, PHP). */
  readonly maxDepth?: number;
  /** Answer as this variant of the system does (the protocol's declared variants; src/spec/variant.ts). */
  readonly variant?: string;
}
