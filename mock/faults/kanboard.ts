import type { KanboardStages } from '../dialects/kanboard/index.js';
import { parseBasicAuthorization } from '../../src/wire/http.js';
import { WrittenJson } from '../../src/wire/written.js';
import type { Fault } from './fault.js';
import type { DatabaseForm } from '../../src/protocols/kanboard/variants.js';
import { PROJECT_ROLE_RANK, rankOf } from '../../src/protocols/kanboard/records.js';

type KanboardFault = Fault<KanboardStages>;

/**
 * The mock answers in the form the variant declares (variants.ts FORMS); these faults keep the variant it was
 * started as (the current release, checked as such) but play one form of an older release or PHP: the checks
 * of the current form must tell them apart.
 */
function playsForm(stages: KanboardStages, change: (db: DatabaseForm) => Partial<DatabaseForm>): void {
  const state = stages.state as { db: DatabaseForm };
  state.db = { ...state.db, ...change(state.db) };
}

function patchProcedure(
  stages: KanboardStages,
  name: string,
  run: (original: KanboardStages['procedures'][string]['run']) => KanboardStages['procedures'][string]['run'],
): void {
  const p = stages.procedures[name];
  if (!p) throw new Error(`no procedure ${name}`);
  stages.procedures[name] = { ...p, run: run(p.run.bind(p)) };
}

function rewriteBody(stages: KanboardStages, rewrite: (body: string) => string): void {
  const respond = stages.respond;
  stages.respond = (r, request) => {
    const out = respond(r, request);
    return { ...out, body: rewrite(out.body) };
  };
}

