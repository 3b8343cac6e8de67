import { pyEqualsInt, pyStr } from '../../../../src/wire/python.js';
import { repoApi, repoGroupApi } from '../api-data.js';
import { globalPermissions, permissionRows } from '../permissions.js';
import {
  getPermOrError,
  getRepoGroupOrError,
  getRepoOrError,
  getUserGroupOrError,
  getUserOrError,
  given,
  holds,
  isSuperAdmin,
  RpcError,
  type Args,
  type Procedure,
  type ProcedureContext,
} from '../handler.js';
import {
  formatDatetime,
  pyFloatStr,
  type ObjectKind,
  type RepoGroupRow,
  type RepoRow,
  type UserRow,
} from '../state.js';
import { str2bool, stringBool, text } from '../validation.js';

/**
 * repo_api and repo_group_api: the support methods (create, read, delete) and the user / user-group
 * permission methods (rhodecode.md §4.3, §4.4). Callers without the permission are told the object does
 * not exist.
 */
const WORDS: Readonly<Record<ObjectKind, string>> = {
  usergroup: 'user group',
  repo: 'repository',
  repogroup: 'repository group',
};

function requireOn(ctx: ProcedureContext, kind: ObjectKind, id: number, min: 'read' | 'admin', sent: unknown): void {
  if (!holds(ctx, kind, id, min)) throw new RpcError(`${WORDS[kind]} \`${pyStr(sent)}\` does not exist`);
}

/** validate_set_owner_permissions: only a super-admin may name an owner. */
function ownerFor(ctx: ProcedureContext, args: Args): UserRow {
  if (!given(args, 'owner')) return ctx.caller;
  if (!isSuperAdmin(ctx.caller)) throw new RpcError('Only RhodeCode super-admin can specify `owner` param');
  return getUserOrError(ctx.state, args['owner']);
}

const lastSegment = (name: string) => name.split('/').pop() ?? name;
const recursion = (args: Args) => pyStr(given(args, 'apply_to_children') ? args['apply_to_children'] : 'none');
const REPO_TYPES = ['hg', 'git', 'svn'];

function repoGroupOf(ctx: ProcedureContext, group: RepoGroupRow) {
  return repoGroupApi(ctx.state, group);
}

function flag(args: Args, name: string, fallback: boolean, errors: Record<string, string>, field: string): boolean {
  if (!given(args, name)) return fallback;
  const value = stringBool(args[name]);
  if ('error' in value) errors[field] = value.error;
  return 'value' in value ? value.value : fallback;
}

