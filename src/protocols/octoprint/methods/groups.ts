import { Type } from 'typebox';
import { adminOnly } from '../access.js';
import { DEFAULT_GROUPS } from '../defaults.js';
import { crashes, entryOf, errorCase, fails, fieldsAre, isRow, listEntry, method, OK, where } from '../define.js';
import { GroupDocumented, GroupListDocumented, GroupListReal, GroupListReal14, groupRealOf } from '../records.js';
import { perEra } from '../variants.js';

/** The real group records of each era (`dangerous` from 1.5 on). */
const GROUP_LIST_REAL = perEra((form) => (form.groupsDangerous ? GroupListReal : GroupListReal14));
const GROUP_REAL = perEra((form) => groupRealOf(form.groupsDangerous));
import { bodyOf, status, statusClass } from '../../../wire/rest.js';
import type { Observed } from '../../../spec/observed.js';
import { eraFacet } from '../era-facets.js';

/** Groups (octoprint.md §4.2): ADMIN only; writes also need recent credentials. */
const SEE = 'octoprint.md §4.2';
const Strings = Type.Array(Type.String());
/** A group key no server has: the run prefix is never used by a real installation. */
const NO_SUCH_GROUP = 'accord_nosuchgroup_0000';

const groupIn = (
  key: string,
  says: string,
  want: Readonly<Record<string, unknown>> = {},
  level: 'must' | 'should' | 'quirk' = 'must',
) => listEntry(level, 'groups', 'key', key, says, (row) => fieldsAre(row, want));

/**
 * The flags of the default groups (groups.py _init_defaults). 1.4.0 made users "Users", not toggleable
 * (OctoPrint issue #3547, fixed in 1.4.1): in the 1.4 era (1.4.0–1.4.2) either toggleable value of users is its form.
 */
function defaultFlags(o: Observed, after14: boolean): string | null {
  const b = bodyOf(o);
  if (!b.ok) return b.why;
  for (const g of DEFAULT_GROUPS) {
    const row = entryOf(b.value, 'groups', 'key', g.key);
    const want: Record<string, unknown> = { removable: g.removable, changeable: g.changeable };
    if (after14 || g.key !== 'users') want['toggleable'] = g.toggleable;
    if (!g.changeable) want['default'] = g.default;
    const problem = row ? fieldsAre(row, want) : `no ${g.key}`;
    if (problem) return `${g.key}: ${problem}`;
  }
  return null;
}

export const listGroups = method({
  name: 'access.groups.list',
  group: 'groups',
  summary: 'List every group',
  see: SEE,
  wire: { route: { verb: 'GET', path: '/api/access/groups' } },
  params: Type.Object({}),
  result: { must: GroupListDocumented, quirk: GROUP_LIST_REAL },
  access: adminOnly('GET'),
  valid: () => ({}),
  succeeds: (_p, c) => [
    ...OK,
    groupIn(c.world.group.name, `includes the group ${c.world.group.name}`),
    where('should', 'includes the default groups admins, users, guests and readonly', (body) => {
      const missing = DEFAULT_GROUPS.filter((g) => !entryOf(body, 'groups', 'key', g.key)).map((g) => g.key);
      return missing.length === 0 ? null : `no ${missing.join(', ')}`;
    }),
    eraFacet(
      'quirk',
      'default groups: removable, changeable and toggleable as in 1.11; admins and readonly not default',
      (form) => (o) => defaultFlags(o, form.groupsDangerous),
    ),
    eraFacet('quirk', 'admins lists ADMIN and is dangerous (dangerous: 1.5+)', (form) => (o) => {
      const b = bodyOf(o);
      const admins = b.ok ? entryOf(b.value, 'groups', 'key', 'admins') : undefined;
      return admins &&
        Array.isArray(admins['permissions']) &&
        admins['permissions'].includes('ADMIN') &&
        (!form.groupsDangerous || admins['dangerous'] === true)
        ? null
        : `admins is ${JSON.stringify(admins)?.slice(0, 160)}`;
    }),
  ],
  errors: [],
  examples: [],
});

