import { newProjectRow, type ProjectRow } from '../state.js';
import { phpEmpty, phpId, phpString, requireProjectRole, sqlId, type Procedure } from '../handler.js';
import { projectOut } from '../database.js';
import type { DatabaseForm } from '../../../../src/protocols/kanboard/variants.js';

/** The ProjectProcedure calls the suites use to arrange state (kanboard.md §4). */
const CLASS = 'ProjectProcedure';

export function formatProject(db: DatabaseForm, p: ProjectRow) {
  const base = `http://127.0.0.1/?controller=`;
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
      if (name === null || name.trim() === '') return false;
      let ownerId = phpId(args['owner_id']) ?? 0;
      if (ownerId === 0 && ctx.caller.kind === 'user') ownerId = ctx.caller.user.id;
      const row = ctx.state.projects.insert(
        newProjectRow({ name, owner_id: ownerId, description: phpString(args['description']) }, ctx.now()),
      );
      // A user creating a project becomes its manager; the application API adds nobody.
      if (ctx.caller.kind === 'user') ctx.state.projectUsers.set(row.id, ctx.caller.user.id, 'project-manager');
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
    run: (ctx) => ctx.state.projects.all().map((p) => formatProject(ctx.state.db, p)),
  },
};
