import { pyEqualsInt, pyStr, pyTruthy } from '../../../../src/wire/python.js';
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
import { str2bool, text, validateUser } from '../validation.js';

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
      // UserSchema's String nodes (missing ''), then create_or_update's `extern_name or 'rhodecode'`
      // (rhodecode/api/views/user_api.py create_user, rhodecode/model/user.py create_or_update).
      const field = (name: string, fallback: string) => (given(args, name) ? (text(args[name]) ?? '') : fallback);
      const externName = field('extern_name', 'rhodecode') || 'rhodecode';
      const externType = field('extern_type', 'rhodecode') || 'rhodecode';
      // An extern_name sent and not exactly "rhodecode" (null and "" too) gets a random password instead.
      const password =
        given(args, 'extern_name') && args['extern_name'] !== 'rhodecode'
          ? ctx.state.newToken().slice(0, 16)
          : field('password', '');
      const values = {
        username: valid.username,
        email: valid.email.toLowerCase(),
        admin: valid.admin,
        active: valid.active,
        firstname: field('firstname', ''),
        lastname: field('lastname', ''),
        description: field('description', ''),
        extern_name: externName,
        extern_type: externType,
      };
      const failed = () => new RpcError(`failed to create user \`${pyStr(username)}\``);
      // create_or_update looks the name up case-insensitively: a user whose name differs only in case is
      // updated in place (no new token, no personal group) and the answer still says "created".
      // The first of them in table order, as the query's .first() (ids only grow).
      const existing = state.users.find('folded-name', valid.username.toLowerCase()).sort((a, b) => a.id - b.id)[0];
      if (existing) {
        if (existing.username === 'default') throw failed();
        const changedPassword = existing.password !== null && existing.password !== password;
        const updated =
          state.users.update(existing.id, {
            ...values,
            ...(changedPassword ? { password: password === '' ? null : password } : {}),
          }) ?? existing;
        return { msg: `created new user \`${pyStr(username)}\``, user: ctx.userApi(state, updated, true) };
      }
      const user = state.addUser({ ...values, password: password === '' ? null : password });
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
      return { msg: `created new user \`${pyStr(username)}\``, user: ctx.userApi(state, user, true) };
    },
  },
  update_user: {
    run(ctx, args) {
      requireSuperAdmin(ctx);
      const { state } = ctx;
      const user = getUserOrError(state, args['userid']);
      if (user.username === 'default') throw new RpcError('editing default user is forbidden');
      const failed = () => new RpcError(`failed to update user \`${pyStr(args['userid'])}\``);
      const changes: Partial<UserRow> = {};
      // store_update keeps every argument sent, null included (rhodecode/api/utils.py), and
      // UserModel.update_user then writes it, except firstname, which travels as `name` and is dropped
      // when falsy (rhodecode/model/user.py update_user). username null is not modelled (the column allows it).
      const value = (arg: string) => args[arg];
      if (given(args, 'username') && value('username') !== null) {
        if (typeof value('username') !== 'string') throw failed();
        changes.username = value('username') as string;
      }
      if (pyTruthy(value('firstname'))) {
        if (typeof value('firstname') !== 'string') throw failed();
        changes.firstname = value('firstname') as string;
      }
      for (const arg of ['lastname', 'description'] as const) {
        if (!given(args, arg)) continue;
        const v = value(arg);
        if (v !== null && typeof v !== 'string') throw failed();
        changes[arg] = v as string | null;
      }
      if (given(args, 'email')) {
        const v = value('email');
        if (v !== null && typeof v !== 'string') throw failed();
        changes.email = typeof v === 'string' && v !== '' ? v.toLowerCase() : null;
      }
      // create_or_update's _password_change: a user without a password keeps none; otherwise a different
      // value replaces it, and an empty one (or null) clears it.
      if (given(args, 'password') && user.password !== null) {
        const v = value('password');
        if (v !== null && typeof v !== 'string') throw failed();
        if (v !== user.password) changes.password = v === '' || v === null ? null : (v as string);
      }
      for (const arg of ['extern_type', 'extern_name'] as const) {
        if (!given(args, arg)) continue;
        const value = args[arg];
        if (value !== null && typeof value !== 'string') throw failed();
        changes[arg] = value === null || value === '' ? 'rhodecode' : value;
      }
      // SQLAlchemy's Boolean takes True/False/0/1 only; anything else fails the commit. (null would be
      // written as NULL; not modelled: the row's flags stay booleans.)
      for (const arg of ['active', 'admin'] as const) {
        const value = args[arg];
        if (value === undefined || value === null) continue;
        if (typeof value !== 'boolean' && value !== 0 && value !== 1) throw failed();
        changes[arg] = Boolean(value);
      }
      const clash = changes.username !== undefined && state.users.by('username', changes.username);
      const emailClash =
        typeof changes.email === 'string' && state.users.find('email', changes.email).some((u) => u.id !== user.id);
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
