import type { HttpResponseData } from '../../src/wire/http.js';
import { flaskError, flaskJson, tornadoErrorPage } from '../../src/wire/rest.js';
import { Abort, type Handler, type OctoPrintStages } from '../dialects/octoprint/stages.js';
import type { Fault } from './fault.js';

type OctoPrintFault = Fault<OctoPrintStages>;

function patchHandler(stages: OctoPrintStages, name: string, wrap: (original: Handler) => Handler): void {
  const original = stages.handlers[name];
  if (!original) throw new Error(`no handler ${name}`);
  stages.handlers[name] = wrap(original);
}

/** A handler that sees the JSON object body rewritten first (other bodies as sent). */
function rewriteBody(
  stages: OctoPrintStages,
  name: string,
  rewrite: (body: Readonly<Record<string, unknown>>) => Record<string, unknown>,
): void {
  patchHandler(stages, name, (original) => (ctx) => {
    const json = ctx.json;
    return original({
      ...ctx,
      json: () => {
        const d = json();
        return d && typeof d === 'object' && !Array.isArray(d) ? rewrite(d as Record<string, unknown>) : d;
      },
    });
  });
}

function patchResponses(stages: OctoPrintStages, rewrite: (r: HttpResponseData) => HttpResponseData): void {
  const respond = stages.respond;
  stages.respond = (r) => rewrite(respond(r));
}

/** The text of a Flask JSON error reply, `{"error": text}`. */
function errorTextIn(r: HttpResponseData): string | undefined {
  if (!/^application\/json/.test(r.headers['content-type'] ?? '')) return undefined;
  try {
    const error = (JSON.parse(r.body) as { error?: unknown }).error;
    return typeof error === 'string' ? error : undefined;
  } catch {
    return undefined;
  }
}

