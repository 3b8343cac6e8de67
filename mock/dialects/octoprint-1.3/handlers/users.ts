import type { HttpResponseData } from '../../../../src/wire/http.js';
import { flaskJson, flaskText } from '../../../../src/wire/rest.js';
import { SerialCache, versionsOf } from '../../../serial-cache.js';
import { isTrueValue, pyGet, pyIn, PyError } from '../../octoprint/python.js';
import { hashPassword } from '../../octoprint/state.js';
import { adminOnly, selfOrAdmin } from '../auth.js';
import { userRecord13 } from '../records.js';
import { fail, html, type Handler13, type HandlerContext13, type Stages13 } from '../stages.js';

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

/**
 * The users list, kept written in each style (mock/serial-cache.ts) under the users' version: state.ts keeps
 * them in mock/directory.ts's Keyed table, whose version moves on every write, whichever handler, fault or
 * seed makes it. A record is made of its user alone.
 */
const lists = new WeakMap<Stages13, SerialCache<HandlerContext13['style']>>();

function list(ctx: HandlerContext13): HttpResponseData {
  const { state } = ctx.stages;
  let kept = lists.get(ctx.stages);
  if (!kept) lists.set(ctx.stages, (kept = new SerialCache()));
  const body = kept.text(
    ctx.style,
    versionsOf(state.users),
    () => flaskJson(200, { users: [...state.users.values()].map(userRecord13) }, { style: ctx.style }).body,
  );
  // The headers flaskJson gives every answer.
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}

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
    const admin = pyIn('admin', data) && isTrueValue(pyGet(data, 'admin'));
    const active = pyIn('active', data) ? { active: isTrueValue(pyGet(data, 'active')) } : {};
    ctx.stages.state.users.update(user.name, { admin, ...active });
    return list(ctx);
  },
  'users.delete': (ctx) => {
    adminOnly(ctx);
    findUser(ctx, html(404));
    ctx.stages.state.users.delete(ctx.name);
    return list(ctx);
  },
};
