import type { GroupRow } from '../state.js';
import { boundText, sqlId, type Procedure } from '../handler.js';
import { checkLengths, checkUpdateLengths, emptyUpdate, notNullViolation, rowOut, sqlText } from '../database.js';
import { nameOrder } from '../../../../src/protocols/kanboard/variants.js';

/** GroupProcedure (kanboard.md §6 Groups): names are case-sensitive, "" is a valid name. */
const CLASS = 'GroupProcedure';
const bound = (value: unknown): string | null => (value === null || value === undefined ? null : boundText(value));

export const groupProcedures: Readonly<Record<string, Procedure>> = {
  createGroup: {
    className: CLASS,
    run: (ctx, args) => {
      // No validation: INSERT INTO groups (name, external_id) with the values as they are (an array binds as "Array").
      const { db, groups } = ctx.state;
      const name = sqlText(db, bound(args['name']));
      const externalId = sqlText(db, bound(args['external_id']) ?? '');
      // SQLite and MariaDB refuse a null name with SQLSTATE 23000, which PicoDb answers as false.
      if (name === null && !db.strictSql) return false;
      // An overlong text: MariaDB before it allocates an id, PostgreSQL when it plans (before nextval()).
      checkLengths(
        db,
        'groups',
        [
          ['name', name],
          ['external_id', externalId],
        ],
        ['external_id', 'name'],
      );
      // PostgreSQL's nextval() ran: it raises 23502, with the row it would have stored.
      if (name === null)
        throw notNullViolation('groups', 'name', { id: groups.consumeId(), external_id: externalId, name: null });
      // The unique key refuses a name taken (as the collation compares): false, and the id is used up.
      if (ctx.state.groupNamed(name)) {
        if (db.duplicateKeyUsesId) groups.consumeId();
        return false;
      }
      return groups.insert({ name, external_id: externalId }).id;
    },
  },
  updateGroup: {
    className: CLASS,
    run: (ctx, args) => {
      const { db } = ctx.state;
      const changes: Partial<GroupRow> = {};
      const name = sqlText(db, bound(args['name']));
      const externalId = sqlText(db, bound(args['external_id']));
      if (name !== null) changes.name = name;
      if (externalId !== null) changes.external_id = externalId;
      if (Object.keys(changes).length === 0) throw emptyUpdate(ctx.state.db, 'groups', args['group_id']);
      // UPDATE groups SET (the changes) WHERE id = ?: the id is the parameter after them.
      const id = sqlId(ctx, args['group_id'], Object.keys(changes).length + 1);
      const row = id === undefined ? undefined : ctx.state.groups.get(id);
      checkUpdateLengths(db, 'groups', Object.entries(changes), row !== undefined, ['external_id', 'name']);
      // An UPDATE that matches no row changes nothing and breaks no unique key: true.
      if (!row) return true;
      if (name !== null) {
        const holder = ctx.state.groupNamed(name);
        if (holder && holder.id !== row.id) return false;
      }
      ctx.state.groups.update(row.id, changes);
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
      return g ? rowOut(ctx.state.db, { id: g.id, external_id: g.external_id, name: g.name }) : null;
    },
  },
  getAllGroups: {
    className: CLASS,
    run: (ctx) =>
      ctx.state.groups
        .all()
        .sort((a, b) => nameOrder(ctx.state.db)(a.name, b.name))
        .map((g) =>
          rowOut(ctx.state.db, {
            id: g.id,
            name: g.name,
            external_id: g.external_id,
            nb_users: ctx.state.groupMembers.rightsOf(g.id).length,
          }),
        ),
  },
};