export const addGroup = method({
  name: 'access.groups.add',
  group: 'groups',
  summary: 'Create a group; answers the whole group list',
  see: SEE,
  wire: {
    route: { verb: 'POST', path: '/api/access/groups' },
    missing: {
      key: 'key is missing',
      name: 'name is missing',
      permissions: 'permissions are missing',
      subgroups: 'subgroups are missing',
    },
    missingSince: { subgroups: '1.11.7' },
  },
  params: Type.Object({
    key: Type.String(),
    name: Type.String(),
    permissions: Strings,
    subgroups: Strings,
    description: Type.Optional(Type.String({ default: '' })),
    default: Type.Optional(Type.Boolean({ default: false })),
  }),
  result: { must: GroupListDocumented, quirk: GROUP_LIST_REAL },
  access: adminOnly('POST'),
  valid: (c) => ({
    key: c.name('group'),
    name: 'Accord Group',
    description: 'made by accord',
    permissions: ['STATUS', 'CONNECTION'],
    subgroups: ['readonly'],
    default: false,
  }),
  succeeds: (sent) => {
    const want = {
      name: sent.name,
      description: sent.description,
      permissions: sent.permissions,
      subgroups: sent.subgroups,
      default: false,
      removable: true,
      changeable: true,
      toggleable: true,
    };
    return [
      ...OK,
      groupIn(sent.key, `lists the new group ${sent.key} as sent, removable, changeable and toggleable`, want),
    ];
  },
  creates: {
    kind: 'group',
    handle: (_r, p) => (isRow(p) && typeof p['key'] === 'string' ? { id: p['key'], name: p['key'] } : undefined),
  },
  errors: [
    {
      id: 'duplicate-key',
      says: 'a key that exists gives 409',
      see: SEE,
      level: 'must',
      params: (c) => ({ key: c.world.group.name, name: 'Again', permissions: [], subgroups: [] }),
      expect: fails(409),
    },
    {
      id: 'null-subgroups',
      says: 'subgroups null is iterated and fails: 500 (the JS client sends null for a missing subgroups)',
      see: 'octoprint.md §4.2, §5.3',
      level: 'quirk',
      params: (c) => ({ key: c.name('group'), name: 'Null subgroups', permissions: [], subgroups: null }),
      expect: crashes('subgroups null'),
    },
    errorCase({
      id: 'null-permissions',
      says: 'permissions null means no permissions',
      see: 'octoprint.md §4.2',
      level: 'quirk',
      params: (c) => ({ key: c.name('group'), name: 'Null permissions', permissions: null, subgroups: [] }),
      expect: (p) => [...OK, groupIn(p.key, 'the new group has permissions []', { permissions: [] }, 'quirk')],
    }),
    errorCase({
      id: 'unknown-permission-dropped',
      says: 'unknown permission keys are dropped silently',
      see: 'octoprint.md §4.2',
      level: 'quirk',
      params: (c) => ({
        key: c.name('group'),
        name: 'Unknown permission',
        permissions: ['ACCORD_NO_SUCH_PERMISSION', 'STATUS'],
        subgroups: [],
      }),
      expect: (p) => [
        ...OK,
        groupIn(p.key, 'the new group has permissions ["STATUS"]', { permissions: ['STATUS'] }, 'quirk'),
      ],
    }),
    errorCase({
      id: 'default-kept',
      says: 'default true is kept: the new group is a default group (new users without groups get it)',
      see: 'octoprint.md §4.2',
      level: 'must',
      params: (c) => ({ key: c.name('group'), name: 'Default group', permissions: [], subgroups: [], default: true }),
      expect: (p) => [...OK, groupIn(p.key, 'default true', { default: true })],
    }),
    errorCase({
      id: 'description-defaults-empty',
      says: 'a group created without a description gets ""',
      see: 'octoprint.md §4.2',
      level: 'quirk',
      params: (c) => ({ key: c.name('group'), name: 'No description', permissions: [], subgroups: [] }),
      expect: (p) => [
        ...OK,
        groupIn(p.key, 'description "" and default false', { description: '', default: false }, 'quirk'),
      ],
    }),
  ],
  examples: [
    {
      source: 'seed 001 (OctoPrintClient.access.groups.add)',
      request: {
        key: 'printer_operators',
        name: 'Printer operators',
        description: null,
        permissions: ['STATUS'],
        subgroups: null,
        default: null,
      },
      response: 'HTTP 500',
      note: 'The JS client sends all six keys and null for missing ones; subgroups null makes the server fail (octoprint.md §5.3).',
    },
  ],
});

