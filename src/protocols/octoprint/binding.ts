import type { RawHttpRequest } from '../../spec/codec.js';
import { facet, type Expectation } from '../../spec/expectation.js';
import type { ClientBinding, EndpointSpec } from '../../spec/protocol.js';
import { violations, describeViolations } from '../../spec/schema.js';
import type { HttpRequestData } from '../../wire/http.js';
import { clip, show } from '../../spec/show.js';
import { bodyEquals, bodyOf, encodeRestCall, errorTextOf, statusClass, type RestRoute } from '../../wire/rest.js';
import type { OctoPrintCredentials } from './identities.js';

/**
 * How a client talks to OctoPrint: one REST request per call, the API key in the X-Api-Key header (or,
 * when the credentials say so, the `apikey` query parameter or `Authorization: Bearer`), JSON both ways.
 * Shared by the 1.4–1.11 access API and the 1.3 users API (same transport, other routes).
 */

/**
 * Every API route is under /api (the login page /login beside it): users copy `http://HOST/` or
 * `http://HOST/api`, and an OctoPrint behind a proxy under /octoprint/ keeps that prefix.
 */
export const endpoint: EndpointSpec = { path: '/api', schemes: ['http', 'https'] };

/** A hand-written request; `auth` moves the session's key elsewhere, or leaves it off. */
export interface RawRestRequest extends RawHttpRequest {
  readonly auth?: 'header' | 'query' | 'bearer' | 'none';
}

export function withKey(
  request: HttpRequestData,
  apikey: string | null | undefined,
  via: 'header' | 'query' | 'bearer' | 'none' = 'header',
): HttpRequestData {
  if (apikey === null || apikey === undefined || via === 'none') return request;
  if (via === 'query')
    return {
      ...request,
      url: `${request.url}${request.url.includes('?') ? '&' : '?'}apikey=${encodeURIComponent(apikey)}`,
    };
  if (via === 'bearer') return { ...request, headers: { ...request.headers, authorization: `Bearer ${apikey}` } };
  return { ...request, headers: { ...request.headers, 'x-api-key': apikey } };
}

export function apiKeyBinding(
  routes: Readonly<Record<string, RestRoute>>,
  anyReply: Expectation,
): ClientBinding<OctoPrintCredentials, RawRestRequest> {
  return {
    anyReply,
    codec: {
      transport: 'http',
      encode(creds, method, params) {
        const route = routes[method];
        if (!route) throw new Error(`no route for ${method}`);
        // Garbage may send a list; the route reads named members of whatever came.
        const named = (params ?? {}) as Readonly<Record<string, unknown>>;
        return withKey(encodeRestCall(route, named), creds?.apikey, creds?.via);
      },
      raw(creds, r) {
        const base: HttpRequestData = {
          method: r.verb,
          url: r.path,
          headers: { ...(r.headers ?? {}) },
          body: r.body ?? '',
        };
        return withKey(base, creds?.apikey, r.anonymous ? 'none' : (r.auth ?? creds?.via));
      },
    },
    outcome(observed) {
      if (observed.transport !== 'http')
        return { ok: false, error: observed.transport === 'none' ? observed.error : 'not an HTTP reply' };
      if (observed.status < 200 || observed.status > 299) {
        return {
          ok: false,
          error: `HTTP ${observed.status}: ${errorTextOf(observed) ?? (clip(observed.text, 120) || 'no body')}`,
        };
      }
      const b = bodyOf(observed);
      return { ok: true, value: b.ok ? b.value : null };
    },
    succeeded: [statusClass(2, 'must', 'success')],
    // A success without a body (the 204 the docs promise in places) counts as null.
    resultMatches: (schema, level, label) =>
      facet(level, `body is ${label}`, (o) => {
        if (o.transport !== 'http') return o.transport === 'none' ? o.error : 'not an HTTP reply';
        const b = bodyOf(o);
        if (!b.ok && o.text !== '') return b.why;
        const v = violations(schema, b.ok ? b.value : null);
        return v.length === 0 ? null : `${describeViolations(v)} in ${show(b.ok ? b.value : null)}`;
      }),
    resultEquals: (value, level) => bodyEquals(value, level),
  };
}
