import type { Params } from '../spec/method.js';
import type { CallOptions, Exchange, Session } from '../spec/session.js';
import type { HttpRequestData } from '../wire/http.js';
import { exchangeHttp } from './http-transport.js';

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

export interface HttpCodec {
  /** The HTTP request for a call; `n` is a per-session counter for protocols with request ids. */
  encode(method: string, params: Params | undefined, options: CallOptions, n: number): HttpRequestData;
  /** Headers that carry the session's credentials (none for an anonymous session). */
  credentialHeaders(): Readonly<Record<string, string>>;
}

/** A stateless HTTP session: each call is one request carrying the identity's credentials. */
export function httpSession(baseUrl: string, codec: HttpCodec, timeoutMs: number): Session {
  let n = 0;
  return {
    call(method, params, options = {}): Promise<Exchange> {
      n += 1;
      return exchangeHttp(baseUrl, codec.encode(method, params, options, n), { timeoutMs });
    },
    raw(request: unknown): Promise<Exchange> {
      const r = request as RawHttpRequest;
      const own = r.anonymous ? {} : codec.credentialHeaders();
      const headers = { ...(r.credentialsAs ? r.credentialsAs(own) : own), ...(r.headers ?? {}) };
      return exchangeHttp(baseUrl, { method: r.verb, url: r.path, headers, body: r.body ?? '' }, { timeoutMs: timeoutMs * (r.slowness ?? 1) });
    },
    async close() {},
  };
}
