import { Type } from 'typebox';
import { appRole } from '../access.js';
import {
  emptyUpdateError,
  exceptionReply,
  invalidInteger,
  method,
  notNullViolation,
  returns,
  resultWhere,
  sortedBy,
  UNKNOWN_ID,
} from '../define.js';
import { variantFacets } from '../../../spec/variant.js';
import { perDatabase } from '../records.js';
import { APP_ROLES, phpTrim, PositiveId, UserDocumented, UserListRealByDb, UserRealByDb } from '../records.js';
import { numbered, password } from '../world.js';

/** UserProcedure: app token or app-admin only (kanboard.md §4, §6 Users). */
const SEE = 'kanboard.md §6 Users';
const admin = appRole('app-admin');
const UserId = Type.Integer({ minimum: 1 });

const newId = (r: unknown) => (typeof r === 'number' && r > 0 ? null : `got ${JSON.stringify(r)}`);
const usernameIs = (name: string) => (r: unknown) =>
  typeof r === 'object' && r !== null && (r as { username?: unknown }).username === name
    ? null
    : `got ${JSON.stringify(r)?.slice(0, 80)}`;

export const getUser = method({
  name: 'getUser',
  group: 'users',
  summary: 'Get a user by id',
  see: SEE,
  params: Type.Object({ user_id: UserId }),
  result: { must: UserDocumented, quirk: UserRealByDb },
  access: admin,
  valid: (c) => ({ user_id: c.world.user.id }),
  succeeds: (_p, c) => resultWhere('must', `the user ${c.world.user.name}`, usernameIs(c.world.user.name)),
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown id gives null',
      see: SEE,
      level: 'must',
      params: () => ({ user_id: UNKNOWN_ID }),
      expect: returns(null),
    },
    {
      id: 'numeric-string-id',
      says: 'an id sent as a numeric string still finds the user (PHP coercion)',
      see: 'kanboard.md §3 step 7',
      level: 'quirk',
      params: (c) => ({ user_id: String(c.world.user.id) }),
      expect: (_p, c) => resultWhere('quirk', `the user ${c.world.user.name}`, usernameIs(c.world.user.name)),
    },
    {
      id: 'non-integer-id',
      says: 'an id that is not an integer finds nobody (PostgreSQL: invalid input syntax for type integer)',
      see: 'issue 13 (real servers)',
      level: 'quirk',
      params: () => ({ user_id: 'abc' }),
      expect: (_p, c) => variantFacets(invalidInteger(returns(null, 'quirk')), c.variant),
    },
  ],
  examples: [
    {
      source: 'seed 004 (docs/api-json-rpc.markdown)',
      request: { jsonrpc: '2.0', method: 'getUser', id: 1769674781, params: { user_id: 1 } },
      response: {
        jsonrpc: '2.0',
        id: 1769674781,
        result: {
          id: '1',
          username: 'biloute',
          password: '$2y$10$dRs6pPoBu935RpmsrhmbjevJH5MgZ7Kr9QrnVINwwyZ3.MOwqg.0m',
          is_admin: '0',
          default_project_id: '0',
          is_ldap_user: '0',
          name: '',
          email: '',
          google_id: null,
          github_id: null,
          notifications_enabled: '0',
        },
      },
      note: 'The real server sends numbers as numbers, the whole users row, and no default_project_id (kanboard.md §7).',
    },
  ],
});

export const getUserByName = method({
  name: 'getUserByName',
  group: 'users',
  summary: 'Get a user by username',
  see: SEE,
  params: Type.Object({ username: Type.String() }),
  result: { must: UserDocumented, quirk: UserRealByDb },
  access: admin,
  valid: (c) => ({ username: c.world.user.name }),
  succeeds: (_p, c) => resultWhere('must', `the user ${c.world.user.name}`, usernameIs(c.world.user.name)),
  errors: [
    {
      id: 'unknown-name',
      says: 'an unknown username gives null',
      see: SEE,
      level: 'must',
      params: (c) => ({ username: c.name('missing') }),
      expect: returns(null),
    },
    {
      id: 'case-sensitive',
      says: 'the match is exact and case-sensitive (MySQL: case-insensitive, utf8mb4_unicode_ci)',
      see: SEE,
      level: 'quirk',
      params: (c) => ({ username: c.world.user.name.toUpperCase() }),
      expect: (_p, c) =>
        variantFacets(
          perDatabase((db) =>
            db.caseInsensitiveNames
              ? resultWhere('quirk', `the user ${c.world.user.name}`, usernameIs(c.world.user.name))
              : returns(null, 'quirk'),
          ),
          c.variant,
        ),
    },
  ],
  examples: [],
});

