import type { ScenarioSpec } from '../../../spec/protocol.js';
import { statusIs } from '../../../wire/nymea-facets.js';
import { show } from '../../../spec/show.js';
import { unauthorizedReply } from '../access.js';
import { answersError, paramsSay } from '../define.js';
import { newPassword } from '../rules.js';
import { ADMIN_SCOPES, sessionScopes } from '../scopes.js';
import type { NymeaWorld } from '../world.js';
import { as, madeUser, step } from './support.js';

/** Users and tokens from creation to removal, and what follows for the tokens (nymea.md §5, §6). */
type Scenario = ScenarioSpec<NymeaWorld>;
type Rec = Record<string, unknown>;
const S6 = 'nymea.md §6';

const entry = (p: Rec, username: string): Rec | undefined =>
  Array.isArray(p['users']) ? (p['users'] as Rec[]).find((u) => u['username'] === username) : undefined;
const has = (username: string, test: (u: Rec) => boolean) => (p: Rec) => {
  const u = entry(p, username);
  return u ? test(u) || `got ${show(u)}` : `${username} is not in the list`;
};
const devices = (p: Rec) =>
  Array.isArray(p['tokenInfoList']) ? (p['tokenInfoList'] as Rec[]).map((t) => t['deviceName']) : [];

export const lifecycleScenarios: readonly Scenario[] = [
  {
    id: 'user-lifecycle',
    kind: 'lifecycle',
    method: 'Users.CreateUser',
    says: 'a user can be created, listed, given scopes and info, removed, and is gone afterwards',
    see: S6,
    async run(s) {
      const username = s.name('user');
      await s.check(
        'create without scopes',
        'Users.CreateUser',
        { username, password: newPassword(), email: 'life@example.org', displayName: 'Life', scopes: [] },
        answersError('UserErrorNoError'),
      );
      s.track('user', { id: username, name: username });
      await s.check('listed', 'Users.GetUsers', {}, [
        paramsSay(
          'must',
          `${username} with its email and display name`,
          has(username, (u) => u['email'] === 'life@example.org' && u['displayName'] === 'Life'),
        ),
        paramsSay(
          'quirk',
          'scopes [] (an empty list makes a user without permissions, never PermissionScopeNone)',
          has(username, (u) => JSON.stringify(u['scopes']) === '[]'),
        ),
      ]);
      await s.check(
        'set scopes',
        'Users.SetUserScopes',
        { username, scopes: ['PermissionScopeConfigureRules', 'PermissionScopeAccessAllThings'] },
        answersError('UserErrorNoError'),
      );
      await s.check('scopes read back', 'Users.GetUsers', {}, [
        paramsSay(
          'must',
          'ConfigureRules and AccessAllThings',
          has(
            username,
            (u) =>
              Array.isArray(u['scopes']) &&
              u['scopes'].includes('PermissionScopeConfigureRules') &&
              u['scopes'].includes('PermissionScopeAccessAllThings'),
          ),
        ),
        paramsSay(
          'quirk',
          'with the implied ExecuteRules, in enum order',
          has(
            username,
            (u) =>
              JSON.stringify(u['scopes']) ===
              '["PermissionScopeAccessAllThings","PermissionScopeExecuteRules","PermissionScopeConfigureRules"]',
          ),
        ),
      ]);
      await s.check(
        'set info',
        'Users.SetUserInfo',
        { username, displayName: 'Life 2' },
        answersError('UserErrorNoError'),
      );
      await s.check('info read back, email kept', 'Users.GetUsers', {}, [
        paramsSay(
          'must',
          'displayName "Life 2", email unchanged',
          has(username, (u) => u['displayName'] === 'Life 2' && u['email'] === 'life@example.org'),
        ),
      ]);
      await s.check('remove', 'Users.RemoveUser', { username }, answersError('UserErrorNoError'));
      s.untrack('user', { id: username, name: username });
      await s.check('gone', 'Users.GetUsers', {}, [
        paramsSay('must', `${username} is gone`, (p) => entry(p, username) === undefined),
      ]);
      await s.check('remove again', 'Users.RemoveUser', { username }, answersError('UserErrorInvalidUserId'));
    },
  },
  {
    id: 'admin-by-default',
    kind: 'lifecycle',
    method: 'Users.CreateUser',
    says: 'a user created without scopes is an admin',
    see: S6,
    async run(s) {
      const u = await s.create('user');
      await s.check('listed as admin', 'Users.GetUsers', {}, [
        paramsSay(
          'must',
          'scopes include PermissionScopeAdmin',
          has(u.name, (x) => Array.isArray(x['scopes']) && x['scopes'].includes('PermissionScopeAdmin')),
        ),
        paramsSay(
          'quirk',
          'all six admin names',
          has(u.name, (x) => JSON.stringify(x['scopes']) === JSON.stringify(ADMIN_SCOPES)),
        ),
      ]);
    },
  },
  {
    id: 'no-permissions',
    kind: 'lifecycle',
    method: 'Users.GetUserInfo',
    says: 'a user with scopes [] logs in with scopes [PermissionScopeNone], reads its own info and nothing else, until it is given scopes',
    see: 'nymea.md §5',
    async run(s) {
      const u = await s.create('user', { scopes: [] });
      const login = await s.check(
        'log in',
        'JSONRPC.Authenticate',
        { username: u.name, password: String(u['password']), deviceName: s.name('device') },
        [
          paramsSay('must', 'success', (p) => p['success'] === true),
          paramsSay(
            'quirk',
            'scopes ["PermissionScopeNone"]',
            (p) => JSON.stringify(p['scopes']) === JSON.stringify(sessionScopes(0)),
          ),
        ],
      );
      const token = login.ok ? String((login.value as Rec)['token']) : '';
      const me = await s.open(as({ token }));
      await step(s, me, 'own info', 'Users.GetUserInfo', {}, [
        ...answersError('UserErrorNoError'),
        paramsSay('must', `userInfo of ${u.name}`, (p) => (p['userInfo'] as Rec | undefined)?.['username'] === u.name),
      ]);
      await step(s, me, 'the user list', 'Users.GetUsers', {}, [statusIs('error')]);
      await step(s, me, 'still connected', 'JSONRPC.KeepAlive', { sessionId: 'x' }, [statusIs('success')]);
      // Scopes are read at every call, not once per login: the same token may do more once the user may.
      await s.check(
        'made an admin',
        'Users.SetUserScopes',
        { username: u.name, scopes: [...ADMIN_SCOPES] },
        answersError('UserErrorNoError'),
      );
      await step(s, me, 'the user list, as an admin now', 'Users.GetUsers', {}, [statusIs('success')]);
    },
  },
  {
    id: 'token-lifecycle',
    kind: 'lifecycle',
    method: 'Users.RemoveToken',
    says: 'tokens are listed per device; a removed token stops working, also the one in use',
    see: `${S6} RemoveToken`,
    async run(s) {
      const u = await madeUser(s);
      const deviceB = s.name('device');
      const b = await s.check(
        'a second login',
        'JSONRPC.Authenticate',
        { username: u.name, password: u.password, deviceName: deviceB },
        [paramsSay('must', 'success', (p) => p['success'] === true)],
      );
      const tokenB = b.ok ? String((b.value as Rec)['token']) : '';
      const a = await s.open(as({ token: u.token }));
      const list = await step(s, a, 'own tokens', 'Users.GetTokens', {}, [
        ...answersError('UserErrorNoError'),
        paramsSay(
          'must',
          `two tokens, one for ${deviceB}`,
          (p) => devices(p).length === 2 && devices(p).includes(deviceB),
        ),
      ]);
      const tokens =
        list.ok && Array.isArray((list.value as Rec)['tokenInfoList'])
          ? ((list.value as Rec)['tokenInfoList'] as Rec[])
          : [];
      const idB = tokens.find((t) => t['deviceName'] === deviceB)?.['id'];
      const idA = tokens.find((t) => t['deviceName'] !== deviceB)?.['id'];
      await step(
        s,
        a,
        'remove the other token',
        'Users.RemoveToken',
        { tokenId: idB },
        answersError('UserErrorNoError'),
      );
      const b2 = await s.open(as({ token: tokenB }));
      await step(s, b2, 'the removed token', 'Users.GetUserInfo', {}, unauthorizedReply());
      await step(
        s,
        a,
        'remove the token in use',
        'Users.RemoveToken',
        { tokenId: idA },
        answersError('UserErrorNoError'),
      );
      await step(s, a, 'the next call', 'Users.GetUserInfo', {}, unauthorizedReply());
    },
  },
  {
    id: 'removed-user-token',
    kind: 'lifecycle',
    method: 'Users.RemoveUser',
    says: "a removed user's token stops working, also once a user of the same name exists again",
    see: `${S6} RemoveUser`,
    async run(s) {
      const u = await madeUser(s, { scopes: [] });
      const me = await s.open(as({ token: u.token }));
      await step(s, me, 'works', 'Users.GetUserInfo', {}, answersError('UserErrorNoError'));
      await s.check('remove the user', 'Users.RemoveUser', { username: u.name }, answersError('UserErrorNoError'));
      s.untrack('user', { id: u.name, name: u.name });
      // A new user of the same name does not inherit the old tokens (RemoveUser removes them).
      await s.check(
        'a new user of the same name',
        'Users.CreateUser',
        { username: u.name, password: newPassword(), scopes: [] },
        answersError('UserErrorNoError'),
      );
      s.track('user', { id: u.name, name: u.name });
      await step(s, me, 'the next call', 'Users.GetUserInfo', {}, unauthorizedReply());
    },
  },
  {
    id: 'password-reset-keeps-tokens',
    kind: 'lifecycle',
    method: 'Users.ChangeUserPassword',
    says: 'after ChangeUserPassword the new password works, the old one does not, and tokens stay valid (the description says they are removed)',
    see: `${S6} ChangeUserPassword`,
    async run(s) {
      const u = await madeUser(s, { scopes: [] });
      const me = await s.open(as({ token: u.token }));
      const next = newPassword();
      await s.check(
        'reset',
        'Users.ChangeUserPassword',
        { username: u.name, newPassword: next },
        answersError('UserErrorNoError'),
      );
      await s.check(
        'new password',
        'JSONRPC.Authenticate',
        { username: u.name, password: next, deviceName: s.name('device') },
        [paramsSay('must', 'success', (p) => p['success'] === true)],
      );
      await s.check(
        'old password',
        'JSONRPC.Authenticate',
        { username: u.name, password: u.password, deviceName: s.name('device') },
        [paramsSay('must', 'success false', (p) => p['success'] === false)],
      );
      await step(s, me, 'the old token', 'Users.GetUserInfo', {}, [
        statusIs('success', 'quirk'),
        paramsSay('quirk', 'still valid', (p) => p['error'] === 'UserErrorNoError'),
      ]);
    },
  },
  {
    id: 'own-password-and-info',
    kind: 'lifecycle',
    method: 'Users.ChangePassword',
    says: 'an admin changes its own password and its own info (SetUserInfo without a username); its token stays valid',
    see: `${S6} ChangePassword, SetUserInfo`,
    async run(s) {
      const u = await madeUser(s);
      const me = await s.open(as({ token: u.token }));
      const next = newPassword();
      await step(
        s,
        me,
        'change own password',
        'Users.ChangePassword',
        { newPassword: next },
        answersError('UserErrorNoError'),
      );
      await s.check(
        'log in with it',
        'JSONRPC.Authenticate',
        { username: u.name, password: next, deviceName: s.name('device') },
        [paramsSay('must', 'success', (p) => p['success'] === true)],
      );
      await step(
        s,
        me,
        'set own display name',
        'Users.SetUserInfo',
        { displayName: 'Myself' },
        answersError('UserErrorNoError'),
      );
      await step(s, me, 'read it back', 'Users.GetUserInfo', {}, [
        paramsSay(
          'must',
          'displayName "Myself"',
          (p) => (p['userInfo'] as Rec | undefined)?.['displayName'] === 'Myself',
        ),
      ]);
    },
  },
  {
    id: 'case-sensitive-edits',
    kind: 'lifecycle',
    method: 'Users.SetUserScopes',
    says: 'SetUserScopes and SetUserInfo match the stored lower-case name exactly: an upper-case name changes nothing, and still answers NoError',
    see: `${S6} Shared rules`,
    async run(s) {
      const u = await s.create('user', { scopes: [], displayName: 'Lower' });
      await s.check(
        'scopes, upper case',
        'Users.SetUserScopes',
        { username: u.name.toUpperCase(), scopes: ['PermissionScopeAdmin'] },
        answersError('UserErrorNoError', 'quirk'),
      );
      await s.check(
        'info, upper case',
        'Users.SetUserInfo',
        { username: u.name.toUpperCase(), displayName: 'Upper' },
        answersError('UserErrorNoError', 'quirk'),
      );
      await s.check('unchanged', 'Users.GetUsers', {}, [
        paramsSay(
          'quirk',
          'scopes [] and displayName "Lower"',
          has(u.name, (x) => JSON.stringify(x['scopes']) === '[]' && x['displayName'] === 'Lower'),
        ),
      ]);
    },
  },
];
