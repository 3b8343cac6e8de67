import type { HttpRequestData, HttpResponseData } from '../../../src/wire/http.js';
import { werkzeugHtmlError } from '../../../src/wire/rest.js';
import type { State13, User13State } from './state.js';

/**
 * The 1.3 dialect as replaceable stages, in the order a request meets them (octoprint.md §2.4, §4.4):
 * authenticate (the key of an active user, or the global key) → the handler, whose decorators come first
 * (`@restricted_access`, then `admin_permission.require(403)` on the admin routes) → the response.
 * Faults (mock/faults/octoprint-1.3.ts) break one stage each.
 */
export type Caller13 =
  /** `key`: none sent, or one that logs nobody in (absent: none). */
  | { readonly kind: 'anonymous'; readonly key?: 'none' | 'unknown' }
  | { readonly kind: 'user'; readonly user: User13State }
  | { readonly kind: 'api' };

export interface HandlerContext13 {
  readonly request: HttpRequestData;
  /** The `<username>` of the route, percent-decoded ('' on /api/users). */
  readonly name: string;
  readonly caller: Caller13;
  readonly stages: Stages13;
  /** `request.json` as Flask 0.10 reads it: the decoded body, or 400 "Malformed JSON body in request". */
  readonly json: () => unknown;
  /** How `jsonify` writes for this request: indented unless the request is XHR. */
  readonly style: 'legacy-pretty' | 'legacy-compact';
  /** `jsonify`, in that style. */
  readonly reply: (status: number, value: unknown) => HttpResponseData;
}

export type Handler13 = (ctx: HandlerContext13) => HttpResponseData;

export interface Stages13 {
  readonly state: State13;
  authenticate(request: HttpRequestData): Caller13;
  readonly handlers: Record<string, Handler13>;
  /** The last look at a response before it leaves. */
  respond(response: HttpResponseData): HttpResponseData;
}

/** Raised to answer with this response at once (Flask's `abort` or an early `return make_response(...)`). */
export class Respond extends Error {
  constructor(readonly response: HttpResponseData) {
    super(`HTTP ${response.status}`);
  }
}

/** `abort(status)`: Werkzeug 0.15's HTML page. */
export const html = (status: number) => werkzeugHtmlError(status, 'legacy');

export const fail = (response: HttpResponseData): never => {
  throw new Respond(response);
};
