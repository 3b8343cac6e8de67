import { Type } from 'typebox';
import { facet } from '../../../spec/expectation.js';
import { arranged } from '../../../spec/method.js';
import { replyOf, resultSatisfies } from '../../../wire/rhodecode.js';
import { invalidInput, NOT_YOURS, refusal, selfOrSuperAdmin, superAdminOnly } from '../access.js';
import {
  answers,
  errorCase,
  field,
  fieldIs,
  IdOrName,
  lists,
  method,
  omits,
  Optional,
  UNKNOWN_ID,
  where,
} from '../define.js';
import {
  DeletedUser,
  GetUserResult,
  GetUserResultReal,
  MASKED_TOKEN,
  Repo,
  RepoReal,
  User,
  UserMessage,
  UserMessageReal,
} from '../records.js';
import { SEED_FIELDS_KEPT_NOTE, seedFieldsKept } from '../seed-forms.js';
import { password } from '../world.js';

/** user_api (rhodecode.md §4.1). */
const SEE = 'rhodecode.md §4.1';
const Str = (fallback: string) => Optional(Type.String(), fallback);
const Flag = (fallback: boolean | null) => Optional(Type.Union([Type.Boolean(), Type.String(), Type.Null()]), fallback);
const Nullable = () => Optional(Type.Union([Type.String(), Type.Null()]), null);

const notExist = (userid: unknown) => refusal(`user \`${String(userid)}\` does not exist`);
const noSeedFields = resultSatisfies(
  'should',
  'no api_key/api_keys next to auth_tokens',
  seedFieldsKept,
  () => SEED_FIELDS_KEPT_NOTE,
);
const tokensShown = (path: string) =>
  where('quirk', `${path} lists the real tokens (secrets shown to this caller)`, (r) => {
    const tokens = field(r, path);
    return Array.isArray(tokens) &&
      tokens.length > 0 &&
      tokens.every((t) => typeof t === 'string' && t !== MASKED_TOKEN)
      ? true
      : `got ${JSON.stringify(tokens)}`;
  });
const usernameIs = (name: string, level: 'must' | 'quirk' = 'must') => fieldIs('username', name, level);

export const getUser = method({
  name: 'get_user',
  group: 'users',
  summary: 'A user with their permissions; non-admins only themselves (by integer id)',
  see: SEE,
  params: Type.Object({ userid: Optional(IdOrName, null) }),
  result: { must: GetUserResult, quirk: GetUserResultReal },
  access: selfOrSuperAdmin,
  valid: (c) => ({ userid: c.world.plainUser.id }),
  succeeds: (_p, c) => [
    usernameIs(c.world.plainUser.name),
    where(
      'should',
      "`permissions` is there (the seed's key, which 4.27 still sends)",
      (r) => typeof field(r, 'permissions') === 'object' && field(r, 'permissions') !== null,
    ),
    where(
      'quirk',
      '`permissions` and `permissions_summary` are the same',
      (r) => JSON.stringify(field(r, 'permissions')) === JSON.stringify(field(r, 'permissions_summary')),
    ),
    tokensShown('auth_tokens'),
    noSeedFields,
  ],
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown id gives "user `<id>` does not exist"',
      see: 'rhodecode.md §1.2',
      level: 'quirk',
      params: () => ({ userid: UNKNOWN_ID }),
      expect: notExist(UNKNOWN_ID),
    },
    {
      id: 'by-name',
      says: 'a username finds the user',
      see: SEE,
      level: 'must',
      params: (c) => ({ userid: c.world.plainUser.name }),
      expect: (_p, c) => answers(usernameIs(c.world.plainUser.name)),
    },
    errorCase({
      id: 'numeric-string-is-a-name',
      says: 'an id sent as a string is looked up as a username: "5" does not find user 5',
      see: 'rhodecode.md §1.2',
      level: 'quirk',
      params: (c) => ({ userid: String(c.world.plainUser.id) }),
      expect: (p) => notExist(p.userid),
    }),
    {
      id: 'own-id',
      says: 'a plain user may read themselves by integer id',
      see: SEE,
      level: 'must',
      as: 'user',
      params: (c) => ({ userid: c.world.user?.id }),
      expect: (_p, c) => answers(usernameIs(c.world.user?.name ?? '')),
    },
    {
      id: 'no-userid',
      says: 'without userid, the caller themselves',
      see: SEE,
      level: 'must',
      as: 'user',
      params: () => ({}),
      expect: (_p, c) => answers(usernameIs(c.world.user?.name ?? '')),
    },
    {
      id: 'own-username',
      says: 'a plain user naming themselves by username is refused: only the integer id compares equal',
      see: SEE,
      level: 'quirk',
      as: 'user',
      params: (c) => ({ userid: c.world.user?.name }),
      expect: NOT_YOURS,
    },
    {
      id: 'super-admin-permissions',
      says: "a super-admin's global permissions include hg.admin, and every user group maps to usergroup.admin",
      see: 'rhodecode.md §2.1',
      level: 'quirk',
      params: (c) => ({ userid: c.world.me.id }),
      expect: (_p, c) =>
        answers(
          where(
            'quirk',
            'global includes hg.admin',
            (r) => (field(r, 'permissions_summary.global') as unknown[] | undefined)?.includes('hg.admin') === true,
          ),
          fieldIs(`permissions_summary.user_groups.${c.world.group.name}`, 'usergroup.admin', 'quirk'),
        ),
    },
  ],
  examples: [
    {
      source: 'seed 003 (user-methods.rst r618)',
      request: { id: 1, auth_token: '<token>', method: 'get_user', args: { userid: 32 } },
      response: {
        id: 1,
        result: {
          user_id: 32,
          username: 'username',
          api_key: 'api-key',
          api_keys: ['…'],
          permissions: { global: ['…'] },
        },
        error: null,
      },
      note: '4.27 sends auth_tokens instead of api_key/api_keys, adds description and last_activity, and permissions_summary next to permissions (rhodecode.md §5.3, §5.4).',
    },
  ],
});

