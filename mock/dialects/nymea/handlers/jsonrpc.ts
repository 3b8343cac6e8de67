import { API, NAMESPACES, PROTOCOL_VERSION } from '../../../../src/protocols/nymea/api.js';
import { sessionScopes } from '../../../../src/protocols/nymea/scopes.js';
import { qtToBool, qtToString } from '../../../../src/wire/nymea.js';
import { DROP, type Handler, type HandlerContext } from '../core.js';
import { qtLocaleName } from '../locale.js';
import { verifyPassword } from '../state.js';
import type { UserManager } from '../user-manager.js';

/** The JSONRPC namespace (nymea.md §4, §7, §9). */
export const SERVER_VERSION = '1.15.2';

const str = (value: unknown) => qtToString(value);

/** QLocale(name).name() with Qt 5.15's locale data (../locale.ts): `de` → `de_DE`, `en-GB` → `en_GB`, `xx` → `C`. */
function localeName(value: unknown): string {
  return qtLocaleName(str(value));
}

function hello({ core, conn, request, params }: HandlerContext): Record<string, unknown> | typeof DROP {
  conn.token = request.token;
  conn.handshaken = true;
  conn.stopHandshakeTimer();
  if ('locale' in params) conn.locale = localeName(params['locale']);
  const reply: Record<string, unknown> = {
    authenticationRequired: true,
    initialSetupRequired: core.state.initRequired,
    language: conn.locale,
    locale: conn.locale,
    name: core.state.name,
    'protocol version': PROTOCOL_VERSION,
    pushButtonAuthAvailable: core.options.pushButtonAvailable,
    server: 'nymea',
    uuid: core.state.uuid,
    version: SERVER_VERSION,
  };
  if (request.token === '') return reply;
  const user = core.state.userOfToken(request.token);
  if (!user) {
    // A bad token starts the lockdown; a second one while it runs drops the client (§4).
    const again = core.lockedDown;
    core.lockdown();
    if (again) return DROP;
  }
  // Quirk: for a bad token the lookup of user "" finds the push-button user, if there is one.
  const shown = user ?? core.state.user('');
  return {
    ...reply,
    authenticated: user !== undefined,
    permissionScopes: sessionScopes(shown?.scopes ?? 0),
    username: user?.username ?? '',
  };
}

function authenticate(
  { core, conn, params }: HandlerContext,
  users: UserManager,
): Record<string, unknown> | typeof DROP {
  const user = core.state.user(users.canonical(str(params['username'])));
  if (user && verifyPassword(str(params['password']), user.password)) {
    const token = core.state.issueToken(user.username, str(params['deviceName']));
    conn.token = token.token;
    return { scopes: sessionScopes(user.scopes), success: true, token: token.token, username: user.username };
  }
  conn.token = '';
  const again = core.lockedDown;
  core.lockdown();
  return again ? DROP : { success: false };
}

function requestPushButtonAuth({ core, conn, params }: HandlerContext): Record<string, unknown> {
  const transactionId = ++core.state.transactionId;
  const previous = core.pushButton;
  core.pushButton = { transactionId, conn, deviceName: str(params['deviceName']) };
  // A new request takes over; the previous requester learns that its request failed.
  if (previous && previous.conn.open) core.pushButtonFinished(previous.conn, previous.transactionId);
  // Always true, even without a push-button agent (a TODO in nymea).
  return { success: true, transactionId };
}

function setNotificationStatus({ conn, params }: HandlerContext): Record<string, unknown> {
  const wanted = Array.isArray(params['namespaces']) ? params['namespaces'].map(str) : [];
  const enabled = NAMESPACES.filter((ns) => ('enabled' in params ? qtToBool(params['enabled']) : wanted.includes(ns)));
  conn.namespaces = new Set(enabled);
  return { enabled: enabled.length > 0, namespaces: enabled };
}

export function jsonrpcHandlers(users: UserManager): Record<string, Handler> {
  return {
    'JSONRPC.Hello': hello,
    'JSONRPC.Authenticate': (ctx) => authenticate(ctx, users),
    'JSONRPC.CreateUser': ({ params }) => ({
      error: users.createUser({
        username: str(params['username']),
        password: str(params['password']),
        ...('email' in params ? { email: str(params['email']) } : {}),
        ...('displayName' in params ? { displayName: str(params['displayName']) } : {}),
      }),
    }),
    'JSONRPC.RequestPushButtonAuth': requestPushButtonAuth,
    'JSONRPC.SetNotificationStatus': setNotificationStatus,
    'JSONRPC.Introspect': () => ({
      enums: API.enums,
      flags: API.flags,
      methods: API.methods,
      notifications: API.notifications,
      types: API.types,
    }),
    'JSONRPC.Version': ({ core }) => ({
      'protocol version': PROTOCOL_VERSION,
      qtBuildVersion: core.options.qt.served,
      qtVersion: core.options.qt.served,
      version: SERVER_VERSION,
    }),
    'JSONRPC.KeepAlive': ({ params }) => ({ sessionId: str(params['sessionId']), success: true }),
  };
}
