import { SkipCheck } from '../../../spec/skip.js';
import { TEXT } from '../../../wire/nymea.js';
import { errorText, statusIs } from '../../../wire/nymea-facets.js';
import { variantFacets } from '../../../spec/variant.js';
import type { Expectation } from '../../../spec/expectation.js';
import { perQt } from '../variants.js';
import { answersError, method, paramsSay, UNKNOWN_UUID, type NymeaError } from '../define.js';
import { newPassword, validPassword } from '../rules.js';
import { ADMIN_SCOPES, userInfoScopes, maskOf } from '../scopes.js';

/** The Users namespace (nymea.md §6): every call answers status success, with `params.error` a UserError. */
const SEE = 'nymea.md §6';
const see = (method: string) => `${SEE} ${method}`;

const noError = () => answersError('UserErrorNoError');

type Rec = Record<string, unknown>;

/** A 10-digit number of this run's own, from one of its names (a live server has no user of that name). */
function digitsOf(name: string): number {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) % 8_999_999_999;
  return 1_000_000_000 + hash;
}
const asList = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);

/** An error case whose reply is status success with this UserError. */
function userErrorCase(
  id: string,
  says: string,
  method: string,
  level: 'must' | 'should' | 'quirk',
  params: NymeaError['params'],
  error: string,
): NymeaError {
  return { id, says, see: see(method), level, params, expect: answersError(error, level) };
}

export const createUser = method('Users.CreateUser', {
  group: 'users',
  see: see('Users.CreateUser'),
  valid: (c) => ({
    username: c.name('user'),
    password: newPassword(),
    email: 'new@example.org',
    displayName: 'Accord New',
    scopes: ['PermissionScopeExecuteRules', 'PermissionScopeAccessAllThings'],
  }),
  // Wrong calls that a server accepts come here too (a username number, say): String() reads what was sent.
  creates: {
    kind: 'user',
    handle: (_r, params) => {
      const name = String(params.username).toLowerCase();
      return { id: name, name };
    },
  },
  succeeds: noError,
  errors: [
    userErrorCase(
      'invalid-username',
      'a name without 3 consecutive allowed characters: UserErrorInvalidUserId',
      'Users.CreateUser',
      'must',
      () => ({ username: 'a b', password: newPassword() }),
      'UserErrorInvalidUserId',
    ),
    userErrorCase(
      'bad-password',
      'a password without a digit and an upper-case letter: UserErrorBadPassword',
      'Users.CreateUser',
      'must',
      (c) => ({ username: c.name('user'), password: 'weakpassword' }),
      'UserErrorBadPassword',
    ),
    userErrorCase(
      'inconsistent-scopes',
      'ExecuteRules without AccessAllThings: UserErrorInconsistantScopes',
      'Users.CreateUser',
      'must',
      (c) => ({ username: c.name('user'), password: newPassword(), scopes: ['PermissionScopeExecuteRules'] }),
      'UserErrorInconsistantScopes',
    ),
    userErrorCase(
      'duplicate',
      'an existing name: UserErrorDuplicateUserId',
      'Users.CreateUser',
      'must',
      (c) => ({ username: c.world.user.username, password: newPassword() }),
      'UserErrorDuplicateUserId',
    ),
    userErrorCase(
      'duplicate-any-case',
      'names are unique case-insensitively',
      'Users.CreateUser',
      'quirk',
      (c) => ({ username: c.world.user.username.toUpperCase(), password: newPassword() }),
      'UserErrorDuplicateUserId',
    ),
    userErrorCase(
      'name-checked-first',
      'a bad name and a bad password: the name is reported',
      'Users.CreateUser',
      'quirk',
      () => ({ username: 'ab', password: 'weak' }),
      'UserErrorInvalidUserId',
    ),
    userErrorCase(
      'password-before-scopes',
      'a bad password and inconsistent scopes: the password is reported',
      'Users.CreateUser',
      'quirk',
      (c) => ({ username: c.name('user'), password: 'weak', scopes: ['PermissionScopeExecuteRules'] }),
      'UserErrorBadPassword',
    ),
    userErrorCase(
      'scopes-before-duplicate',
      'an existing name and inconsistent scopes: the scopes are reported',
      'Users.CreateUser',
      'quirk',
      (c) => ({ username: c.world.user.username, password: newPassword(), scopes: ['PermissionScopeConfigureRules'] }),
      'UserErrorInconsistantScopes',
    ),
    userErrorCase(
      'no-special-character',
      'a password needs no special character (the log message says it does)',
      'Users.CreateUser',
      'quirk',
      (c) => ({ username: c.name('user'), password: 'Blubb123' }),
      'UserErrorNoError',
    ),
    // Qt converts a JSON number to the String it is declared as (both builds, nymea.md §8): the user "<digits>".
    userErrorCase(
      'username-number',
      'a username given as a number is taken as its digits',
      'Users.CreateUser',
      'quirk',
      (c) => ({ username: digitsOf(c.name('user')), password: newPassword(), scopes: [] }),
      'UserErrorNoError',
    ),
    userErrorCase(
      'allowed-thing-ids-not-a-list',
      'allowedThingIds "not-a-list" reads as no ids (QVariant::toList)',
      'Users.CreateUser',
      'quirk',
      (c) => ({ username: c.name('user'), password: newPassword(), scopes: [], allowedThingIds: 'not-a-list' }),
      'UserErrorNoError',
    ),
    userErrorCase(
      'name-rule-not-anchored',
      'the name rule is not anchored: "<name> x" passes',
      'Users.CreateUser',
      'quirk',
      (c) => ({ username: `${c.name('user')} x`, password: newPassword(), scopes: [] }),
      'UserErrorNoError',
    ),
  ],
  examples: [
    {
      source: 'nymea.md §2',
      request: {
        id: 7,
        method: 'Users.CreateUser',
        params: { username: 'dummy', password: 'Dummy123' },
        token: '<token>',
      },
      response: { id: 7, params: { error: 'UserErrorDuplicateUserId' }, status: 'success' },
      note: 'Application errors are successes with params.error (nymea.md §2).',
    },
  ],
});