export const getUsers = method({
  name: 'get_users',
  group: 'users',
  summary: 'Every user but `default`, sorted by username, with secrets',
  see: SEE,
  params: Type.Object({}),
  result: { must: Type.Array(User), quirk: Type.Array(User) },
  access: superAdminOnly,
  valid: () => ({}),
  succeeds: (_p, c) => [
    lists('must', 'username', c.world.plainUser.name),
    omits('quirk', 'username', 'default', 'leaves out the default user'),
    noSeedFields,
  ],
  errors: [],
  examples: [],
});

const createParams = Type.Object({
  username: Type.String(),
  email: Type.String(),
  password: Str(''),
  firstname: Str(''),
  lastname: Str(''),
  description: Str(''),
  active: Flag(true),
  admin: Flag(false),
  extern_name: Str('rhodecode'),
  extern_type: Str('rhodecode'),
  force_password_change: Flag(false),
  create_personal_repo_group: Flag(null),
});

const newUser = (c: { name(kind: string): string }, extra: Record<string, unknown> = {}) => {
  const username = c.name('user');
  return {
    username,
    email: `${username}@example.com`,
    password: password(),
    create_personal_repo_group: false,
    ...extra,
  };
};

const USERNAME_RULE =
  'Username may only contain alphanumeric characters underscores, periods or dashes and must begin with alphanumeric character or underscore';

