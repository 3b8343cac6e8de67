import { pyStr, pyTruthy } from '../../../../src/wire/python.js';
import { userGroupApi } from '../api-data.js';
import { keptGetGroup, keptGroup } from '../kept.js';
import { globalPermissions, permissionRows } from '../permissions.js';
import {
  FORBIDDEN,
  getPermOrError,
  getUserGroupOrError,
  getUserOrError,
  given,
  holds,
  isSuperAdmin,
  RpcError,
  type Procedure,
  type ProcedureContext,
} from '../handler.js';
import type { UserGroupRow } from '../state.js';
import { text, validateUserGroup } from '../validation.js';

/** user_group_api (rhodecode.md §4.2). Callers without the permission are told the group does not exist. */
function requireOn(
  ctx: ProcedureContext,
  group: UserGroupRow,
  min: 'read' | 'admin',
  sent: unknown,
  prefix = '',
): void {
  if (!holds(ctx, 'usergroup', group.id, min))
    throw new RpcError(`${prefix}user group \`${pyStr(sent)}\` does not exist`);
}

function summary(ctx: ProcedureContext, groupId: number) {
  const { state } = ctx;
  const of = (rel: typeof state.groupPerms.repo, name: (id: number) => string | undefined) =>
    Object.fromEntries(
      rel
        .snapshot()
        .filter((p) => p.right === groupId)
        .map((p) => [name(p.left) ?? '', p.payload]),
    );
  return {
    repositories: of(state.groupPerms.repo, (id) => state.repos.get(id)?.name),
    repositories_groups: of(state.groupPerms.repogroup, (id) => state.repoGroups.get(id)?.name),
  };
}

const api = (ctx: ProcedureContext, group: UserGroupRow, secrets: boolean) =>
  userGroupApi(ctx.state, group, secrets, ctx.userApi);