export const changePassword = method('Users.ChangePassword', {
  group: 'users',
  see: see('Users.ChangePassword'),
  // It changes the caller's own password: ordinary calls (and garbage) go as an admin the run made.
  caller: 'scope-admin',
  // Set to the one the given admin already has, so that a call as the given admin (rights) changes nothing of its.
  valid: (c) => {
    const admin = c.given['admin'] as { password: string } | undefined;
    if (!admin || !validPassword(admin.password))
      throw new SkipCheck(
        "the given admin's password does not pass nymea's password rule, and the run never sets it to anything else",
      );
    return { newPassword: admin.password };
  },
  succeeds: noError,
  errors: [
    userErrorCase(
      'bad-password',
      'a weak password: UserErrorBadPassword, nothing changes',
      'Users.ChangePassword',
      'must',
      () => ({ newPassword: 'short' }),
      'UserErrorBadPassword',
    ),
  ],
  examples: [],
});

export const changeUserPassword = method('Users.ChangeUserPassword', {
  group: 'users',
  see: see('Users.ChangeUserPassword'),
  valid: async (c) => ({ username: (await c.create('user', { scopes: [] })).name, newPassword: newPassword() }),
  succeeds: noError,
  errors: [
    userErrorCase(
      'unknown-user',
      'an unknown user: UserErrorInvalidUserId',
      'Users.ChangeUserPassword',
      'must',
      (c) => ({ username: c.name('nobody'), newPassword: newPassword() }),
      'UserErrorInvalidUserId',
    ),
    userErrorCase(
      'bad-password',
      'a weak password: UserErrorBadPassword',
      'Users.ChangeUserPassword',
      'must',
      (c) => ({ username: c.world.user.username, newPassword: 'short' }),
      'UserErrorBadPassword',
    ),
    userErrorCase(
      'password-before-existence',
      'an unknown user and a weak password: the password is reported',
      'Users.ChangeUserPassword',
      'quirk',
      (c) => ({ username: c.name('nobody'), newPassword: 'short' }),
      'UserErrorBadPassword',
    ),
  ],
  examples: [],
});

export const getUserInfo = method('Users.GetUserInfo', {
  group: 'users',
  see: see('Users.GetUserInfo'),
  valid: () => ({}),
  succeeds: (_p, c) => {
    const admin = (c.given['admin'] as { username: string } | undefined)?.username.toLowerCase();
    return [
      ...noError(),
      paramsSay('must', `userInfo of ${admin}`, (p) => (p['userInfo'] as Rec | undefined)?.['username'] === admin),
      // The admin's rights, on every nymea: the exact list of names is the quirk below.
      paramsSay('must', 'scopes include PermissionScopeAdmin', (p) => {
        const scopes = (p['userInfo'] as Rec | undefined)?.['scopes'];
        return Array.isArray(scopes) && scopes.includes('PermissionScopeAdmin');
      }),
      paramsSay(
        'quirk',
        'scopes: the six admin names',
        (p) => JSON.stringify((p['userInfo'] as Rec | undefined)?.['scopes']) === JSON.stringify(ADMIN_SCOPES),
      ),
    ];
  },
  errors: [
    {
      id: 'no-scope-user',
      says: 'a user without scopes reads scopes [] (never PermissionScopeNone in UserInfo)',
      see: 'nymea.md §5',
      level: 'quirk',
      as: 'scope-none',
      params: () => ({}),
      expect: [
        statusIs('success'),
        paramsSay(
          'quirk',
          'userInfo.scopes []',
          (p) => JSON.stringify((p['userInfo'] as Rec | undefined)?.['scopes']) === '[]',
        ),
      ],
    },
    {
      id: 'implied-scopes',
      says: 'ConfigureRules reads with its implied ExecuteRules, in enum order',
      see: 'nymea.md §5',
      level: 'quirk',
      as: 'configure-rules',
      params: () => ({}),
      expect: [
        statusIs('success'),
        paramsSay(
          'quirk',
          'userInfo.scopes [AccessAllThings, ExecuteRules, ConfigureRules]',
          (p) =>
            JSON.stringify((p['userInfo'] as Rec | undefined)?.['scopes']) ===
            JSON.stringify(userInfoScopes(maskOf(['PermissionScopeConfigureRules', 'PermissionScopeAccessAllThings']))),
        ),
      ],
    },
  ],
  examples: [],
});

