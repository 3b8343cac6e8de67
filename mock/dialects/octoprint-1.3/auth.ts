import type { HttpRequestData, HttpResponseData } from '../../../src/wire/http.js';
import { splitUrl } from '../../../src/wire/rest-routes.js';
import { sameSecret } from '../../../src/wire/text.js';
import { fail, html, type Caller13, type HandlerContext13 } from './stages.js';
import type { State13 } from './state.js';

/**
 * Who calls 1.3 and what it may do (octoprint.md §2.4): a key (`?apikey=` before X-Api-Key) of an active
 * user, or the global key (the pseudo-user `_api`, with both roles); any other key logs nobody in. No Bearer.
 */
export function authenticate(state: State13, request: HttpRequestData): Caller13 {
  // The query is parsed only when there is one.
  const query = request.url.includes('?') ? splitUrl(request.url).query : undefined;
  const key = query?.has('apikey') ? query.get('apikey') : request.headers['x-api-key'];
  if (!key) return { kind: 'anonymous', key: 'none' };
  if (sameSecret(key, state.globalKey)) return { kind: 'api' };
  const user = state.userByKey(key);
  return user?.active ? { kind: 'user', user } : { kind: 'anonymous', key: 'unknown' };
}

export const isAdmin = (c: Caller13) => c.kind === 'api' || (c.kind === 'user' && c.user.admin);
export const callerName = (c: Caller13) => (c.kind === 'user' ? c.user.name : c.kind === 'api' ? '_api' : undefined);

/** `@restricted_access`: not logged in is Flask-Login's HTML 403 (unreached: the blueprint refuses such callers first). */
export const loggedIn = (ctx: HandlerContext13) => ctx.caller.kind !== 'anonymous' || fail(html(403));

/** `admin_permission.require(403)`. */
export const adminOnly = (ctx: HandlerContext13) => (loggedIn(ctx) && isAdmin(ctx.caller)) || fail(html(403));

/** The handler's own test: the user themselves or an admin; `denial` is what another user gets. */
export const selfOrAdmin = (ctx: HandlerContext13, denial: HttpResponseData) =>
  (loggedIn(ctx) && (isAdmin(ctx.caller) || callerName(ctx.caller) === ctx.name)) || fail(denial);
