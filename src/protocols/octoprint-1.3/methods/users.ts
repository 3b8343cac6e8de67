import { Type } from 'typebox';
import { status } from '../../../wire/rest.js';
import { password } from '../../octoprint/world.js';
import { admin13, HTML_FORBIDDEN, selfOrAdmin13, TEXT_FORBIDDEN } from '../access.js';
import { documentedAs204, errorCase, fieldsAre, html, isRow, listEntry, method, OK, text, where } from '../define.js';
import { ApiKey13Reply, User13, User13Real, UserList13, UserList13Real } from '../records.js';
import { refreshSelfKey13 } from '../world.js';

/**
 * OctoPrint 1.3's /api/users (octoprint.md §4.4; seed 000's OctoPrintClient.users). Errors are text
 * (`make_response`) or Werkzeug 0.15 HTML pages (`abort`); JSON success bodies are sorted.
 */
const SEE = 'octoprint.md §4.4';
const NO_SUCH_USER = 'accord_nosuchuser_0000';

const userIn = (
  name: string,
  says: string,
  want: Readonly<Record<string, unknown>>,
  level: 'must' | 'quirk' = 'must',
) => listEntry(level, 'users', 'name', name, says, (row) => fieldsAre(row, want));
const addWith = (extra: Readonly<Record<string, unknown>>) => (c: { name(kind: string): string }) => ({
  name: c.name('user'),
  password: password(),
  active: true,
  ...extra,
});

export const list13 = method({
  name: 'users.list',
  group: 'users',
  summary: 'List every user',
  see: SEE,
  wire: { route: { verb: 'GET', path: '/api/users' } },
  params: Type.Object({}),
  result: { must: UserList13, quirk: UserList13Real },
  access: admin13,
  valid: () => ({}),
  succeeds: (_p, c) => [
    ...OK,
    userIn(c.world.self.name, `lists ${c.world.self.name} with its key`, {
      active: true,
      admin: false,
      apikey: c.world.self.apikey,
    }),
  ],
  errors: [],
  examples: [],
});

export const add13 = method({
  name: 'users.add',
  group: 'users',
  summary: 'Create a user (admin true adds the admin role); answers the user list',
  see: SEE,
  wire: {
    route: { verb: 'POST', path: '/api/users' },
    missing: {
      name: 'Missing mandatory name field',
      password: 'Missing mandatory password field',
      active: 'Missing mandatory active field',
    },
  },
  params: Type.Object({
    name: Type.String(),
    password: Type.String(),
    active: Type.Boolean(),
    admin: Type.Optional(Type.Boolean()),
  }),
  result: { must: UserList13, quirk: UserList13Real },
  access: admin13,
  valid: addWith({ admin: false }),
  succeeds: (p) => [
    ...OK,
    userIn(p.name, 'the new user, active, not admin, no key yet', { active: true, admin: false, apikey: null }),
  ],
  creates: {
    kind: 'user',
    handle: (_r, p) => (isRow(p) && typeof p['name'] === 'string' ? { id: p['name'], name: p['name'] } : undefined),
  },
  errors: [
    {
      id: 'duplicate-name',
      says: 'a name that exists gives an HTML 409',
      see: SEE,
      level: 'must',
      params: (c) => ({ name: c.world.self.name, password: password(), active: true }),
      expect: html(409, 'Conflict'),
    },
    errorCase({
      id: 'admin-role',
      says: 'admin true (any of the true values) gives the admin role',
      see: SEE,
      level: 'must',
      params: addWith({ admin: 'yes' }),
      expect: (p) => [...OK, userIn(p.name, 'admin true', { admin: true })],
    }),
    errorCase({
      id: 'inactive',
      says: 'active false makes an inactive user',
      see: SEE,
      level: 'must',
      params: addWith({ active: false, admin: false }),
      expect: (p) => [...OK, userIn(p.name, 'active false', { active: false })],
    }),
  ],
  examples: [
    {
      source: 'seed 000 (OctoPrintClient.users.add)',
      request: { name: 'jane', password: 'secret', active: true, admin: false },
      response: { users: ['…'] },
      note: 'The 1.3 client always sends active and admin as booleans.',
    },
  ],
});

