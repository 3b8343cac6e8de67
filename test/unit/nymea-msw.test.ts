import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import NodeWebSocket from 'ws';
import { handlers } from '../../mock/msw.js';

/**
 * The nymea mock as msw WebSocket handlers, the way a browser app's tests would use it. msw intercepts
 * the global WebSocket class; Node 20 has none without --experimental-websocket, so the test puts the
 * `ws` package's class there first (msw replaces it and never opens a real socket). The client below
 * uses only the browser WebSocket API (addEventListener, send, text frames).
 */
const URL = 'ws://nymea.test:4444';
const globals = globalThis as { WebSocket?: unknown };
const hadWebSocket = 'WebSocket' in globals;
// Before the handlers are made, as the README tells Node 20 users (else they warn that no client can connect).
if (!hadWebSocket) globals.WebSocket = NodeWebSocket;
const mock = handlers('nymea', { url: URL, dialect: { lockdownMs: 50 } });
const server = setupServer(...mock);

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
});

afterAll(() => {
  server.close();
  if (!hadWebSocket) delete globals.WebSocket;
});

interface BrowserSocket {
  send(data: string | ArrayBuffer): void;
  close(): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

type Message = Record<string, unknown> & { id?: number; params?: Record<string, unknown>; notification?: string };

function connect(): Promise<{
  socket: BrowserSocket;
  frames: string[];
  next(test: (m: Message) => boolean): Promise<Message>;
}> {
  const Ctor = globals.WebSocket as new (url: string) => BrowserSocket;
  const socket = new Ctor(URL);
  const frames: string[] = [];
  const next = async (test: (m: Message) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const hit = frames.map((f) => JSON.parse(f) as Message).find(test);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no matching frame in ${JSON.stringify(frames)}`);
  };
  socket.addEventListener('message', (event) => {
    if (typeof event.data === 'string') frames.push(event.data);
  });
  return new Promise((resolve) => socket.addEventListener('open', () => resolve({ socket, frames, next })));
}

describe('nymea over msw WebSocket handlers', () => {
  test('the documented flow: Hello, CreateUser, Authenticate, Users calls with the token, notifications', async () => {
    const { socket, frames, next } = await connect();
    const send = (m: Record<string, unknown>) => socket.send(`${JSON.stringify(m)}\n`);
    send({ id: 1, method: 'JSONRPC.Hello' });
    expect((await next((m) => m.id === 1)).params).toMatchObject({ initialSetupRequired: true, server: 'nymea' });
    send({ id: 2, method: 'JSONRPC.CreateUser', params: { username: 'admin', password: 'Secret123' } });
    expect((await next((m) => m.id === 2)).params).toEqual({ error: 'UserErrorNoError' });
    send({
      id: 3,
      method: 'JSONRPC.Authenticate',
      params: { username: 'admin', password: 'Secret123', deviceName: 'browser' },
    });
    const token = String((await next((m) => m.id === 3)).params?.['token']);
    send({ id: 4, method: 'JSONRPC.SetNotificationStatus', params: { namespaces: ['Users'] }, token });
    await next((m) => m.id === 4);
    send({
      id: 5,
      method: 'Users.CreateUser',
      params: { username: 'guest', password: 'Guest1234', scopes: [] },
      token,
    });
    expect((await next((m) => m.notification === 'Users.UserAdded')).params).toMatchObject({
      userInfo: { username: 'guest', scopes: [] },
    });
    expect((await next((m) => m.id === 5)).params).toEqual({ error: 'UserErrorNoError' });
    // One text frame per message, each with its trailing newline, keys sorted.
    expect(frames[1]).toBe('{"id":2,"params":{"error":"UserErrorNoError"},"status":"success"}\n');
    // Without the token after Authenticate: a token change, unauthorized, and the server closes.
    const closed = new Promise<void>((resolve) => socket.addEventListener('close', () => resolve()));
    send({ id: 6, method: 'Users.GetUsers' });
    expect(await next((m) => m.id === 6)).toMatchObject({
      status: 'unauthorized',
      error: 'Changing the user (token) requires a new handshake. Call JSONRPC.Hello.',
    });
    await closed;
    expect(mock.instances[0]?.dialect.snapshot()).toMatchObject({
      users: [{ username: 'admin' }, { username: 'guest' }],
    });
  });

  test('binary frames are ignored', async () => {
    await new Promise((r) => setTimeout(r, 80));
    const { socket, frames, next } = await connect();
    socket.send(new TextEncoder().encode('{"id":1,"method":"JSONRPC.Hello"}\n').buffer as ArrayBuffer);
    socket.send('{"id":2,"method":"JSONRPC.Hello"}\n');
    await next((m) => m.id === 2);
    expect(frames.map((f) => (JSON.parse(f) as Message).id)).toEqual([2]);
    socket.close();
  });
});