export const repoProcedures: Readonly<Record<string, Procedure>> = {
  create_repo: {
    run(ctx, args) {
      const { state } = ctx;
      const owner = ownerFor(ctx, args);
      const errors: Record<string, string> = {};
      const name = typeof args['repo_name'] === 'string' ? args['repo_name'].replace(/^\/+|\/+$/g, '') : '';
      const type = args['repo_type'];
      if (name === '') errors['repo_name'] = 'Required';
      if (typeof type !== 'string' || !REPO_TYPES.includes(type))
        errors['repo_type'] = `"${pyStr(type)}" is not one of ${REPO_TYPES.join(', ')}`;
      const isPrivate = flag(args, 'private', false, errors, 'repo_private');
      // RepoSchema validates in three passes, each stopping the call (repo_schema.py): the fields, then
      // the place (a missing parent and one without rights both "do not exist"; write is enough where
      // hg.create.write_on_repogroup.true), then the name's uniqueness.
      if (Object.keys(errors).length > 0) throw new RpcError(errors);
      const parentName = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : undefined;
      const parent = parentName === undefined ? undefined : state.repoGroups.by('name', parentName);
      const canWrite = (id: number) =>
        holds(ctx, 'repogroup', id, 'admin') ||
        (globalPermissions(state, ctx.caller).includes('hg.create.write_on_repogroup.true') &&
          ctx.permission(ctx.caller, 'repogroup', id) === 'group.write');
      if (parentName !== undefined && (!parent || !canWrite(parent.id)))
        throw new RpcError({ repo_group: `Repository group \`${parentName}\` does not exist` });
      if (
        !parent &&
        !isSuperAdmin(ctx.caller) &&
        !globalPermissions(state, ctx.caller).includes('hg.create.repository')
      )
        throw new RpcError({ repo_name: 'You do not have the permission to store repositories in the root location.' });
      if (state.repos.by('name', name))
        throw new RpcError({ unique_repo_name: `Repository with name \`${name}\` already exists` });
      if (state.repoGroups.by('name', name))
        throw new RpcError({ unique_repo_name: `Repository group with name \`${name}\` already exists` });
      const description = text(args['description']) ?? '';
      state.addRepo({ name, type: String(type), private: isPrivate, description, ownerId: owner.id }, ctx.now());
      return { msg: `Created new repository \`${name}\``, success: true, task: null };
    },
  },
  get_repo: {
    run(ctx, args) {
      const repo = getRepoOrError(ctx.state, args['repoid']);
      requireOn(ctx, 'repo', repo.id, 'read', args['repoid']);
      const secrets = isSuperAdmin(ctx.caller);
      const owner = ctx.state.users.get(repo.ownerId);
      return {
        ...repoApi(ctx.state, repo, secrets, undefined, ctx.userApi),
        permissions: permissionRows(ctx.state, 'repo', repo.id),
        followers: owner ? [ctx.userApi(ctx.state, owner, secrets)] : [],
      };
    },
  },
  delete_repo: {
    run(ctx, args) {
      const repo = getRepoOrError(ctx.state, args['repoid']);
      requireOn(ctx, 'repo', repo.id, 'admin', args['repoid']);
      ctx.state.deleteRepo(repo.id);
      return { msg: `Deleted repository \`${repo.name}\``, success: true };
    },
  },
  grant_user_permission: {
    run(ctx, args) {
      const repo = getRepoOrError(ctx.state, args['repoid']);
      const user = getUserOrError(ctx.state, args['userid']);
      const perm = getPermOrError(args['perm']);
      requireOn(ctx, 'repo', repo.id, 'admin', args['repoid']);
      ctx.state.userPerms.repo.set(repo.id, user.id, perm);
      return {
        msg: `Granted perm: \`${perm}\` for user: \`${user.username}\` in repo: \`${repo.name}\``,
        success: true,
      };
    },
  },
  revoke_user_permission: {
    run(ctx, args) {
      const repo = getRepoOrError(ctx.state, args['repoid']);
      const user = getUserOrError(ctx.state, args['userid']);
      requireOn(ctx, 'repo', repo.id, 'admin', args['repoid']);
      ctx.state.userPerms.repo.delete(repo.id, user.id);
      return { msg: `Revoked perm for user: \`${user.username}\` in repo: \`${repo.name}\``, success: true };
    },
  },
  grant_user_group_permission: {
    run(ctx, args) {
      const repo = getRepoOrError(ctx.state, args['repoid']);
      const perm = getPermOrError(args['perm']);
      requireOn(ctx, 'repo', repo.id, 'admin', args['repoid']);
      const group = getUserGroupOrError(ctx.state, args['usergroupid']);
      requireOn(ctx, 'usergroup', group.id, 'read', args['usergroupid']);
      ctx.state.groupPerms.repo.set(repo.id, group.id, perm);
      return {
        msg: `Granted perm: \`${perm}\` for user group: \`${group.name}\` in repo: \`${repo.name}\``,
        success: true,
      };
    },
  },
  revoke_user_group_permission: {
    run(ctx, args) {
      const repo = getRepoOrError(ctx.state, args['repoid']);
      requireOn(ctx, 'repo', repo.id, 'admin', args['repoid']);
      const group = getUserGroupOrError(ctx.state, args['usergroupid']);
      requireOn(ctx, 'usergroup', group.id, 'read', args['usergroupid']);
      ctx.state.groupPerms.repo.delete(repo.id, group.id);
      return { msg: `Revoked perm for user group: \`${group.name}\` in repo: \`${repo.name}\``, success: true };
    },
  },
  create_repo_group: {
    run(ctx, args) {
      const { state } = ctx;
      const owner = ownerFor(ctx, args);
      const name = typeof args['group_name'] === 'string' ? args['group_name'].replace(/^\/+|\/+$/g, '') : '';
      if (name === '') throw new RpcError({ repo_group_name: 'Required' });
      const parentName = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : undefined;
      const parent = parentName === undefined ? undefined : state.repoGroups.by('name', parentName);
      if (parentName !== undefined && !parent)
        throw new RpcError({ repo_group: `Parent repository group \`${parentName}\` does not exist` });
      // Without group.admin on the parent, the parent is said not to exist (repo_group_schema.py:
      // permission_denied_parent_group, "to prevent resource discovery").
      if (parent && !holds(ctx, 'repogroup', parent.id, 'admin'))
        throw new RpcError({ repo_group: `Parent repository group \`${parent.name}\` does not exist` });
      if (
        !parent &&
        !isSuperAdmin(ctx.caller) &&
        !globalPermissions(state, ctx.caller).includes('hg.repogroup.create.true')
      ) {
        throw new RpcError({
          repo_group: 'You do not have the permission to store repository groups in the root location.',
        });
      }
      if (state.repos.by('name', name))
        throw new RpcError({ unique_repo_group_name: `Repository with name \`${name}\` already exists` });
      if (state.repoGroups.by('name', name))
        throw new RpcError({ unique_repo_group_name: `Repository group with name \`${name}\` already exists` });
      const description = typeof args['description'] === 'string' ? args['description'] : '';
      const group = state.addRepoGroup({ name, description, ownerId: owner.id });
      return { msg: `Created new repo group \`${name}\``, repo_group: repoGroupOf(ctx, group) };
    },
  },
  get_repo_group: {
    run(ctx, args) {
      const group = getRepoGroupOrError(ctx.state, args['repogroupid']);
      requireOn(ctx, 'repogroup', group.id, 'read', args['repogroupid']);
      return { ...repoGroupOf(ctx, group), permissions: permissionRows(ctx.state, 'repogroup', group.id) };
    },
  },
  delete_repo_group: {
    run(ctx, args) {
      const group = getRepoGroupOrError(ctx.state, args['repogroupid']);
      requireOn(ctx, 'repogroup', group.id, 'admin', args['repogroupid']);
      if (ctx.state.repos.all().some((r: RepoRow) => r.name.startsWith(`${group.name}/`)))
        throw new RpcError(`failed to delete repo group ID:${group.id} ${group.name}`);
      ctx.state.deleteRepoGroup(group.id);
      return { msg: `deleted repo group ID:${group.id} ${group.name}`, repo_group: null };
    },
  },
  grant_user_permission_to_repo_group: {
    run(ctx, args) {
      const group = getRepoGroupOrError(ctx.state, args['repogroupid']);
      requireOn(ctx, 'repogroup', group.id, 'admin', args['repogroupid']);
      const user = getUserOrError(ctx.state, args['userid']);
      const perm = getPermOrError(args['perm'], 'group.');
      ctx.state.userPerms.repogroup.set(group.id, user.id, perm);
      return {
        msg: `Granted perm: \`${perm}\` (recursive:${recursion(args)}) for user: \`${user.username}\` in repo group: \`${lastSegment(group.name)}\``,
        success: true,
      };
    },
  },
  revoke_user_permission_from_repo_group: {
    run(ctx, args) {
      const group = getRepoGroupOrError(ctx.state, args['repogroupid']);
      requireOn(ctx, 'repogroup', group.id, 'admin', args['repogroupid']);
      const user = getUserOrError(ctx.state, args['userid']);
      ctx.state.userPerms.repogroup.delete(group.id, user.id);
      return {
        msg: `Revoked perm (recursive:${recursion(args)}) for user: \`${user.username}\` in repo group: \`${lastSegment(group.name)}\``,
        success: true,
      };
    },
  },
  grant_user_group_permission_to_repo_group: {
    run(ctx, args) {
      const group = getRepoGroupOrError(ctx.state, args['repogroupid']);
      const perm = getPermOrError(args['perm'], 'group.');
      const userGroup = getUserGroupOrError(ctx.state, args['usergroupid']);
      requireOn(ctx, 'repogroup', group.id, 'admin', args['repogroupid']);
      requireOn(ctx, 'usergroup', userGroup.id, 'read', args['usergroupid']);
      ctx.state.groupPerms.repogroup.set(group.id, userGroup.id, perm);
      return {
        msg: `Granted perm: \`${perm}\` (recursive:${recursion(args)}) for user group: \`${userGroup.name}\` in repo group: \`${lastSegment(group.name)}\``,
        success: true,
      };
    },
  },
  revoke_user_group_permission_from_repo_group: {
    run(ctx, args) {
      const group = getRepoGroupOrError(ctx.state, args['repogroupid']);
      const userGroup = getUserGroupOrError(ctx.state, args['usergroupid']);
      requireOn(ctx, 'repogroup', group.id, 'admin', args['repogroupid']);
      requireOn(ctx, 'usergroup', userGroup.id, 'read', args['usergroupid']);
      ctx.state.groupPerms.repogroup.delete(group.id, userGroup.id);
      return {
        msg: `Revoked perm (recursive:${recursion(args)}) for user group: \`${userGroup.name}\` in repo group: \`${lastSegment(group.name)}\``,
        success: true,
      };
    },
  },
};