export const userGroupProcedures: Readonly<Record<string, Procedure>> = {
  get_user_group: {
    run(ctx, args) {
      const group = getUserGroupOrError(ctx.state, args['usergroupid']);
      requireOn(ctx, group, 'read', args['usergroupid']);
      return keptGetGroup(ctx, group, () => ({
        ...api(ctx, group, false),
        permissions: permissionRows(ctx.state, 'usergroup', group.id),
        permissions_summary: summary(ctx, group.id),
      }));
    },
  },
  get_user_groups: {
    run(ctx) {
      const secrets = isSuperAdmin(ctx.caller);
      const visible = ctx.state.userGroups.all().filter((g) => holds(ctx, 'usergroup', g.id, 'read'));
      return visible.map((g) => keptGroup(ctx, g, secrets, () => api(ctx, g, secrets)));
    },
  },
  create_user_group: {
    run(ctx, args) {
      const { state, caller } = ctx;
      const mayCreate = isSuperAdmin(caller) || globalPermissions(state, caller).includes('hg.usergroup.create.true');
      if (!mayCreate) throw new RpcError(FORBIDDEN);
      const name = args['group_name'];
      if (typeof name === 'string' && state.userGroups.by('name', name))
        throw new RpcError(`user group \`${name}\` already exist`);
      const owner = getUserOrError(state, given(args, 'owner') ? args['owner'] : caller.id);
      const valid = validateUserGroup(name, given(args, 'active') ? args['active'] : true);
      if ('errors' in valid) throw new RpcError(valid.errors);
      // UserGroupSchema's user_group_description: colander String, missing ''.
      const description = text(args['description']) ?? '';
      const group = state.addUserGroup({
        name: valid.name,
        description,
        active: valid.active,
        ownerId: owner.id,
        sync: pyTruthy(args['sync']) ? 'manual_api' : null,
      });
      return { msg: `created new user group \`${valid.name}\``, user_group: api(ctx, group, false) };
    },
  },
  update_user_group: {
    run(ctx, args) {
      const { state } = ctx;
      const group = getUserGroupOrError(state, args['usergroupid']);
      requireOn(ctx, group, 'admin', args['usergroupid']);
      const changes: Partial<UserGroupRow> = {};
      if (given(args, 'owner')) changes.ownerId = getUserOrError(state, args['owner']).id;
      const failed = () => new RpcError(`failed to update user group \`${pyStr(args['usergroupid'])}\``);
      if (given(args, 'group_name')) {
        const name = args['group_name'];
        const clash = typeof name === 'string' ? state.userGroups.by('name', name) : undefined;
        // No schema here (rhodecode/api/views/user_group_api.py update_user_group): "" is a name like any
        // other; only the unique constraint refuses one.
        if (typeof name !== 'string' || (clash && clash.id !== group.id)) throw failed();
        changes.name = name;
      }
      if (given(args, 'description'))
        changes.description =
          typeof args['description'] === 'string' ? args['description'] : String(args['description']);
      // The value goes to the nullable Boolean column as sent (UserGroupModel.update): None/True/False/0/1
      // are taken, anything else ("false" too) fails the commit.
      if (given(args, 'active')) {
        const active = args['active'];
        if (active !== null && typeof active !== 'boolean' && active !== 0 && active !== 1) throw failed();
        changes.active = active === null ? null : Boolean(active);
      }
      if (args['sync'] === true) changes.sync = 'manual_api';
      if (args['sync'] === false) changes.sync = null;
      const updated = state.userGroups.update(group.id, changes) ?? group;
      return {
        msg: `updated user group ID:${updated.id} ${updated.name}`,
        user_group: api(ctx, updated, isSuperAdmin(ctx.caller)),
      };
    },
  },
  delete_user_group: {
    run(ctx, args) {
      const { state } = ctx;
      const group = getUserGroupOrError(state, args['usergroupid']);
      requireOn(ctx, group, 'admin', args['usergroupid']);
      const repos = state.groupPerms.repo
        .snapshot()
        .filter((p) => p.right === group.id)
        .map((p) => `<Repository('${p.left}:${state.repos.get(p.left)?.name}')>`);
      const repoGroups = state.groupPerms.repogroup
        .snapshot()
        .filter((p) => p.right === group.id)
        .map((p) => `<RepoGroup('id:${p.left}:${state.repoGroups.get(p.left)?.name}')>`);
      if (repos.length + repoGroups.length > 0)
        throw new RpcError(`UserGroup assigned to ${[...repos, ...repoGroups].join(',')}`);
      state.deleteUserGroup(group.id);
      return { msg: `deleted user group ID:${group.id} ${group.name}`, user_group: null };
    },
  },
  add_user_to_user_group: {
    run(ctx, args) {
      const user = getUserOrError(ctx.state, args['userid']);
      const group = getUserGroupOrError(ctx.state, args['usergroupid']);
      requireOn(ctx, group, 'admin', args['usergroupid']);
      if (ctx.state.members.has(group.id, user.id)) return { success: false, msg: 'User is already in that group' };
      ctx.state.members.set(group.id, user.id, true);
      return { success: true, msg: `added member \`${user.username}\` to user group \`${group.name}\`` };
    },
  },
  remove_user_from_user_group: {
    run(ctx, args) {
      const user = getUserOrError(ctx.state, args['userid']);
      const group = getUserGroupOrError(ctx.state, args['usergroupid']);
      requireOn(ctx, group, 'admin', args['usergroupid']);
      if (!ctx.state.members.delete(group.id, user.id)) return { success: false, msg: "User wasn't in group" };
      return { success: true, msg: `removed member \`${user.username}\` from user group \`${group.name}\`` };
    },
  },
  grant_user_permission_to_user_group: {
    run(ctx, args) {
      const group = getUserGroupOrError(ctx.state, args['usergroupid']);
      requireOn(ctx, group, 'admin', args['usergroupid']);
      const user = getUserOrError(ctx.state, args['userid']);
      const perm = getPermOrError(args['perm'], 'usergroup.');
      ctx.state.userPerms.usergroup.set(group.id, user.id, perm);
      return {
        msg: `Granted perm: \`${perm}\` for user: \`${user.username}\` in user group: \`${group.name}\``,
        success: true,
      };
    },
  },
  revoke_user_permission_from_user_group: {
    run(ctx, args) {
      const group = getUserGroupOrError(ctx.state, args['usergroupid']);
      requireOn(ctx, group, 'admin', args['usergroupid']);
      const user = getUserOrError(ctx.state, args['userid']);
      ctx.state.userPerms.usergroup.delete(group.id, user.id);
      return { msg: `Revoked perm for user: \`${user.username}\` in user group: \`${group.name}\``, success: true };
    },
  },
  grant_user_group_permission_to_user_group: {
    run(ctx, args) {
      const source = getUserGroupOrError(ctx.state, args['sourceusergroupid']);
      const target = getUserGroupOrError(ctx.state, args['usergroupid']);
      const perm = getPermOrError(args['perm'], 'usergroup.');
      requireOn(ctx, target, 'admin', args['usergroupid'], 'to ');
      requireOn(ctx, source, 'read', args['sourceusergroupid']);
      // UserGroupModel.update_permissions refuses a group on itself; the API words it as a failed edit.
      // The message names the source as it was sent (rhodecode/api/views/user_group_api.py).
      if (source.id === target.id)
        throw new RpcError(
          `failed to edit permission for user group: \`${pyStr(args['sourceusergroupid'])}\` in user group: \`${target.name}\``,
        );
      ctx.state.groupPerms.usergroup.set(target.id, source.id, perm);
      return {
        msg: `Granted perm: \`${perm}\` for user group: \`${source.name}\` in user group: \`${target.name}\``,
        success: true,
      };
    },
  },
  revoke_user_group_permission_from_user_group: {
    run(ctx, args) {
      const source = getUserGroupOrError(ctx.state, args['sourceusergroupid']);
      const target = getUserGroupOrError(ctx.state, args['usergroupid']);
      requireOn(ctx, target, 'admin', args['usergroupid'], 'to ');
      requireOn(ctx, source, 'read', args['sourceusergroupid']);
      ctx.state.groupPerms.usergroup.delete(target.id, source.id);
      return {
        msg: `Revoked perm for user group: \`${source.name}\` in user group: \`${target.name}\``,
        success: true,
      };
    },
  },
};