export const getAllUsers = method({
  name: 'getAllUsers',
  group: 'users',
  summary: 'List all users',
  see: SEE,
  params: Type.Object({}),
  result: { must: Type.Array(UserDocumented), quirk: UserListRealByDb },
  access: admin,
  valid: () => ({}),
  succeeds: (_p, c) => [
    ...resultWhere('must', `includes ${c.world.user.name}`, (r) =>
      Array.isArray(r) && r.some((u: { username?: unknown }) => u.username === c.world.user.name)
        ? null
        : 'not in the list',
    ),
    ...sortedBy('username', c.variant),
  ],
  errors: [],
  examples: [
    {
      source: 'seed 004 (docs/api-json-rpc.markdown)',
      request: { jsonrpc: '2.0', method: 'getAllUsers', id: 1438712131 },
      response: {
        jsonrpc: '2.0',
        id: 1438712131,
        result: [
          {
            id: '1',
            username: 'biloute',
            name: '',
            email: '',
            is_admin: '0',
            default_project_id: '0',
            is_ldap_user: '0',
            notifications_enabled: '0',
            google_id: null,
            github_id: null,
          },
        ],
      },
      note: 'The real list also carries the password hash and every other column (kanboard.md §7).',
    },
  ],
});

export const createUser = method({
  name: 'createUser',
  group: 'users',
  summary: 'Create a user; returns the new id',
  see: SEE,
  params: Type.Object({
    username: Type.String({ minLength: 1, maxLength: 191 }),
    password: Type.String({ minLength: 6 }),
    name: Type.Optional(Type.String({ default: '' })),
    email: Type.Optional(Type.String({ default: '', format: 'email' })),
    role: Type.Optional(
      Type.Union(
        APP_ROLES.map((r) => Type.Literal(r)),
        { default: 'app-user' },
      ),
    ),
  }),
  result: { must: PositiveId },
  access: admin,
  valid: (c) => ({ username: c.name('user'), password: password() }),
  succeeds: () => [
    ...resultWhere('must', 'the new user id (the seed documentation says true)', (r) =>
      r === true
        ? 'got true: the seed documentation (2016) says createUser returns true; Kanboard returns the new id'
        : null,
    ),
  ],
  // Recorded as stored (trimmed, §8), so that teardown finds it under that name.
  // Wrong calls that a server accepts come here too: String() reads what was sent.
  creates: {
    kind: 'user',
    handle: (result, params) =>
      typeof result === 'number' ? { id: result, name: phpTrim(String(params.username)) } : undefined,
  },
  errors: [
    {
      id: 'duplicate-username',
      says: 'a username that exists gives false',
      see: SEE,
      level: 'must',
      params: (c) => ({ username: c.world.user.name, password: password() }),
      expect: returns(false),
    },
    {
      id: 'short-password',
      says: 'a password under 6 characters gives false',
      see: SEE,
      level: 'must',
      params: (c) => ({ username: c.name('user'), password: '12345' }),
      expect: returns(false),
    },
    {
      id: 'empty-username',
      says: 'an empty username gives false',
      see: SEE,
      level: 'must',
      params: () => ({ username: '', password: password() }),
      expect: returns(false),
    },
    {
      id: 'case-variant',
      says: 'a username that differs only in case is a new user (MySQL: a duplicate, false)',
      see: 'issue 13 (real servers)',
      level: 'quirk',
      params: (c) => ({ username: c.world.user.name.toUpperCase(), password: password() }),
      expect: (_p, c) =>
        variantFacets(
          perDatabase((db) =>
            db.caseInsensitiveNames ? returns(false, 'quirk') : resultWhere('quirk', 'a new user id', newId),
          ),
          c.variant,
        ),
    },
    {
      id: 'null-role',
      says: 'a null role gives false (PostgreSQL: a not-null violation, error code 0)',
      see: 'issue 13 (real servers)',
      level: 'quirk',
      params: (c) => ({ username: c.name('user'), password: password(), role: null }),
      expect: (_p, c) => variantFacets(notNullViolation(returns(false, 'quirk'), 'role', 'users'), c.variant),
    },
    {
      id: 'duplicate-after-trim',
      says: 'a username that clashes after trimming gives false (before 1.2.27: a new user, stored as sent)',
      see: 'kanboard.md §8',
      level: 'quirk',
      params: (c) => ({ username: `  ${c.world.user.name}  `, password: password() }),
      expect: (_p, c) =>
        variantFacets(
          perDatabase((db) =>
            db.release.trimsUsername ? returns(false, 'quirk') : resultWhere('quirk', 'a new user id', newId),
          ),
          c.variant,
        ),
    },
    {
      id: 'bad-email',
      says: 'a badly formed email gives false',
      see: SEE,
      level: 'quirk',
      params: (c) => ({ username: c.name('user'), password: password(), email: 'not-an-email' }),
      expect: returns(false, 'quirk'),
    },
    {
      id: 'unknown-role',
      says: 'a role that is not an application role gives false',
      see: SEE,
      level: 'quirk',
      params: (c) => ({ username: c.name('user'), password: password(), role: 'app-superuser' }),
      expect: returns(false, 'quirk'),
    },
    {
      id: 'project-role',
      says: 'a project role is rejected as an application role',
      see: SEE,
      level: 'quirk',
      params: (c) => ({ username: c.name('user'), password: password(), role: 'project-manager' }),
      expect: returns(false, 'quirk'),
    },
  ],
  examples: [
    {
      source: 'seed 004 (docs/api-json-rpc.markdown)',
      request: {
        jsonrpc: '2.0',
        method: 'createUser',
        id: 1518863034,
        params: { username: 'biloute', password: '123456' },
      },
      response: { jsonrpc: '2.0', id: 1518863034, result: true },
      note: 'A real Kanboard answers the new user id, not true (kanboard.md §7.6).',
    },
  ],
});

