import { nameOrder } from '../../../../src/protocols/kanboard/variants.js';
import { orderedObject } from '../../../../src/wire/ordered-json.js';
import type { Procedure, ProcedureContext } from '../handler.js';
import { userOut } from '../database.js';
import type { ProjectRow } from '../state.js';
import { formatProject } from './projects.js';

/** MeProcedure: the caller's own session row, without secrets (UserSession::initialize), and its projects. */
const CLASS = 'MeProcedure';

/**
 * ProjectUserRoleModel::getProjectsByUser: the projects the caller is a member of, directly or through a
 * group, direct ones first (`$userProjects + $groupProjects`). The application API (reaching these through a
 * name spelled in another case) has no session user: user id 0, a member of nothing.
 */
function projectsOf(ctx: ProcedureContext, activeOnly: boolean): ProjectRow[] {
  if (ctx.caller.kind !== 'user') return [];
  const { state } = ctx;
  const userId = ctx.caller.user.id;
  const ids = [...state.projectUsers.leftsOf(userId)].sort((a, b) => a - b);
  const viaGroups = state.groupMembers
    .leftsOf(userId)
    .flatMap((groupId) => state.projectGroups.leftsOf(groupId))
    .sort((a, b) => a - b);
  for (const id of viaGroups) if (!ids.includes(id)) ids.push(id);
  return ids
    .map((id) => state.projects.get(id))
    .filter((p): p is ProjectRow => p !== undefined && (!activeOnly || p.is_active === 1));
}

/** A PHP 8 numeric string (leading and trailing whitespace allowed). */
const NUMERIC = /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/;

/** asort()'s SORT_REGULAR on two strings: numerically when both are numeric, else byte by byte. */
function phpCompare(a: string, b: string): number {
  if (NUMERIC.test(a) && NUMERIC.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export const meProcedures: Readonly<Record<string, Procedure>> = {
  getMe: {
    className: CLASS,
    run: (ctx) => {
      if (ctx.caller.kind !== 'user') return null;
      // unset() only where isset(): a null twofactor_secret stays; PostgreSQL/MySQL have no admin columns to unset.
      const { password: _p, is_admin: _a, is_project_admin: _pa, ...row } = ctx.caller.user;
      const session: Record<string, unknown> = {
        ...userOut(ctx.state.db, row),
        // (int) and (bool) casts: numbers and booleans on every PHP.
        id: row.id,
        is_ldap_user: row.is_ldap_user === 1,
        twofactor_activated: row.twofactor_activated === 1,
      };
      if (row.twofactor_secret !== null) delete session['twofactor_secret'];
      return session;
    },
  },
  // kanboard/python-api-client's README logs in as a user with exactly this call: kb.get_my_projects().
  getMyProjects: {
    className: CLASS,
    // getActiveProjectIds, then ProjectModel::getAllByIds: ORDER BY name; each through ProjectApiFormatter.
    run: (ctx) =>
      projectsOf(ctx, true)
        .sort((a, b) => nameOrder(ctx.state.db)(a.name, b.name) || a.id - b.id)
        .map((p) => formatProject(ctx.state.db, p)),
  },
  getMyProjectsList: {
    className: CLASS,
    // `(object)` of id → name, asort()ed: always a JSON object, "9" before "10".
    run: (ctx) => {
      const projects = projectsOf(ctx, false);
      // Array.prototype.sort is stable, as PHP 8's sort is: equal names keep their order.
      projects.sort((a, b) => phpCompare(a.name, b.name));
      return orderedObject(projects.map((p) => [String(p.id), p.name] as const));
    },
  },
};