export const createUser = method({
  name: 'create_user',
  group: 'users',
  summary: 'Create a user (super-admin only)',
  see: SEE,
  params: createParams,
  result: { must: UserMessage, quirk: UserMessageReal },
  access: superAdminOnly,
  valid: (c) => newUser(c),
  succeeds: (p) => {
    const { username } = p;
    return [
      fieldIs('msg', `created new user \`${username}\``),
      fieldIs('user.username', username),
      fieldIs('user.active', true),
      fieldIs('user.admin', false),
      fieldIs('user.description', ''),
      where('quirk', 'a new user already has one token (its feed token), shown', (r) => {
        const tokens = field(r, 'user.auth_tokens');
        return (
          (Array.isArray(tokens) && tokens.length === 1 && tokens[0] !== MASKED_TOKEN) ||
          `got auth_tokens ${JSON.stringify(tokens)}`
        );
      }),
      noSeedFields,
    ];
  },
  creates: {
    kind: 'user',
    handle: (result, params) => {
      const id = field(result, 'user.user_id');
      return typeof id === 'number' ? { id, name: params.username } : undefined;
    },
  },
  errors: [
    errorCase({
      id: 'duplicate-username',
      says: 'a username that exists: "user `<username>` already exist"',
      see: SEE,
      level: 'must',
      params: (c) => newUser(c, { username: c.world.plainUser.name }),
      expect: (p) => refusal(`user \`${p.username}\` already exist`, 'must'),
    }),
    errorCase({
      id: 'duplicate-email',
      says: 'an email that exists: "email `<email>` already exist"',
      see: SEE,
      level: 'must',
      params: (c) => newUser(c, { email: `${c.world.plainUser.name}@example.com` }),
      expect: (p) => refusal(`email \`${p.email}\` already exist`, 'must'),
    }),
    errorCase({
      id: 'duplicate-email-other-case',
      says: 'the email check ignores case',
      see: 'rhodecode.md §3',
      level: 'quirk',
      params: (c) => newUser(c, { email: `${c.world.plainUser.name}@EXAMPLE.com` }),
      expect: (p) => refusal(`email \`${p.email}\` already exist`),
    }),
    errorCase({
      id: 'duplicate-username-first',
      says: 'the username is checked before the email',
      see: SEE,
      level: 'quirk',
      params: (c) => newUser(c, { username: c.world.plainUser.name, email: `${c.world.plainUser.name}@example.com` }),
      expect: (p) => refusal(`user \`${p.username}\` already exist`),
    }),
    {
      id: 'bad-username',
      says: 'a username with a space is refused with a validation object',
      see: 'rhodecode.md §3',
      level: 'should',
      params: (c) => newUser(c, { username: `${c.name('user')} x` }),
      expect: invalidInput({ username: USERNAME_RULE }),
    },
    {
      id: 'empty-username',
      says: 'an empty username: {"username": "Required"}',
      see: 'rhodecode.md §3',
      level: 'should',
      params: (c) => newUser(c, { username: '' }),
      expect: invalidInput({ username: 'Required' }),
    },
    {
      id: 'bad-email',
      says: 'a malformed email: {"email": "Invalid email address"}',
      see: 'rhodecode.md §3',
      level: 'should',
      params: (c) => newUser(c, { email: 'not-an-email' }),
      expect: invalidInput({ email: 'Invalid email address' }),
    },
    {
      id: 'active-number',
      says: 'active as a number: {"active": "12345 is not a string"}',
      see: 'rhodecode.md §3',
      level: 'should',
      params: (c) => newUser(c, { active: 12345 }),
      expect: invalidInput({ active: '12345 is not a string' }),
    },
    {
      id: 'admin-bad-string',
      says: 'admin as an unknown string: "<lower-cased> value cannot be translated to bool"',
      see: 'rhodecode.md §3',
      level: 'should',
      params: (c) => newUser(c, { admin: 'Maybe' }),
      expect: invalidInput({ admin: 'maybe value cannot be translated to bool' }),
    },
    {
      id: 'active-string-no',
      says: 'active as the string "No" makes an inactive user',
      see: 'rhodecode.md §3',
      level: 'quirk',
      params: (c) => newUser(c, { active: 'No' }),
      expect: answers(fieldIs('user.active', false, 'quirk')),
    },
    // UserSchema gives extern_name '' (missing), then create_or_update stores `extern_name or 'rhodecode'`
    // (model/validation_schema/schemas/user_schema.py, model/user.py).
    {
      id: 'empty-extern-name',
      says: 'extern_name and extern_type "" are stored as "rhodecode"',
      see: 'https://github.com/keqiongpan/rhodecode-enterprise-ce/blob/72356a94/rhodecode/model/user.py',
      level: 'quirk',
      params: (c) => newUser(c, { extern_name: '', extern_type: '' }),
      expect: answers(
        fieldIs('user.extern_name', 'rhodecode', 'quirk'),
        fieldIs('user.extern_type', 'rhodecode', 'quirk'),
      ),
    },
    // The duplicate check is exact (UserModel.get_by_username), but create_or_update looks the name up
    // case-insensitively and edits the user it finds (api/views/user_api.py, model/user.py). Exact on
    // PostgreSQL and SQLite; a MySQL collation makes the first lookup match and answers "already exist".
    errorCase({
      id: 'name-differing-in-case',
      says: 'a username that differs from an existing one only in case updates that user (same user_id), and says "created"',
      see: 'https://github.com/keqiongpan/rhodecode-enterprise-ce/blob/72356a94/rhodecode/model/user.py',
      level: 'quirk',
      params: async (c) => {
        const u = await c.create('user');
        const username = u.name.toUpperCase();
        return arranged({ ...newUser(c), username, email: `${c.name('user')}@example.com` }, u);
      },
      expect: (p, _c, u) =>
        answers(
          fieldIs('msg', `created new user \`${p.username}\``, 'quirk'),
          fieldIs('user.user_id', u.id, 'quirk'),
          fieldIs('user.username', p.username, 'quirk'),
        ),
    }),
    {
      id: 'description',
      says: 'description (4.18+) is stored',
      see: 'rhodecode.md §5.2',
      level: 'must',
      params: (c) => newUser(c, { description: 'made by accord' }),
      expect: answers(
        fieldIs('user.description', 'made by accord', 'must', (got) =>
          got === '' || got === undefined
            ? 'the seed (4.3) has no description argument; RhodeCode 4.18 added it to create_user and to the user object'
            : undefined,
        ),
      ),
    },
  ],
  examples: [
    {
      source: 'seed 003 (user-methods.rst r618)',
      request: {
        id: 1,
        auth_token: '<token>',
        method: 'create_user',
        args: { username: 'alice', email: 'alice@example.com' },
      },
      response: { id: 1, result: { msg: 'created new user `alice`', user: '<user_obj>' }, error: null },
    },
  ],
});