export const createLdapUser = method({
  name: 'createLdapUser',
  group: 'users',
  summary: 'Create a user from the LDAP directory',
  see: SEE,
  params: Type.Object({ username: Type.String() }),
  result: { must: Type.Union([PositiveId, Type.Literal(false)]) },
  access: admin,
  valid: (c) => ({ username: c.name('ldap') }),
  // The reference server has no LDAP: the call throws, and the exception text comes back as error code 0.
  answers: () =>
    exceptionReply(
      'quirk',
      'message "LDAP server not configured, check the parameter LDAP_SERVER"',
      (m) => m === 'LDAP server not configured, check the parameter LDAP_SERVER',
    ),
  errors: [],
  examples: [],
});

export const updateUser = method({
  name: 'updateUser',
  group: 'users',
  summary: 'Update username, name, email or role',
  see: SEE,
  params: Type.Object({
    id: UserId,
    username: Type.Optional(Type.Union([Type.String(), Type.Null()], { default: null })),
    name: Type.Optional(Type.Union([Type.String(), Type.Null()], { default: null })),
    email: Type.Optional(Type.Union([Type.String(), Type.Null()], { default: null })),
    role: Type.Optional(Type.Union([Type.String(), Type.Null()], { default: null })),
  }),
  result: { must: Type.Boolean() },
  access: admin,
  valid: async (c) => ({ id: numbered(await c.create('user')).id, name: 'Renamed By Accord' }),
  succeeds: () => returns(true),
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown id gives true',
      see: 'kanboard.md §7.4',
      level: 'quirk',
      params: () => ({ id: UNKNOWN_ID, name: 'Nobody' }),
      expect: returns(true, 'quirk', false),
    },
    {
      id: 'duplicate-username',
      says: 'renaming to a username that exists gives false',
      see: SEE,
      level: 'must',
      params: async (c) => ({ id: (await c.create('user')).id, username: c.world.user.name }),
      expect: returns(false),
    },
    {
      id: 'unknown-role',
      says: 'a role that is not an application role gives false',
      see: SEE,
      level: 'quirk',
      params: async (c) => ({ id: (await c.create('user')).id, role: 'app-superuser' }),
      expect: returns(false, 'quirk'),
    },
    {
      id: 'bad-email',
      says: 'a badly formed email gives false',
      see: SEE,
      level: 'quirk',
      params: async (c) => ({ id: (await c.create('user')).id, email: 'not-an-email' }),
      expect: returns(false, 'quirk'),
    },
    {
      id: 'nothing-to-change',
      says: 'with no field to change the SQL update fails: error code 0, "SQL Error…"',
      see: SEE,
      level: 'quirk',
      params: async (c) => ({ id: (await c.create('user')).id }),
      expect: (_p, c) => emptyUpdateError(c.variant),
    },
    {
      id: 'seed-is-admin-only',
      says: "the seed's example {id, is_admin: 1} changes nothing and fails the same way",
      see: 'kanboard.md §7.6',
      level: 'quirk',
      params: async (c) => ({ id: (await c.create('user')).id, is_admin: 1 }),
      expect: (_p, c) => emptyUpdateError(c.variant),
    },
  ],
  examples: [
    {
      source: 'seed 004 (docs/api-json-rpc.markdown)',
      request: { jsonrpc: '2.0', method: 'updateUser', id: 322123657, params: { id: 1, is_admin: 1 } },
      response: { jsonrpc: '2.0', id: 322123657, result: true },
      note: 'On a real Kanboard this example gets error code 0 (SQL syntax error): is_admin is not a parameter.',
    },
  ],
});