export const get13 = method({
  name: 'users.get',
  group: 'users',
  summary: 'One user; the user themselves or an admin',
  see: SEE,
  wire: { route: { verb: 'GET', path: '/api/users/{name}' } },
  params: Type.Object({ name: Type.String() }),
  result: { must: User13, quirk: User13Real },
  access: selfOrAdmin13(HTML_FORBIDDEN),
  valid: (c) => ({ name: c.world.self.name }),
  succeeds: (_p, c) => [
    ...OK,
    where('must', `the user ${c.world.self.name}`, (b) =>
      isRow(b) ? fieldsAre(b, { name: c.world.self.name }) : 'not an object',
    ),
  ],
  errors: [
    {
      id: 'unknown-name',
      says: 'an unknown user gives an HTML 404',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER }),
      expect: html(404, 'Not Found'),
    },
  ],
  examples: [],
});

export const update13 = method({
  name: 'users.update',
  group: 'users',
  summary: 'Set active and admin; the roles are always rewritten',
  see: SEE,
  wire: { route: { verb: 'PUT', path: '/api/users/{name}' } },
  params: Type.Object({
    name: Type.String(),
    active: Type.Optional(Type.Boolean()),
    admin: Type.Optional(Type.Boolean()),
  }),
  result: { must: UserList13, quirk: UserList13Real },
  access: admin13,
  valid: async (c) => ({ name: (await c.create('user')).name, active: false, admin: true }),
  succeeds: (p) => [...OK, userIn(p.name, 'inactive and admin', { active: false, admin: true })],
  errors: [
    {
      id: 'unknown-name',
      says: 'an unknown user gives an HTML 404',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER, active: true }),
      expect: html(404, 'Not Found'),
    },
    errorCase({
      id: 'admin-left-out-strips-admin',
      says: 'a body without admin removes the admin role (the docs say "no change", §6.7)',
      see: 'octoprint.md §4.4, §6.7',
      level: 'quirk',
      params: async (c) => ({ name: (await c.create('user', { admin: true })).name, active: true }),
      expect: (p) => [...OK, userIn(p.name, 'admin false', { admin: false }, 'quirk')],
    }),
  ],
  examples: [
    {
      source: 'seed 000 (OctoPrintClient.users.update(name, active, admin))',
      request: { active: true, admin: false },
      response: { users: ['…'] },
      note: 'Both flags are always sent, so leaving admin undefined removes the admin role.',
    },
  ],
});

export const delete13 = method({
  name: 'users.delete',
  group: 'users',
  summary: 'Delete a user (no protection against deleting yourself)',
  see: SEE,
  wire: { route: { verb: 'DELETE', path: '/api/users/{name}' } },
  params: Type.Object({ name: Type.String() }),
  result: { must: UserList13, quirk: UserList13Real },
  access: admin13,
  valid: async (c) => ({ name: (await c.create('user')).name }),
  succeeds: (p) => [
    ...OK,
    where('must', `the list no longer has ${p.name}`, (b) =>
      isRow(b) && Array.isArray(b['users']) && b['users'].some((u) => isRow(u) && u['name'] === p.name)
        ? 'still listed'
        : null,
    ),
  ],
  errors: [
    {
      id: 'unknown-name',
      says: 'an unknown user gives an HTML 404',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER }),
      expect: html(404, 'Not Found'),
    },
  ],
  examples: [],
});

export const password13 = method({
  name: 'users.changePassword',
  group: 'account',
  summary: "Set a user's password (no current password in 1.3)",
  see: SEE,
  wire: {
    route: { verb: 'PUT', path: '/api/users/{name}/password' },
    missing: { password: 'password is missing from request' },
  },
  params: Type.Object({ name: Type.String(), password: Type.String() }),
  result: { must: Type.Object({}) },
  access: selfOrAdmin13(TEXT_FORBIDDEN),
  valid: (c) => ({ name: c.world.self.name, password: c.world.self.password }),
  succeeds: () => [...OK],
  errors: [
    {
      id: 'empty-password',
      says: 'an empty password gives 400 "password is missing from request"',
      see: SEE,
      level: 'must',
      params: (c) => ({ name: c.world.self.name, password: '' }),
      expect: text(400, 'password is missing from request'),
    },
    {
      id: 'unknown-name',
      says: 'an unknown user gives 404 "Unknown user: <name>"',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER, password: 'Accord-1' }),
      expect: text(404, `Unknown user: ${NO_SUCH_USER}`),
    },
    {
      id: 'self-without-current',
      says: 'the user changes their own password without sending the current one',
      see: SEE,
      level: 'quirk',
      as: 'self',
      params: (c) => ({ name: c.world.self.name, password: c.world.self.password }),
      expect: [status(200, 'quirk')],
    },
  ],
  examples: [],
});

