import type { HttpRequestData, HttpResponseData } from '../../../../src/wire/http.js';
import { flaskJson, werkzeugRedirect } from '../../../../src/wire/rest.js';
import { splitUrl } from '../../../../src/wire/rest-routes.js';
import { randomHex } from '../../../../src/wire/text.js';
import { callerName, cookieSuffix, cookiesOf } from '../auth.js';
import { isTrueValue, pyGet, pyIn } from '../python.js';
import { Abort, type Handler } from '../stages.js';
import { pyTruthy } from './access.js';

/**
 * Outside the access API, what a browser session needs (octoprint.md §2.3) and what 1.4–1.11 answer on
 * the legacy routes (§4.4): the login page that hands out the CSRF cookie, /api/login and /api/logout,
 * /api/currentuser, and the 307 redirects.
 */
const COOKIE_FLAGS = 'Path=/; SameSite=Lax';
const EXPIRED = 'Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0';

/** Python's `datetime.isoformat()` of a UTC time to the second, as `_credentials_seen` is written. */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

function sessionCookie(suffix: string, sid: string): string {
  return `session${suffix}=${sid}; HttpOnly; ${COOKIE_FLAGS}`;
}

/**
 * Flask writes the session cookie back on every response to a request that carried a live session (errors
 * included), unless the handler set one itself (login, logout).
 */
export function withSessionCookie(request: HttpRequestData, response: HttpResponseData, sid: string): HttpResponseData {
  const set = response.headers['set-cookie'];
  const suffix = cookieSuffix(request);
  if (set !== undefined && set.split(/,\s*(?=[A-Za-z0-9_.-]+=)/).some((c) => c.startsWith(`session${suffix}=`)))
    return response;
  const cookie = sessionCookie(suffix, sid);
  return {
    ...response,
    headers: { ...response.headers, 'set-cookie': set === undefined ? cookie : `${set}, ${cookie}` },
  };
}

