import { afterEach, describe, expect, test } from 'vitest';
import { startMock, type MockServer } from '../../mock/server.js';
import { byLine, NymeaInbox, openNymeaSocket, type NymeaMessage } from '../support/nymea-socket.js';

/**
 * nymea-app (github nymea/nymea-app, libnymea-app), replayed byte for byte against the mock over real TCP and
 * WebSocket sockets. What it sends, re-stated here from its source (none of it copied):
 *
 * - jsonrpc/jsonrpcclient.cpp. Ids come from one counter per client, starting at 1 (`createReply`: `++m_id`).
 *   A request is `requestMap()`: `id`, `method` ("Namespace.Method") and `params` only when not empty, in a
 *   QVariantMap (keys sorted). Two writers:
 *   - `sendRequest` (every `sendCommand`: Hello, SetNotificationStatus, all Users.* calls) always adds
 *     `token`, a QByteArray: QJsonValue::fromVariant writes it as a string, and an empty one (no token yet)
 *     as `null` (a type it has no case for becomes its toString(), and an empty string becomes Null); then
 *     `toJson(Compact) + "\n"`;
 *   - `createUser`, `authenticate` and `requestPushButtonAuth` write `toJson()` — Qt's *indented* form
 *     (4 spaces, `"key": value`, a trailing "\n") — and carry **no token member at all**.
 *   Hello's params are `{locale: QLocale().name()}`. After a successful Authenticate, a push-button login,
 *   or a Hello that is fine, `setNotificationsEnabled` sends `{namespaces: [every registered handler's
 *   namespace, "Users" added]}` (protocol ≥ 3.1). On a reply with status "unauthorized" it forgets its
 *   token; on a Hello answered with status "error" it resets the id counter and says Hello without params.
 *   When the host's uuid was unknown and a token is stored for the uuid Hello reported, it says Hello again
 *   on the same connection, with the token. It reads replies by cutting its buffer at `}\n{` and parsing
 *   what is before it (`dataReceived`).
 * - usermanager.cpp: on start `Users.GetUsers`, `Users.GetUserInfo`, `Users.GetTokens` (no params), one
 *   after another; `Users.CreateUser {username, password, displayName, email, scopes}` (+ `allowedThingIds`
 *   when not empty), `Users.SetUserScopes {username, scopes, allowedThingIds}` (8.4+: the list even when
 *   empty), `Users.SetUserInfo {username, displayName, email}`, `Users.RemoveToken {tokenId}` (a QUuid:
 *   written without braces), `Users.RemoveUser {username}`, `Users.ChangePassword {newPassword}`.
 * - connection/tcpsockettransport.cpp writes the bytes as they are; connection/websockettransport.cpp sends
 *   each as one text frame (`sendTextMessage`), from a QWebSocket whose origin is the application's name.
 *
 * The app build in the corpus refuses a protocol major version above 8 (helloReply, `maximumMajorVersion`);
 * nymea 1.15.2, and so the mock, says "9.0". That is the server's answer, not the mock's.
 */

type Message = NymeaMessage;

/** Qt's QJsonDocument::toJson() (Indented) of a QVariantMap of strings, numbers and nested maps. */
function qtIndented(value: unknown, depth = 0): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const pad = '    '.repeat(depth + 1);
  const entries = Object.keys(value)
    .sort()
    .map((k) => `${pad}${JSON.stringify(k)}: ${qtIndented((value as Record<string, unknown>)[k], depth + 1)}`);
  const body = `{\n${entries.join(',\n')}\n${'    '.repeat(depth)}}`;
  return depth === 0 ? `${body}\n` : body;
}

