import { ADMIN, holds } from '../../../../src/protocols/nymea/scopes.js';
import { qtToString } from '../../../../src/wire/nymea.js';
import { qtCompact, QtText } from '../../../../src/wire/qt-json.js';
import { keptList } from '../../../../src/wire/written.js';
import { SerialCache } from '../../../serial-cache.js';
import type { Handler } from '../core.js';
import { tokenInfo, userInfo, type UserRow } from '../state.js';
import type { UserManager } from '../user-manager.js';

/** The Users namespace (nymea.md §6). The gate has checked the token and the scope before any of these. */
const str = (value: unknown) => qtToString(value);
const list = (value: unknown) => (Array.isArray(value) ? value : []);
const NOT_LOGGED_IN = { error: 'UserErrorPermissionDenied' };

export function usersHandlers(users: UserManager): Record<string, Handler> {
  const state = users.core.state;
  // GetUsers from kept texts (mock/serial-cache.ts): a UserInfo is made of its row alone, kept under the
  // row's version; the list under the table's (mock/directory.ts moves both on every write to the users).
  const infos = new SerialCache<number, QtText>();
  const lists = new SerialCache<'all', readonly QtText[]>();
  const info = (u: UserRow) =>
    infos.text(u.id, `${state.users.versionOf(u.id)}`, () => new QtText(qtCompact(userInfo(u))));
  const allInfos = () => {
    const list = lists.text('all', `${state.users.version}`, () => keptList(state.users.all().map(info)));
    infos.prune(state.users.size, (id) => state.users.get(id) !== undefined);
    return list;
  };
  return {
    'Users.CreateUser': ({ params }) => ({
      error: users.createUser({
        username: str(params['username']),
        password: str(params['password']),
        ...('email' in params ? { email: str(params['email']) } : {}),
        ...('displayName' in params ? { displayName: str(params['displayName']) } : {}),
        ...('scopes' in params ? { scopes: list(params['scopes']).map(str) } : {}),
        ...('allowedThingIds' in params ? { allowedThingIds: list(params['allowedThingIds']) } : {}),
      }),
    }),
    'Users.ChangePassword': ({ caller, params }) =>
      caller ? { error: users.changePassword(caller.username, str(params['newPassword'])) } : NOT_LOGGED_IN,
    // The description says the user's tokens are removed; the code keeps them (§6).
    'Users.ChangeUserPassword': ({ params }) => ({
      error: users.changePassword(str(params['username']), str(params['newPassword'])),
    }),
    // A PermissionDenied reply carries no userInfo.
    'Users.GetUserInfo': ({ caller }) =>
      caller ? { error: 'UserErrorNoError', userInfo: userInfo(caller) } : NOT_LOGGED_IN,
    'Users.GetTokens': ({ caller }) =>
      caller
        ? { error: 'UserErrorNoError', tokenInfoList: state.tokensOf(caller.username).map(tokenInfo) }
        : NOT_LOGGED_IN,
    // Never InvalidUserId: an unknown user has no tokens.
    'Users.GetUserTokens': ({ params }) => ({
      error: 'UserErrorNoError',
      tokenInfoList: state.tokensOf(users.canonical(str(params['username']))).map(tokenInfo),
    }),
    'Users.RemoveToken': ({ caller, params }) =>
      caller ? { error: users.removeToken(caller, str(params['tokenId'])) } : NOT_LOGGED_IN,
    // No error field at all (§6).
    'Users.GetUsers': () => ({ users: allInfos() }),
    'Users.RemoveUser': ({ params }) => ({ error: users.removeUser(str(params['username'])) }),
    'Users.SetUserScopes': ({ params }) => ({
      error: users.setUserScopes(
        str(params['username']),
        list(params['scopes']).map(str),
        'allowedThingIds' in params ? list(params['allowedThingIds']) : undefined,
      ),
    }),
    'Users.SetUserInfo': ({ caller, params }) => {
      if (!caller) return NOT_LOGGED_IN;
      const target = 'username' in params ? str(params['username']) : caller.username;
      if (target !== caller.username && !holds(caller.scopes, ADMIN)) return { error: 'UserErrorPermissionDenied' };
      return {
        error: users.setUserInfo(
          target,
          'displayName' in params ? str(params['displayName']) : undefined,
          'email' in params ? str(params['email']) : undefined,
        ),
      };
    },
  };
}
