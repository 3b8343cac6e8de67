import { Type } from 'typebox';
import type { CallContext } from '../../../spec/context.js';
import { adminOnly, selfOrAdmin } from '../access.js';
import { crashes, entryOf, errorCase, fails, fieldsAre, isRow, listEntry, method, OK, where } from '../define.js';
import { UserDocumented, UserListDocumented, UserListReal, UserReal } from '../records.js';
import { password, type OctoPrintWorld } from '../world.js';
import { variantFacets } from '../../../spec/variant.js';
import type { Expectation } from '../../../spec/expectation.js';
import { status } from '../../../wire/rest.js';
import { perEra } from '../variants.js';

/** Users (octoprint.md §4.3). */
const SEE = 'octoprint.md §4.3';
const Strings = Type.Array(Type.String());
/** A user name no server has. */
export const NO_SUCH_USER = 'accord_nosuchuser_0000';

type Ctx = CallContext<OctoPrintWorld>;

const userIn = (
  name: string,
  says: string,
  want: Readonly<Record<string, unknown>>,
  level: 'must' | 'should' | 'quirk' = 'must',
) => listEntry(level, 'users', 'name', name, says, (row) => fieldsAre(row, want));

/** In the default groups: users (default true on a fresh install) and any other group marked default. */
const inDefaultGroups = (name: string, level: 'should' | 'quirk') =>
  listEntry(level, 'users', 'name', name, 'groups include users (the default group)', (row) =>
    Array.isArray(row['groups']) && row['groups'].includes('users')
      ? null
      : `groups is ${JSON.stringify(row['groups'])}`,
  );

/** A user made for this check alone, with a name and a password. */
async function freshUser(c: Ctx, groups: string[] = ['users']): Promise<string> {
  return (await c.create('user', { groups })).name;
}

/** A call of access.users.add with a new name, a password and active true, plus these fields. */
const addWith = (extra: Readonly<Record<string, unknown>>) => (c: Ctx) => ({
  name: c.name('user'),
  password: password(),
  active: true,
  ...extra,
});

export const listUsers = method({
  name: 'access.users.list',
  group: 'users',
  summary: 'List every user; keys are shown to callers with recent credentials (API keys always are)',
  see: SEE,
  wire: { route: { verb: 'GET', path: '/api/access/users' } },
  params: Type.Object({}),
  result: { must: UserListDocumented, quirk: UserListReal },
  access: adminOnly('GET'),
  valid: () => ({}),
  succeeds: (_p, c) => [
    ...OK,
    userIn(c.world.self.name, `lists ${c.world.self.name} with its API key (API-key credentials count as recent)`, {
      active: true,
      apikey: c.world.self.apikey,
    }),
    userIn(
      c.world.self.name,
      `${c.world.self.name}: groups ["users"], admin false, roles ["user"]`,
      { groups: ['users'], admin: false, user: true, roles: ['user'] },
      'quirk',
    ),
  ],
  errors: [],
  examples: [],
});

