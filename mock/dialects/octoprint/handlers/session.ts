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

export const sessionHandlers: Readonly<Record<string, Handler>> = {
  'session.loginPage': (ctx) => {
    const token = randomHex(20, ctx.stages.state.random);
    ctx.stages.state.csrfTokens.add(token);
    return {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'set-cookie': `csrf_token${cookieSuffix(ctx.request)}=${token}; ${COOKIE_FLAGS}` },
      body: '<!doctype html>\n<html lang="en"><head><title>OctoPrint Login</title></head><body><form method="post" action="api/login"></form></body></html>\n',
    };
  },

  'session.login': (ctx) => {
    const data = ctx.json();
    const state = ctx.stages.state;
    const suffix = cookieSuffix(ctx.request);
    if (pyIn('user', data) && pyIn('pass', data)) {
      const user = state.users.get(String(pyGet(data, 'user')));
      if (!user || !user.active || !ctx.stages.checkPassword(user, pyGet(data, 'pass'))) throw new Abort(403);
      const sid = randomHex(16, state.random);
      const seen = Date.now();
      state.sessions.set(sid, { user: user.name, mechanism: 'password', credentialsSeen: seen });
      const cookies = [`session${suffix}=${sid}; HttpOnly; ${COOKIE_FLAGS}`];
      if (isTrueValue(pyIn('remember', data) ? pyGet(data, 'remember') : false)) {
        const token = randomHex(24, state.random);
        state.rememberTokens.set(token, user.name);
        cookies.push(`remember_token${suffix}=${token}; HttpOnly; ${COOKIE_FLAGS}`);
      }
      const record = { ...ctx.stages.userRecord(user, true), session: sid, _is_external_client: false, _login_mechanism: 'password', _credentials_seen: new Date(seen).toISOString() };
      // Set-Cookie headers joined as one value, as a node client sees several of them.
      return flaskJson(200, record, { headers: { 'set-cookie': cookies.join(', ') } });
    }
    if (pyIn('passive', data) && pyTruthy(pyGet(data, 'passive'))) {
      const c = ctx.caller;
      if (c.kind !== 'user') return flaskJson(200, { needs: state.needsOf(['guests']) });
      return flaskJson(200, { ...ctx.stages.userRecord(c.user, ctx.stages.recent(c)), _login_mechanism: c.mechanism });
    }
    throw new Abort(400, 'Neither user and pass attributes nor passive flag present');
  },

  'session.logout': (ctx) => {
    const suffix = cookieSuffix(ctx.request);
    ctx.stages.state.sessions.delete(cookiesOf(ctx.request).get(`session${suffix}`) ?? '');
    const expired = 'Expires=Thu, 01 Jan 1970 00:00:00 GMT';
    return flaskJson(200, { needs: ctx.stages.state.needsOf(['guests']) }, { headers: { 'set-cookie': `session${suffix}=; ${expired}; ${COOKIE_FLAGS}, remember_token${suffix}=; ${expired}; ${COOKIE_FLAGS}` } });
  },

  'session.currentUser': (ctx) => {
    const c = ctx.caller;
    const state = ctx.stages.state;
    if (c.kind === 'user' && c.user.active) {
      return flaskJson(200, { name: c.user.name, groups: [...c.user.groups], permissions: [...state.effectivePermissions(c.user.groups, c.user.permissions)] });
    }
    if (c.kind === 'global') return flaskJson(200, { name: callerName(c), groups: ['admins', 'users'], permissions: [...state.effectivePermissions(['admins', 'users'])] });
    return flaskJson(200, { name: null, groups: ['guests'], permissions: [...state.effectivePermissions(['guests'])] });
  },

  // `redirect(url_for("api.<same handler>"), code=307)`: the path only; the query string is not carried over.
  'legacy.redirect': (ctx) => {
    const { path } = splitUrl(ctx.request.url);
    return werkzeugRedirect(307, path.replace(/^\/api\/users/, '/api/access/users'));
  },
};
