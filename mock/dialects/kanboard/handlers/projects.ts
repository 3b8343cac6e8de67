import { newProjectRow, type ProjectRow } from '../state.js';
import { boundText, phpEmpty, phpString, requireProjectRole, sqlId, type Procedure } from '../handler.js';
import { projectOut, sqlText, storedInteger } from '../database.js';
import { nameOrder, type DatabaseForm } from '../../../../src/protocols/kanboard/variants.js';

/** The ProjectProcedure calls the suites use to arrange state (kanboard.md §4). */
const CLASS = 'ProjectProcedure';
const bound = (value: unknown): string | null => (value === null || value === undefined ? null : boundText(value));

export function formatProject(db: DatabaseForm, p: ProjectRow) {
  // UrlHelper::base(): application_url, unset on an install, else http://localhost/.
  const base = `http://localhost/?controller=`;
  return {
    ...projectOut(db, p),
    url: {
      board: `${base}BoardViewController&action=show&project_id=${p.id}`,
      list: `${base}TaskListController&action=show&project_id=${p.id}`,
    },
  };
}

export const projectProcedures: Readonly<Record<string, Procedure>> = {
  createProject: {
    className: CLASS,
    run: (ctx, args) => {
      const name = phpString(args['name']);
      // Required('name'): "" and null fail; "   " passes (nothing trims it).
      if (name === null || name === '') return false;
      // Only the integer 0 means "the caller" (a strict ===); any other non-empty owner must exist.
      let ownerId = 0;
      if (args['owner_id'] === 0 && ctx.caller.kind === 'user') ownerId = ctx.caller.user.id;
      else if (!phpEmpty(args['owner_id'])) {
        const id = sqlId(ctx, args['owner_id']);
        if (id === undefined || !ctx.state.users.get(id)) return false;
        // The INSERT then stores the text as given (MariaDB's strict mode refuses '1abc' there).
        ownerId = storedInteger(ctx.state.db, 'projects', 'owner_id', args['owner_id']) ?? id;
      }
      const row = ctx.state.projects.insert(
        newProjectRow(
          {
            name: sqlText(ctx.state.db, name),
            owner_id: ownerId,
            description: sqlText(ctx.state.db, bound(args['description'])),
          },
          ctx.now(),
        ),
      );
      // A user creating a project makes its owner (the caller unless owner_id names another) its manager; the
      // application API adds nobody.
      if (ctx.caller.kind === 'user' && ownerId !== 0) ctx.state.projectUsers.set(row.id, ownerId, 'project-manager');
      return row.id;
    },
  },
  removeProject: {
    className: CLASS,
    run: (ctx, args) => {
      requireProjectRole(ctx, args['project_id'], 'project-manager');
      const id = sqlId(ctx, args['project_id']);
      return id !== undefined && ctx.state.removeProject(id);
    },
  },
  getProjectById: {
    className: CLASS,
    run: (ctx, args) => {
      requireProjectRole(ctx, args['project_id'], 'project-viewer');
      const id = sqlId(ctx, args['project_id']);
      const p = id === undefined || phpEmpty(args['project_id']) ? undefined : ctx.state.projects.get(id);
      return p ? formatProject(ctx.state.db, p) : null;
    },
  },
  getAllProjects: {
    className: CLASS,
    // ProjectModel::getAll(): ORDER BY name, as the database sorts (ties in id order).
    run: (ctx) =>
      ctx.state.projects
        .all()
        .sort((a, b) => nameOrder(ctx.state.db)(a.name, b.name) || a.id - b.id)
        .map((p) => formatProject(ctx.state.db, p)),
  },
};
