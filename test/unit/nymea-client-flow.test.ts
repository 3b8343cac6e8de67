import { afterEach, describe, expect, test } from 'vitest';
import { startMock, type MockServer } from '../../mock/server.js';
import { byLine, NymeaInbox, openNymeaSocket, type NymeaMessage } from '../support/nymea-socket.js';

/**
 * A client that does what nymea's documentation tells a client to do (nymea.md §4 "Typical flows"),
 * written here with nothing but a socket, against `accord serve nymea`-style fresh mocks (no users) on
 * TCP and WebSocket: Hello → JSONRPC.CreateUser → Authenticate → Users.* with the token, notifications on.
 */
type Message = NymeaMessage;

interface Client {
  send(message: Record<string, unknown>): void;
  /** The next message that passes the test (messages are kept until read). */
  next(test: (m: Message) => boolean, timeoutMs?: number): Promise<Message>;
  readonly raw: string[];
  readonly closed: Promise<void>;
  close(): void;
}

async function clientOver(transport: 'tcp' | 'ws', url: string): Promise<Client> {
  const inbox = new NymeaInbox();
  const raw: string[] = [];
  const take = (text: string) => {
    raw.push(text);
    inbox.push(JSON.parse(text) as Message);
  };
  // TCP is newline framed; a WebSocket frame is one message.
  const socket = await openNymeaSocket(transport, url, transport === 'tcp' ? byLine(take) : take);
  return {
    send: (message) => socket.write(`${JSON.stringify(message)}\n`),
    next: (test, timeoutMs) => inbox.next(test, timeoutMs),
    raw,
    closed: socket.closed,
    close: () => socket.close(),
  };
}

const mocks: MockServer[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.close()));
});

/** A fresh install, as `accord serve nymea` starts (short lockdown so that the test does not wait 3 s). */
async function freshMock(): Promise<MockServer> {
  const mock = await startMock('nymea', { dialect: { lockdownMs: 50 } });
  mocks.push(mock);
  return mock;
}

const reply = (id: number) => (m: Message) => m.id === id && 'status' in m;