/** Deliberate OctoPrint mistakes, each one a real implementation could make (octoprint.md §2, §4, §6). */
export const octoprintFaults: readonly OctoPrintFault[] = [
  {
    name: 'flask-405-everywhere',
    protocol: 'octoprint',
    says: "a 405 keeps Werkzeug's Allow header, and a verb Tornado refuses (TRACE) reaches Flask, which answers its JSON 405",
    caughtBy: ['envelope'],
    level: 'quirk',
    apply(stages) {
      const tornado = tornadoErrorPage(405).body;
      patchResponses(stages, (r) =>
        r.status !== 405
          ? r
          : r.body === tornado
            ? flaskError(405, undefined, { allow: 'GET, HEAD, OPTIONS' })
            : { ...r, headers: { ...r.headers, allow: 'GET, HEAD, OPTIONS' } },
      );
    },
  },
  {
    name: 'non-admin-lists-users',
    protocol: 'octoprint',
    says: 'GET /api/access/users needs no ADMIN: any user may list users and their keys',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      (stages.gates['access.users.list'] ?? { admin: true }).admin = false;
    },
  },
  {
    name: 'not-found-before-forbidden',
    protocol: 'octoprint',
    says: 'GET /api/access/users/<name> looks the user up before the rights check: a non-admin learns who exists (404 instead of 403)',
    caughtBy: ['errors'],
    level: 'must',
    apply(stages) {
      patchHandler(
        stages,
        'access.users.get',
        (original) => (ctx) => (stages.state.users.has(ctx.params['name'] ?? '') ? original(ctx) : flaskError(404)),
      );
    },
  },
  {
    name: 'password-ignores-current',
    protocol: 'octoprint',
    says: 'a user changing their own password may send any current password',
    caughtBy: ['errors'],
    level: 'must',
    apply(stages) {
      stages.checkPassword = () => true;
    },
  },
  {
    name: 'apikey-shown-without-recent-credentials',
    protocol: 'octoprint',
    says: 'user records show API keys to sessions whose credentials are not recent (1.10.3 nulls them)',
    caughtBy: ['lifecycle'],
    level: 'quirk',
    apply(stages) {
      const record = stages.userRecord;
      stages.userRecord = (user) => record(user, true);
    },
  },
  {
    name: 'content-type-400',
    protocol: 'octoprint',
    says: 'a body that is not sent as JSON gets 400 "Expected content-type JSON" (1.6–1.8) instead of Flask\'s 415',
    caughtBy: ['envelope'],
    level: 'quirk',
    apply(stages) {
      const read = stages.readJson;
      stages.readJson = (request) => {
        const body = read(request);
        return !body.ok && body.problem === 'content-type'
          ? { ...body, response: flaskError(400, 'Expected content-type JSON') }
          : body;
      };
    },
  },
  {
    name: 'settings-deep-merge',
    protocol: 'octoprint',
    says: 'PATCH settings merges nested objects instead of replacing each top-level key',
    caughtBy: ['lifecycle'],
    level: 'quirk',
    apply(stages) {
      const deep = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
        const out = { ...a };
        for (const [k, v] of Object.entries(b)) {
          const old = out[k];
          const objects =
            typeof v === 'object' &&
            v !== null &&
            !Array.isArray(v) &&
            typeof old === 'object' &&
            old !== null &&
            !Array.isArray(old);
          out[k] = objects ? deep(old as Record<string, unknown>, v as Record<string, unknown>) : v;
        }
        return out;
      };
      stages.mergeSettings = deep;
    },
  },
  {
    name: 'delete-yourself-allowed',
    protocol: 'octoprint',
    says: 'an admin may delete their own user (1.10 refuses with 400)',
    caughtBy: ['lifecycle'],
    level: 'quirk',
    apply(stages) {
      patchHandler(
        stages,
        'access.users.delete',
        (original) => (ctx) => original({ ...ctx, caller: { kind: 'global' } }),
      );
    },
  },
  {
    name: 'anonymous-write-403',
    protocol: 'octoprint',
    says: 'writes without an API key skip the CSRF check and get 403 from the permission check instead of 400',
    caughtBy: ['rights'],
    level: 'quirk',
    apply(stages) {
      const csrf = stages.csrfPasses;
      stages.csrfPasses = (request, caller) => caller.kind === 'anonymous' || csrf(request, caller);
    },
  },
  {
    name: 'save-settings-204',
    protocol: 'octoprint',
    says: 'PATCH settings answers 204 No Content, as the docs say, instead of 200 {}',
    caughtBy: ['shapes'],
    level: 'quirk',
    apply(stages) {
      patchHandler(stages, 'access.users.saveSettings', (original) => (ctx) => {
        const r = original(ctx);
        return r.status === 200 ? { status: 204, headers: {}, body: '' } : r;
      });
    },
  },
  {
    name: 'update-honours-admin-flag',
    protocol: 'octoprint',
    says: 'PUT /api/access/users/<name> with admin true adds the admins group, as the docs suggest',
    caughtBy: ['errors'],
    level: 'quirk',
    apply(stages) {
      patchHandler(stages, 'access.users.update', (original) => (ctx) => {
        const r = original(ctx);
        const user = stages.state.users.get(ctx.params['name'] ?? '');
        const body = ctx.request.body;
        if (r.status === 200 && user && /"admin"\s*:\s*true/.test(body) && !user.groups.includes('admins')) {
          stages.state.users.update(user.name, { groups: [...user.groups, 'admins'] });
          return stages.handlers['access.users.list']?.(ctx) ?? r;
        }
        return r;
      });
    },
  },
  {
    name: 'legacy-redirect-keeps-query',
    protocol: 'octoprint',
    says: 'the 307 of a legacy /api/users route carries the query string over',
    caughtBy: ['envelope'],
    level: 'quirk',
    apply(stages) {
      patchHandler(stages, 'legacy.redirect', (original) => (ctx) => {
        const r = original(ctx);
        const q = ctx.request.url.indexOf('?');
        return q < 0
          ? r
          : { ...r, headers: { ...r.headers, location: `${r.headers['location'] ?? ''}${ctx.request.url.slice(q)}` } };
      });
    },
  },
  {
    name: 'inactive-user-keeps-rights',
    protocol: 'octoprint',
    says: "a deactivated user's API key keeps its permissions",
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      stages.isAdmin = (caller) =>
        caller.kind === 'global' || (caller.kind === 'user' && stages.state.isAdminUser(caller.user));
    },
  },
  {
    name: 'group-delete-keeps-members',
    protocol: 'octoprint',
    says: "deleting a group leaves it in its members' group lists",
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patchHandler(stages, 'access.groups.delete', (original) => (ctx) => {
        const key = ctx.params['key'] ?? '';
        const members = [...stages.state.users.values()].filter((u) => u.groups.includes(key)).map((u) => u.name);
        const r = original(ctx);
        if (r.status === 200)
          for (const name of members) {
            const u = stages.state.users.get(name);
            if (u) stages.state.users.update(name, { groups: [...u.groups, key] });
          }
        return r;
      });
    },
  },
  {
    name: 'permissions-need-admin',
    protocol: 'octoprint',
    says: 'GET /api/access/permissions needs ADMIN (it has no decorators at all)',
    caughtBy: ['rights', 'envelope'],
    level: 'must',
    apply(stages) {
      (stages.gates['access.permissions.list'] ?? { admin: false }).admin = true;
    },
  },
  {
    name: 'settings-permission-suffices',
    protocol: 'octoprint',
    says: 'the SETTINGS permission opens the access API, as the docs say (the code needs ADMIN since 1.8.3)',
    caughtBy: ['lifecycle'],
    level: 'quirk',
    apply(stages) {
      const isAdmin = stages.isAdmin;
      stages.isAdmin = (caller) =>
        isAdmin(caller) ||
        (caller.kind === 'user' &&
          caller.user.active &&
          stages.state.effectivePermissions(caller.user.groups, caller.user.permissions).has('SETTINGS'));
    },
  },
  {
    name: 'error-as-text',
    protocol: 'octoprint',
    says: 'errors are sent as text, as 1.3–1.5 did, instead of {"error": ...}',
    caughtBy: ['errors', 'rights', 'envelope'],
    level: 'should',
    apply(stages) {
      patchResponses(stages, (r) => {
        const text = r.status >= 400 ? errorTextIn(r) : undefined;
        if (text === undefined) return r;
        return { status: r.status, headers: { ...r.headers, 'content-type': 'text/html; charset=utf-8' }, body: text };
      });
    },
  },
  {
    name: 'user-groups-only-added',
    protocol: 'octoprint',
    says: 'a user update adds the groups sent but never takes a group away (change_user_groups without its removals)',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patchHandler(stages, 'access.users.update', (original) => (ctx) => {
        const user = stages.state.users.get(ctx.params['name'] ?? '');
        const json = ctx.json;
        return original({
          ...ctx,
          json: () => {
            const d = json();
            if (!user || !d || typeof d !== 'object' || Array.isArray(d)) return d;
            const sent = (d as Record<string, unknown>)['groups'];
            return Array.isArray(sent) ? { ...d, groups: [...new Set([...user.groups, ...sent])] } : d;
          },
        });
      });
    },
  },
  {
    name: 'every-key-is-admin',
    protocol: 'octoprint',
    says: "every user's API key passes the ADMIN gates, while /api/currentuser still gives the user's own groups",
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      const isAdmin = stages.isAdmin;
      stages.isAdmin = (caller) => caller.kind === 'user' || isAdmin(caller);
    },
  },
  {
    name: 'permissions-without-settings-read',
    protocol: 'octoprint',
    says: 'the permission list lacks the core permission SETTINGS_READ (every 1.4–1.11 has it)',
    caughtBy: ['shapes'],
    level: 'must',
    apply(stages) {
      patchHandler(stages, 'access.permissions.list', (original) => (ctx) => {
        const r = original(ctx);
        const body = JSON.parse(r.body) as { permissions: { key: string }[] };
        return flaskJson(200, { permissions: body.permissions.filter((p) => p.key !== 'SETTINGS_READ') });
      });
    },
  },
  {
    name: 'user-groups-as-objects',
    protocol: 'octoprint',
    says: 'user records list their groups as {key, name} objects instead of group keys',
    caughtBy: ['shapes'],
    level: 'must',
    apply(stages) {
      const record = stages.userRecord;
      stages.userRecord = (user, recent) => ({
        ...record(user, recent),
        groups: user.groups.map((k) => ({ key: k, name: String(stages.state.groups.get(k)?.name ?? k) })),
      });
    },
  },
  {
    name: 'non-admin-reads-other-settings',
    protocol: 'octoprint',
    says: "GET /api/access/users/<name>/settings lets any user read another user's settings",
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      patchHandler(
        stages,
        'access.users.getSettings',
        (original) => (ctx) =>
          ctx.caller.kind === 'user' ? original({ ...ctx, caller: { kind: 'global' } }) : original(ctx),
      );
    },
  },
  {
    name: 'non-admin-changes-other-password',
    protocol: 'octoprint',
    says: "a user may set another user's password (the self-or-ADMIN test is missing)",
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      patchHandler(
        stages,
        'access.users.changePassword',
        (original) => (ctx) =>
          ctx.caller.kind === 'user' && ctx.caller.user.name !== ctx.params['name']
            ? original({ ...ctx, caller: { kind: 'global' } })
            : original(ctx),
      );
    },
  },
  {
    name: 'password-change-not-kept',
    protocol: 'octoprint',
    says: "PUT .../password answers 200 {} but the old password stays the user's current one",
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patchHandler(stages, 'access.users.changePassword', (original) => (ctx) => {
        const user = stages.state.users.get(ctx.params['name'] ?? '');
        const hash = user?.passwordHash;
        const r = original(ctx);
        if (user && hash !== undefined) stages.state.users.update(user.name, { passwordHash: hash });
        return r;
      });
    },
  },
  {
    name: 'reset-key-keeps-old',
    protocol: 'octoprint',
    says: 'DELETE /api/access/users/<name>/apikey answers 200 {} but the old key keeps working',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patchHandler(stages, 'access.users.resetApiKey', (original) => (ctx) => {
        const user = stages.state.users.get(ctx.params['name'] ?? '');
        const key = user?.apikey;
        const r = original(ctx);
        if (user && key !== undefined) stages.state.users.update(user.name, { apikey: key });
        return r;
      });
    },
  },
  {
    name: 'add-without-password',
    protocol: 'octoprint',
    says: 'POST /api/access/users without a password creates the user instead of 400 "password is missing"',
    caughtBy: ['params'],
    level: 'must',
    apply(stages) {
      rewriteBody(stages, 'access.users.add', (d) => (!('password' in d) ? { ...d, password: 'x' } : d));
    },
  },
  {
    name: 'conflict-as-400',
    protocol: 'octoprint',
    says: 'an existing user name or group key on POST gives 400 instead of 409',
    caughtBy: ['errors'],
    level: 'must',
    apply(stages) {
      for (const name of ['access.users.add', 'access.groups.add'])
        patchHandler(stages, name, (original) => (ctx) => {
          try {
            return original(ctx);
          } catch (error) {
            if (error instanceof Abort && error.status === 409) throw new Abort(400, 'exists');
            throw error;
          }
        });
    },
  },
  {
    name: 'unknown-as-400',
    protocol: 'octoprint',
    says: 'an unknown user or group gives 400 instead of 404',
    caughtBy: ['errors'],
    level: 'must',
    apply(stages) {
      for (const name of Object.keys(stages.handlers).filter((n) => n.startsWith('access.')))
        patchHandler(stages, name, (original) => (ctx) => {
          try {
            return original(ctx);
          } catch (error) {
            if (error instanceof Abort && error.status === 404) throw new Abort(400);
            throw error;
          }
        });
    },
  },
  {
    name: 'default-group-removable',
    protocol: 'octoprint',
    says: 'DELETE /api/access/groups/<key> removes a default group (removable false) instead of answering 403',
    caughtBy: ['errors'],
    level: 'must',
    apply(stages) {
      patchHandler(stages, 'access.groups.delete', (original) => (ctx) => {
        const g = stages.state.groups.get(ctx.params['key'] ?? '');
        if (g && !g.removable) {
          stages.state.removeGroup(g.key);
          return stages.handlers['access.groups.list']?.(ctx) ?? flaskJson(200, {});
        }
        return original(ctx);
      });
    },
  },
  {
    name: 'add-ignores-groups',
    protocol: 'octoprint',
    says: 'POST /api/access/users gives the default groups whatever groups were sent',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      rewriteBody(stages, 'access.users.add', (d) => ({ ...d, groups: null }));
    },
  },
  {
    name: 'bad-json-500',
    protocol: 'octoprint',
    says: 'a body that is not valid JSON crashes the handler (500) instead of 400',
    caughtBy: ['envelope'],
    level: 'must',
    apply(stages) {
      const read = stages.readJson;
      stages.readJson = (request) => {
        const body = read(request);
        return !body.ok && body.problem !== 'content-type' ? { ...body, response: flaskError(500) } : body;
      };
    },
  },
  {
    name: 'global-key-not-admin',
    protocol: 'octoprint',
    says: 'the global API key (the _api pseudo-user) passes no ADMIN gate',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      const isAdmin = stages.isAdmin;
      stages.isAdmin = (caller) => caller.kind !== 'global' && isAdmin(caller);
    },
  },
  {
    name: 'unchangeable-group-updated',
    protocol: 'octoprint',
    says: 'PUT /api/access/groups/admins changes the group although it is not changeable (403 in 1.4–1.11)',
    caughtBy: ['errors'],
    level: 'should',
    apply(stages) {
      patchHandler(stages, 'access.groups.update', (original) => (ctx) => {
        const g = stages.state.groups.get(ctx.params['key'] ?? '');
        if (!g || g.changeable) return original(ctx);
        stages.state.groups.update(g.key, { changeable: true });
        try {
          return original(ctx);
        } finally {
          stages.state.groups.update(g.key, { changeable: false });
        }
      });
    },
  },
  {
    name: 'group-update-adds-permissions',
    protocol: 'octoprint',
    says: 'PUT /api/access/groups/<key> adds the permissions sent to the old ones instead of replacing the list',
    caughtBy: ['shapes'],
    level: 'must',
    apply(stages) {
      patchHandler(stages, 'access.groups.update', (original) => (ctx) => {
        const g = stages.state.groups.get(ctx.params['key'] ?? '');
        const old = g?.permissions ?? [];
        const r = original(ctx);
        const now = stages.state.groups.get(ctx.params['key'] ?? '');
        if (r.status === 200 && now) {
          stages.state.groups.update(now.key, { permissions: [...new Set([...old, ...now.permissions])] });
          return stages.handlers['access.groups.list']?.(ctx) ?? r;
        }
        return r;
      });
    },
  },
  {
    name: 'needs-as-list',
    protocol: 'octoprint',
    says: 'user records give needs as a list of permission keys instead of {"role": [...]}',
    caughtBy: ['shapes'],
    level: 'must',
    apply(stages) {
      const record = stages.userRecord;
      stages.userRecord = (user, recent) => ({ ...record(user, recent), needs: [...user.permissions] });
    },
  },
  {
    name: 'any-content-type-read',
    protocol: 'octoprint',
    says: 'a JSON body is read whatever its Content-Type (text/plain included) instead of 415',
    caughtBy: ['envelope'],
    level: 'quirk',
    apply(stages) {
      const read = stages.readJson;
      stages.readJson = (request) => {
        const body = read(request);
        if (body.ok || body.problem !== 'content-type') return body;
        return read({ ...request, headers: { ...request.headers, 'content-type': 'application/json' } });
      };
    },
  },
  {
    name: 'anonymous-401',
    protocol: 'octoprint',
    says: 'callers without a valid key get 401 instead of 403 (OctoPrint has no 401 in the access API)',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      // Requests are answered one at a time: the last caller authenticated is the one being answered.
      const authenticate = stages.authenticate;
      const respond = stages.respond;
      let anon = false;
      stages.authenticate = (request) => {
        const c = authenticate(request);
        anon = c.kind === 'anonymous';
        return c;
      };
      stages.respond = (r) => (anon && r.status === 403 ? { ...respond(r), status: 401 } : respond(r));
    },
  },
  {
    name: 'add-ignores-active',
    protocol: 'octoprint',
    says: 'POST /api/access/users makes the user active whatever active says',
    caughtBy: ['errors'],
    level: 'must',
    apply(stages) {
      rewriteBody(stages, 'access.users.add', (d) => ('active' in d ? { ...d, active: true } : d));
    },
  },
  {
    name: 'add-group-drops-default',
    protocol: 'octoprint',
    says: 'POST /api/access/groups ignores default: every new group is not a default group',
    caughtBy: ['errors'],
    level: 'must',
    apply(stages) {
      rewriteBody(stages, 'access.groups.add', (d) => ({ ...d, default: false }));
    },
  },
  {
    name: 'subgroups-grant-nothing',
    protocol: 'octoprint',
    says: "a group's subgroups give its members nothing: ADMIN held through a subgroup is not ADMIN",
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      const state = stages.state;
      state.isAdminUser = (user) =>
        user.permissions.includes('ADMIN') ||
        user.groups.some((k) => state.groups.get(k)?.permissions.includes('ADMIN'));
    },
  },
];