export const getTokens = method('Users.GetTokens', {
  group: 'tokens',
  see: see('Users.GetTokens'),
  valid: () => ({}),
  succeeds: () => [
    ...noError(),
    paramsSay('must', 'a tokenInfoList', (p) => Array.isArray(p['tokenInfoList'])),
    paramsSay('quirk', 'token ids without braces', (p) =>
      asList(p['tokenInfoList']).every((t) => /^[0-9a-f-]{36}$/.test(String(t['id']))),
    ),
  ],
  errors: [],
  examples: [],
});

export const getUserTokens = method('Users.GetUserTokens', {
  group: 'tokens',
  see: see('Users.GetUserTokens'),
  valid: (c) => ({ username: c.world.user.username }),
  succeeds: (_p, c) => [
    ...noError(),
    paramsSay('must', `the token of ${c.world.user.username}`, (p) =>
      asList(p['tokenInfoList']).some(
        (t) => t['id'] === c.world.user.tokenId && t['username'] === c.world.user.username,
      ),
    ),
  ],
  errors: [
    {
      id: 'unknown-user',
      says: 'an unknown user: UserErrorNoError and [] (never InvalidUserId)',
      see: see('Users.GetUserTokens'),
      level: 'quirk',
      params: (c) => ({ username: c.name('nobody') }),
      expect: [
        ...answersError('UserErrorNoError', 'quirk'),
        paramsSay('quirk', 'tokenInfoList []', (p) => JSON.stringify(p['tokenInfoList']) === '[]'),
      ],
    },
    {
      id: 'any-case',
      says: 'the name is compared case-insensitively',
      see: see('Users.GetUserTokens'),
      level: 'quirk',
      params: (c) => ({ username: c.world.user.username.toUpperCase() }),
      expect: (_p, c) => [
        statusIs('success'),
        paramsSay('quirk', `the token of ${c.world.user.username}`, (p) =>
          asList(p['tokenInfoList']).some((t) => t['id'] === c.world.user.tokenId),
        ),
      ],
    },
  ],
  examples: [],
});

export const removeToken = method('Users.RemoveToken', {
  group: 'tokens',
  see: see('Users.RemoveToken'),
  // A token of the caller's own user: the run gets one for the given admin (revoked at teardown if still there).
  valid: async (c) => ({ tokenId: String((await c.create('admin-token')).id) }),
  succeeds: noError,
  errors: [
    userErrorCase(
      'unknown-token',
      'a token id nobody has: UserErrorTokenNotFound',
      'Users.RemoveToken',
      'must',
      () => ({ tokenId: UNKNOWN_UUID }),
      'UserErrorTokenNotFound',
    ),
    {
      id: 'other-users-token',
      says: "another user's token, even for an admin: UserErrorPermissionDenied (the description says an admin may remove any)",
      see: see('Users.RemoveToken'),
      level: 'quirk',
      params: (c) => ({ tokenId: c.world.user.tokenId }),
      expect: answersError('UserErrorPermissionDenied', 'quirk'),
    },
    {
      id: 'not-a-uuid',
      says: 'a token id that is no UUID: Qt5 refuses it in validation ("Invalid Uuid: …"), Qt6 does not check and finds no such token',
      see: 'nymea.md §8, §9',
      level: 'quirk',
      params: () => ({ tokenId: 'not-a-uuid' }),
      expect: (_p, c) =>
        variantFacets(
          perQt((qt): Expectation =>
            qt.convertibilityCheck
              ? [
                  statusIs('error', 'quirk'),
                  errorText('Invalid params: Invalid Uuid: not-a-uuid in Users.RemoveToken, param tokenId.', 'quirk'),
                ]
              : answersError('UserErrorTokenNotFound', 'quirk'),
          ),
          c.variant,
        ),
    },
    userErrorCase(
      'braces',
      'the id may be given with braces',
      'Users.RemoveToken',
      'quirk',
      async (c) => ({ tokenId: `{${(await c.create('admin-token')).id}}` }),
      'UserErrorNoError',
    ),
  ],
  examples: [],
});

