import { flaskJson } from '../../../../src/wire/rest.js';
import { callerName } from '../auth.js';
import { isDict, pyGet, pyIn, PyError, pySecret, pyType } from '../python.js';
import { Abort, type Handler, type HandlerContext } from '../stages.js';
import { hashPassword, newGlobalKey, newUserKey } from '../state.js';
import { pyTruthy } from './access.js';

/** A user's own things (octoprint.md §4.3): the handler's self-or-ADMIN test comes before everything else. */

const SUCCESS = {};
const REAUTH = 'Please reauthenticate with your credentials';

function isSelf(ctx: HandlerContext): boolean {
  return callerName(ctx.caller) === (ctx.params['name'] ?? '');
}

function selfOrAdmin(ctx: HandlerContext): void {
  if (ctx.caller.kind === 'anonymous' || (!isSelf(ctx) && !ctx.stages.isAdmin(ctx.caller))) throw new Abort(403);
}

function findUser(ctx: HandlerContext) {
  const u = ctx.stages.state.users.get(ctx.params['name'] ?? '');
  if (!u) throw new Abort(404);
  return u;
}

export const accountHandlers: Readonly<Record<string, Handler>> = {
  'access.users.changePassword': (ctx) => {
    selfOrAdmin(ctx);
    const data = ctx.json();
    if (!pyIn('password', data) || !pyTruthy(pyGet(data, 'password'))) throw new Abort(400, 'new password is missing');
    const form = ctx.stages.form;
    if (!form.checksCurrent) {
      // Before 1.8.3 `current` is never read.
    } else if (form.checksAdminCurrent) {
      // 1.8.3–1.9: a non-admin must give the current password; an admin's is checked when given.
      const given = pyIn('current', data) && pyTruthy(pyGet(data, 'current'));
      if (!given && !ctx.stages.isAdmin(ctx.caller)) throw new Abort(400, 'current password is missing');
      if (given && !ctx.stages.checkPassword(findUser(ctx), pyGet(data, 'current')))
        throw new Abort(403, 'Invalid current password');
    } else if (isSelf(ctx)) {
      if (!pyIn('current', data) || !pyTruthy(pyGet(data, 'current')))
        throw new Abort(400, 'current password is missing');
      if (!ctx.stages.checkPassword(findUser(ctx), pyGet(data, 'current')))
        throw new Abort(403, 'Invalid current password');
    } else if (!ctx.stages.recent(ctx.caller)) {
      throw new Abort(403, REAUTH);
    }
    const user = findUser(ctx);
    ctx.stages.state.users.update(user.name, { passwordHash: hashPassword(pySecret(pyGet(data, 'password'))) });
    return flaskJson(200, SUCCESS);
  },

  'access.users.getSettings': (ctx) => {
    selfOrAdmin(ctx);
    return flaskJson(200, findUser(ctx).settings);
  },

  'access.users.saveSettings': (ctx) => {
    selfOrAdmin(ctx);
    // 1.10+: an admin acting on another user needs recent credentials.
    if (ctx.stages.form.recentCredentials && !isSelf(ctx) && !ctx.stages.recent(ctx.caller))
      throw new Abort(403, REAUTH);
    const data = ctx.json();
    const user = findUser(ctx);
    if (!isDict(data)) throw new PyError(`'${pyType(data)}' object has no attribute 'items'`);
    ctx.stages.state.users.update(user.name, { settings: ctx.stages.mergeSettings(user.settings, data) });
    return flaskJson(200, SUCCESS);
  },

  // No body is read: the JS client's body `null` (its opts passed as data) is fine.
  'access.users.generateApiKey': (ctx) => {
    selfOrAdmin(ctx);
    const user = findUser(ctx);
    // 1.11+ secrets.token_urlsafe(); 1.4–1.10 a uuid4 as 32 upper-case hex characters.
    const apikey = ctx.stages.form.urlsafeKeys
      ? newUserKey(ctx.stages.state.random)
      : newGlobalKey(ctx.stages.state.random);
    ctx.stages.state.users.update(user.name, { apikey });
    return flaskJson(200, { apikey });
  },

  'access.users.resetApiKey': (ctx) => {
    selfOrAdmin(ctx);
    ctx.stages.state.users.update(findUser(ctx).name, { apikey: null });
    return flaskJson(200, SUCCESS);
  },
};