describe.each(['tcp', 'ws'] as const)('a documented client over %s', (transport) => {
  const urlOf = (mock: MockServer) => mock.urls.find((u) => u.startsWith(transport)) as string;

  test('Hello, CreateUser on a fresh server, Authenticate, then Users calls with the token and notifications', async () => {
    const mock = await freshMock();
    const c = await clientOver(transport, urlOf(mock));
    c.send({ id: 1, method: 'JSONRPC.Hello', params: { locale: 'en_US' } });
    const hello = await c.next(reply(1));
    expect(hello.status).toBe('success');
    expect(hello.params).toMatchObject({
      server: 'nymea',
      'protocol version': '9.0',
      authenticationRequired: true,
      initialSetupRequired: true,
      locale: 'en_US',
    });

    c.send({ id: 2, method: 'JSONRPC.CreateUser', params: { username: 'admin', password: 'Secret123' } });
    expect((await c.next(reply(2))).params).toEqual({ error: 'UserErrorNoError' });

    c.send({
      id: 3,
      method: 'JSONRPC.Authenticate',
      params: { username: 'admin', password: 'Secret123', deviceName: 'flow' },
    });
    const auth = await c.next(reply(3));
    expect(auth.params).toMatchObject({ success: true, username: 'admin' });
    const token = String(auth.params?.['token']);
    expect(token).toMatch(/^[A-Za-z0-9+/]{43}=$/);

    c.send({ id: 4, method: 'JSONRPC.SetNotificationStatus', params: { namespaces: ['Users'] }, token });
    expect((await c.next(reply(4))).params).toEqual({ enabled: true, namespaces: ['Users'] });

    c.send({ id: 5, method: 'Users.GetUserInfo', token });
    expect((await c.next(reply(5))).params).toEqual({
      error: 'UserErrorNoError',
      userInfo: {
        allowedThingIds: [],
        displayName: '',
        email: '',
        scopes: [
          'PermissionScopeControlThings',
          'PermissionScopeConfigureThings',
          'PermissionScopeAccessAllThings',
          'PermissionScopeExecuteRules',
          'PermissionScopeConfigureRules',
          'PermissionScopeAdmin',
        ],
        username: 'admin',
      },
    });

    c.send({
      id: 6,
      method: 'Users.CreateUser',
      params: { username: 'guest', password: 'Guest1234', scopes: ['PermissionScopeControlThings'] },
      token,
    });
    const added = await c.next((m) => m.notification === 'Users.UserAdded');
    expect(added.params).toEqual({
      userInfo: {
        allowedThingIds: [],
        displayName: '',
        email: '',
        scopes: ['PermissionScopeControlThings'],
        username: 'guest',
      },
    });
    expect(typeof added.id).toBe('number');
    expect((await c.next(reply(6))).params).toEqual({ error: 'UserErrorNoError' });

    c.send({ id: 7, method: 'Users.GetUsers', token });
    const users = (await c.next(reply(7))).params?.['users'] as { username: string }[];
    expect(users.map((u) => u.username)).toEqual(['admin', 'guest']);

    c.send({ id: 8, method: 'Users.RemoveUser', params: { username: 'guest' }, token });
    expect((await c.next((m) => m.notification === 'Users.UserRemoved')).params).toEqual({ username: 'guest' });
    expect((await c.next(reply(8))).params).toEqual({ error: 'UserErrorNoError' });

    // Every message is compact JSON with sorted keys and a newline, on both transports.
    expect(c.raw.every((r) => r.endsWith('\n'))).toBe(true);
    expect(c.raw[1]).toBe('{"id":2,"params":{"error":"UserErrorNoError"},"status":"success"}\n');

    // The normal start on a new connection: Hello with the stored token.
    const again = await clientOver(transport, urlOf(mock));
    again.send({ id: 1, method: 'JSONRPC.Hello', token });
    expect((await again.next(reply(1))).params).toMatchObject({
      authenticated: true,
      username: 'admin',
      initialSetupRequired: false,
    });
    again.send({ id: 2, method: 'Users.GetTokens', token });
    expect(
      ((await again.next(reply(2))).params?.['tokenInfoList'] as { deviceName: string }[]).map((t) => t.deviceName),
    ).toEqual(['flow']);
    c.close();
    again.close();
  });

  test('before the first user only Hello, RequestPushButtonAuth and CreateUser get through', async () => {
    const mock = await freshMock();
    const c = await clientOver(transport, urlOf(mock));
    c.send({ id: 1, method: 'JSONRPC.Hello' });
    await c.next(reply(1));
    c.send({ id: 2, method: 'JSONRPC.Introspect' });
    expect(await c.next(reply(2))).toEqual({
      error: 'Initial setup required. Call JSONRPC.CreateUser first.',
      id: 2,
      status: 'unauthorized',
    });
    await c.closed;
    await new Promise((r) => setTimeout(r, 80));
    const d = await clientOver(transport, urlOf(mock));
    // Hello first: the transport router closes a connection whose first message is anything else.
    d.send({ id: 0, method: 'JSONRPC.Hello' });
    await d.next(reply(0));
    d.send({
      id: 1,
      method: 'JSONRPC.Authenticate',
      params: { username: 'admin', password: 'Secret123', deviceName: 'x' },
    });
    expect((await d.next(reply(1))).error).toBe('Initial setup required. Call JSONRPC.CreateUser first.');
  });

  test('the push button: a press answers the requester with a token, and the first press makes the hidden admin ""', async () => {
    const mock = await freshMock();
    const c = await clientOver(transport, urlOf(mock));
    c.send({ id: 1, method: 'JSONRPC.Hello' });
    expect((await c.next(reply(1))).params?.['pushButtonAuthAvailable']).toBe(true);
    c.send({ id: 2, method: 'JSONRPC.RequestPushButtonAuth', params: { deviceName: 'phone' } });
    expect((await c.next(reply(2))).params).toEqual({ success: true, transactionId: 1 });
    const pressed = await fetch(`${mock.controlUrl}/__accord/control/press-button`, { method: 'POST' });
    expect(await pressed.json()).toEqual({ result: { pending: true, transactionId: 1 } });
    const finished = await c.next((m) => m.notification === 'JSONRPC.PushButtonAuthFinished');
    expect(finished.params).toMatchObject({ success: true, transactionId: 1 });
    const token = String(finished.params?.['token']);
    // The connection's token is now the pushed one: no new Hello needed.
    c.send({ id: 3, method: 'Users.GetUserInfo', token });
    expect(((await c.next(reply(3))).params?.['userInfo'] as { username: string }).username).toBe('');
    // The server is set up now: CreateUser without a token is refused.
    const d = await clientOver(transport, urlOf(mock));
    d.send({ id: 1, method: 'JSONRPC.Hello' });
    expect((await d.next(reply(1))).params?.['initialSetupRequired']).toBe(false);
    // A request whose connection goes away is cancelled: pressing then finds nothing pending.
    d.send({ id: 2, method: 'JSONRPC.RequestPushButtonAuth', params: { deviceName: 'gone' } });
    await d.next(reply(2));
    d.close();
    await d.closed;
    await new Promise((r) => setTimeout(r, 50));
    const again = await fetch(`${mock.controlUrl}/__accord/control/press-button`, { method: 'POST' });
    expect(await again.json()).toEqual({ result: { pending: false } });
  });

  test('PushButtonAuthFinished takes its id from the server-wide notification counter, as a real nymead does', async () => {
    const mock = await freshMock();
    const setup = await clientOver(transport, urlOf(mock));
    setup.send({ id: 1, method: 'JSONRPC.Hello' });
    await setup.next(reply(1));
    setup.send({ id: 2, method: 'JSONRPC.CreateUser', params: { username: 'admin', password: 'Secret123' } });
    await setup.next(reply(2));
    setup.send({
      id: 3,
      method: 'JSONRPC.Authenticate',
      params: { username: 'admin', password: 'Secret123', deviceName: 'x' },
    });
    const token = String((await setup.next(reply(3))).params?.['token']);
    const listener = await clientOver(transport, urlOf(mock));
    listener.send({ id: 1, method: 'JSONRPC.Hello', token });
    await listener.next(reply(1));
    listener.send({ id: 2, method: 'JSONRPC.SetNotificationStatus', params: { namespaces: ['Users'] }, token });
    await listener.next(reply(2));
    const asker = await clientOver(transport, urlOf(mock));
    asker.send({ id: 1, method: 'JSONRPC.Hello' });
    await asker.next(reply(1));
    const added = (name: string) => (m: Message) =>
      m.notification === 'Users.UserAdded' && JSON.stringify(m).includes(name);
    setup.send({ id: 4, method: 'Users.CreateUser', params: { username: 'one', password: 'Secret123' }, token });
    const first = await listener.next(added('one'));
    asker.send({ id: 2, method: 'JSONRPC.RequestPushButtonAuth', params: { deviceName: 'a' } });
    await asker.next(reply(2));
    // A second request takes over: the first requester learns that its request failed.
    asker.send({ id: 3, method: 'JSONRPC.RequestPushButtonAuth', params: { deviceName: 'b' } });
    const finished = await asker.next((m) => m.notification === 'JSONRPC.PushButtonAuthFinished');
    setup.send({ id: 5, method: 'Users.CreateUser', params: { username: 'two', password: 'Secret123' }, token });
    const second = await listener.next(added('two'));
    expect(finished.params).toEqual({ success: false, transactionId: 1 });
    expect([finished.id, second.id]).toEqual([Number(first.id) + 1, Number(first.id) + 2]);
  });

  test('a seed without a push button: Hello says pushButtonAuthAvailable false, as a nymead without its agent', async () => {
    const mock = await startMock('nymea', { dialect: { lockdownMs: 50, seed: { pushButton: false } } });
    mocks.push(mock);
    const c = await clientOver(transport, urlOf(mock));
    c.send({ id: 1, method: 'JSONRPC.Hello' });
    expect((await c.next(reply(1))).params?.['pushButtonAuthAvailable']).toBe(false);
  });
});
