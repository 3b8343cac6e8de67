import { sqlId, type Procedure } from '../handler.js';
import { insertedRow, rowOut, userOut } from '../database.js';
import { nameOrder } from '../../../../src/protocols/kanboard/variants.js';

/** GroupMemberProcedure (kanboard.md §6 Group members). */
const CLASS = 'GroupMemberProcedure';

export const groupMemberProcedures: Readonly<Record<string, Procedure>> = {
  getMemberGroups: {
    className: CLASS,
    run: (ctx, { user_id }) => {
      const userId = sqlId(ctx, user_id);
      if (userId === undefined) return [];
      return ctx.state.groupMembers
        .leftsOf(userId)
        .map((id) => ctx.state.groups.get(id))
        .filter((g) => g !== undefined)
        .sort((a, b) => nameOrder(ctx.state.db)(a.name, b.name))
        .map((g) => rowOut(ctx.state.db, { id: g.id, external_id: g.external_id, name: g.name }));
    },
  },
  getGroupMembers: {
    className: CLASS,
    run: (ctx, { group_id }) => {
      const groupId = sqlId(ctx, group_id);
      if (groupId === undefined) return [];
      return ctx.state.groupMembers
        .rightsOf(groupId)
        .map((id) => ctx.state.users.get(id))
        .filter((u) => u !== undefined)
        .sort((a, b) => nameOrder(ctx.state.db)(a.username, b.username))
        .map((u) => ({ ...rowOut(ctx.state.db, { group_id: groupId, user_id: u.id }), ...userOut(ctx.state.db, u) }));
    },
  },
  addGroupMember: {
    className: CLASS,
    run: (ctx, args) => {
      // INSERT INTO group_has_users (group_id, user_id): no check before it.
      const row = insertedRow(
        ctx.state.db,
        'group_has_users',
        [
          ['group_id', args['group_id'], 'integer'],
          ['user_id', args['user_id'], 'integer'],
        ],
        ['group_id', 'user_id'],
      );
      if (!row) return false;
      const groupId = row['group_id'] as number;
      const userId = row['user_id'] as number;
      // A foreign key or the unique key refuses it: false.
      if (!ctx.state.groups.get(groupId) || !ctx.state.users.get(userId) || ctx.state.groupMembers.has(groupId, userId))
        return false;
      ctx.state.groupMembers.set(groupId, userId, true);
      return true;
    },
  },
  removeGroupMember: {
    className: CLASS,
    run: (ctx, args) => {
      const groupId = sqlId(ctx, args['group_id']);
      const userId = sqlId(ctx, args['user_id'], 2);
      return groupId !== undefined && userId !== undefined && ctx.state.groupMembers.delete(groupId, userId);
    },
  },
  isGroupMember: {
    className: CLASS,
    run: (ctx, args) => {
      const groupId = sqlId(ctx, args['group_id']);
      const userId = sqlId(ctx, args['user_id'], 2);
      return groupId !== undefined && userId !== undefined && ctx.state.groupMembers.has(groupId, userId);
    },
  },
};
