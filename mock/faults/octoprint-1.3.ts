import type { Stages13 } from '../dialects/octoprint-1.3/stages.js';
import type { Fault } from './fault.js';

type Fault13 = Fault<Stages13>;

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
];
