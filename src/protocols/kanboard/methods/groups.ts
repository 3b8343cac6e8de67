import { Type } from 'typebox';
import { appRole } from '../access.js';
import {
  emptyUpdateError,
  exceptionReply,
  method,
  notNullViolation,
  returns,
  resultWhere,
  sortedBy,
  UNKNOWN_ID,
} from '../define.js';
import { variantFacets } from '../../../spec/variant.js';
import {
  GroupDocumented,
  GroupListWithCountRealByDb,
  GroupRealByDb,
  intOf,
  perDatabase,
  PositiveId,
} from '../records.js';
import { numbered } from '../world.js';

/** GroupProcedure: app token or app-admin only (kanboard.md §4, §6 Groups). */
const SEE = 'kanboard.md §6 Groups';
const admin = appRole('app-admin');
const GroupId = Type.Integer({ minimum: 1 });
const NullableString = (fallback: string | null) =>
  Type.Optional(Type.Union([Type.String(), Type.Null()], { default: fallback }));

export const createGroup = method({
  name: 'createGroup',
  group: 'groups',
  summary: 'Create a group; returns the new id',
  see: SEE,
  params: Type.Object({ name: Type.String(), external_id: Type.Optional(Type.String({ default: '' })) }),
  result: { must: PositiveId },
  access: admin,
  valid: (c) => ({ name: c.name('group') }),
  // Wrong calls that a server accepts come here too: String() reads what was sent.
  creates: {
    kind: 'group',
    handle: (result, params) => (typeof result === 'number' ? { id: result, name: String(params.name) } : undefined),
  },
  errors: [
    {
      id: 'duplicate-name',
      says: 'a name that exists gives false',
      see: SEE,
      level: 'must',
      params: (c) => ({ name: c.world.group.name }),
      expect: returns(false),
    },
    {
      id: 'case-variant',
      says: 'the duplicate check is case-sensitive: the upper-case name is a new group (MySQL: a duplicate, false)',
      see: SEE,
      level: 'quirk',
      params: (c) => ({ name: c.world.group.name.toUpperCase() }),
      expect: (_p, c) =>
        variantFacets(
          perDatabase((db) =>
            db.caseInsensitiveNames
              ? returns(false, 'quirk')
              : resultWhere('quirk', 'a new group id', (r) =>
                  typeof r === 'number' && r > 0 ? null : `got ${JSON.stringify(r)}`,
                ),
          ),
          c.variant,
        ),
    },
    {
      id: 'null-name',
      says: 'a null name gives false (PostgreSQL: a not-null violation, error code 0)',
      see: SEE,
      level: 'quirk',
      params: () => ({ name: null }),
      expect: (_p, c) => variantFacets(notNullViolation(returns(false, 'quirk'), 'name', 'groups'), c.variant),
    },
  ],
  examples: [],
});

export const updateGroup = method({
  name: 'updateGroup',
  group: 'groups',
  summary: 'Rename a group or change its external id',
  see: SEE,
  params: Type.Object({ group_id: GroupId, name: NullableString(null), external_id: NullableString(null) }),
  result: { must: Type.Boolean() },
  access: admin,
  valid: async (c) => ({ group_id: numbered(await c.create('group')).id, name: c.name('renamed') }),
  succeeds: () => returns(true),
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown id gives true',
      see: 'kanboard.md §7.4',
      level: 'quirk',
      params: (c) => ({ group_id: UNKNOWN_ID, name: c.name('nobody') }),
      expect: returns(true, 'quirk', false),
    },
    {
      id: 'duplicate-name',
      says: 'renaming to a name that exists gives false',
      see: SEE,
      level: 'must',
      params: async (c) => ({ group_id: (await c.create('group')).id, name: c.world.group.name }),
      expect: returns(false),
    },
    {
      id: 'nothing-to-change',
      says: 'with no field to change the SQL update fails: error code 0, "SQL Error…"',
      see: SEE,
      level: 'quirk',
      params: async (c) => ({ group_id: (await c.create('group')).id }),
      expect: (_p, c) => emptyUpdateError(c.variant),
    },
  ],
  examples: [],
});

export const removeGroup = method({
  name: 'removeGroup',
  group: 'groups',
  summary: 'Remove a group',
  see: SEE,
  params: Type.Object({ group_id: GroupId }),
  result: { must: Type.Boolean() },
  access: admin,
  valid: async (c) => ({ group_id: numbered(await c.create('group')).id }),
  succeeds: () => returns(true),
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown id gives false',
      see: SEE,
      level: 'must',
      params: () => ({ group_id: UNKNOWN_ID }),
      expect: returns(false),
    },
  ],
  examples: [],
});

export const getGroup = method({
  name: 'getGroup',
  group: 'groups',
  summary: 'Get a group by id',
  see: SEE,
  params: Type.Object({ group_id: GroupId }),
  result: { must: GroupDocumented, quirk: GroupRealByDb },
  access: admin,
  valid: (c) => ({ group_id: c.world.group.id }),
  succeeds: (_p, c) =>
    resultWhere('must', `the group ${c.world.group.name}`, (r) =>
      (r as { name?: unknown } | null)?.name === c.world.group.name ? null : `got ${JSON.stringify(r)}`,
    ),
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown id gives null',
      see: 'kanboard.md §7.4',
      level: 'quirk',
      params: () => ({ group_id: UNKNOWN_ID }),
      expect: returns(null, 'quirk', false),
    },
  ],
  examples: [],
});

export const getAllGroups = method({
  name: 'getAllGroups',
  group: 'groups',
  summary: 'List all groups with their member counts',
  see: SEE,
  params: Type.Object({}),
  result: { must: Type.Array(GroupDocumented), quirk: GroupListWithCountRealByDb },
  access: admin,
  valid: () => ({}),
  succeeds: (_p, c) => [
    ...resultWhere('must', `includes ${c.world.group.name}`, (r) =>
      Array.isArray(r) && r.some((g: { name?: unknown }) => g.name === c.world.group.name) ? null : 'not in the list',
    ),
    // COUNT() comes as the database sends it: 1, or "1" on PHP before 8.1 with SQLite/MySQL.
    ...variantFacets(
      perDatabase((db) =>
        resultWhere('quirk', `${c.world.group.name} has nb_users ${JSON.stringify(intOf(db, 1))}`, (r) => {
          const g = Array.isArray(r) ? r.find((x: { name?: unknown }) => x.name === c.world.group.name) : undefined;
          return g && (g as { nb_users?: unknown }).nb_users === intOf(db, 1) ? null : `got ${JSON.stringify(g)}`;
        }),
      ),
      c.variant,
    ),
    ...sortedBy('name', c.variant),
  ],
  errors: [],
  examples: [],
});

export const groupProcedures = [createGroup, updateGroup, removeGroup, getGroup, getAllGroups];
