import type { GroupRow } from '../state.js';
import { boundText, sqlId, type Procedure } from '../handler.js';
import { emptyUpdate, notNullViolation } from '../database.js';
import { nameOrder } from '../../../../src/protocols/kanboard/variants.js';

/** GroupProcedure (kanboard.md §6 Groups): names are case-sensitive, "" is a valid name. */
const CLASS = 'GroupProcedure';
const bound = (value: unknown): string | null => (value === null || value === undefined ? null : boundText(value));

export const groupProcedures: Readonly<Record<string, Procedure>> = {
  createGroup: {
    className: CLASS,
    run: (ctx, args) => {
      // No validation: the values go to PDO as they are (an array binds as "Array").
      const name = bound(args['name']);
      const externalId = bound(args['external_id']) ?? '';
      // SQLite's and MySQL's validators answer false; on PostgreSQL the INSERT runs and raises 23502.
      if (name === null && ctx.state.db.strictSql)
        throw notNullViolation('groups', 'name', {
          id: ctx.state.groups.consumeId(),
          external_id: externalId,
          name: null,
        });
      if (name === null || ctx.state.groupNamed(name)) return false;
      return ctx.state.groups.insert({ name, external_id: externalId }).id;
    },
  },
  updateGroup: {
    className: CLASS,
    run: (ctx, args) => {
      const changes: Partial<GroupRow> = {};
      const name = bound(args['name']);
      const externalId = bound(args['external_id']);
      if (name !== null) changes.name = name;
      if (externalId !== null) changes.external_id = externalId;
      if (Object.keys(changes).length === 0) throw emptyUpdate(ctx.state.db, 'groups', args['group_id']);
      // UPDATE groups SET (the changes) WHERE id = ?: the id is the parameter after them.
      const id = sqlId(ctx, args['group_id'], Object.keys(changes).length + 1);
      if (name !== null) {
        const holder = ctx.state.groupNamed(name);
        if (holder && holder.id !== id) return false;
      }
      if (id !== undefined) ctx.state.groups.update(id, changes);
      return true;
    },
  },
  removeGroup: {
    className: CLASS,
    run: (ctx, { group_id }) => {
      const id = sqlId(ctx, group_id);
      return id === undefined ? false : ctx.state.removeGroup(id);
    },
  },
  getGroup: {
    className: CLASS,
    run: (ctx, { group_id }) => {
      const id = sqlId(ctx, group_id);
      const g = id === undefined ? undefined : ctx.state.groups.get(id);
      return g ? { id: g.id, external_id: g.external_id, name: g.name } : null;
    },
  },
  getAllGroups: {
    className: CLASS,
    run: (ctx) =>
      ctx.state.groups
        .all()
        .sort((a, b) => nameOrder(ctx.state.db)(a.name, b.name))
        .map((g) => ({
          id: g.id,
          name: g.name,
          external_id: g.external_id,
          nb_users: ctx.state.groupMembers.rightsOf(g.id).length,
        })),
  },
};
