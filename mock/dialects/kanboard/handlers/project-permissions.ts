import { orderedObject } from '../../../../src/wire/ordered-json.js';
import type { KanboardState, UserRow } from '../state.js';
import {
  boundText,
  phpTruthy,
  projectRoleOf,
  requireProjectRole,
  sqlId,
  type Procedure,
  type ProcedureContext,
} from '../handler.js';
import { checkUpdateLengths, insertedRow, nullInUpdate, sqlText } from '../database.js';
import { nameOrder } from '../../../../src/protocols/kanboard/variants.js';

/**
 * ProjectPermissionProcedure (kanboard.md §6 Project permissions). The project role check runs inside
 * each procedure, after parameter binding. Maps are user id → display name, sorted by display name,
 * always a JSON object; roles are stored without any check.
 */
const CLASS = 'ProjectPermissionProcedure';

const displayName = (u: UserRow) => (u.name ? u.name : u.username);

/** Users with a role on the project, directly or through a group, with the roles that reach them. */
function membersWithRoles(state: KanboardState, projectId: number): Map<number, string[]> {
  const members = new Map<number, string[]>();
  const add = (userId: number, role: string) => members.set(userId, [...(members.get(userId) ?? []), role]);
  for (const userId of state.projectUsers.rightsOf(projectId))
    add(userId, state.projectUsers.get(projectId, userId) ?? '');
  for (const groupId of state.projectGroups.rightsOf(projectId)) {
    const role = state.projectGroups.get(projectId, groupId) ?? '';
    for (const userId of state.groupMembers.rightsOf(groupId)) add(userId, role);
  }
  return members;
}

function userMap(
  state: KanboardState,
  userIds: Iterable<number>,
  prepend: readonly (readonly [string, string | null])[] = [],
) {
  const users = [...userIds].map((id) => state.users.get(id)).filter((u) => u !== undefined);
  users.sort((a, b) => nameOrder(state.db)(displayName(a), displayName(b)));
  return orderedObject([...prepend, ...users.map((u) => [String(u.id), displayName(u)] as const)]);
}

/**
 * The ids as the database reads them. `order`: each name's parameter number in the statement PostgreSQL names
 * in its 22P02 error (read from a real server); the lowest bad one is reported. Default: their order here.
 */
function ids(
  ctx: ProcedureContext,
  args: Readonly<Record<string, unknown>>,
  names: readonly string[],
  order: readonly number[] = names.map((_, i) => i + 1),
): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (const i of names.map((_, i) => i).sort((a, b) => order[a]! - order[b]!))
    out[i] = sqlId(ctx, args[names[i]!], order[i]);
  return out;
}

/** `UPDATE … SET role = NULL` on a row that exists: PostgreSQL's 23502 (the row in table order), else false. */
function refuseNull(ctx: ProcedureContext, table: string, row: Record<string, unknown>): false {
  const error = nullInUpdate(ctx.state.db, table, 'role', row);
  if (error) throw error;
  return false;
}