export const removeUser = method({
  name: 'removeUser',
  group: 'users',
  summary: 'Remove a user',
  see: SEE,
  params: Type.Object({ user_id: UserId }),
  result: { must: Type.Boolean() },
  access: admin,
  valid: async (c) => ({ user_id: numbered(await c.create('user')).id }),
  succeeds: () => returns(true),
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown id gives false',
      see: SEE,
      level: 'must',
      params: () => ({ user_id: UNKNOWN_ID }),
      expect: returns(false),
    },
  ],
  examples: [
    {
      source: 'seed 004 (docs/api-json-rpc.markdown)',
      request: { jsonrpc: '2.0', method: 'removeUser', id: 2094191872, params: { user_id: 1 } },
      response: { jsonrpc: '2.0', id: 2094191872, result: true },
    },
  ],
});

export const disableUser = method({
  name: 'disableUser',
  group: 'users',
  summary: 'Disable a user',
  see: SEE,
  params: Type.Object({ user_id: UserId }),
  result: { must: Type.Boolean() },
  access: admin,
  valid: async (c) => ({ user_id: numbered(await c.create('user')).id }),
  succeeds: () => returns(true),
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown id gives true',
      see: 'kanboard.md §7.4',
      level: 'quirk',
      params: () => ({ user_id: UNKNOWN_ID }),
      expect: returns(true, 'quirk', false),
    },
    {
      id: 'already-disabled',
      says: 'disabling a disabled user gives true',
      see: SEE,
      level: 'quirk',
      params: async (c) => {
        const u = await c.create('user');
        await c.ok('disableUser', { user_id: u.id });
        return { user_id: u.id };
      },
      expect: returns(true, 'quirk'),
    },
  ],
  examples: [],
});

export const enableUser = method({
  name: 'enableUser',
  group: 'users',
  summary: 'Enable a user',
  see: SEE,
  params: Type.Object({ user_id: UserId }),
  result: { must: Type.Boolean() },
  access: admin,
  valid: async (c) => {
    const u = numbered(await c.create('user'));
    await c.ok('disableUser', { user_id: u.id });
    return { user_id: u.id };
  },
  succeeds: () => returns(true),
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown id gives true',
      see: 'kanboard.md §7.4',
      level: 'quirk',
      params: () => ({ user_id: UNKNOWN_ID }),
      expect: returns(true, 'quirk', false),
    },
  ],
  examples: [],
});

export const isActiveUser = method({
  name: 'isActiveUser',
  group: 'users',
  summary: 'Whether a user is active',
  see: SEE,
  params: Type.Object({ user_id: UserId }),
  result: { must: Type.Boolean() },
  access: admin,
  valid: (c) => ({ user_id: c.world.user.id }),
  succeeds: () => returns(true),
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown id gives false',
      see: SEE,
      level: 'must',
      params: () => ({ user_id: UNKNOWN_ID }),
      expect: returns(false),
    },
    {
      id: 'disabled-user',
      says: 'a disabled user gives false',
      see: SEE,
      level: 'must',
      params: async (c) => {
        const u = await c.create('user');
        await c.ok('disableUser', { user_id: u.id });
        return { user_id: u.id };
      },
      expect: returns(false),
    },
  ],
  examples: [],
});

export const userProcedures = [
  getUser,
  getUserByName,
  getAllUsers,
  createUser,
  createLdapUser,
  updateUser,
  removeUser,
  disableUser,
  enableUser,
  isActiveUser,
];