/** Qt's toJson(Compact) of a QVariantMap: keys sorted, no spaces. */
function qtCompact(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(qtCompact).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${qtCompact((value as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

interface App {
  /** sendCommand → sendRequest: compact, with the token ("" when none), a newline. Returns the id. */
  command(method: string, params?: Record<string, unknown>): number;
  /** createUser / authenticate / requestPushButtonAuth: indented, no token. Returns the id. */
  indented(method: string, params: Record<string, unknown>): number;
  /** Several sendCommand calls written in one go (they are, one after another, on one socket). */
  commands(calls: readonly [string, Record<string, unknown>?][]): number[];
  token: string;
  next(test: (m: Message) => boolean, timeoutMs?: number): Promise<Message>;
  reply(id: number): Promise<Message>;
  readonly sent: string[];
  readonly closed: Promise<void>;
  close(): void;
}

async function appOver(transport: 'tcp' | 'ws', url: string, token = ''): Promise<App> {
  const inbox = new NymeaInbox();
  let buffer = '';
  // JsonRpcClient::dataReceived: cut at "}\n{", parse what is before; an incomplete document waits.
  const received = (data: string) => {
    buffer += data;
    for (;;) {
      let split = buffer.indexOf('}\n{') + 1;
      if (split <= 0) split = buffer.length;
      let doc: Message;
      try {
        doc = JSON.parse(buffer.slice(0, split)) as Message;
      } catch {
        return;
      }
      buffer = buffer.slice(split + 1);
      inbox.push(doc);
      if (buffer === '') return;
    }
  };
  // The WebSocket transport's QWebSocket carries the application's name as its origin.
  const socket = await openNymeaSocket(transport, url, received, { origin: 'nymea-app' });
  // TCP writes the bytes as they are; a WebSocket sends one text frame per sendData, so a run of sendCommand
  // calls is one frame each.
  const write = (text: string) => {
    if (transport === 'tcp') socket.write(text);
    else for (const part of text.startsWith('{\n') ? [text] : text.split(/(?<=\n)/)) socket.write(part);
  };
  let id = 0;
  const sent: string[] = [];
  const app: App = {
    token,
    command: (method, params) => app.commands([[method, params]])[0] as number,
    commands(calls) {
      const ids: number[] = [];
      let text = '';
      for (const [method, params] of calls) {
        const request: Record<string, unknown> = { id: ++id, method, token: app.token === '' ? null : app.token };
        if (params && Object.keys(params).length > 0) request['params'] = params;
        ids.push(id);
        text += `${qtCompact(request)}\n`;
      }
      sent.push(text);
      write(text);
      return ids;
    },
    indented(method, params) {
      const text = qtIndented({ id: ++id, method, params });
      sent.push(text);
      write(text);
      return id;
    },
    next: (test, timeoutMs) => inbox.next(test, timeoutMs),
    reply: (n) => inbox.next((m) => m.id === n && 'status' in m),
    sent,
    closed: socket.closed,
    close: () => socket.close(),
  };
  return app;
}

const mocks: MockServer[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.close()));
});

async function freshMock(): Promise<MockServer> {
  const mock = await startMock('nymea', { dialect: { lockdownMs: 80 } });
  mocks.push(mock);
  return mock;
}

const ADMIN_SCOPES = [
  'PermissionScopeControlThings',
  'PermissionScopeConfigureThings',
  'PermissionScopeAccessAllThings',
  'PermissionScopeExecuteRules',
  'PermissionScopeConfigureRules',
  'PermissionScopeAdmin',
];

/** The app's first run against a fresh server: Hello, CreateUser, Authenticate, notifications on. */
async function setUp(app: App): Promise<void> {
  await app.reply(app.command('JSONRPC.Hello', { locale: 'en_US' }));
  const created = app.indented('JSONRPC.CreateUser', {
    displayName: '',
    email: '',
    password: 'Secret123',
    username: 'admin',
  });
  expect((await app.reply(created)).params).toEqual({ error: 'UserErrorNoError' });
  const auth = await app.reply(
    app.indented('JSONRPC.Authenticate', { deviceName: 'nymea-app', password: 'Secret123', username: 'admin' }),
  );
  app.token = String(auth.params?.['token']);
}

describe.each(['tcp', 'ws'] as const)('nymea-app over %s', (transport) => {
  const urlOf = (mock: MockServer) => mock.urls.find((u) => u.startsWith(transport)) as string;

  test('first run: Hello with token null, CreateUser and Authenticate indented without a token, then the app calls', async () => {
    const mock = await freshMock();
    const app = await appOver(transport, urlOf(mock));
    const hello = await app.reply(app.command('JSONRPC.Hello', { locale: 'en_US' }));
    expect(app.sent[0]).toBe('{"id":1,"method":"JSONRPC.Hello","params":{"locale":"en_US"},"token":null}\n');
    expect(hello.status).toBe('success');
    expect(hello.params).toMatchObject({
      authenticationRequired: true,
      initialSetupRequired: true,
      'protocol version': '9.0',
      server: 'nymea',
    });
    // A null token is no token: Hello adds none of authenticated, permissionScopes, username.
    expect(hello.params).not.toHaveProperty('authenticated');
    expect(String(hello.params?.['uuid'])).toMatch(/^\{[0-9a-f-]{36}\}$/);

    const created = app.indented('JSONRPC.CreateUser', {
      displayName: '',
      email: '',
      password: 'Secret123',
      username: 'admin',
    });
    expect(app.sent[1]).toBe(
      '{\n    "id": 2,\n    "method": "JSONRPC.CreateUser",\n    "params": {\n        "displayName": "",\n        "email": "",\n        "password": "Secret123",\n        "username": "admin"\n    }\n}\n',
    );
    expect((await app.reply(created)).params).toEqual({ error: 'UserErrorNoError' });

    const auth = await app.reply(
      app.indented('JSONRPC.Authenticate', { deviceName: 'nymea-app', password: 'Secret123', username: 'admin' }),
    );
    expect(auth.params).toMatchObject({ success: true, username: 'admin', scopes: ADMIN_SCOPES });
    app.token = String(auth.params?.['token']);

    // setNotificationsEnabled: the handlers' namespaces, "Users" added; the reply's order is the server's.
    const notifications = await app.reply(
      app.command('JSONRPC.SetNotificationStatus', { namespaces: ['Integrations', 'JSONRPC', 'Rules', 'Users'] }),
    );
    expect(notifications.params?.['enabled']).toBe(true);
    expect([...(notifications.params?.['namespaces'] as string[])].sort()).toEqual([
      'Integrations',
      'JSONRPC',
      'Rules',
      'Users',
    ]);

    // UserManager::setEngine: three calls without params, written one after another.
    const [users, info, tokens] = app.commands([['Users.GetUsers'], ['Users.GetUserInfo'], ['Users.GetTokens']]);
    expect(((await app.reply(users as number)).params?.['users'] as { username: string }[])[0]).toEqual({
      allowedThingIds: [],
      displayName: '',
      email: '',
      scopes: ADMIN_SCOPES,
      username: 'admin',
    });
    expect((await app.reply(info as number)).params?.['userInfo']).toMatchObject({ username: 'admin' });
    const tokenList = (await app.reply(tokens as number)).params?.['tokenInfoList'] as Record<string, unknown>[];
    expect(tokenList).toHaveLength(1);
    expect(tokenList[0]).toMatchObject({ deviceName: 'nymea-app', username: 'admin' });
    expect(String(tokenList[0]?.['id'])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    app.close();
  });

  test("the user manager's writes, each answered after its notification", async () => {
    const mock = await freshMock();
    const app = await appOver(transport, urlOf(mock));
    await setUp(app);
    await app.reply(app.command('JSONRPC.SetNotificationStatus', { namespaces: ['JSONRPC', 'Users'] }));

    const add = app.command('Users.CreateUser', {
      displayName: 'Guest',
      email: 'guest@example.com',
      password: 'Guest1234',
      scopes: ['PermissionScopeControlThings'],
      username: 'guest',
    });
    const guest = {
      allowedThingIds: [],
      displayName: 'Guest',
      email: 'guest@example.com',
      scopes: ['PermissionScopeControlThings'],
      username: 'guest',
    };
    expect((await app.next((m) => m.notification === 'Users.UserAdded')).params).toEqual({ userInfo: guest });
    expect((await app.reply(add)).params).toEqual({ error: 'UserErrorNoError' });

    const scopes = app.command('Users.SetUserScopes', {
      allowedThingIds: [],
      scopes: ['PermissionScopeControlThings', 'PermissionScopeAccessAllThings', 'PermissionScopeExecuteRules'],
      username: 'guest',
    });
    expect((await app.next((m) => m.notification === 'Users.UserChanged')).params?.['userInfo']).toMatchObject({
      scopes: ['PermissionScopeControlThings', 'PermissionScopeAccessAllThings', 'PermissionScopeExecuteRules'],
    });
    expect((await app.reply(scopes)).params).toEqual({ error: 'UserErrorNoError' });

    const info = app.command('Users.SetUserInfo', { displayName: 'Gäst', email: 'g@example.com', username: 'guest' });
    expect((await app.next((m) => m.notification === 'Users.UserChanged')).params?.['userInfo']).toMatchObject({
      displayName: 'Gäst',
      email: 'g@example.com',
    });
    expect((await app.reply(info)).params).toEqual({ error: 'UserErrorNoError' });

    // A second device logs in; the first removes its token by the id GetTokens gave (no braces).
    const tablet = await appOver(transport, urlOf(mock));
    await tablet.reply(tablet.command('JSONRPC.Hello', { locale: 'de_DE' }));
    await tablet.reply(
      tablet.indented('JSONRPC.Authenticate', { deviceName: 'tablet', password: 'Secret123', username: 'admin' }),
    );
    const list = (await app.reply(app.command('Users.GetTokens'))).params?.['tokenInfoList'] as {
      id: string;
      deviceName: string;
    }[];
    const tabletToken = list.find((t) => t.deviceName === 'tablet')?.id as string;
    expect((await app.reply(app.command('Users.RemoveToken', { tokenId: tabletToken }))).params).toEqual({
      error: 'UserErrorNoError',
    });
    expect(((await app.reply(app.command('Users.GetTokens'))).params?.['tokenInfoList'] as unknown[]).length).toBe(1);

    const remove = app.command('Users.RemoveUser', { username: 'guest' });
    expect((await app.next((m) => m.notification === 'Users.UserRemoved')).params).toEqual({ username: 'guest' });
    expect((await app.reply(remove)).params).toEqual({ error: 'UserErrorNoError' });
    expect((await app.reply(app.command('Users.ChangePassword', { newPassword: 'Secret456' }))).params).toEqual({
      error: 'UserErrorNoError',
    });
    app.close();
    tablet.close();
  });

  test('a stored token the server does not know: authenticated false, then an Authenticate without a token is a token change', async () => {
    const mock = await freshMock();
    const first = await appOver(transport, urlOf(mock));
    await setUp(first);
    first.close();
    await first.closed;

    const stale = 'c3RhbGUtdG9rZW4tZnJvbS1hbm90aGVyLWluc3RhbGw=';
    const app = await appOver(transport, urlOf(mock), stale);
    const hello = await app.reply(app.command('JSONRPC.Hello', { locale: 'en_US' }));
    expect(hello.params).toMatchObject({
      authenticated: false,
      initialSetupRequired: false,
      permissionScopes: ['PermissionScopeNone'],
      username: '',
    });
    // helloReply clears the token; the login form's authenticate() sends none, the connection still holds
    // the stale one from Hello: unauthorized, and the server hangs up (and locks down).
    app.token = '';
    const auth = app.indented('JSONRPC.Authenticate', {
      deviceName: 'nymea-app',
      password: 'Secret123',
      username: 'admin',
    });
    expect(await app.reply(auth)).toEqual({
      error: 'Changing the user (token) requires a new handshake. Call JSONRPC.Hello.',
      id: auth,
      status: 'unauthorized',
    });
    await app.closed;

    // The app reconnects (after the lockdown) with no token: Hello, Authenticate, and it is in.
    await new Promise((r) => setTimeout(r, 120));
    const again = await appOver(transport, urlOf(mock));
    await again.reply(again.command('JSONRPC.Hello', { locale: 'en_US' }));
    const ok = await again.reply(
      again.indented('JSONRPC.Authenticate', { deviceName: 'nymea-app', password: 'Secret123', username: 'admin' }),
    );
    expect(ok.params).toMatchObject({ success: true });
    again.token = String(ok.params?.['token']);
    expect((await again.reply(again.command('Users.GetUserInfo'))).status).toBe('success');
    again.close();
  });

  test('a host found by address: Hello with no token, then Hello again on the same connection with the stored one', async () => {
    const mock = await freshMock();
    const first = await appOver(transport, urlOf(mock));
    await setUp(first);
    const stored = first.token;
    first.close();

    const app = await appOver(transport, urlOf(mock));
    const hello = await app.reply(app.command('JSONRPC.Hello', { locale: 'en_US' }));
    expect(hello.params).not.toHaveProperty('authenticated');
    app.token = stored;
    const again = await app.reply(app.command('JSONRPC.Hello', { locale: 'en_US' }));
    expect(again.id).toBe(2);
    expect(again.params).toMatchObject({ authenticated: true, permissionScopes: ADMIN_SCOPES, username: 'admin' });
    expect(
      (await app.reply(app.command('JSONRPC.SetNotificationStatus', { namespaces: ['JSONRPC', 'Users'] }))).status,
    ).toBe('success');
    app.close();
  });

  test('push button: RequestPushButtonAuth indented without a token; after the press the pushed token works', async () => {
    const mock = await freshMock();
    const app = await appOver(transport, urlOf(mock));
    const hello = await app.reply(app.command('JSONRPC.Hello', { locale: 'en_US' }));
    expect(hello.params?.['pushButtonAuthAvailable']).toBe(true);
    const request = app.indented('JSONRPC.RequestPushButtonAuth', { deviceName: 'nymea-app' });
    expect((await app.reply(request)).params).toEqual({ success: true, transactionId: 1 });
    await fetch(`${mock.controlUrl}/__accord/control/press-button`, { method: 'POST' });
    const finished = await app.next((m) => m.notification === 'JSONRPC.PushButtonAuthFinished');
    expect(finished.params).toMatchObject({ success: true, transactionId: 1 });
    app.token = String(finished.params?.['token']);
    expect(
      (await app.reply(app.command('JSONRPC.SetNotificationStatus', { namespaces: ['JSONRPC', 'Users'] }))).status,
    ).toBe('success');
    expect(
      ((await app.reply(app.command('Users.GetUserInfo'))).params?.['userInfo'] as { scopes: string[] }).scopes,
    ).toEqual(ADMIN_SCOPES);
    app.close();
  });
});

/**
 * nymea-cli, both generations, over TCP (github nymea/nymea-cli):
 * - the Python one (`nymea/nymea.py` send_command): `json.dumps(obj) + '\n'` (Python's `", "` / `": "`), ids
 *   from 0, `params` only when not empty, `token` only once it has one; it reads until `}\n` and parses
 *   what it got. Without a push button on a fresh server it runs JSONRPC.CreateUser, then Authenticate.
 * - the C++ one (`src/nymeajsonrpcclient.cpp`): QJsonObject `{id, method, params (when not empty), token
 *   (when not empty)}` as `toJson(Compact) + '\n'`, ids from 1, replies read line by line.
 */
async function lineClient(url: string): Promise<{
  write(text: string): void;
  reply(id: number): Promise<Message>;
  close(): void;
}> {
  const inbox = new NymeaInbox();
  const socket = await openNymeaSocket(
    'tcp',
    url,
    byLine((line) => inbox.push(JSON.parse(line) as Message)),
  );
  return {
    write: (text) => socket.write(text),
    reply: (id) => inbox.next((m) => m.id === id && 'status' in m),
    close: () => socket.close(),
  };
}

describe('nymea-cli over tcp', () => {
  test('the Python nymea-cli: ids from 0, json.dumps spacing, CreateUser and Authenticate without a token', async () => {
    const mock = await startMock('nymea', { dialect: { lockdownMs: 80, pushButton: false } });
    mocks.push(mock);
    const cli = await lineClient(mock.urls.find((u) => u.startsWith('tcp')) as string);
    cli.write('{"id": 0, "method": "JSONRPC.Hello"}\n');
    const hello = await cli.reply(0);
    expect(hello.params).toMatchObject({ initialSetupRequired: true, pushButtonAuthAvailable: false });
    cli.write('{"id": 1, "method": "JSONRPC.CreateUser", "params": {"username": "admin", "password": "Secret123"}}\n');
    expect((await cli.reply(1)).params).toEqual({ error: 'UserErrorNoError' });
    cli.write(
      '{"id": 2, "method": "JSONRPC.Authenticate", "params": {"username": "admin", "password": "Secret123", "deviceName": "nymea-cli"}}\n',
    );
    const token = String((await cli.reply(2)).params?.['token']);
    cli.write(`{"id": 3, "method": "Users.GetUserInfo", "token": "${token}"}\n`);
    expect((await cli.reply(3)).params?.['userInfo']).toMatchObject({ username: 'admin', scopes: ADMIN_SCOPES });
    cli.close();
  });

  test('the C++ nymea-cli: compact, ids from 1, no params member when empty, the token once it has one', async () => {
    const mock = await freshMock();
    const cli = await lineClient(mock.urls.find((u) => u.startsWith('tcp')) as string);
    cli.write('{"id":1,"method":"JSONRPC.Hello"}\n');
    expect((await cli.reply(1)).params).toMatchObject({ initialSetupRequired: true, pushButtonAuthAvailable: true });
    cli.write('{"id":2,"method":"JSONRPC.RequestPushButtonAuth","params":{"deviceName":"nymea-cli"}}\n');
    expect((await cli.reply(2)).params).toEqual({ success: true, transactionId: 1 });
    cli.write('{"id":3,"method":"JSONRPC.CreateUser","params":{"password":"Secret123","username":"admin"}}\n');
    expect((await cli.reply(3)).params).toEqual({ error: 'UserErrorNoError' });
    cli.write(
      '{"id":4,"method":"JSONRPC.Authenticate","params":{"deviceName":"nymea-cli","password":"Secret123","username":"admin"}}\n',
    );
    const token = String((await cli.reply(4)).params?.['token']);
    cli.write(
      `{"id":5,"method":"JSONRPC.SetNotificationStatus","params":{"namespaces":["Integrations","Users"]},"token":"${token}"}\n`,
    );
    expect((await cli.reply(5)).status).toBe('success');
    cli.close();
  });
});