/** lock (repo_api): show the lock, or set it for a user; write or admin on the repository needed. */
export const lockProcedure: Procedure = {
  run(ctx, args) {
    const { state } = ctx;
    const repo = getRepoOrError(state, args['repoid']);
    if (!isSuperAdmin(ctx.caller)) {
      const perm = ctx.permission(ctx.caller, 'repo', repo.id);
      if (!['repository.write', 'repository.admin'].includes(perm))
        throw new RpcError(`repository \`${pyStr(args['repoid'])}\` does not exist`);
      if (given(args, 'userid') && !pyEqualsInt(args['userid'], ctx.caller.id))
        throw new RpcError('userid is not the same as your user');
    }
    const user = getUserOrError(state, given(args, 'userid') ? args['userid'] : ctx.caller.id);
    if (!given(args, 'locked')) {
      if (!repo.locked)
        return {
          repo: repo.name,
          locked: false,
          locked_since: null,
          locked_by: null,
          lock_reason: null,
          lock_state_changed: false,
          msg: `Repo \`${repo.name}\` not locked.`,
        };
      // As the source has it: the time as stored (a string), and the user named by userid (or the
      // caller), not the lock's holder (rhodecode/api/views/repo_api.py lock).
      const [, time, reason] = repo.locked;
      return {
        repo: repo.name,
        locked: true,
        locked_since: pyFloatStr(time),
        locked_by: user.username,
        lock_reason: reason,
        lock_state_changed: false,
        msg: `Repo \`${repo.name}\` locked by \`${user.username}\` on \`"${formatDatetime(new Date(Math.round(time * 1000)))}"\`.`,
      };
    }
    // rhodecode.lib.utils2.str2bool: None is False, True/False (and 0/1) as they are, else the words.
    const sent = args['locked'];
    const locked =
      sent === null || sent === undefined
        ? false
        : typeof sent === 'boolean' || sent === 0 || sent === 1
          ? sent
          : str2bool(pyStr(sent));
    const time = ctx.now().getTime() / 1000;
    // The lock keeps the time as Python 2 writes it into the column (12 significant digits).
    state.repos.update(repo.id, { locked: locked ? [user.id, Number(pyFloatStr(time)), 'lock_api'] : null });
    return {
      repo: repo.name,
      locked,
      locked_since: locked ? time : null,
      locked_by: user.username,
      lock_reason: 'lock_api',
      lock_state_changed: true,
      msg: `User \`${user.username}\` set lock state for repo \`${repo.name}\` to \`${locked ? (locked === 1 ? '1' : 'True') : locked === 0 ? '0' : 'False'}\``,
    };
  },
};