export const sessionHandlers: Readonly<Record<string, Handler>> = {
  'session.loginPage': (ctx): HttpResponseData => {
    // Before 1.8.3 there is no CSRF protection and no csrf_token cookie to hand out.
    if (!ctx.stages.form.csrf)
      return {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<!doctype html>\n<html lang="en"><head><title>OctoPrint Login</title></head><body></body></html>\n',
      };
    const token = randomHex(20, ctx.stages.state.random);
    ctx.stages.state.csrfTokens.add(token);
    return {
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'set-cookie': `csrf_token${cookieSuffix(ctx.request)}=${token}; ${COOKIE_FLAGS}`,
      },
      body: '<!doctype html>\n<html lang="en"><head><title>OctoPrint Login</title></head><body><form method="post" action="api/login"></form></body></html>\n',
    };
  },

  'session.login': (ctx) => {
    const data = loginData(ctx);
    const state = ctx.stages.state;
    const suffix = cookieSuffix(ctx.request);
    if (pyIn('user', data) && pyIn('pass', data)) {
      const user = state.users.get(String(pyGet(data, 'user')));
      if (!user || !user.active || !ctx.stages.checkPassword(user, pyGet(data, 'pass'))) throw new Abort(403);
      const sid = randomHex(16, state.random);
      const seen = Date.now();
      state.sessions.set(sid, { user: user.name, mechanism: 'password', credentialsSeen: seen });
      // A login clears the marker of an earlier logout (with and without the port suffix), as 1.11.8 does.
      const cookies = [`active_logout${suffix}=; ${EXPIRED}; ${COOKIE_FLAGS}`, `active_logout=; ${EXPIRED}; Path=/`];
      if (isTrueValue(pyIn('remember', data) ? pyGet(data, 'remember') : false)) {
        const token = randomHex(24, state.random);
        state.rememberTokens.set(token, user.name);
        cookies.push(`remember_token${suffix}=${token}; HttpOnly; ${COOKIE_FLAGS}`);
      }
      cookies.push(sessionCookie(suffix, sid));
      const record = { ...ctx.stages.userRecord(user, true), session: sid, ...loginExtras('password', seen) };
      // Set-Cookie headers joined as one value, as a node client sees several of them.
      return flaskJson(200, record, { headers: { 'set-cookie': cookies.join(', ') } });
    }
    if (pyIn('passive', data) && pyTruthy(pyGet(data, 'passive'))) {
      const c = ctx.caller;
      const session = randomHex(32, state.random);
      if (c.kind === 'global')
        return flaskJson(200, { ...apiUserRecord(ctx), session, ...loginExtras('apikey', Date.now()) });
      if (c.kind !== 'user') return flaskJson(200, { needs: state.needsOf(['guests']) });
      const seen = c.credentialsSeen === false ? undefined : c.credentialsSeen;
      const sid = cookiesOf(ctx.request).get(`session${suffix}`);
      const record = {
        ...ctx.stages.userRecord(c.user, ctx.stages.recent(c)),
        ...(c.mechanism === 'apikey' ? { session } : sid ? { session: sid } : {}),
      };
      return flaskJson(200, { ...record, ...loginExtras(c.mechanism, seen) });
    }
    throw new Abort(400, 'Neither user and pass attributes nor passive flag present');
  },

  // Flask-Login clears the remember cookie only when the request carried one; the session cookie that
  // follows holds an anonymous session (a fresh id here, one that names no login).
  'session.logout': (ctx) => {
    const suffix = cookieSuffix(ctx.request);
    const jar = cookiesOf(ctx.request);
    ctx.stages.state.sessions.delete(jar.get(`session${suffix}`) ?? '');
    const cookies = [`active_logout${suffix}=true; ${COOKIE_FLAGS}`];
    if (jar.has(`remember_token${suffix}`))
      cookies.push(`remember_token${suffix}=; ${EXPIRED}; ${COOKIE_FLAGS}`, `remember_token=; ${EXPIRED}; Path=/`);
    cookies.push(sessionCookie(suffix, randomHex(16, ctx.stages.state.random)));
    return flaskJson(
      200,
      { needs: ctx.stages.state.needsOf(['guests']) },
      { headers: { 'set-cookie': cookies.join(', ') } },
    );
  },

  'session.currentUser': (ctx) => {
    const c = ctx.caller;
    const state = ctx.stages.state;
    if (c.kind === 'user' && c.user.active) {
      return flaskJson(200, {
        name: c.user.name,
        groups: [...c.user.groups],
        permissions: [...state.effectivePermissions(c.user.groups, c.user.permissions)],
      });
    }
    if (c.kind === 'global')
      return flaskJson(200, {
        name: callerName(c),
        groups: ['admins', 'users'],
        permissions: [...state.effectivePermissions(['admins', 'users'])],
      });
    return flaskJson(200, { name: null, groups: ['guests'], permissions: [...state.effectivePermissions(['guests'])] });
  },

  // What a client reads to know the version (and what a check may detect its variant from); needs STATUS.
  'server.version': (ctx) => {
    const c = ctx.caller;
    const state = ctx.stages.state;
    const holds =
      c.kind === 'global' ||
      (c.kind === 'user' &&
        c.user.active &&
        state.effectivePermissions(c.user.groups, c.user.permissions).has('STATUS'));
    if (!holds) throw new Abort(403);
    const served = ctx.stages.form.served;
    return flaskJson(200, { api: '0.1', server: served, text: `OctoPrint ${served}` });
  },

  // `redirect(url_for("api.<same handler>"), code=307)`: the path only; the query string is not carried over.
  'legacy.redirect': (ctx) => {
    const { path } = splitUrl(ctx.request.url);
    const target = path.replace(/^\/api\/users/, '/api/access/users');
    // Werkzeug before 2.1 made the Location absolute (autocorrect_location_header): 1.4–1.5 for certain.
    const host = ctx.request.headers['host'];
    return werkzeugRedirect(307, !ctx.stages.form.jsonErrors && host ? `http://${host}${target}` : target);
  },
};

/** What /api/login adds to the user record: how the caller logged in, when its credentials were last seen. */
function loginExtras(mechanism: string, seen: number | undefined): Record<string, unknown> {
  return {
    _is_external_client: false,
    _login_mechanism: mechanism,
    ...(seen === undefined ? {} : { _credentials_seen: isoSeconds(seen) }),
  };
}

/** The pseudo-user `_api` the global key acts as: an admin with no key, settings or permissions of its own. */
function apiUserRecord(ctx: Parameters<Handler>[0]): Record<string, unknown> {
  const needs = ctx.stages.state.needsOf(['admins', 'users']);
  return {
    name: '_api',
    active: true,
    admin: true,
    user: true,
    roles: ['user', 'admin'],
    apikey: null,
    settings: {},
    groups: ['admins', 'users'],
    permissions: [],
    needs,
  };
}

/**
 * `request.get_json(silent=True)`, and when that gives nothing true, `request.values` (query and form fields):
 * a body that is not JSON, not JSON at all or null is read as no fields, not refused (only nesting too deep
 * for Python still fails, with a 500).
 */
function loginData(ctx: Parameters<Handler>[0]): unknown {
  const body = ctx.stages.readJson(ctx.request);
  if (!body.ok && body.problem === 'too-deep') throw new Abort(500);
  if (body.ok && pyTruthy(body.value)) return body.value;
  const values: Record<string, string> = {};
  const { query } = splitUrl(ctx.request.url);
  for (const [k, v] of query) if (!(k in values)) values[k] = v;
  if (/^application\/x-www-form-urlencoded\b/i.test(ctx.request.headers['content-type'] ?? '')) {
    for (const [k, v] of new URLSearchParams(ctx.request.body)) if (!(k in values)) values[k] = v;
  }
  return values;
}