export const kanboardFaults: readonly KanboardFault[] = [
  {
    name: 'any-app-token',
    protocol: 'kanboard',
    says: 'user "jsonrpc" with any password is the application API',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      const authenticate = stages.authenticate;
      stages.authenticate = (request) =>
        parseBasicAuthorization(request.headers['authorization'])?.username === 'jsonrpc'
          ? { kind: 'app' }
          : authenticate(request);
    },
  },
  {
    name: 'bearer-app-token',
    protocol: 'kanboard',
    says: 'the application token is also taken as a Bearer token',
    caughtBy: ['envelope'],
    level: 'must',
    apply(stages) {
      const authenticate = stages.authenticate;
      stages.authenticate = (request) => {
        const bearer = /^Bearer (.+)$/.exec(request.headers['authorization'] ?? '')?.[1];
        return bearer !== undefined && bearer === stages.state.appToken ? { kind: 'app' } : authenticate(request);
      };
    },
  },
  {
    name: 'app-user-creates-users',
    protocol: 'kanboard',
    says: 'an app-user may call createUser',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      const authorize = stages.authorize;
      stages.authorize = (caller, procedure, className) =>
        procedure === 'createUser' || authorize(caller, procedure, className);
    },
  },
  {
    name: 'denial-as-http-200',
    protocol: 'kanboard',
    says: 'authorization failures are sent with HTTP 200',
    caughtBy: ['rights', 'envelope'],
    level: 'must',
    apply(stages) {
      const respond = stages.respond;
      stages.respond = (r, request) => {
        const out = respond(r, request);
        return out.status === 403 ? { ...out, status: 200 } : out;
      };
    },
  },
  {
    name: 'update-user-not-persisted',
    protocol: 'kanboard',
    says: 'updateUser answers true but changes nothing',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patchProcedure(stages, 'updateUser', (original) => (ctx, args) => {
        const id = Number(args['id']);
        const before = ctx.state.users.get(id);
        const result = original(ctx, args);
        if (before) ctx.state.users.update(id, before);
        return result;
      });
    },
  },
  {
    name: 'missing-params-accepted',
    protocol: 'kanboard',
    says: 'missing parameters are bound as null instead of -32602',
    caughtBy: ['params'],
    level: 'must',
    apply(stages) {
      const bind = stages.bind;
      stages.bind = (procedure, params) => {
        const bound = bind(procedure, params);
        return 'error' in bound && bound.error.startsWith('Wrong number') ? { args: { ...(params as object) } } : bound;
      };
    },
  },
  {
    name: 'method-not-found-as-invalid-request',
    protocol: 'kanboard',
    says: 'an unknown method gets -32600 instead of -32601',
    caughtBy: ['envelope'],
    level: 'must',
    apply(stages) {
      rewriteBody(stages, (body) =>
        body.replace('"code":-32601,"message":"Method not found"', '"code":-32600,"message":"Invalid Request"'),
      );
    },
  },
  {
    name: 'get-all-users-without-username',
    protocol: 'kanboard',
    says: 'getAllUsers leaves out the username field',
    caughtBy: ['shapes'],
    level: 'must',
    apply(stages) {
      // The rows may come written already (mock/serial-cache.ts): their values are read back.
      const valueOf = (row: unknown) => (row instanceof WrittenJson ? row.toJSON() : row) as Record<string, unknown>;
      patchProcedure(
        stages,
        'getAllUsers',
        (original) => (ctx, args) =>
          (original(ctx, args) as unknown[]).map((row) => {
            const { username: _u, ...rest } = valueOf(row);
            return rest;
          }),
      );
    },
  },
  {
    name: 'disabled-user-authenticates',
    protocol: 'kanboard',
    says: "a disabled user's password still works",
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      // Authenticate as if every user were active.
      const authenticate = stages.authenticate;
      stages.authenticate = (request) => {
        const disabled = stages.state.users.all().filter((u) => u.is_active === 0);
        for (const u of disabled) stages.state.users.update(u.id, { is_active: 1 });
        try {
          return authenticate(request);
        } finally {
          for (const u of disabled) stages.state.users.update(u.id, { is_active: 0 });
        }
      };
    },
  },
  {
    name: 'no-project-role-check',
    protocol: 'kanboard',
    says: "project-permission procedures do not check the caller's project role",
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      for (const name of [
        'getProjectUsers',
        'addProjectUser',
        'removeProjectUser',
        'changeProjectUserRole',
        'getProjectUserRole',
      ]) {
        patchProcedure(stages, name, (original) => (ctx, args) => original({ ...ctx, caller: { kind: 'app' } }, args));
      }
    },
  },
  {
    name: 'large-bodies-refused-as-html',
    protocol: 'kanboard',
    says: 'a request body over 64 KiB gets an HTML 413 page (a proxy limit), not a JSON-RPC reply',
    caughtBy: ['fuzz'],
    level: 'must',
    apply(stages) {
      const respond = stages.respond;
      stages.respond = (r, request) =>
        request.body.length > 65_536
          ? {
              status: 413,
              headers: { 'content-type': 'text/html' },
              body: '<html><body><h1>413 Request Entity Too Large</h1></body></html>',
            }
          : respond(r, request);
    },
  },
  {
    name: 'unknown-id-update-false',
    protocol: 'kanboard',
    says: 'updateUser on an unknown id answers false, as the docs say, not true as Kanboard does',
    caughtBy: ['errors'],
    level: 'quirk',
    apply(stages) {
      patchProcedure(
        stages,
        'updateUser',
        (original) => (ctx, args) => (ctx.state.users.get(Number(args['id'])) ? original(ctx, args) : false),
      );
    },
  },
  {
    name: 'ids-as-strings',
    protocol: 'kanboard',
    says: 'ids are sent as strings, as the docs show them',
    caughtBy: ['shapes'],
    level: 'quirk',
    apply(stages) {
      rewriteBody(stages, (body) =>
        body
          .replace(/"id":(\d+)/g, '"id":"$1"')
          .replace(/^\{"jsonrpc":"2.0","result":(.*),"id":"(\d+)"\}$/s, '{"jsonrpc":"2.0","result":$1,"id":$2}'),
      );
    },
  },
  {
    name: 'every-user-is-admin',
    protocol: 'kanboard',
    says: 'every user may call what only app-admins may, while getMe still gives their own role',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      const authorize = stages.authorize;
      stages.authorize = (caller, procedure, className) =>
        caller.kind === 'user' || authorize(caller, procedure, className);
    },
  },
  {
    name: 'users-without-role',
    protocol: 'kanboard',
    says: "user rows leave out `role`, the user's rights (as the seed's user object, which has is_admin instead)",
    caughtBy: ['shapes'],
    level: 'must',
    apply(stages) {
      rewriteBody(stages, (body) => body.replace(/"role":"app-(admin|manager|user)",?/g, ''));
    },
  },
  {
    name: 'app-user-name-any-case',
    protocol: 'kanboard',
    says: 'the application user name is matched in any case: JSONRPC with the token is the application API',
    caughtBy: ['envelope'],
    level: 'must',
    apply(stages) {
      const authenticate = stages.authenticate;
      stages.authenticate = (request) => {
        const c = parseBasicAuthorization(request.headers['authorization']);
        return c && c.username.toLowerCase() === 'jsonrpc' && c.password === stages.state.appToken
          ? { kind: 'app' }
          : authenticate(request);
      };
    },
  },
  {
    name: 'admin-passes-project-roles',
    protocol: 'kanboard',
    says: 'app-admin users pass every project role check, as in the web UI',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      for (const name of [
        'getProjectUsers',
        'getAssignableUsers',
        'getProjectUserRole',
        'addProjectUser',
        'addProjectGroup',
        'removeProjectUser',
        'removeProjectGroup',
        'changeProjectUserRole',
        'changeProjectGroupRole',
      ])
        patchProcedure(
          stages,
          name,
          (original) => (ctx, args) =>
            ctx.caller.kind === 'user' && ctx.caller.user.role === 'app-admin'
              ? original({ ...ctx, caller: { kind: 'app' } }, args)
              : original(ctx, args),
        );
    },
  },
  {
    name: 'rename-not-persisted',
    protocol: 'kanboard',
    says: 'updateUser checks a new username for clashes but does not store it',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patchProcedure(stages, 'updateUser', (original) => (ctx, args) => {
        const name = args['username'];
        if (typeof name !== 'string' || name === '' || ctx.state.userNamed(name)) return original(ctx, args);
        const rest: Record<string, unknown> = { ...args, username: null };
        return ['name', 'email', 'role'].some((k) => rest[k] !== null && rest[k] !== undefined)
          ? original(ctx, rest)
          : true;
      });
    },
  },
  {
    name: 'positional-params-refused',
    protocol: 'kanboard',
    says: 'params given as a list get -32602',
    caughtBy: ['envelope'],
    level: 'must',
    apply(stages) {
      const bind = stages.bind;
      stages.bind = (procedure, params) =>
        Array.isArray(params) ? { error: 'Positional arguments are not supported' } : bind(procedure, params);
    },
  },
  {
    name: 'group-member-removal-not-persisted',
    protocol: 'kanboard',
    says: 'removeGroupMember answers true for a member but the membership stays',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patchProcedure(stages, 'removeGroupMember', (original) => (ctx, args) => {
        const g = Number(args['group_id']);
        const u = Number(args['user_id']);
        const was = ctx.state.groupMembers.has(g, u);
        const result = original(ctx, args);
        if (was) ctx.state.groupMembers.set(g, u, true);
        return result;
      });
    },
  },
  {
    name: 'project-group-removal-not-persisted',
    protocol: 'kanboard',
    says: 'removeProjectGroup answers true but the group keeps its role',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patchProcedure(stages, 'removeProjectGroup', (original) => (ctx, args) => {
        const p = Number(args['project_id']);
        const g = Number(args['group_id']);
        const was = ctx.state.projectGroups.get(p, g);
        const result = original(ctx, args);
        if (was !== undefined) ctx.state.projectGroups.set(p, g, was);
        return result;
      });
    },
  },
  {
    name: 'project-role-from-any-project',
    protocol: 'kanboard',
    says: "a user's project role is its best role on any project, not on the project asked about",
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      const need: Record<string, number> = {
        getProjectUsers: 0,
        getAssignableUsers: 0,
        getProjectUserRole: 0,
        addProjectUser: 2,
        addProjectGroup: 2,
        removeProjectUser: 2,
        removeProjectGroup: 2,
        changeProjectUserRole: 2,
        changeProjectGroupRole: 2,
      };
      for (const [name, min] of Object.entries(need)) {
        patchProcedure(stages, name, (original) => (ctx, args) => {
          if (ctx.caller.kind !== 'user') return original(ctx, args);
          const uid = ctx.caller.user.id;
          const best = Math.max(
            -1,
            ...ctx.state.projectUsers
              .leftsOf(uid)
              .map((p) => rankOf(PROJECT_ROLE_RANK, ctx.state.projectUsers.get(p, uid) ?? '') ?? -1),
          );
          return best >= min ? original({ ...ctx, caller: { kind: 'app' } }, args) : original(ctx, args);
        });
      }
    },
  },
  {
    name: 'assignable-includes-disabled',
    protocol: 'kanboard',
    says: 'getAssignableUsers lists disabled members too',
    caughtBy: ['lifecycle'],
    level: 'should',
    apply(stages) {
      patchProcedure(stages, 'getAssignableUsers', (original) => (ctx, args) => {
        const disabled = ctx.state.users.all().filter((u) => u.is_active === 0);
        for (const u of disabled) ctx.state.users.update(u.id, { is_active: 1 });
        try {
          return original(ctx, args);
        } finally {
          for (const u of disabled) ctx.state.users.update(u.id, { is_active: 0 });
        }
      });
    },
  },
  {
    name: 'project-users-without-group-members',
    protocol: 'kanboard',
    says: 'getProjectUsers lists direct members only, not those through a group',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patchProcedure(stages, 'getProjectUsers', (original) => (ctx, args) => {
        const p = Number(args['project_id']);
        const saved = ctx.state.projectGroups.rightsOf(p).map((g) => [g, ctx.state.projectGroups.get(p, g)!] as const);
        for (const [g] of saved) ctx.state.projectGroups.delete(p, g);
        try {
          return original(ctx, args);
        } finally {
          for (const [g, r] of saved) ctx.state.projectGroups.set(p, g, r);
        }
      });
    },
  },
  {
    name: 'is-active-user-as-int',
    protocol: 'kanboard',
    says: 'isActiveUser answers 1 or 0, the column value, instead of a boolean',
    caughtBy: ['shapes'],
    level: 'must',
    apply(stages) {
      patchProcedure(stages, 'isActiveUser', (original) => (ctx, args) => (original(ctx, args) ? 1 : 0));
    },
  },
  {
    name: 'reply-id-as-string',
    protocol: 'kanboard',
    says: 'a numeric request id is echoed as a string',
    caughtBy: ['envelope'],
    level: 'must',
    apply(stages) {
      rewriteBody(stages, (body) => body.replace(/,"id":(\d+)\}/g, ',"id":"$1"}'));
    },
  },
  {
    name: 'batch-of-one-unwrapped',
    protocol: 'kanboard',
    says: 'a batch of one call gets a bare reply object, not a list of one',
    caughtBy: ['envelope'],
    level: 'must',
    apply(stages) {
      rewriteBody(stages, (body) => {
        if (!body.startsWith('[')) return body;
        const replies = JSON.parse(body) as unknown[];
        return replies.length === 1 ? JSON.stringify(replies[0]) : body;
      });
    },
  },
  {
    name: 'group-members-documented-only',
    protocol: 'kanboard',
    says: 'getGroupMembers rows are {id, username, name, email, role}, not the whole users row',
    caughtBy: ['shapes'],
    level: 'quirk',
    apply(stages) {
      patchProcedure(
        stages,
        'getGroupMembers',
        (original) => (ctx, args) =>
          (original(ctx, args) as Record<string, unknown>[]).map((u) => ({
            id: u['id'],
            username: u['username'],
            name: u['name'],
            email: u['email'],
            role: u['role'],
          })),
      );
    },
  },
  {
    name: 'disabled-users-unlisted',
    protocol: 'kanboard',
    says: 'getAllUsers leaves out disabled users',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      const valueOf = (row: unknown) => (row instanceof WrittenJson ? row.toJSON() : row) as Record<string, unknown>;
      patchProcedure(
        stages,
        'getAllUsers',
        (original) => (ctx, args) =>
          (original(ctx, args) as unknown[])
            .map(valueOf)
            .filter((u) => u['is_active'] !== 0 && u['is_active'] !== false),
      );
    },
  },
  {
    name: 'disabled-users-not-found-by-name',
    protocol: 'kanboard',
    says: 'getUserByName finds only active users',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patchProcedure(stages, 'getUserByName', (original) => (ctx, args) => {
        const r = original(ctx, args) as Record<string, unknown> | null;
        return r && (r['is_active'] === 0 || r['is_active'] === false) ? null : r;
      });
    },
  },
  {
    name: 'success-keeps-failure-count',
    protocol: 'kanboard',
    says: 'a successful login does not reset the failed-login count',
    caughtBy: ['lifecycle'],
    level: 'quirk',
    apply(stages) {
      const authenticate = stages.authenticate;
      stages.authenticate = (request) => {
        const c = parseBasicAuthorization(request.headers['authorization']);
        const before = c ? stages.state.userNamed(c.username) : undefined;
        const out = authenticate(request);
        if (before && out?.kind === 'user' && before.nb_failed_login > 0)
          stages.state.users.update(before.id, { nb_failed_login: before.nb_failed_login });
        return out;
      };
    },
  },
  {
    name: 'usernames-stored-untrimmed',
    protocol: 'kanboard',
    says: 'usernames are stored as sent, untrimmed, as before 1.2.27 (to a server that says it is current)',
    caughtBy: ['errors', 'lifecycle'],
    level: 'quirk',
    apply(stages) {
      playsForm(stages, (db) => ({ release: { ...db.release, trimsUsername: false } }));
    },
  },
  {
    name: 'no-role-as-null',
    protocol: 'kanboard',
    says: 'getProjectUserRole answers null for a user without a role, as before 1.2.36',
    caughtBy: ['errors', 'lifecycle'],
    level: 'quirk',
    apply(stages) {
      playsForm(stages, (db) => ({ release: { ...db.release, noRoleAnswer: null } }));
    },
  },
  {
    name: 'users-without-theme',
    protocol: 'kanboard',
    says: 'users rows have no theme column, as before 1.2.29',
    caughtBy: ['shapes'],
    level: 'quirk',
    apply(stages) {
      playsForm(stages, (db) => ({ droppedUserColumns: [...db.droppedUserColumns, 'theme'] }));
    },
  },
  {
    name: 'get-class-name-refused',
    protocol: 'kanboard',
    says: 'the internal getClassName is refused (ReflectionException), as on PHP before 8.1',
    caughtBy: ['envelope'],
    level: 'quirk',
    apply(stages) {
      playsForm(stages, () => ({ phpBefore81: true }));
    },
  },
];
