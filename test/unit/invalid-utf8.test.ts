import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMock, type MockServer } from '../../mock/server.js';
import { checkedMockDialect } from '../../src/protocols/index.js';

/**
 * Bodies that are not UTF-8 (raw bytes, or a \u escape of half a surrogate pair for PHP) are refused by
 * every real server's JSON parser; the mocks refuse them the same way and change nothing.
 */
function post(
  url: string,
  path: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const withByte = (before: string, bytes: number[], after: string) =>
  Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);

describe('bodies that are not UTF-8', () => {
  const mocks: Record<string, MockServer> = {};
  beforeAll(async () => {
    for (const id of ['kanboard', 'octoprint', 'rhodecode']) mocks[id] = await startMock(id);
  });
  afterAll(async () => {
    for (const m of Object.values(mocks)) await m.close();
  });

  test('kanboard: raw bytes and a lone surrogate escape are parse errors (PHP json_decode), nothing is created', async () => {
    const m = mocks['kanboard']!;
    const before = JSON.stringify(m.dialect.snapshot());
    const raw = await post(
      m.url,
      '/jsonrpc.php',
      withByte('{"jsonrpc":"2.0","method":"createGroup","id":1,"params":{"name":"g', [0xff], '"}}'),
    );
    expect(JSON.parse(raw.text)).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
    const surrogate = await post(
      m.url,
      '/jsonrpc.php',
      Buffer.from('{"jsonrpc":"2.0","method":"createGroup","id":1,"params":{"name":"g\\ud800"}}'),
    );
    expect(JSON.parse(surrogate.text)).toEqual({
      jsonrpc: '2.0',
      error: { code: -32700, message: 'Parse error' },
      id: null,
    });
    expect(JSON.stringify(m.dialect.snapshot())).toBe(before);
  });

  // A server out of debug mode (a real 1.11.8) sends BadRequest's own text, whatever the codec said.
  test('octoprint: 400 with the plain BadRequest text', async () => {
    const m = mocks['octoprint']!;
    const key = String((m.dialect.given as { adminKey?: unknown }).adminKey);
    const reply = await post(m.url, '/api/access/groups', withByte('{"key":"g', [0xe2, 0x82], '"}'), {
      'x-api-key': key,
    });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toEqual({
      error: 'The browser (or proxy) sent a request that this server could not understand.',
    });
  });

  test("rhodecode: HTTP 200 and a JSON parse error with Python's codec message", async () => {
    const m = mocks['rhodecode']!;
    const reply = await post(
      m.url,
      '/_admin/api',
      withByte('{"id":1,"auth_token":"x","method":"get_users","args":{"a":"', [0xc0, 0xaf], '"}}'),
    );
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text).error).toMatch(
      /^JSON parse error ERR:'utf-8' codec can't decode byte 0xc0 in position 59: invalid start byte RAW:/,
    );
  });

  test('nymea over TCP: bytes that are not UTF-8 in a string are a Qt parse error; a character split between two writes is not', async () => {
    const m = await startMock('nymea', { dialect: checkedMockDialect('nymea') });
    const tcp = new URL(m.urls.find((u) => u.startsWith('tcp:'))!);
    const socket = net.connect(Number(tcp.port), '127.0.0.1');
    const lines: string[] = [];
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts.filter((p) => p !== ''));
    });
    const nextLine = async (count: number) => {
      for (let t = 0; t < 100 && lines.length < count; t++) await new Promise((r) => setTimeout(r, 20));
      return JSON.parse(lines[count - 1] ?? 'null') as Record<string, unknown>;
    };
    try {
      await new Promise((resolve) => socket.once('connect', resolve));
      // A Hello first: the transport router closes a connection whose first message does not parse.
      socket.write('{"id":0,"method":"JSONRPC.Hello"}\n');
      expect((await nextLine(1))['id']).toBe(0);
      socket.write(withByte('{"id":1,"method":"JSONRPC.Hello","params":{"locale":"de', [0xff], '"}}\n'));
      expect(await nextLine(2)).toEqual({
        error: 'Failed to parse JSON data: invalid UTF8 string',
        id: -1,
        status: 'error',
      });
      socket.write(Buffer.from([...Buffer.from('{"id":2,"method":"JSONRPC.Hello","params":{"locale":"de'), 0xc3]));
      await new Promise((r) => setTimeout(r, 50));
      socket.write(Buffer.from([0xa9, ...Buffer.from('"}}\n')]));
      const hello = await nextLine(3);
      expect(hello['status']).toBe('success');
      expect(hello['id']).toBe(2);
    } finally {
      socket.destroy();
      await m.close();
    }
  });
});