export const getGroup = method({
  name: 'access.groups.get',
  group: 'groups',
  summary: 'One group, as a bare record',
  see: SEE,
  wire: { route: { verb: 'GET', path: '/api/access/groups/{key}' } },
  params: Type.Object({ key: Type.String() }),
  result: { must: GroupDocumented, quirk: GROUP_REAL },
  access: adminOnly('GET'),
  valid: (c) => ({ key: c.world.group.name }),
  succeeds: (_p, c) => [
    ...OK,
    where(
      'must',
      `the group ${c.world.group.name} itself, not a list (the 1.11 docs link the list shape, §6.5)`,
      (body) =>
        isRow(body) && body['key'] === c.world.group.name ? null : `got ${JSON.stringify(body)?.slice(0, 120)}`,
    ),
  ],
  errors: [
    {
      id: 'unknown-key',
      says: 'an unknown key gives 404',
      see: SEE,
      level: 'must',
      params: () => ({ key: NO_SUCH_GROUP }),
      expect: fails(404),
    },
    {
      id: 'default-group',
      says: 'the default group users reads back as a bare record with its flags',
      see: 'octoprint.md §3.4',
      level: 'quirk',
      params: () => ({ key: 'users' }),
      expect: [
        ...OK,
        eraFacet(
          'quirk',
          'users: removable false, changeable true, toggleable true (1.4.0: not toggleable)',
          (form) => (o) => {
            const b = bodyOf(o);
            if (!b.ok) return b.why;
            const want: Record<string, unknown> = { key: 'users', removable: false, changeable: true };
            if (form.groupsDangerous) want['toggleable'] = true;
            return isRow(b.value) ? fieldsAre(b.value, want) : 'not an object';
          },
        ),
      ],
    },
  ],
  examples: [],
});