export const updateUser = method({
  name: 'update_user',
  group: 'users',
  summary: 'Update a user (super-admin only); only the arguments sent are applied',
  see: SEE,
  params: Type.Object({
    userid: IdOrName,
    username: Nullable(),
    email: Nullable(),
    password: Nullable(),
    firstname: Nullable(),
    lastname: Nullable(),
    description: Nullable(),
    active: Flag(null),
    admin: Flag(null),
    extern_type: Nullable(),
    extern_name: Nullable(),
  }),
  result: { must: UserMessage, quirk: UserMessageReal },
  access: superAdminOnly,
  valid: async (c) => ({ userid: (await c.create('user')).id, firstname: 'Ada', description: 'updated by accord' }),
  succeeds: (p) => [
    where(
      'must',
      'msg "updated user ID:<id> <username>"',
      (r) => /^updated user ID:\d+ \S+$/.test(String(field(r, 'msg'))) || `got msg ${JSON.stringify(field(r, 'msg'))}`,
    ),
    fieldIs('user.user_id', p.userid),
    fieldIs('user.firstname', 'Ada'),
    fieldIs('user.description', 'updated by accord'),
    noSeedFields,
  ],
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown user: "user `<userid>` does not exist"',
      see: SEE,
      level: 'quirk',
      params: () => ({ userid: UNKNOWN_ID, firstname: 'Nobody' }),
      expect: notExist(UNKNOWN_ID),
    },
    // No field is sent: a server that wrongly allowed it would still change nothing on the default user.
    {
      id: 'default-user',
      says: 'the default user cannot be edited: "editing default user is forbidden"',
      see: SEE,
      level: 'quirk',
      params: () => ({ userid: 'default' }),
      expect: refusal('editing default user is forbidden'),
    },
    errorCase({
      id: 'rename-to-existing',
      says: 'a username that exists fails as "failed to update user `<userid as sent>`"',
      see: 'rhodecode.md §3',
      level: 'quirk',
      params: async (c) => ({ userid: (await c.create('user')).name, username: c.world.plainUser.name }),
      expect: (p) => refusal(`failed to update user \`${p.userid}\``),
    }),
    errorCase({
      id: 'email-lower-cased',
      says: 'an email is stored lower-cased',
      see: 'rhodecode.md §2.1',
      level: 'quirk',
      params: async (c) => {
        const u = await c.create('user');
        return { userid: u.id, email: `${u.name}@Example.ORG` };
      },
      expect: (p) => answers(fieldIs('user.email', String(p.email).toLowerCase(), 'quirk')),
    }),
    // UserModel.update_user takes firstname as `name` and keeps it only `if firstname:` (model/user.py).
    errorCase({
      id: 'empty-firstname-ignored',
      says: 'firstname "" leaves the first name as it was (only a non-empty one is applied)',
      see: 'https://github.com/keqiongpan/rhodecode-enterprise-ce/blob/72356a94/rhodecode/model/user.py',
      level: 'quirk',
      params: async (c) => {
        const u = await c.create('user');
        await c.ok('update_user', { userid: u.id, firstname: 'Ada' });
        return { userid: u.id, firstname: '' };
      },
      expect: answers(fieldIs('user.firstname', 'Ada', 'quirk')),
    }),
    // store_update keeps every argument that is not an Optional, null included, and create_or_update
    // writes it to the nullable column (api/utils.py store_update, model/user.py create_or_update).
    errorCase({
      id: 'null-lastname-written',
      says: 'lastname null is written: the last name becomes null',
      see: 'https://github.com/keqiongpan/rhodecode-enterprise-ce/blob/72356a94/rhodecode/api/utils.py',
      level: 'quirk',
      params: async (c) => {
        const u = await c.create('user');
        await c.ok('update_user', { userid: u.id, lastname: 'Lovelace' });
        return { userid: u.id, lastname: null };
      },
      expect: answers(fieldIs('user.lastname', null, 'quirk')),
    }),
  ],
  examples: [],
});

