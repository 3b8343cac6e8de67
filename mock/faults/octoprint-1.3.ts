import { flaskText } from '../../src/wire/rest.js';
import { Respond, type Handler13, type Stages13 } from '../dialects/octoprint-1.3/stages.js';
import type { Fault } from './fault.js';

type Fault13 = Fault<Stages13>;

function wrap(stages: Stages13, name: string, by: (original: Handler13) => Handler13): void {
  const original = stages.handlers[name];
  if (!original) throw new Error(`no handler ${name}`);
  stages.handlers[name] = by(original);
}

/** Deliberate mistakes of a 1.3 clone (octoprint.md §2.4, §4.4, §6.7). */
export const octoprint13Faults: readonly Fault13[] = [
  {
    name: 'non-admin-adds-users',
    protocol: 'octoprint-1.3',
    says: 'POST /api/users lets any logged-in user create users',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      const add = stages.handlers['users.add'];
      if (add)
        stages.handlers['users.add'] = (ctx) =>
          add(ctx.caller.kind === 'user' ? { ...ctx, caller: { kind: 'api' } } : ctx);
    },
  },
  {
    name: 'no-key-login-page',
    protocol: 'octoprint-1.3',
    says: "a request without an API key gets Flask-Login's HTML 403, as if the blueprint did not ask for a key",
    caughtBy: ['rights', 'envelope'],
    level: 'quirk',
    apply(stages) {
      const respond = stages.respond;
      stages.respond = (r) =>
        r.status === 403 && r.body === 'No API key provided'
          ? respond({
              ...r,
              body: '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>403 Forbidden</title>\n<h1>Forbidden</h1>\n',
            })
          : respond(r);
    },
  },
  {
    name: 'update-keeps-admin',
    protocol: 'octoprint-1.3',
    says: 'PUT /api/users/<name> without admin leaves the role alone, as the docs say',
    caughtBy: ['errors'],
    level: 'quirk',
    apply(stages) {
      const update = stages.handlers['users.update'];
      if (!update) return;
      stages.handlers['users.update'] = (ctx) => {
        const before = stages.state.users.get(ctx.name)?.admin;
        const r = update(ctx);
        const user = stages.state.users.get(ctx.name);
        if (user && before !== undefined && !/"admin"/.test(ctx.request.body)) {
          stages.state.users.update(user.name, { admin: before });
          return stages.handlers['users.list']?.(ctx) ?? r;
        }
        return r;
      };
    },
  },
  {
    name: 'bearer-accepted',
    protocol: 'octoprint-1.3',
    says: 'Authorization: Bearer is read, as 1.5+ does',
    caughtBy: ['envelope'],
    level: 'quirk',
    apply(stages) {
      const authenticate = stages.authenticate;
      stages.authenticate = (request) => {
        const bearer = request.headers['authorization']?.replace(/^Bearer /, '');
        return bearer && !request.headers['x-api-key']
          ? authenticate({ ...request, headers: { ...request.headers, 'x-api-key': bearer } })
          : authenticate(request);
      };
    },
  },
  {
    name: 'anonymous-text-forbidden',
    protocol: 'octoprint-1.3',
    says: 'callers without a key get the text "Forbidden" instead of the login page 403',
    caughtBy: ['rights'],
    level: 'quirk',
    apply(stages) {
      const respond = stages.respond;
      stages.respond = (r) =>
        r.status === 403 && r.body.includes('<title>403')
          ? { status: 403, headers: { 'content-type': 'text/html; charset=utf-8' }, body: 'Forbidden' }
          : respond(r);
    },
  },
  {
    name: 'delete-not-persisted',
    protocol: 'octoprint-1.3',
    says: 'DELETE /api/users/<name> answers the list but keeps the user',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      const remove = stages.handlers['users.delete'];
      if (!remove) return;
      stages.handlers['users.delete'] = (ctx) => {
        const user = stages.state.users.get(ctx.name);
        const r = remove(ctx);
        if (user) stages.state.users.set(user.name, user);
        return r;
      };
    },
  },
  {
    name: 'inactive-key-accepted',
    protocol: 'octoprint-1.3',
    says: "a deactivated user's API key still logs it in",
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      const authenticate = stages.authenticate;
      stages.authenticate = (request) => {
        const caller = authenticate(request);
        if (caller.kind !== 'anonymous') return caller;
        const key = request.headers['x-api-key'];
        const user = key ? stages.state.userByKey(key) : undefined;
        return user ? { kind: 'user', user } : caller;
      };
    },
  },
  {
    name: 'add-ignores-admin',
    protocol: 'octoprint-1.3',
    says: 'POST /api/users ignores admin true, as 1.4+ does',
    caughtBy: ['errors'],
    level: 'must',
    apply(stages) {
      wrap(stages, 'users.add', (h) => (ctx) => {
        const json = ctx.json;
        return h({
          ...ctx,
          json: () => {
            const d = json();
            return d && typeof d === 'object' && !Array.isArray(d) ? { ...d, admin: false } : d;
          },
        });
      });
    },
  },
  {
    name: 'record-without-admin',
    protocol: 'octoprint-1.3',
    says: 'user records leave out the admin flag',
    caughtBy: ['shapes'],
    level: 'must',
    apply(stages) {
      const respond = stages.respond;
      stages.respond = (r) => {
        const out = respond(r);
        if (out.status !== 200 || !out.body.includes('"apikey"')) return out;
        return {
          ...out,
          body: out.body.replace(/\s*"admin": (true|false),/g, '').replace(/"admin":(true|false),/g, ''),
        };
      };
    },
  },
  {
    name: 'non-admin-reads-others',
    protocol: 'octoprint-1.3',
    says: "GET /api/users/<name> and its settings let any user read another user's",
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      for (const name of ['users.get', 'users.getSettings'])
        wrap(stages, name, (h) => (ctx) => h(ctx.caller.kind === 'user' ? { ...ctx, caller: { kind: 'api' } } : ctx));
    },
  },
  {
    name: 'non-admin-writes-others',
    protocol: 'octoprint-1.3',
    says: "a user may change another user's password, settings and API key",
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      for (const name of ['users.changePassword', 'users.saveSettings', 'users.generateApiKey', 'users.resetApiKey'])
        wrap(stages, name, (h) => (ctx) => h(ctx.caller.kind === 'user' ? { ...ctx, caller: { kind: 'api' } } : ctx));
    },
  },
  {
    name: 'add-without-password',
    protocol: 'octoprint-1.3',
    says: 'POST /api/users without a password creates the user instead of 400 "Missing mandatory password field"',
    caughtBy: ['params'],
    level: 'must',
    apply(stages) {
      wrap(stages, 'users.add', (h) => (ctx) => {
        const json = ctx.json;
        return h({
          ...ctx,
          json: () => {
            const d = json();
            return d && typeof d === 'object' && !Array.isArray(d) && !('password' in d) ? { ...d, password: 'x' } : d;
          },
        });
      });
    },
  },
  {
    name: 'conflict-as-400',
    protocol: 'octoprint-1.3',
    says: 'adding an existing user gives 400 instead of 409',
    caughtBy: ['errors'],
    level: 'must',
    apply(stages) {
      wrap(stages, 'users.add', (h) => (ctx) => {
        try {
          return h(ctx);
        } catch (e) {
          if (e instanceof Respond && e.response.status === 409) return flaskText(400, 'exists');
          throw e;
        }
      });
    },
  },
  {
    name: 'unknown-as-400',
    protocol: 'octoprint-1.3',
    says: 'an unknown user gives 400 instead of 404',
    caughtBy: ['errors'],
    level: 'must',
    apply(stages) {
      for (const name of Object.keys(stages.handlers))
        wrap(stages, name, (h) => (ctx) => {
          try {
            return h(ctx);
          } catch (e) {
            if (e instanceof Respond && e.response.status === 404) return flaskText(400, 'unknown');
            throw e;
          }
        });
    },
  },
  {
    name: 'global-key-ignored',
    protocol: 'octoprint-1.3',
    says: 'the global API key is not accepted: it is treated as no key',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      const authenticate = stages.authenticate;
      stages.authenticate = (request) => {
        const c = authenticate(request);
        return c.kind === 'api' ? { kind: 'anonymous' } : c;
      };
    },
  },
  {
    name: 'reset-key-kept',
    protocol: 'octoprint-1.3',
    says: 'DELETE /api/users/<name>/apikey answers 200 {} but the key keeps working',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      wrap(stages, 'users.resetApiKey', (h) => (ctx) => {
        const key = stages.state.users.get(ctx.name)?.apikey;
        const r = h(ctx);
        if (key !== undefined && stages.state.users.has(ctx.name)) stages.state.users.update(ctx.name, { apikey: key });
        return r;
      });
    },
  },
  {
    name: 'update-ignores-active',
    protocol: 'octoprint-1.3',
    says: 'PUT /api/users/<name> ignores active',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      wrap(stages, 'users.update', (h) => (ctx) => {
        const active = stages.state.users.get(ctx.name)?.active;
        const r = h(ctx);
        if (active !== undefined && stages.state.users.has(ctx.name)) {
          stages.state.users.update(ctx.name, { active });
          return stages.handlers['users.list']?.(ctx) ?? r;
        }
        return r;
      });
    },
  },
  {
    name: 'settings-not-kept',
    protocol: 'octoprint-1.3',
    says: 'PATCH /api/users/<name>/settings answers 200 {} but saves nothing',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      wrap(stages, 'users.saveSettings', (h) => (ctx) => {
        const settings = stages.state.users.get(ctx.name)?.settings;
        const r = h(ctx);
        if (settings !== undefined && stages.state.users.has(ctx.name))
          stages.state.users.update(ctx.name, { settings });
        return r;
      });
    },
  },
  {
    name: 'add-ignores-active',
    protocol: 'octoprint-1.3',
    says: 'POST /api/users makes the user active whatever active says',
    caughtBy: ['errors'],
    level: 'must',
    apply(stages) {
      wrap(stages, 'users.add', (h) => (ctx) => {
        const json = ctx.json;
        return h({
          ...ctx,
          json: () => {
            const d = json();
            return d && typeof d === 'object' && !Array.isArray(d) && 'active' in d ? { ...d, active: true } : d;
          },
        });
      });
    },
  },
  {
    name: 'non-admin-updates-users',
    protocol: 'octoprint-1.3',
    says: 'PUT and DELETE /api/users/<name> skip the admin check: any user may make themselves admin',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      for (const name of ['users.update', 'users.delete'])
        wrap(stages, name, (h) => (ctx) => h(ctx.caller.kind === 'user' ? { ...ctx, caller: { kind: 'api' } } : ctx));
    },
  },
  {
    name: 'lowercase-api-key',
    protocol: 'octoprint-1.3',
    says: 'generated API keys are lowercase hex (1.3 makes 32 uppercase hex digits)',
    caughtBy: ['shapes'],
    level: 'quirk',
    apply(stages) {
      wrap(stages, 'users.generateApiKey', (h) => (ctx) => {
        const r = h(ctx);
        const u = stages.state.users.get(ctx.name);
        if (r.status !== 200 || !u?.apikey) return r;
        const apikey = u.apikey.toLowerCase();
        stages.state.users.update(u.name, { apikey });
        return ctx.reply(200, { apikey });
      });
    },
  },
  {
    name: 'unknown-user-json-404',
    protocol: 'octoprint-1.3',
    says: 'an unknown user gets a JSON 404 {"error": ...} instead of the HTML page or the text "Unknown user: <name>"',
    caughtBy: ['errors'],
    level: 'quirk',
    apply(stages) {
      for (const name of Object.keys(stages.handlers))
        wrap(stages, name, (h) => (ctx) => {
          try {
            return h(ctx);
          } catch (e) {
            if (e instanceof Respond && e.response.status === 404) return ctx.reply(404, { error: 'Unknown user' });
            throw e;
          }
        });
    },
  },
];