export const getSettings13 = method({
  name: 'users.getSettings',
  group: 'account',
  summary: "A user's settings",
  see: SEE,
  wire: { route: { verb: 'GET', path: '/api/users/{name}/settings' } },
  params: Type.Object({ name: Type.String() }),
  result: { must: Type.Record(Type.String(), Type.Unknown()) },
  access: selfOrAdmin13(TEXT_FORBIDDEN),
  valid: (c) => ({ name: c.world.self.name }),
  succeeds: () => [...OK],
  errors: [
    {
      id: 'unknown-name',
      says: 'an unknown user gives 404 "Unknown user: <name>"',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER }),
      expect: text(404, `Unknown user: ${NO_SUCH_USER}`),
    },
  ],
  examples: [],
});

export const saveSettings13 = method({
  name: 'users.saveSettings',
  group: 'account',
  summary: "Merge keys into a user's settings",
  see: SEE,
  wire: { route: { verb: 'PATCH', path: '/api/users/{name}/settings', body: { param: 'settings', bodyDefault: {} } } },
  params: Type.Object({ name: Type.String(), settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }),
  result: { must: Type.Union([Type.Null(), Type.Object({})]) },
  access: selfOrAdmin13(TEXT_FORBIDDEN),
  valid: (c) => ({ name: c.world.self.name, settings: { accord: { theme: 'dark' } } }),
  succeeds: () => documentedAs204(),
  errors: [
    {
      id: 'unknown-name',
      says: 'an unknown user gives 404 "Unknown user: <name>"',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER, settings: { a: 1 } }),
      expect: text(404, `Unknown user: ${NO_SUCH_USER}`),
    },
  ],
  examples: [],
});

export const generateKey13 = method({
  name: 'users.generateApiKey',
  group: 'account',
  summary: 'Give a user a new API key (32 upper-case hex characters)',
  see: SEE,
  wire: { route: { verb: 'POST', path: '/api/users/{name}/apikey' } },
  params: Type.Object({ name: Type.String() }),
  result: { must: Type.Object({ apikey: Type.String() }), quirk: ApiKey13Reply },
  access: selfOrAdmin13(TEXT_FORBIDDEN),
  valid: async (c) => {
    await refreshSelfKey13(c);
    return { name: c.world.self.name };
  },
  succeeds: () => [...OK],
  errors: [
    {
      id: 'unknown-name',
      says: 'an unknown user gives 404 "Unknown user: <name>"',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER }),
      expect: text(404, `Unknown user: ${NO_SUCH_USER}`),
    },
  ],
  examples: [],
});

export const resetKey13 = method({
  name: 'users.resetApiKey',
  group: 'account',
  summary: "Remove a user's API key",
  see: SEE,
  wire: { route: { verb: 'DELETE', path: '/api/users/{name}/apikey' } },
  params: Type.Object({ name: Type.String() }),
  result: { must: Type.Union([Type.Null(), Type.Object({})]) },
  access: selfOrAdmin13(TEXT_FORBIDDEN),
  valid: async (c) => {
    await refreshSelfKey13(c);
    return { name: c.world.self.name };
  },
  succeeds: () => documentedAs204(),
  errors: [
    {
      id: 'unknown-name',
      says: 'an unknown user gives 404 "Unknown user: <name>"',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER }),
      expect: text(404, `Unknown user: ${NO_SUCH_USER}`),
    },
  ],
  examples: [],
});

/** In suite order: the apikey methods last (their valid calls rotate the `self` user's key). */
export const methods13 = [
  list13,
  add13,
  get13,
  update13,
  delete13,
  password13,
  getSettings13,
  saveSettings13,
  generateKey13,
  resetKey13,
];
