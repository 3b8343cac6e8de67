import type { RhodeCodeStages } from '../dialects/rhodecode/index.js';
import { RpcError, type Procedure } from '../dialects/rhodecode/handler.js';
import type { Fault } from './fault.js';
import type { UserRow } from '../dialects/rhodecode/state.js';
import { WrittenJson } from '../../src/wire/written.js';

type RhodeCodeFault = Fault<RhodeCodeStages>;
type Run = Procedure['run'];

function patch(stages: RhodeCodeStages, name: string, run: (original: Run) => Run): void {
  const p = stages.procedures[name];
  if (!p) throw new Error(`no procedure ${name}`);
  stages.procedures[name] = { ...p, run: run(p.run.bind(p)) };
}

function rewriteBody(stages: RhodeCodeStages, rewrite: (body: string) => string): void {
  const respond = stages.respond;
  stages.respond = (r) => {
    const out = respond(r);
    return { ...out, body: rewrite(out.body) };
  };
}

export const rhodecodeFaults: readonly RhodeCodeFault[] = [
  {
    name: 'group-granted-on-itself',
    protocol: 'rhodecode',
    says: 'a user group can be given a permission on itself (RhodeCode refuses: failed to edit permission)',
    caughtBy: ['errors'],
    level: 'must',
    apply(stages) {
      patch(stages, 'grant_user_group_permission_to_user_group', (original) => (ctx, args) => {
        if (args['usergroupid'] !== args['sourceusergroupid']) return original(ctx, args);
        return { msg: 'Granted perm', success: true };
      });
    },
  },
  {
    name: 'no-personal-repo-group',
    protocol: 'rhodecode',
    says: 'create_user ignores create_personal_repo_group: true',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patch(
        stages,
        'create_user',
        (original) => (ctx, args) => original(ctx, { ...args, create_personal_repo_group: false }),
      );
    },
  },
  {
    name: 'hidden-group-revealed',
    protocol: 'rhodecode',
    says: 'get_user_group shows a group to a caller without read on it',
    caughtBy: ['errors', 'lifecycle'],
    level: 'must',
    apply(stages) {
      patch(
        stages,
        'get_user_group',
        (original) => (ctx, args) =>
          original(
            {
              ...ctx,
              permission: (u, kind, id) => (kind === 'usergroup' ? 'usergroup.read' : ctx.permission(u, kind, id)),
            },
            args,
          ),
      );
    },
  },
  {
    name: 'denial-reveals-object',
    protocol: 'rhodecode',
    says: 'a caller without read on a user group is told access was denied (so it exists) instead of "does not exist"',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      rewriteBody(stages, (body) =>
        body.replace(/"user group `[^`"]*` does not exist"/g, '"Access was denied to this resource."'),
      );
    },
  },
  {
    name: 'plain-user-creates-users',
    protocol: 'rhodecode',
    says: 'create_user is allowed to a user who is not super-admin',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      patch(
        stages,
        'create_user',
        (original) => (ctx, args) => original({ ...ctx, caller: { ...ctx.caller, admin: true } }, args),
      );
    },
  },
  {
    name: 'error-with-http-status',
    protocol: 'rhodecode',
    says: 'errors are sent with HTTP 400 instead of 200',
    caughtBy: ['errors', 'rights', 'envelope'],
    level: 'must',
    apply(stages) {
      const respond = stages.respond;
      stages.respond = (r) => {
        const out = respond(r);
        return out.status === 200 && /"error": (?!null)/.test(out.body) ? { ...out, status: 400 } : out;
      };
    },
  },
  {
    name: 'seed-api-key-field',
    protocol: 'rhodecode',
    says: "user objects carry the seed's api_key/api_keys instead of auth_tokens",
    caughtBy: ['shapes'],
    level: 'must',
    apply(stages) {
      const userApi = stages.userApi;
      stages.userApi = (state, user, secrets) => {
        const { auth_tokens: tokens, ...rest } = userApi(state, user, secrets);
        const list = tokens as string[];
        return { ...rest, api_key: list[0] ?? '', api_keys: list };
      };
    },
  },
  {
    name: 'unknown-method-after-auth',
    protocol: 'rhodecode',
    says: 'unknown methods are looked up after authentication (a bad token gets "Invalid API KEY")',
    caughtBy: ['envelope'],
    level: 'quirk',
    apply(stages) {
      // Every name resolves at the wire; the dialect then authenticates first and reports the unknown method.
      stages.lookup = (method) => (typeof method === 'string' ? method : undefined);
    },
  },
  {
    name: 'string-id-by-primary-key',
    protocol: 'rhodecode',
    says: 'an id sent as a numeric string is looked up by primary key',
    caughtBy: ['errors'],
    level: 'quirk',
    apply(stages) {
      for (const [name, key] of [
        ['get_user', 'userid'],
        ['get_user_group', 'usergroupid'],
      ] as const) {
        patch(stages, name, (original) => (ctx, args) => {
          const value = args[key];
          return original(
            ctx,
            typeof value === 'string' && /^\d+$/.test(value) ? { ...args, [key]: Number(value) } : args,
          );
        });
      }
    },
  },
  {
    name: 'membership-no-op-as-error',
    protocol: 'rhodecode',
    says: 'adding a member twice is an error instead of success false',
    caughtBy: ['errors', 'lifecycle'],
    level: 'must',
    apply(stages) {
      patch(stages, 'add_user_to_user_group', (original) => (ctx, args) => {
        const result = original(ctx, args) as { success: boolean; msg: string };
        if (!result.success) throw new RpcError(result.msg);
        return result;
      });
    },
  },
  {
    name: 'falsy-id-envelope',
    protocol: 'rhodecode',
    says: 'a success with id 0 is sent as a full envelope instead of the bare ""',
    caughtBy: ['envelope'],
    level: 'quirk',
    apply(stages) {
      rewriteBody(stages, (body) => (body === '""' ? '{"id": 0, "result": [], "error": null}' : body));
    },
  },
  {
    name: 'validation-error-as-string',
    protocol: 'rhodecode',
    says: 'validation errors are sent as a string, not as an object',
    caughtBy: ['errors'],
    level: 'quirk',
    apply(stages) {
      rewriteBody(stages, (body) =>
        body.replace(/"error": \{([^{}]*)\}/, (_m, inner: string) => `"error": ${JSON.stringify(inner.trim())}`),
      );
    },
  },
  {
    name: 'no-default-permission-on-new-groups',
    protocol: 'rhodecode',
    says: "new user groups do not get the default user's permission (plain users cannot read them)",
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      const add = stages.state.addUserGroup.bind(stages.state);
      stages.state.addUserGroup = (values) => {
        const row = add(values);
        const def = stages.state.defaultUser;
        if (def) stages.state.userPerms.usergroup.delete(row.id, def.id);
        return row;
      };
    },
  },
  {
    name: 'owner-not-admin',
    protocol: 'rhodecode',
    says: 'the owner of a user group is not treated as its admin',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      const permission = stages.permission;
      stages.permission = (user, kind, id) => {
        const owned = kind === 'usergroup' && stages.state.userGroups.get(id)?.ownerId === user.id && !user.admin;
        return owned
          ? (stages.state.userPerms.usergroup.get(id, stages.state.defaultUser?.id ?? 0) ?? 'usergroup.none')
          : permission(user, kind, id);
      };
    },
  },
  {
    name: 'get-users-lists-default',
    protocol: 'rhodecode',
    says: 'get_users includes the default user',
    caughtBy: ['shapes'],
    level: 'quirk',
    apply(stages) {
      patch(stages, 'get_users', (original) => (ctx, args) => {
        const def = ctx.state.defaultUser;
        return [...(original(ctx, args) as unknown[]), ...(def ? [ctx.userApi(ctx.state, def, true)] : [])];
      });
    },
  },
  {
    name: 'user-locks-as-object',
    protocol: 'rhodecode',
    says: 'get_user_locks wraps the list in an object, as the docs draw it ({ [repo, ...] })',
    caughtBy: ['shapes', 'lifecycle'],
    level: 'must',
    apply(stages) {
      patch(stages, 'get_user_locks', (original) => (ctx, args) => ({ repositories: original(ctx, args) }));
    },
  },
  {
    name: 'every-token-is-super-admin',
    protocol: 'rhodecode',
    says: 'every valid token has super-admin rights, while get_user still says the user is not admin',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      for (const name of Object.keys(stages.procedures)) {
        patch(stages, name, (original) => (ctx, args) => {
          // get_user about the caller itself still tells the truth: who it is, not what it may do.
          const aboutItself = name === 'get_user' && (args['userid'] === undefined || args['userid'] === null);
          return original(aboutItself ? ctx : { ...ctx, caller: { ...ctx.caller, admin: true } }, args);
        });
      }
    },
  },
  {
    name: 'error-beside-result',
    protocol: 'rhodecode',
    says: 'errors are sent beside a non-null result ({"result": {}, "error": "..."}), not with result null',
    caughtBy: ['errors', 'rights'],
    level: 'must',
    apply(stages) {
      rewriteBody(stages, (body) =>
        /"error": (?!null)/.test(body) ? body.replace('"result": null', '"result": {}') : body,
      );
    },
  },
  {
    name: 'rename-not-persisted',
    protocol: 'rhodecode',
    says: 'update_user checks a new username for clashes but does not store it',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patch(stages, 'update_user', (original) => (ctx, args) => {
        if (typeof args['username'] !== 'string') return original(ctx, args);
        const clash = ctx.state.users.by('username', args['username']);
        const { username: _u, ...rest } = args;
        return original(ctx, clash ? args : rest);
      });
    },
  },
  {
    name: 'writer-manages-members',
    protocol: 'rhodecode',
    says: 'usergroup.write is enough to add and remove members (RhodeCode asks for usergroup.admin)',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      const permission = stages.permission;
      for (const name of ['add_user_to_user_group', 'remove_user_from_user_group'])
        patch(
          stages,
          name,
          (original) => (ctx, args) =>
            original(
              {
                ...ctx,
                permission: (u, kind, id) => {
                  const p = permission(u, kind, id);
                  return kind === 'usergroup' && p === 'usergroup.write' ? 'usergroup.admin' : p;
                },
              },
              args,
            ),
        );
    },
  },
  {
    name: 'update-user-admin-ignored',
    protocol: 'rhodecode',
    says: 'update_user leaves out admin: a user cannot be made or unmade super-admin',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patch(stages, 'update_user', (original) => (ctx, args) => {
        const { admin: _a, ...rest } = args;
        return original(ctx, rest);
      });
    },
  },
  {
    name: 'update-user-group-active-ignored',
    protocol: 'rhodecode',
    says: 'update_user_group leaves out active',
    caughtBy: ['lifecycle'],
    level: 'should',
    apply(stages) {
      patch(stages, 'update_user_group', (original) => (ctx, args) => {
        const { active: _a, ...rest } = args;
        return original(ctx, rest);
      });
    },
  },
  {
    name: 'update-user-group-owner-ignored',
    protocol: 'rhodecode',
    says: 'update_user_group leaves out owner: a group cannot be handed over',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patch(stages, 'update_user_group', (original) => (ctx, args) => {
        const { owner: _a, ...rest } = args;
        return original(ctx, rest);
      });
    },
  },
  {
    name: 'deleted-user-stays-member',
    protocol: 'rhodecode',
    says: 'delete_user leaves its memberships: its user groups go on listing the deleted user',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      // The deleted rows, by the groups they were members of.
      const ghosts = new Map<number, UserRow[]>();
      const del = stages.state.deleteUser.bind(stages.state);
      stages.state.deleteUser = (id) => {
        const row = stages.state.users.get(id);
        const groups = stages.state.members.leftsOf(id);
        del(id);
        if (row) for (const g of groups) ghosts.set(g, [...(ghosts.get(g) ?? []), row]);
      };
      patch(stages, 'get_user_group', (original) => (ctx, args) => {
        const result = original(ctx, args);
        const value = (result instanceof WrittenJson ? result.toJSON() : result) as {
          users_group_id: number;
          users: unknown[];
        };
        const extra = ghosts.get(value.users_group_id) ?? [];
        return extra.length === 0
          ? result
          : { ...value, users: [...value.users, ...extra.map((u) => ctx.userApi(ctx.state, u, false))] };
      });
    },
  },
  {
    name: 'reply-id-as-string',
    protocol: 'rhodecode',
    says: 'a numeric request id is echoed as a string',
    caughtBy: ['envelope'],
    level: 'must',
    apply(stages) {
      rewriteBody(stages, (body) => body.replace(/^\{(\s*)"id": (\d+),/, '{$1"id": "$2",'));
    },
  },
  {
    name: 'missing-argument-runs-body',
    protocol: 'rhodecode',
    says: 'a missing required argument is not reported: the body runs with it as None',
    caughtBy: ['params'],
    level: 'should',
    apply(stages) {
      stages.missingArgument = () => undefined;
    },
  },
  {
    name: 'inactive-users-unlisted',
    protocol: 'rhodecode',
    says: 'get_users leaves out inactive users',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patch(
        stages,
        'get_users',
        (original) => (ctx, args) =>
          (original(ctx, args) as unknown[])
            .map((u) => (u instanceof WrittenJson ? u.toJSON() : u) as Record<string, unknown>)
            .filter((u) => u['active'] !== false),
      );
    },
  },
  {
    name: 'self-grant-names-source-by-name',
    protocol: 'rhodecode',
    says: 'a user group granted on itself by id: the failure names the source by its name, not as sent',
    caughtBy: ['errors'],
    level: 'quirk',
    apply(stages) {
      patch(stages, 'grant_user_group_permission_to_user_group', (original) => (ctx, args) => {
        if (args['usergroupid'] !== args['sourceusergroupid']) return original(ctx, args);
        const group = ctx.state.userGroups.get(Number(args['usergroupid']));
        if (!group) return original(ctx, args);
        throw new RpcError(
          `failed to edit permission for user group: \`${group.name}\` in user group: \`${group.name}\``,
        );
      });
    },
  },
  {
    name: 'update-user-clears-firstname',
    protocol: 'rhodecode',
    says: 'update_user with firstname "" empties the first name (RhodeCode keeps it)',
    caughtBy: ['errors'],
    level: 'quirk',
    apply(stages) {
      patch(stages, 'update_user', (original) => (ctx, args) => {
        const result = original(ctx, args);
        if (args['firstname'] !== '') return result;
        const user = ctx.state.users.get(Number(args['userid']));
        if (user) ctx.state.users.update(user.id, { firstname: '' });
        return user
          ? { ...(result as object), user: ctx.userApi(ctx.state, ctx.state.users.get(user.id)!, true) }
          : result;
      });
    },
  },
  {
    name: 'update-user-drops-null',
    protocol: 'rhodecode',
    says: 'update_user ignores a null lastname or description (RhodeCode writes the null)',
    caughtBy: ['errors'],
    level: 'quirk',
    apply(stages) {
      patch(stages, 'update_user', (original) => (ctx, args) => {
        const kept = Object.fromEntries(
          Object.entries(args).filter(([k, v]) => !(v === null && (k === 'lastname' || k === 'description'))),
        );
        return original(ctx, kept);
      });
    },
  },
  {
    name: 'empty-extern-name-stored',
    protocol: 'rhodecode',
    says: 'create_user stores extern_name/extern_type "" as sent (RhodeCode stores "rhodecode")',
    caughtBy: ['errors'],
    level: 'quirk',
    apply(stages) {
      patch(stages, 'create_user', (original) => (ctx, args) => {
        const result = original(ctx, args) as { msg: string; user: { user_id: number } };
        const blank = (['extern_name', 'extern_type'] as const).filter((k) => args[k] === '');
        if (blank.length === 0) return result;
        const id = result.user.user_id;
        ctx.state.users.update(id, Object.fromEntries(blank.map((k) => [k, ''])));
        return { ...result, user: ctx.userApi(ctx.state, ctx.state.users.get(id)!, true) };
      });
    },
  },
  {
    name: 'case-variant-is-a-new-user',
    protocol: 'rhodecode',
    says: 'create_user makes a new user for a name differing from an existing one only in case',
    caughtBy: ['errors'],
    level: 'quirk',
    apply(stages) {
      patch(stages, 'create_user', (original) => (ctx, args) => {
        const name = args['username'];
        if (typeof name !== 'string') return original(ctx, args);
        const same = ctx.state.users
          .all()
          .find((u) => u.username !== name && u.username.toLowerCase() === name.toLowerCase());
        if (!same || same.username === 'default') return original(ctx, args);
        const user = ctx.state.addUser({
          username: name,
          email: typeof args['email'] === 'string' ? args['email'] : null,
          admin: false,
          active: true,
          firstname: '',
          lastname: '',
        });
        return { msg: `created new user \`${name}\``, user: ctx.userApi(ctx.state, user, true) };
      });
    },
  },
  {
    name: 'similar-methods-literal',
    protocol: 'rhodecode',
    says: 'the parts of an unknown method are matched as text, not as fnmatch globs ("re?oke" finds nothing)',
    caughtBy: ['envelope'],
    level: 'quirk',
    apply(stages) {
      rewriteBody(stages, (body) =>
        body.replace(/("No such method: [^"]*[?*[][^"]*\. Similar methods: )[^"]*"/, '$1none"'),
      );
    },
  },
];
