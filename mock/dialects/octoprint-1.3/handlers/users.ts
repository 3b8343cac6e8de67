import type { HttpResponseData } from '../../../../src/wire/http.js';
import { flaskText } from '../../../../src/wire/rest.js';
import { isTrueValue, pyGet, pyIn, PyError } from '../../octoprint/python.js';
import { hashPassword } from '../../octoprint/state.js';
import { adminOnly, selfOrAdmin } from '../auth.js';
import { userRecord13 } from '../records.js';
import { fail, html, type Handler13, type HandlerContext13 } from '../stages.js';

/**
 * The user routes of 1.3.12's src/octoprint/server/api/users.py, in the order octoprint.md §4.4 lists them:
 * list, add, get, update, delete. All but get are admin routes; an unknown user is an HTML 404; the writes
 * answer with the whole user list.
 */

/** The user the route names; `missing` when there is none. */
export const findUser = (ctx: HandlerContext13, missing: HttpResponseData) =>
  ctx.stages.state.users.get(ctx.name) ?? fail(missing);

/** `"application/json" in request.headers["Content-Type"]`: no header at all is a KeyError (500). */
export const expectJsonType = (ctx: HandlerContext13) => {
  const type = ctx.request.headers['content-type'];
  if (type === undefined) throw new PyError("KeyError: 'Content-Type'");
  if (!type.includes('application/json')) fail(flaskText(400, 'Expected content-type JSON'));
};

const list = (ctx: HandlerContext13) =>
  ctx.reply(200, { users: [...ctx.stages.state.users.values()].map(userRecord13) });

export const usersHandlers13: Readonly<Record<string, Handler13>> = {
  'users.list': (ctx) => (adminOnly(ctx), list(ctx)),
  'users.add': (ctx) => {
    adminOnly(ctx);
    expectJsonType(ctx);
    const data = ctx.json();
    for (const field of ['name', 'password', 'active'])
      if (!pyIn(field, data)) fail(flaskText(400, `Missing mandatory ${field} field`));
    const name = String(pyGet(data, 'name'));
    const users = ctx.stages.state.users;
    if (users.has(name)) fail(html(409));
    const body = data as Record<string, unknown>;
    users.set(name, {
      name,
      passwordHash: hashPassword(String(body['password'])),
      active: isTrueValue(body['active']),
      admin: 'admin' in body && isTrueValue(body['admin']),
      apikey: null,
      settings: {},
    });
    return list(ctx);
  },
  'users.get': (ctx) => (selfOrAdmin(ctx, html(403)), ctx.reply(200, userRecord13(findUser(ctx, html(404))))),
  'users.update': (ctx) => {
    adminOnly(ctx);
    const user = findUser(ctx, html(404));
    expectJsonType(ctx);
    const data = ctx.json();
    // The roles are always rewritten: no admin in the body means no admin role (§6.7).
    user.admin = pyIn('admin', data) && isTrueValue(pyGet(data, 'admin'));
    if (pyIn('active', data)) user.active = isTrueValue(pyGet(data, 'active'));
    return list(ctx);
  },
  'users.delete': (ctx) => {
    adminOnly(ctx);
    findUser(ctx, html(404));
    ctx.stages.state.users.delete(ctx.name);
    return list(ctx);
  },
};
