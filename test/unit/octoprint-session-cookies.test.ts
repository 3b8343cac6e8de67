import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMock, type MockServer } from '../../mock/server.js';

/**
 * The browser login of OctoPrint 1.11.8 as a browser sees it (cookies as a real server set them): one
 * Set-Cookie line per cookie, the session cookie written back on every request of a live session, and
 * /api/login reading a body it cannot decode as no fields at all.
 */

interface Reply {
  readonly status: number;
  readonly cookies: string[];
  readonly body: string;
}

function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, cookies: res.headers['set-cookie'] ?? [], body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const pair = (cookie: string) => cookie.split(';')[0] ?? '';

describe('octoprint browser session cookies', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMock('octoprint');
  });
  afterAll(async () => {
    await mock.close();
  });

  test('login sets each cookie on its own line; later requests get the session cookie back', async () => {
    const page = await send(mock.url, 'GET', '/login');
    const csrf = pair(page.cookies.find((c) => c.startsWith('csrf_token')) ?? '');
    const token = csrf.split('=')[1] ?? '';
    const headers = { 'content-type': 'application/json', cookie: csrf, 'x-csrf-token': token };
    const login = await send(
      mock.url,
      'POST',
      '/api/login',
      headers,
      JSON.stringify({ user: 'admin', pass: 'admin', remember: true }),
    );
    expect(login.status).toBe(200);
    const names = login.cookies.map((c) =>
      pair(c)
        .split('=')[0]
        ?.replace(/_P\d+$/, ''),
    );
    expect(names.sort()).toEqual(['active_logout', 'active_logout', 'remember_token', 'session']);
    const session = pair(login.cookies.find((c) => c.startsWith('session_')) ?? '');

    const list = await send(mock.url, 'GET', '/api/access/users', { cookie: session });
    expect(list.status).toBe(200);
    expect(list.cookies.map(pair)).toEqual([session]);
    expect(JSON.parse(login.body)).toMatchObject({ _login_mechanism: 'password', _is_external_client: false });
  });

  test('a login body that is not JSON is read as no fields: 400, not 415', async () => {
    const key = String((mock.dialect.given as { adminKey?: unknown }).adminKey);
    const reply = await send(
      mock.url,
      'POST',
      '/api/login',
      { 'content-type': 'text/plain', 'x-api-key': key },
      '{"passive": true}',
    );
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toEqual({ error: 'Neither user and pass attributes nor passive flag present' });
  });
});
