import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { firstMessage } from '../../mock/dialects/nymea/router.js';
import { startMock, type MockServer } from '../../mock/server.js';

/**
 * nymea 1.15's transport router, as the mock models it (../shared/real/nymea/README.md, seen on the real
 * nymead 1.15.2): what it makes of a new connection's first bytes, and when a lockdown closes the client.
 */
describe('the first message', () => {
  test.each([
    ['{"id":1,"method":"JSONRPC.Hello"}\n', 'message', 'JSONRPC.Hello'],
    ['{"id":1,"method":"JSONRPC.Hello","params":{"locale":"de', 'wait', undefined],
    ['{"id":1,"method":"JSONRPC.Hello","params":{"locale":"de"}', 'close', undefined],
    ['{"id":1,"method":x}\n', 'close', undefined],
    ['[{"id":1,"method":"JSONRPC.Hello"}]\n', 'message', ''],
    ['{"id":1,"method":42}', 'message', ''],
    ['\n\n', 'wait', undefined],
  ])('%j: %s %s', (buffer, kind, method) => {
    const first = firstMessage(buffer);
    expect(first.kind).toBe(kind);
    if (first.kind === 'message') expect(first.method).toBe(method);
  });

  test('a document followed by more: the rest is handed on after routing', () => {
    const first = firstMessage('{"id":1,"method":"JSONRPC.Hello"}\r\n{"id":2,"method":"JSONRPC.Hello"}\r\n');
    expect(first).toMatchObject({
      kind: 'message',
      method: 'JSONRPC.Hello',
      first: '{"id":1,"method":"JSONRPC.Hello"}\r\n',
      rest: '{"id":2,"method":"JSONRPC.Hello"}\r\n',
    });
  });

  test('more than 1 MiB without a document closes', () => {
    expect(firstMessage(`{"id":1,"params":"${'x'.repeat(1024 * 1024 + 1)}`).kind).toBe('close');
  });
});

interface Peer {
  write(text: string): void;
  /** Everything received so far, and whether the server closed. */
  readonly received: string[];
  readonly closed: () => boolean;
}

function connect(port: number): Promise<Peer> {
  return new Promise((resolve) => {
    const received: string[] = [];
    let closed = false;
    const socket = net.connect(port, '127.0.0.1', () =>
      resolve({ write: (t) => socket.write(t), received, closed: () => closed }),
    );
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => received.push(d));
    socket.on('close', () => (closed = true));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the mock behind its router', () => {
  let mock: MockServer | undefined;
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });
  const start = async () => {
    mock = await startMock('nymea', { dialect: { admin: 'admin:Accord-Admin-1', lockdownMs: 2000 } });
    return Number(new URL(mock.urls.find((u) => u.startsWith('tcp:')) as string).port);
  };

  test('a first non-Hello is closed without a reply; two Hellos joined by \\r\\n are both answered', async () => {
    const port = await start();
    const bad = await connect(port);
    bad.write('{"id":1,"method":"Users.GetUsers"}\n');
    await sleep(150);
    expect(bad.closed()).toBe(true);
    expect(bad.received).toEqual([]);
    const two = await connect(port);
    two.write('{"id":1,"method":"JSONRPC.Hello"}\r\n{"id":2,"method":"JSONRPC.Hello"}\r\n');
    await sleep(150);
    expect(
      two.received
        .join('')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: number }).id),
    ).toEqual([1, 2]);
    expect(two.closed()).toBe(false);
  });

  test('during a lockdown a new connection stays open until its first Hello, then is closed without a reply', async () => {
    const port = await start();
    const failing = await connect(port);
    failing.write('{"id":1,"method":"JSONRPC.Hello"}\n');
    await sleep(50);
    failing.write(
      '{"id":2,"method":"JSONRPC.Authenticate","params":{"username":"admin","password":"wrong","deviceName":"x"}}\n',
    );
    await sleep(50);
    const next = await connect(port);
    await sleep(200);
    expect(next.closed()).toBe(false);
    next.write('{"id":3,"method":"JSONRPC.Hello"}\n');
    await sleep(150);
    expect(next.closed()).toBe(true);
    expect(next.received).toEqual([]);
  });

  test('Transfer.Connect selects the transfer protocol: the mock has no transfers, so "Invalid transfer token" and a close', async () => {
    const port = await start();
    const c = await connect(port);
    c.write('{"id":4,"method":"Transfer.Connect"}\n');
    await sleep(150);
    expect(c.received.join('')).toBe('{"error":"Invalid transfer token","id":4,"status":"error"}\n');
    expect(c.closed()).toBe(true);
  });
});