export const getUsers = method('Users.GetUsers', {
  group: 'users',
  see: see('Users.GetUsers'),
  valid: () => ({}),
  succeeds: (_p, c) => {
    const u = c.world.user;
    const expected = {
      allowedThingIds: [],
      displayName: u.displayName,
      email: u.email,
      scopes: userInfoScopes(maskOf(u.scopes)),
      username: u.username,
    };
    return [
      statusIs('success'),
      paramsSay('must', `the list has ${u.username}`, (p) =>
        asList(p['users']).some((x) => x['username'] === u.username),
      ),
      paramsSay('quirk', `${u.username} exactly as stored: all five keys, scopes with implied ones`, (p) => {
        const got = asList(p['users']).find((x) => x['username'] === u.username);
        return (
          JSON.stringify(got && Object.fromEntries(Object.entries(got).sort())) === JSON.stringify(expected) ||
          `got ${JSON.stringify(got)}`
        );
      }),
      paramsSay('quirk', 'no error field (the seed says every method returns one)', (p) => !('error' in p)),
    ];
  },
  errors: [],
  examples: [],
});

export const removeUser = method('Users.RemoveUser', {
  group: 'users',
  see: see('Users.RemoveUser'),
  valid: async (c) => ({ username: (await c.create('user', { scopes: [] })).name }),
  succeeds: noError,
  errors: [
    userErrorCase(
      'unknown-user',
      'an unknown user: UserErrorInvalidUserId',
      'Users.RemoveUser',
      'must',
      (c) => ({ username: c.name('nobody') }),
      'UserErrorInvalidUserId',
    ),
    userErrorCase(
      'any-case',
      'the name is compared case-insensitively',
      'Users.RemoveUser',
      'quirk',
      async (c) => ({ username: (await c.create('user', { scopes: [] })).name.toUpperCase() }),
      'UserErrorNoError',
    ),
  ],
  examples: [],
});

export const setUserScopes = method('Users.SetUserScopes', {
  group: 'users',
  see: see('Users.SetUserScopes'),
  valid: async (c) => ({
    username: (await c.create('user', { scopes: [] })).name,
    scopes: ['PermissionScopeControlThings'],
  }),
  succeeds: noError,
  errors: [
    userErrorCase(
      'inconsistent-scopes',
      'ConfigureThings without AccessAllThings: UserErrorInconsistantScopes',
      'Users.SetUserScopes',
      'must',
      (c) => ({ username: c.world.user.username, scopes: ['PermissionScopeConfigureThings'] }),
      'UserErrorInconsistantScopes',
    ),
    {
      id: 'unknown-scope',
      says: 'a scope name the API does not have is refused in validation, not ignored',
      see: 'nymea.md §8',
      level: 'must',
      params: async (c) => ({
        username: (await c.create('user', { scopes: [] })).name,
        scopes: ['PermissionScopeAccessAllThings', 'PermissionScopeAccord'],
      }),
      expect: [
        statusIs('error'),
        errorText(/^Invalid params: /, 'must'),
        errorText(
          TEXT.expectedEnum('PermissionScope', 'PermissionScopeAccord', 'Users.SetUserScopes', 'scopes'),
          'quirk',
        ),
      ],
    },
    userErrorCase(
      'unknown-user',
      'an unknown user still answers UserErrorNoError',
      'Users.SetUserScopes',
      'quirk',
      (c) => ({ username: c.name('nobody'), scopes: [] }),
      'UserErrorNoError',
    ),
  ],
  examples: [],
});

export const setUserInfo = method('Users.SetUserInfo', {
  group: 'users',
  see: see('Users.SetUserInfo'),
  // Always names a user of the run's own: without a username it would edit the given admin.
  valid: async (c) => ({
    username: (await c.create('user', { scopes: [] })).name,
    displayName: 'Ada',
    email: 'ada@example.org',
  }),
  succeeds: noError,
  errors: [
    userErrorCase(
      'unknown-user',
      'an unknown user still answers UserErrorNoError',
      'Users.SetUserInfo',
      'quirk',
      (c) => ({ username: c.name('nobody'), displayName: 'Nobody' }),
      'UserErrorNoError',
    ),
  ],
  examples: [],
});

export const usersMethods = [
  createUser,
  changePassword,
  changeUserPassword,
  getUserInfo,
  getTokens,
  getUserTokens,
  removeToken,
  getUsers,
  removeUser,
  setUserScopes,
  setUserInfo,
];