export const addUser = method({
  name: 'access.users.add',
  group: 'users',
  summary: 'Create a user; answers the whole user list',
  see: SEE,
  wire: {
    route: { verb: 'POST', path: '/api/access/users' },
    missing: { name: 'name is missing', password: 'password is missing', active: 'active is missing' },
  },
  params: Type.Object({
    name: Type.String(),
    password: Type.String(),
    active: Type.Boolean(),
    groups: Type.Optional(Strings),
    permissions: Type.Optional(Strings),
    admin: Type.Optional(Type.Boolean({ description: 'documented, but ignored by 1.4+ (§6.3)' })),
  }),
  result: { must: UserListDocumented, quirk: UserListReal },
  access: adminOnly('POST'),
  valid: addWith({ groups: ['users'], permissions: [] }),
  succeeds: (p) => [
    ...OK,
    userIn(p.name, `lists the new user ${p.name}, active, in users`, {
      active: true,
      groups: ['users'],
      permissions: [],
      admin: false,
    }),
    userIn(p.name, 'a new user has no API key yet', { apikey: null }, 'quirk'),
  ],
  creates: {
    kind: 'user',
    handle: (_r, p) => (isRow(p) && typeof p['name'] === 'string' ? { id: p['name'], name: p['name'] } : undefined),
  },
  errors: [
    {
      id: 'duplicate-name',
      says: 'a name that exists gives 409',
      see: SEE,
      level: 'must',
      params: (c) => ({ name: c.world.self.name, password: password(), active: true }),
      expect: fails(409),
    },
    {
      id: 'name-with-space',
      says: 'a name with leading whitespace gives 400 "Username invalid" (1.9+)',
      see: SEE,
      level: 'should',
      params: (c) => ({ name: ` ${c.name('user')}`, password: password(), active: true }),
      // 1.9+ raise InvalidUsername (access/users.py add_user); 1.4–1.8 store the name as sent (1.8.6's
      // FilebasedUserManager.add_user has no such test): that era's form is 200.
      expect: (_p, c) =>
        variantFacets(
          perEra((form): Expectation =>
            form.checksUsername
              ? fails(400, 'Username invalid', 'should', (o) =>
                  o.transport === 'http' && o.status === 200
                    ? 'OctoPrint tests user names from 1.9 on; 1.4–1.8 accept one with surrounding whitespace'
                    : undefined,
                )
              : [status(200, 'quirk')],
          ),
          c.variant,
        ),
    },
    errorCase({
      id: 'no-groups-key',
      says: 'without a groups key the user gets the default groups (users, on a fresh install)',
      see: SEE,
      level: 'should',
      params: addWith({}),
      expect: (p) => [...OK, inDefaultGroups(p.name, 'should')],
    }),
    errorCase({
      id: 'empty-groups',
      says: 'groups [] (what OctoPrintClient.access.users.add sends by default) gives no groups at all',
      see: 'octoprint.md §4.3, §5.3',
      level: 'quirk',
      params: addWith({ groups: [] }),
      expect: (p) => [...OK, userIn(p.name, 'groups []', { groups: [] }, 'quirk')],
    }),
    errorCase({
      id: 'null-groups',
      says: 'groups null counts as absent: the default groups',
      see: SEE,
      level: 'quirk',
      params: addWith({ groups: null }),
      expect: (p) => [...OK, inDefaultGroups(p.name, 'quirk')],
    }),
    errorCase({
      id: 'string-groups',
      says: 'groups as a string is iterated character by character: no group matches',
      see: SEE,
      level: 'quirk',
      params: addWith({ groups: 'users' }),
      expect: (p) => [...OK, userIn(p.name, 'groups []', { groups: [] }, 'quirk')],
    }),
    errorCase({
      id: 'admin-flag-ignored',
      says: 'admin true is ignored: the docs still list it, the JS client sends it (§6.3)',
      see: 'octoprint.md §6.3',
      level: 'quirk',
      params: addWith({ groups: ['users'], admin: true }),
      expect: (p) => [...OK, userIn(p.name, 'admin false, roles ["user"]', { admin: false, roles: ['user'] }, 'quirk')],
    }),
    errorCase({
      id: 'inactive',
      says: 'active false makes an inactive user',
      see: SEE,
      level: 'must',
      params: addWith({ active: false, groups: ['users'] }),
      expect: (p) => [...OK, userIn(p.name, 'active false', { active: false })],
    }),
    errorCase({
      id: 'active-string',
      says: 'active "no" is not among the true values: an inactive user',
      see: SEE,
      level: 'quirk',
      params: addWith({ active: 'no', groups: ['users'] }),
      expect: (p) => [...OK, userIn(p.name, 'active false', { active: false }, 'quirk')],
    }),
    errorCase({
      id: 'admin-by-permission',
      says: 'the ADMIN permission given directly makes an admin: admin true, roles user and admin',
      see: 'octoprint.md §2.2, §3.3',
      level: 'quirk',
      params: addWith({ groups: [], permissions: ['ADMIN'] }),
      expect: (p) => [
        ...OK,
        userIn(
          p.name,
          'admin true, roles ["user", "admin"], permissions ["ADMIN"]',
          { admin: true, roles: ['user', 'admin'], permissions: ['ADMIN'] },
          'quirk',
        ),
      ],
    }),
  ],
  examples: [
    {
      source: 'seed 001 (OctoPrintClient.access.users.add)',
      request: { name: 'jane', password: 'secret', groups: [], permissions: [], active: true, admin: false },
      response: { users: ['…'] },
      note: 'The client sends groups [] by default, so such a user gets no groups at all; admin is ignored (octoprint.md §5.3).',
    },
  ],
});

export const getUser = method({
  name: 'access.users.get',
  group: 'users',
  summary: 'One user, as a bare record; the user themselves or ADMIN',
  see: SEE,
  wire: { route: { verb: 'GET', path: '/api/access/users/{name}' } },
  params: Type.Object({ name: Type.String() }),
  result: { must: UserDocumented, quirk: UserReal },
  access: selfOrAdmin('GET'),
  valid: (c) => ({ name: c.world.self.name }),
  succeeds: (_p, c) => [
    ...OK,
    where('must', `the user ${c.world.self.name} itself, with its API key`, (body) =>
      isRow(body) ? fieldsAre(body, { name: c.world.self.name, apikey: c.world.self.apikey }) : 'not an object',
    ),
  ],
  errors: [
    {
      id: 'unknown-name',
      says: 'an admin asking for an unknown user gets 404',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER }),
      expect: fails(404),
    },
    {
      id: 'unknown-name-non-admin',
      says: 'a non-admin asking for an unknown user gets 403, not 404 (the rights check comes first)',
      see: SEE,
      level: 'must',
      as: 'user',
      params: () => ({ name: NO_SUCH_USER }),
      expect: fails(403),
    },
  ],
  examples: [],
});

