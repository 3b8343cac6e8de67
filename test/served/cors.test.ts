import { afterEach, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { startMock, type MockServer } from '../../mock/server.js';
import { runCli } from '../support/cli.js';

/** CORS as each real server does it: off by default; `cors` (serve --cors) only where the real one has a setting. */
let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const ORIGIN = 'http://app.example:5173';
const preflight = (url: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin: ORIGIN,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'x-api-key,content-type',
    },
  });
const corsHeaders = (response: Response) =>
  [...response.headers.keys()].filter((k) => k.startsWith('access-control-')).sort();

test('octoprint, api.allowCrossOrigin off (the default): a preflight gets Allow only, answers no Access-Control-*', async () => {
  mock = await startMock('octoprint');
  const answer = await preflight(`${mock.url}/api/access/users`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('allow')).toMatch(/GET/);
  expect(corsHeaders(answer)).toEqual([]);
  const get = await fetch(`${mock.url}/api/access/users`, {
    headers: { origin: ORIGIN, 'x-api-key': String(mock.dialect.given['adminKey']) },
  });
  expect(get.status).toBe(200);
  expect(corsHeaders(get)).toEqual([]);
});

test('octoprint with api.allowCrossOrigin: the preflight echoes origin, method and headers; answers carry the origin', async () => {
  mock = await startMock('octoprint', { dialect: { cors: true } });
  const answer = await preflight(`${mock.url}/api/access/users/operator`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  expect(answer.headers.get('access-control-allow-methods')).toBe('PUT');
  expect(answer.headers.get('access-control-allow-headers')).toBe('x-api-key,content-type');
  expect(answer.headers.get('access-control-max-age')).toBe('10');
  expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
  // An error from a matched API route carries it too; a path no route matches does not (no blueprint hook).
  const denied = await fetch(`${mock.url}/api/access/users`, { headers: { origin: ORIGIN } });
  expect(denied.status).toBe(403);
  expect(denied.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  const unknown = await fetch(`${mock.url}/api/nothing-here`, { headers: { origin: ORIGIN } });
  expect(unknown.status).toBe(404);
  expect(corsHeaders(unknown)).toEqual([]);
  // request.headers["Origin"] on a preflight without one: Werkzeug's 400.
  expect((await fetch(`${mock.url}/api/access/users`, { method: 'OPTIONS' })).status).toBe(400);
});

test.each([
  ['kanboard', '/jsonrpc.php'],
  ['rhodecode', '/_admin/api'],
  ['octoprint-1.3', '/api/users'],
])('%s: no CORS headers on a preflight or an answer, as the real server', async (protocol, path) => {
  mock = await startMock(protocol);
  expect(corsHeaders(await preflight(`${mock.url}${path}`))).toEqual([]);
  const post = await fetch(`${mock.url}${path}`, { method: 'POST', headers: { origin: ORIGIN }, body: '{}' });
  expect(corsHeaders(post)).toEqual([]);
});

test('nymea: the WebSocket server takes a connection from any Origin, as QWebSocketServer does by default', async () => {
  mock = await startMock('nymea');
  const socket = new WebSocket(mock.urls[1]!, { origin: 'http://elsewhere.example' });
  const reply = await new Promise<Record<string, unknown>>((resolve, reject) => {
    socket.on('open', () => socket.send(JSON.stringify({ id: 1, method: 'JSONRPC.Hello' })));
    socket.on('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>));
    socket.on('error', reject);
  });
  socket.close();
  expect(reply['status']).toBe('success');
});

test('serve --cors where the real server has no CORS setting is refused in one line', async () => {
  const run = await runCli(['serve', 'kanboard', '--cors']);
  expect(run.code).toBe(2);
  expect(run.stderr).toBe(
    'accord: --cors: kanboard has no CORS setting; like the real server, the mock sends no CORS headers (see the README)\n',
  );
});
