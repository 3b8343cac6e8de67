import type { KanboardStages } from '../dialects/kanboard/index.js';
import { parseBasicAuthorization } from '../../src/wire/http.js';
import { WrittenJson } from '../../src/wire/written.js';
import type { Fault } from './fault.js';

type KanboardFault = Fault<KanboardStages>;

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
];