export const updateUser = method({
  name: 'access.users.update',
  group: 'users',
  summary: 'Change groups, permissions (each replaced whole) or active; answers the user list',
  see: SEE,
  wire: { route: { verb: 'PUT', path: '/api/access/users/{name}' } },
  params: Type.Object({
    name: Type.String(),
    active: Type.Optional(Type.Boolean()),
    groups: Type.Optional(Strings),
    permissions: Type.Optional(Strings),
    admin: Type.Optional(Type.Boolean({ description: 'documented, but ignored by 1.4+ (§6.3)' })),
  }),
  result: { must: UserListDocumented, quirk: UserListReal },
  access: adminOnly('PUT'),
  valid: async (c) => ({
    name: await freshUser(c),
    active: true,
    groups: ['users', 'readonly'],
    permissions: ['STATUS'],
  }),
  succeeds: (p) => [
    ...OK,
    userIn(p.name, 'groups and permissions replaced', {
      active: true,
      groups: ['users', 'readonly'],
      permissions: ['STATUS'],
    }),
  ],
  errors: [
    {
      id: 'unknown-name',
      says: 'an unknown user gives 404',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER, active: true }),
      expect: fails(404),
    },
    errorCase({
      id: 'deactivate',
      says: 'active false deactivates the user',
      see: SEE,
      level: 'must',
      params: async (c) => ({ name: await freshUser(c), active: false }),
      expect: (p) => [...OK, userIn(p.name, 'active false', { active: false })],
    }),
    {
      id: 'null-groups',
      says: 'groups null fails: 500 (the deprecated 1.3-style OctoPrintClient.users.update(name, active, admin) sends it)',
      see: 'octoprint.md §4.3, §5.3',
      level: 'quirk',
      params: async (c) => ({ name: await freshUser(c), active: true, groups: null, permissions: [], admin: false }),
      expect: crashes('groups null'),
    },
    {
      id: 'null-permissions',
      says: 'permissions null fails: 500',
      see: 'octoprint.md §4.3',
      level: 'quirk',
      params: async (c) => ({ name: await freshUser(c), permissions: null }),
      expect: crashes('permissions null'),
    },
    errorCase({
      id: 'admin-flag-ignored',
      says: 'admin true is ignored (the JS client sends it as the 3rd argument of update)',
      see: 'octoprint.md §6.3, §0',
      level: 'quirk',
      params: async (c) => ({
        name: await freshUser(c),
        active: true,
        groups: ['users'],
        permissions: [],
        admin: true,
      }),
      expect: (p) => [...OK, userIn(p.name, 'admin false', { admin: false, groups: ['users'] }, 'quirk')],
    }),
    errorCase({
      id: 'guests-not-added',
      says: 'guests (not toggleable) is silently not added',
      see: SEE,
      level: 'quirk',
      params: async (c) => ({ name: await freshUser(c), groups: ['users', 'guests'] }),
      expect: (p) => [...OK, userIn(p.name, 'groups ["users"]', { groups: ['users'] }, 'quirk')],
    }),
    errorCase({
      id: 'active-false-string',
      says: 'active "false" is not a true value: deactivated',
      see: SEE,
      level: 'quirk',
      params: async (c) => ({ name: await freshUser(c), active: 'false' }),
      expect: (p) => [...OK, userIn(p.name, 'active false', { active: false }, 'quirk')],
    }),
  ],
  examples: [
    {
      source: 'seed 001 (OctoPrintClient.access.users.update)',
      request: { active: true, groups: ['users'], permissions: [], admin: false },
      response: { users: ['…'] },
      note: 'Real 1.4–1.11 clients call update(name, active, admin, permissions, groups, opts); the seed shows the 2.0 signature (octoprint.md §0).',
    },
  ],
});

export const deleteUser = method({
  name: 'access.users.delete',
  group: 'users',
  summary: 'Delete a user; answers the user list',
  see: SEE,
  wire: { route: { verb: 'DELETE', path: '/api/access/users/{name}' } },
  params: Type.Object({ name: Type.String() }),
  result: { must: UserListDocumented, quirk: UserListReal },
  access: adminOnly('DELETE'),
  valid: async (c) => ({ name: await freshUser(c) }),
  succeeds: (p) => [
    ...OK,
    where('must', `the list no longer has ${p.name}`, (body) =>
      entryOf(body, 'users', 'name', p.name) ? 'still listed' : null,
    ),
  ],
  errors: [
    {
      id: 'unknown-name',
      says: 'an unknown user gives 404',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER }),
      expect: fails(404),
    },
  ],
  examples: [],
});

export const userMethods = [listUsers, addUser, getUser, updateUser, deleteUser];
