import { pyEqualsInt, pyTruthy } from '../../../../src/wire/python.js';
import { repoApi } from '../api-data.js';
import { keptGetUser, keptUserList } from '../kept.js';
import { permissionSummary } from '../permissions.js';
import {
  FORBIDDEN,
  getUserOrError,
  given,
  isSuperAdmin,
  RpcError,
  type Args,
  type Procedure,
  type ProcedureContext,
} from '../handler.js';
import type { UserRow } from '../state.js';
import { str2bool, validateUser } from '../validation.js';

/** user_api (rhodecode.md §4.1). */
function requireSuperAdmin(ctx: ProcedureContext): void {
  if (!isSuperAdmin(ctx.caller)) throw new RpcError(FORBIDDEN);
}

/** get_user / get_user_locks: a non-super-admin may only send their own integer id. */
function selfOrSuperAdmin(ctx: ProcedureContext, args: Args): UserRow {
  if (!isSuperAdmin(ctx.caller) && given(args, 'userid') && !pyEqualsInt(args['userid'], ctx.caller.id))
    throw new RpcError('userid is not the same as your user');
  return getUserOrError(ctx.state, given(args, 'userid') ? args['userid'] : ctx.caller.id);
}

function locks(ctx: ProcedureContext, args: Args): unknown[] {
  const secrets = isSuperAdmin(ctx.caller);
  const user = selfOrSuperAdmin(ctx, args);
  return ctx.state.repos
    .all()
    .filter((r) => r.locked !== null && r.locked[0] === user.id)
    .map((r) => repoApi(ctx.state, r, secrets, undefined, ctx.userApi));
}

// null is a missing value to colander (the default applies), not the text "null".
const str = (value: unknown, fallback: string) =>
  typeof value === 'string' ? value : value === undefined || value === null ? fallback : String(value);

export const userProcedures: Readonly<Record<string, Procedure>> = {
  get_user: {
    run(ctx, args) {
      const user = selfOrSuperAdmin(ctx, args);
      return keptGetUser(ctx, user, () => {
        const permissions = permissionSummary(ctx.state, user);
        return { ...ctx.userApi(ctx.state, user, true), permissions, permissions_summary: permissions };
      });
    },
  },
  get_users: {
    run(ctx) {
      requireSuperAdmin(ctx);
      return keptUserList(ctx, () =>
        ctx.state.users
          .all()
          .filter((u) => u.username !== 'default')
          .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0)),
      );
    },
  },
  create_user: {
    run(ctx, args) {
      requireSuperAdmin(ctx);
      const { state } = ctx;
      const username = args['username'];
      const email = args['email'];
      if (typeof username === 'string' && state.users.by('username', username))
        throw new RpcError(`user \`${username}\` already exist`);
      if (typeof email === 'string' && state.users.find('any-email', email.toLowerCase()).length > 0) {
        throw new RpcError(`email \`${email}\` already exist`);
      }
      const valid = validateUser({
        username,
        email,
        active: given(args, 'active') ? args['active'] : true,
        admin: given(args, 'admin') ? args['admin'] : false,
      });
      if ('errors' in valid) throw new RpcError(valid.errors);
      const externName = str(args['extern_name'], 'rhodecode');
      // An external account gets a random password instead of the one sent.
      const password =
        given(args, 'extern_name') && externName !== 'rhodecode'
          ? ctx.state.newToken().slice(0, 16)
          : str(args['password'], '');
      const user = state.addUser({
        username: valid.username,
        email: valid.email,
        admin: valid.admin,
        active: valid.active,
        firstname: str(args['firstname'], ''),
        lastname: str(args['lastname'], ''),
        description: str(args['description'], ''),
        extern_name: externName,
        extern_type: str(args['extern_type'], 'rhodecode'),
        password: password === '' ? null : password,
      });
      // null takes the server default (off in a stock install); strings go through str2bool, others by truthiness.
      const personal = args['create_personal_repo_group'];
      const wantsGroup = typeof personal === 'string' ? str2bool(personal) : pyTruthy(personal);
      if (wantsGroup && !state.repoGroups.by('name', user.username)) {
        state.addRepoGroup({
          name: user.username,
          description: `[personal] repo group: owner \`${user.username}\``,
          ownerId: user.id,
        });
      }
      return { msg: `created new user \`${String(username)}\``, user: ctx.userApi(state, user, true) };
    },
  },
  update_user: {
    run(ctx, args) {
      requireSuperAdmin(ctx);
      const { state } = ctx;
      const user = getUserOrError(state, args['userid']);
      if (user.username === 'default') throw new RpcError('editing default user is forbidden');
      const failed = () => new RpcError(`failed to update user \`${String(args['userid'])}\``);
      const changes: Partial<UserRow> = {};
      for (const [arg, column] of [
        ['username', 'username'],
        ['firstname', 'firstname'],
        ['lastname', 'lastname'],
        ['description', 'description'],
        ['password', 'password'],
      ] as const) {
        const value = args[arg];
        if (value === undefined || value === null) continue;
        if (typeof value !== 'string') throw failed();
        changes[column] = value;
      }
      for (const arg of ['extern_type', 'extern_name'] as const) {
        if (!given(args, arg)) continue;
        const value = args[arg];
        if (value !== null && typeof value !== 'string') throw failed();
        changes[arg] = value === null || value === '' ? 'rhodecode' : value;
      }
      if (typeof args['email'] === 'string') changes.email = args['email'].toLowerCase();
      for (const arg of ['active', 'admin'] as const) {
        const value = args[arg];
        if (value === undefined || value === null) continue;
        if (typeof value !== 'boolean' && value !== 0 && value !== 1) throw failed();
        changes[arg] = Boolean(value);
      }
      const clash = changes.username !== undefined && state.users.by('username', changes.username);
      const emailClash =
        changes.email !== undefined && state.users.find('email', changes.email).some((u) => u.id !== user.id);
      if ((clash && clash.id !== user.id) || emailClash) throw failed();
      const updated = state.users.update(user.id, changes) ?? user;
      return { msg: `updated user ID:${updated.id} ${updated.username}`, user: ctx.userApi(state, updated, true) };
    },
  },
  delete_user: {
    run(ctx, args) {
      requireSuperAdmin(ctx);
      const { state } = ctx;
      const user = getUserOrError(state, args['userid']);
      const owns = [...state.repos.all(), ...state.repoGroups.all(), ...state.userGroups.all()].some(
        (o) => o.ownerId === user.id,
      );
      if (user.username === 'default' || owns)
        throw new RpcError(`failed to delete user ID:${user.id} ${user.username}`);
      state.deleteUser(user.id);
      return { msg: `deleted user ID:${user.id} ${user.username}`, user: null };
    },
  },
  get_user_locks: { run: locks },
  get_locks: { run: locks, deprecatedFor: 'get_user_locks' },
};