export const updateGroup = method({
  name: 'access.groups.update',
  group: 'groups',
  summary: 'Change description, permissions, subgroups or the default flag; answers the group list',
  see: SEE,
  wire: { route: { verb: 'PUT', path: '/api/access/groups/{key}' } },
  params: Type.Object({
    key: Type.String(),
    description: Type.Optional(Type.String()),
    permissions: Type.Optional(Strings),
    subgroups: Type.Optional(Strings),
    default: Type.Optional(Type.Boolean()),
  }),
  result: { must: GroupListDocumented, quirk: GROUP_LIST_REAL },
  access: adminOnly('PUT'),
  valid: async (c) => ({
    key: (await c.create('group')).name,
    description: 'changed by accord',
    permissions: ['CONNECTION'],
    subgroups: ['readonly'],
    default: false,
  }),
  succeeds: (sent) => {
    return [
      ...OK,
      groupIn(sent.key, 'the group reads back changed; the lists replaced', {
        description: 'changed by accord',
        permissions: ['CONNECTION'],
        subgroups: ['readonly'],
        default: false,
      }),
    ];
  },
  errors: [
    {
      id: 'unknown-key',
      says: 'an unknown key gives 404',
      see: SEE,
      level: 'must',
      params: () => ({ key: NO_SUCH_GROUP, description: 'x' }),
      expect: fails(404),
    },
    {
      id: 'admins-not-changeable',
      says: 'admins cannot be changed: 403 (an empty body, so nothing changes even on a server that allows it)',
      see: SEE,
      level: 'should',
      params: () => ({ key: 'admins' }),
      expect: fails(403, undefined, 'should'),
    },
    {
      id: 'readonly-not-changeable',
      says: 'readonly cannot be changed: 403',
      see: SEE,
      level: 'should',
      params: () => ({ key: 'readonly' }),
      expect: fails(403, undefined, 'should'),
    },
    {
      id: 'nothing-to-change',
      says: 'an empty body changes nothing and succeeds (the docs say a missing mandatory field gives 400; there is none, §6.4)',
      see: 'octoprint.md §6.4',
      level: 'quirk',
      params: async (c) => ({ key: (await c.create('group')).name }),
      expect: [
        status(200, 'quirk', (o) =>
          o.transport === 'http' && o.status === 400
            ? 'the docs promise 400 for a missing mandatory field, but the update has no mandatory field (octoprint.md §6.4)'
            : undefined,
        ),
      ],
    },
    errorCase({
      id: 'default-null-is-false',
      says: 'default null is stored as false (§6.4)',
      see: 'octoprint.md §4.2, §6.4',
      level: 'quirk',
      params: async (c) => {
        const key = (await c.create('group')).name;
        await c.ok('access.groups.update', { key, default: true });
        return { key, default: null };
      },
      expect: (p) => [...OK, groupIn(p.key, 'default false', { default: false }, 'quirk')],
    }),
    errorCase({
      id: 'default-yes-is-true',
      says: 'default "YES" counts as true (the string is compared case-insensitively)',
      see: 'octoprint.md §4.2',
      level: 'quirk',
      params: async (c) => ({ key: (await c.create('group')).name, default: 'YES' }),
      expect: (p) => [...OK, groupIn(p.key, 'default true', { default: true }, 'quirk')],
    }),
    errorCase({
      id: 'null-permissions-unchanged',
      says: 'permissions null changes nothing',
      see: 'octoprint.md §4.2',
      level: 'quirk',
      params: async (c) => ({ key: (await c.create('group', { permissions: ['STATUS'] })).name, permissions: null }),
      expect: (p) => [...OK, groupIn(p.key, 'permissions still ["STATUS"]', { permissions: ['STATUS'] }, 'quirk')],
    }),
    errorCase({
      id: 'guests-not-a-subgroup',
      says: 'guests (not toggleable) is silently left out of subgroups',
      see: 'octoprint.md §4.2',
      level: 'quirk',
      params: async (c) => ({ key: (await c.create('group')).name, subgroups: ['guests', 'readonly'] }),
      expect: (p) => [...OK, groupIn(p.key, 'subgroups ["readonly"]', { subgroups: ['readonly'] }, 'quirk')],
    }),
  ],
  examples: [
    {
      source: 'seed 001 (OctoPrintClient.access.groups.update)',
      request: { description: '', permissions: ['STATUS'], subgroups: null, default: null },
      response: { groups: ['…'] },
      note: 'PUT /api/access/groups/<group.key>; null lists mean "no change" and a null default is stored as false (octoprint.md §5.3).',
    },
  ],
});

export const deleteGroup = method({
  name: 'access.groups.delete',
  group: 'groups',
  summary: 'Delete a group; it leaves every user; answers the group list',
  see: SEE,
  wire: { route: { verb: 'DELETE', path: '/api/access/groups/{key}' } },
  params: Type.Object({ key: Type.String() }),
  result: { must: GroupListDocumented, quirk: GROUP_LIST_REAL },
  access: adminOnly('DELETE'),
  valid: async (c) => ({ key: (await c.create('group')).name }),
  succeeds: (p) => [
    ...OK,
    where('must', `the list no longer has ${p.key}`, (body) =>
      entryOf(body, 'groups', 'key', p.key) ? 'still listed' : null,
    ),
  ],
  errors: [
    {
      id: 'unknown-key',
      says: 'an unknown key gives 404',
      see: SEE,
      level: 'must',
      params: () => ({ key: NO_SUCH_GROUP }),
      expect: fails(404),
    },
    {
      id: 'default-group-not-removable',
      says: 'a default group (readonly, the one no seeded user is in) cannot be deleted: 403',
      see: 'octoprint.md §3, §4.2',
      level: 'must',
      params: () => ({ key: 'readonly' }),
      expect: [statusClass(4, 'must', 'refused'), ...fails(403, undefined, 'should')],
    },
  ],
  examples: [],
});

export const groupMethods = [listGroups, addGroup, getGroup, updateGroup, deleteGroup];
