import type { HttpCodec } from '../spec/codec.js';
import type { Exchange, Session } from '../spec/session.js';
import { exchangeHttp } from './http-transport.js';

/** A stateless HTTP session: each call is one request the protocol's codec encodes with the identity's credentials. */
export function httpSession<C, R>(baseUrl: string, codec: HttpCodec<C, R>, credentials: C, timeoutMs: number): Session {
  let n = 0;
  return {
    call(method, params, options = {}): Promise<Exchange> {
      n += 1;
      return exchangeHttp(baseUrl, codec.encode(credentials, method, params, options, n), { timeoutMs });
    },
    raw(request: unknown): Promise<Exchange> {
      // The protocol's own envelope cases wrote the request, for its own codec.
      const { slowness, ...http } = codec.raw(credentials, request as R);
      return exchangeHttp(baseUrl, http, { timeoutMs: timeoutMs * (slowness ?? 1) });
    },
    async close() {},
  };
}