export const projectPermissionProcedures: Readonly<Record<string, Procedure>> = {
  getProjectUsers: {
    className: CLASS,
    run: (ctx, args) => {
      requireProjectRole(ctx, args['project_id'], 'project-viewer');
      const [projectId] = ids(ctx, args, ['project_id']);
      if (projectId === undefined) return userMap(ctx.state, []);
      // The LEFT JOIN of a group without members yields a row of nulls: the entry "": null, first (every database).
      const emptyGroup = ctx.state.projectGroups
        .rightsOf(projectId)
        .some((g) => ctx.state.groupMembers.rightsOf(g).length === 0);
      return userMap(ctx.state, membersWithRoles(ctx.state, projectId).keys(), emptyGroup ? [['', null]] : []);
    },
  },
  getAssignableUsers: {
    className: CLASS,
    run: (ctx, args) => {
      requireProjectRole(ctx, args['project_id'], 'project-viewer');
      const [projectId] = ids(ctx, args, ['project_id'], [2]);
      const assignable: number[] = [];
      if (projectId !== undefined) {
        for (const [userId, roles] of membersWithRoles(ctx.state, projectId)) {
          if (ctx.state.users.get(userId)?.is_active === 1 && roles.some((r) => r !== 'project-viewer'))
            assignable.push(userId);
        }
      }
      return userMap(ctx.state, assignable, phpTruthy(args['prepend_unassigned']) ? [['0', 'Unassigned']] : []);
    },
  },
  addProjectUser: {
    className: CLASS,
    run: (ctx, args) => {
      requireProjectRole(ctx, args['project_id'], 'project-manager');
      // INSERT INTO project_has_users (user_id, project_id, role): a null (the role too) fails on NOT NULL.
      const row = insertedRow(
        ctx.state.db,
        'project_has_users',
        [
          ['user_id', args['user_id'], 'integer'],
          ['project_id', args['project_id'], 'integer'],
          ['role', args['role'], 'text'],
        ],
        ['project_id', 'user_id', 'role'],
      );
      if (!row) return false;
      const projectId = row['project_id'] as number;
      const userId = row['user_id'] as number;
      if (
        !ctx.state.projects.get(projectId) ||
        !ctx.state.users.get(userId) ||
        ctx.state.projectUsers.has(projectId, userId)
      )
        return false;
      ctx.state.projectUsers.set(projectId, userId, row['role'] as string);
      return true;
    },
  },
  addProjectGroup: {
    className: CLASS,
    run: (ctx, args) => {
      requireProjectRole(ctx, args['project_id'], 'project-manager');
      // INSERT INTO project_has_groups (group_id, project_id, role).
      const row = insertedRow(
        ctx.state.db,
        'project_has_groups',
        [
          ['group_id', args['group_id'], 'integer'],
          ['project_id', args['project_id'], 'integer'],
          ['role', args['role'], 'text'],
        ],
        ['group_id', 'project_id', 'role'],
      );
      if (!row) return false;
      const projectId = row['project_id'] as number;
      const groupId = row['group_id'] as number;
      if (
        !ctx.state.projects.get(projectId) ||
        !ctx.state.groups.get(groupId) ||
        ctx.state.projectGroups.has(projectId, groupId)
      )
        return false;
      ctx.state.projectGroups.set(projectId, groupId, row['role'] as string);
      return true;
    },
  },
  removeProjectUser: {
    className: CLASS,
    run: (ctx, args) => {
      requireProjectRole(ctx, args['project_id'], 'project-manager');
      const [projectId, userId] = ids(ctx, args, ['project_id', 'user_id'], [2, 1]);
      return projectId !== undefined && userId !== undefined && ctx.state.projectUsers.delete(projectId, userId);
    },
  },
  removeProjectGroup: {
    className: CLASS,
    run: (ctx, args) => {
      requireProjectRole(ctx, args['project_id'], 'project-manager');
      const [projectId, groupId] = ids(ctx, args, ['project_id', 'group_id'], [2, 1]);
      return projectId !== undefined && groupId !== undefined && ctx.state.projectGroups.delete(projectId, groupId);
    },
  },
  changeProjectUserRole: {
    className: CLASS,
    run: (ctx, args) => {
      requireProjectRole(ctx, args['project_id'], 'project-manager');
      // UPDATE ... SET role = $1 WHERE user_id = $2 AND project_id = $3.
      const [projectId, userId] = ids(ctx, args, ['project_id', 'user_id'], [3, 2]);
      // An UPDATE that matches no row still succeeds.
      const role = args['role'] === null ? null : sqlText(ctx.state.db, boundText(args['role']));
      const matched = projectId !== undefined && userId !== undefined && ctx.state.projectUsers.has(projectId, userId);
      checkUpdateLengths(ctx.state.db, 'project_has_users', [['role', role]], matched);
      if (matched) {
        // SET role = NULL on a row that exists: the NOT NULL constraint fails the UPDATE.
        if (role === null)
          return refuseNull(ctx, 'project_has_users', { project_id: projectId, user_id: userId, role: null });
        ctx.state.projectUsers.set(projectId!, userId!, role);
      }
      return true;
    },
  },
  changeProjectGroupRole: {
    className: CLASS,
    run: (ctx, args) => {
      requireProjectRole(ctx, args['project_id'], 'project-manager');
      const [projectId, groupId] = ids(ctx, args, ['project_id', 'group_id'], [3, 2]);
      const role = args['role'] === null ? null : sqlText(ctx.state.db, boundText(args['role']));
      const matched =
        projectId !== undefined && groupId !== undefined && ctx.state.projectGroups.has(projectId, groupId);
      checkUpdateLengths(ctx.state.db, 'project_has_groups', [['role', role]], matched);
      if (matched) {
        if (role === null)
          return refuseNull(ctx, 'project_has_groups', { group_id: groupId, project_id: projectId, role: null });
        ctx.state.projectGroups.set(projectId!, groupId!, role);
      }
      return true;
    },
  },
  getProjectUserRole: {
    className: CLASS,
    run: (ctx, args) => {
      requireProjectRole(ctx, args['project_id'], 'project-viewer');
      const [projectId, userId] = ids(ctx, args, ['project_id', 'user_id'], [2, 1]);
      const role = projectId === undefined || userId === undefined ? '' : projectRoleOf(ctx.state, projectId, userId);
      // No role: "" from 1.2.36 on, null before (variants.ts ReleaseForm.noRoleAnswer).
      return role === '' ? ctx.state.db.release.noRoleAnswer : role;
    },
  },
};
