import { flaskText } from '../../../../src/wire/rest.js';
import { isDict, pyGet, pyIn, PyError } from '../../octoprint/python.js';
import { hashPassword } from '../../octoprint/state.js';
import { selfOrAdmin } from '../auth.js';
import { fail, type Handler13, type HandlerContext13 } from '../stages.js';
import { newKey13 } from '../state.js';
import { expectJsonType, findUser } from './users.js';

/**
 * A user's own things in 1.3.12's src/octoprint/server/api/users.py, in the order octoprint.md §4.4 lists
 * them: password, settings (read, merge), API key (generate, remove). The user themselves or an admin;
 * another user gets the text "Forbidden", an unknown user the text 404 "Unknown user: <name>".
 */
const FORBIDDEN = () => flaskText(403, 'Forbidden');
const unknown = (ctx: HandlerContext13) => flaskText(404, `Unknown user: ${ctx.name}`);

export const accountHandlers13: Readonly<Record<string, Handler13>> = {
  'users.changePassword': (ctx) => {
    selfOrAdmin(ctx, FORBIDDEN());
    expectJsonType(ctx);
    const data = ctx.json();
    if (!pyIn('password', data) || !pyGet(data, 'password')) fail(flaskText(400, 'password is missing from request'));
    const user = findUser(ctx, unknown(ctx));
    ctx.stages.state.users.update(user.name, { passwordHash: hashPassword(String(pyGet(data, 'password'))) });
    return ctx.reply(200, {});
  },
  'users.getSettings': (ctx) => (selfOrAdmin(ctx, FORBIDDEN()), ctx.reply(200, findUser(ctx, unknown(ctx)).settings)),
  'users.saveSettings': (ctx) => {
    selfOrAdmin(ctx, FORBIDDEN());
    // Flask 0.10's request.json: None unless the body is sent as JSON.
    const data = /^application\/json\b/i.test(ctx.request.headers['content-type'] ?? '') ? ctx.json() : null;
    const user = findUser(ctx, unknown(ctx));
    if (!isDict(data)) throw new PyError("'NoneType' object has no attribute 'items'");
    ctx.stages.state.users.update(user.name, { settings: { ...user.settings, ...data } });
    return ctx.reply(200, {});
  },
  'users.generateApiKey': (ctx) => {
    selfOrAdmin(ctx, FORBIDDEN());
    const user = findUser(ctx, unknown(ctx));
    const apikey = newKey13(ctx.stages.state.random);
    ctx.stages.state.users.update(user.name, { apikey });
    return ctx.reply(200, { apikey });
  },
  'users.resetApiKey': (ctx) => {
    selfOrAdmin(ctx, FORBIDDEN());
    ctx.stages.state.users.update(findUser(ctx, unknown(ctx)).name, { apikey: null });
    return ctx.reply(200, {});
  },
};