export const deleteUser = method({
  name: 'delete_user',
  group: 'users',
  summary: 'Delete a user (super-admin only); refused while they own objects',
  see: SEE,
  params: Type.Object({ userid: IdOrName }),
  result: { must: DeletedUser },
  access: superAdminOnly,
  valid: async (c) => ({ userid: (await c.create('user')).id }),
  succeeds: (p) => [
    where(
      'must',
      'msg "deleted user ID:<id> <username>"',
      (r) =>
        String(field(r, 'msg')).startsWith(`deleted user ID:${p.userid} `) ||
        `got msg ${JSON.stringify(field(r, 'msg'))}`,
    ),
    fieldIs('user', null),
  ],
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown user: "user `<userid>` does not exist"',
      see: SEE,
      level: 'quirk',
      params: () => ({ userid: UNKNOWN_ID }),
      expect: notExist(UNKNOWN_ID),
    },
    errorCase({
      id: 'owns-a-user-group',
      says: 'a user who still owns a user group: "failed to delete user ID:<id> <username>"',
      see: 'rhodecode.md §5.7',
      level: 'must',
      params: async (c) => {
        const u = await c.create('user');
        await c.create('usergroup', { owner: u.id });
        return arranged({ userid: u.id }, u);
      },
      expect: (p, _c, u) => refusal(`failed to delete user ID:${p.userid} ${u.name}`, 'must'),
    }),
  ],
  examples: [],
});

const locksParams = Type.Object({ userid: Optional(IdOrName, null) });

export const getUserLocks = method({
  name: 'get_user_locks',
  group: 'users',
  summary: 'Repositories locked by a user: a plain JSON list',
  see: SEE,
  params: locksParams,
  result: { must: Type.Array(Repo, { title: 'a list of repositories' }), quirk: Type.Array(RepoReal) },
  access: selfOrSuperAdmin,
  valid: (c) => ({ userid: c.world.plainUser.id }),
  succeeds: () => [where('must', 'a plain JSON list (the docs draw it inside braces)', (r) => Array.isArray(r))],
  errors: [
    {
      id: 'own-id',
      says: 'a plain user may list their own locks by integer id',
      see: SEE,
      level: 'must',
      as: 'user',
      params: (c) => ({ userid: c.world.user?.id }),
      expect: answers(where('must', 'a list', (r) => Array.isArray(r))),
    },
    {
      id: 'unknown-id',
      says: 'an unknown user: "user `<userid>` does not exist"',
      see: SEE,
      level: 'quirk',
      params: () => ({ userid: UNKNOWN_ID }),
      expect: notExist(UNKNOWN_ID),
    },
  ],
  examples: [],
});

export const getLocks = method({
  name: 'get_locks',
  group: 'users',
  summary: 'Deprecated alias of get_user_locks (4.0.0): the same answer plus DEPRECATION_WARNING',
  see: 'rhodecode.md §1, §4.1',
  params: locksParams,
  result: { must: Type.Array(Repo, { title: 'a list of repositories' }), quirk: Type.Array(RepoReal) },
  access: selfOrSuperAdmin,
  valid: (c) => ({ userid: c.world.plainUser.id }),
  succeeds: () => [where('must', 'a plain JSON list', (r) => Array.isArray(r)), deprecation('get_user_locks')],
  errors: [],
  examples: [],
});

function deprecation(use: string) {
  const text = `DEPRECATED METHOD Please use method \`${use}\` instead.`;
  return facetOnReply(`DEPRECATION_WARNING "${text}"`, (r) =>
    r['DEPRECATION_WARNING'] === text ? null : `got ${JSON.stringify(r['DEPRECATION_WARNING'])}`,
  );
}

export const userMethods = [createUser, deleteUser, getUser, getUserLocks, getLocks, getUsers, updateUser];

function facetOnReply(says: string, test: (reply: Record<string, unknown>) => string | null) {
  return facet('quirk', says, (o) => {
    const r = replyOf(o);
    return r.ok ? test(r.reply) : r.why;
  });
}
