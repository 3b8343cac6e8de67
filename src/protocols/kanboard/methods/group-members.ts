import { Type } from 'typebox';
import { appRole } from '../access.js';
import { method, returns, resultWhere, sortedBy, UNKNOWN_ID } from '../define.js';
import { GroupDocumented, GroupMemberDocumented, GroupMemberListRealByDb, GroupListRealByDb } from '../records.js';
import { numbered } from '../world.js';

/** GroupMemberProcedure: app token or app-admin only (kanboard.md §4, §6 Group members). */
const SEE = 'kanboard.md §6 Group members';
const admin = appRole('app-admin');
const Id = Type.Integer({ minimum: 1 });

export const getMemberGroups = method({
  name: 'getMemberGroups',
  group: 'members',
  summary: 'Groups a user belongs to',
  see: SEE,
  params: Type.Object({ user_id: Id }),
  result: { must: Type.Array(GroupDocumented), quirk: GroupListRealByDb },
  access: admin,
  valid: (c) => ({ user_id: c.world.user.id }),
  succeeds: (_p, c) => [
    ...resultWhere('must', `exactly the group ${c.world.group.name}`, (r) =>
      Array.isArray(r) && r.length === 1 && (r[0] as { name?: unknown }).name === c.world.group.name
        ? null
        : `got ${JSON.stringify(r)}`,
    ),
    ...sortedBy('name', c.variant),
  ],
  errors: [
    {
      id: 'unknown-user',
      says: 'an unknown user gives []',
      see: 'kanboard.md §7.4',
      level: 'quirk',
      params: () => ({ user_id: UNKNOWN_ID }),
      expect: returns([], 'quirk', false),
    },
  ],
  examples: [],
});

export const getGroupMembers = method({
  name: 'getGroupMembers',
  group: 'members',
  summary: 'Members of a group, as full user rows',
  see: SEE,
  params: Type.Object({ group_id: Id }),
  result: { must: Type.Array(GroupMemberDocumented), quirk: GroupMemberListRealByDb },
  access: admin,
  valid: (c) => ({ group_id: c.world.group.id }),
  succeeds: (_p, c) =>
    resultWhere('must', `exactly the user ${c.world.user.name}`, (r) =>
      Array.isArray(r) && r.length === 1 && (r[0] as { username?: unknown }).username === c.world.user.name
        ? null
        : `got ${JSON.stringify(r)?.slice(0, 120)}`,
    ),
  errors: [
    {
      id: 'unknown-group',
      says: 'an unknown group gives []',
      see: 'kanboard.md §7.4',
      level: 'quirk',
      params: () => ({ group_id: UNKNOWN_ID }),
      expect: returns([], 'quirk', false),
    },
  ],
  examples: [],
});

export const addGroupMember = method({
  name: 'addGroupMember',
  group: 'members',
  summary: 'Add a user to a group',
  see: SEE,
  params: Type.Object({ group_id: Id, user_id: Id }),
  result: { must: Type.Boolean() },
  access: admin,
  valid: async (c) => ({ group_id: numbered(await c.create('group')).id, user_id: c.world.user.id }),
  succeeds: () => returns(true),
  errors: [
    {
      id: 'duplicate',
      says: 'adding a member twice gives false',
      see: SEE,
      level: 'must',
      params: (c) => ({ group_id: c.world.group.id, user_id: c.world.user.id }),
      expect: returns(false),
    },
    {
      id: 'unknown-group',
      says: 'an unknown group gives false',
      see: SEE,
      level: 'must',
      params: (c) => ({ group_id: UNKNOWN_ID, user_id: c.world.user.id }),
      expect: returns(false),
    },
    {
      id: 'unknown-user',
      says: 'an unknown user gives false',
      see: SEE,
      level: 'must',
      params: (c) => ({ group_id: c.world.group.id, user_id: UNKNOWN_ID }),
      expect: returns(false),
    },
  ],
  examples: [],
});

export const removeGroupMember = method({
  name: 'removeGroupMember',
  group: 'members',
  summary: 'Remove a user from a group',
  see: SEE,
  params: Type.Object({ group_id: Id, user_id: Id }),
  result: { must: Type.Boolean() },
  access: admin,
  valid: async (c) => {
    const group = numbered(await c.create('group'));
    await c.ok('addGroupMember', { group_id: group.id, user_id: c.world.user.id });
    return { group_id: group.id, user_id: c.world.user.id };
  },
  succeeds: () => returns(true),
  errors: [
    {
      id: 'not-a-member',
      says: 'a user who is not a member gives false',
      see: SEE,
      level: 'must',
      params: async (c) => ({ group_id: (await c.create('group')).id, user_id: c.world.user.id }),
      expect: returns(false),
    },
  ],
  examples: [],
});

export const isGroupMember = method({
  name: 'isGroupMember',
  group: 'members',
  summary: 'Whether a user is in a group',
  see: SEE,
  params: Type.Object({ group_id: Id, user_id: Id }),
  result: { must: Type.Boolean() },
  access: admin,
  valid: (c) => ({ group_id: c.world.group.id, user_id: c.world.user.id }),
  succeeds: () => returns(true),
  errors: [
    {
      id: 'not-a-member',
      says: 'a user who is not a member gives false',
      see: SEE,
      level: 'must',
      params: async (c) => ({ group_id: (await c.create('group')).id, user_id: c.world.user.id }),
      expect: returns(false),
    },
    {
      id: 'unknown-ids',
      says: 'unknown ids give false',
      see: SEE,
      level: 'must',
      params: () => ({ group_id: UNKNOWN_ID, user_id: UNKNOWN_ID }),
      expect: returns(false),
    },
  ],
  examples: [],
});

export const groupMemberProcedures = [
  getMemberGroups,
  getGroupMembers,
  addGroupMember,
  removeGroupMember,
  isGroupMember,
];
