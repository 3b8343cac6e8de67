import { describe, expect, test } from 'vitest';
import { createOctoPrint13Dialect } from '../../mock/dialects/octoprint-1.3/index.js';
import { createOctoPrintDialect } from '../../mock/dialects/octoprint/index.js';
import type { HttpDialect } from '../../mock/dialect.js';
import { pyDumps } from '../support/python-dumps.js';

/**
 * OctoPrint's own Python client (`octoprint_client.Client`, src/octoprint_client/__init__.py) and the
 * `octoprint client` commands built on it (src/octoprint/cli/client.py), replayed request for request
 * against the mock, re-stated here from their source (none of it copied). The JS client is
 * octoprint-js-client.test.ts; the answers are octoprint.md's (1.11.8 and 1.3).
 *
 * - `prepare_request` makes a `requests.Request(method, baseurl + "/" + path, headers={"X-Api-Key": key})`;
 *   `request()` then calls `prepare_body(None, None, json=data)` for `encoding == "json"` (json.dumps with
 *   Python's `", "` / `": "`, `Content-Type: application/json`), else `prepare_body(data)` (a dict becomes
 *   `application/x-www-form-urlencoded`) — and only `if data or files`: an empty dict sends no body and no
 *   Content-Type at all (requests still writes `Content-Length: 0` on a POST, PUT, PATCH or DELETE).
 * - requests' own headers: `User-Agent: python-requests/<version>`, `Accept-Encoding: gzip, deflate`,
 *   `Accept: *\/*`, `Connection: keep-alive`; `--httpuser/--httppass` put the credentials in the URL, which
 *   requests sends as `Authorization: Basic`. It follows a 307 with the same method and body.
 * - the CLI has `get`, `post_json`, `patch_json`, `delete` (and `command`, `upload`): a PUT (users.update,
 *   groups.update, changePassword) is only possible from Python, as `client.put(path, data)` (form) or
 *   `client.put(path, data, encoding="json")`.
 */

interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly json: unknown;
}

/** requests' urlencode of a dict (doseq: a list is one pair per element; True is "True"). */
function formEncode(data: Record<string, unknown>): string {
  const pairs: string[] = [];
  const str = (v: unknown) => (v === true ? 'True' : v === false ? 'False' : String(v));
  for (const [k, v] of Object.entries(data))
    for (const one of Array.isArray(v) ? v : [v])
      pairs.push(`${encodeURIComponent(k)}=${encodeURIComponent(str(one)).replace(/%20/g, '+')}`);
  return pairs.join('&');
}

function pythonClient(dialect: HttpDialect, apikey: string, basic?: string) {
  const send = async (
    method: string,
    path: string,
    data?: Record<string, unknown>,
    encoding?: 'json',
  ): Promise<Reply> => {
    const headers: Record<string, string> = {
      host: 'octopi.local:5000',
      'user-agent': 'python-requests/2.32.3',
      'accept-encoding': 'gzip, deflate',
      accept: '*/*',
      connection: 'keep-alive',
      'x-api-key': apikey,
    };
    if (basic) headers['authorization'] = `Basic ${Buffer.from(basic).toString('base64')}`;
    let body = '';
    if (data && Object.keys(data).length > 0) {
      body = encoding === 'json' ? pyDumps(data) : formEncode(data);
      headers['content-type'] = encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
    }
    if (method !== 'GET' && method !== 'HEAD') headers['content-length'] = String(Buffer.byteLength(body));
    let url = `/${path.replace(/^\/+/, '')}`;
    for (let hops = 0; ; hops++) {
      const r = await dialect.handle({ method, url, headers, body });
      const location = r.headers['location'];
      if (r.status === 307 && location && hops < 5) {
        url = new URL(location, 'http://octopi.local:5000').pathname;
        continue;
      }
      const isJson = (r.headers['content-type'] ?? '').includes('json') && r.body.trim() !== '';
      return { status: r.status, headers: r.headers, body: r.body, json: isJson ? JSON.parse(r.body) : undefined };
    }
  };
  return {
    // Client methods
    get: (path: string) => send('GET', path),
    delete: (path: string) => send('DELETE', path),
    postJson: (path: string, data: Record<string, unknown>) => send('POST', path, data, 'json'),
    patch: (path: string, data: Record<string, unknown>, encoding?: 'json') => send('PATCH', path, data, encoding),
    put: (path: string, data: Record<string, unknown>, encoding?: 'json') => send('PUT', path, data, encoding),
  };
}

const NOT_JSON = {
  error: "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.",
};
const userIn = (reply: Reply, name: string) =>
  (reply.json as { users: Record<string, unknown>[] }).users.find((u) => u['name'] === name);

describe('octoprint_client against the 1.11 mock', () => {
  const dialect = createOctoPrintDialect({ adminKey: 'ADMINKEY', userKey: 'USERKEY' });
  const admin = pythonClient(dialect, 'ADMINKEY');

  test('octoprint client get /api/access/users: the users, with an admin key', async () => {
    const r = await admin.get('/api/access/users');
    expect(r.status).toBe(200);
    expect((r.json as { users: { name: string }[] }).users.map((u) => u.name).sort()).toEqual(['admin', 'operator']);
  });

  test('post_json a new user as json.dumps writes it: no groups key gives the default groups', async () => {
    const r = await admin.postJson('/api/access/users', { name: 'jane', password: 'secret', active: true });
    expect(r.status).toBe(200);
    expect(userIn(r, 'jane')).toMatchObject({ active: true, groups: ['users'], permissions: [] });
  });

  test("post_json …/apikey '{}' sends no body at all: the endpoint reads none, 200 with the new key", async () => {
    const r = await admin.postJson('/api/access/users/jane/apikey', {});
    expect(r.status).toBe(200);
    expect((r.json as { apikey: string }).apikey).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test("patch_json settings: 200 {}; patch_json '{}' sends no body and no Content-Type: 415", async () => {
    const saved = await admin.patch('/api/access/users/jane/settings', { interface: { color: 'red' } }, 'json');
    expect([saved.status, saved.json]).toEqual([200, {}]);
    expect((await admin.get('/api/access/users/jane/settings')).json).toEqual({ interface: { color: 'red' } });
    const empty = await admin.patch('/api/access/users/jane/settings', {}, 'json');
    expect([empty.status, empty.json]).toEqual([415, NOT_JSON]);
  });

  test('client.put(path, data) without encoding sends a form: 415; with encoding="json": 200', async () => {
    const form = await admin.put('/api/access/users/jane', { active: false, groups: ['users', 'admins'] });
    expect([form.status, form.json]).toEqual([415, NOT_JSON]);
    // An unknown user is 404 before the body is looked at.
    expect((await admin.put('/api/access/users/nobody', { active: false })).status).toBe(404);
    const updated = await admin.put('/api/access/users/jane', { active: false, groups: ['users'] }, 'json');
    expect(updated.status).toBe(200);
    expect(userIn(updated, 'jane')).toMatchObject({ active: false, groups: ['users'] });
  });

  test('--httpuser/--httppass add a Basic header next to the key: the key still decides', async () => {
    const proxied = pythonClient(dialect, 'USERKEY', 'proxy:secret');
    expect((await proxied.get('/api/access/users/operator')).status).toBe(200);
    expect((await proxied.get('/api/access/users')).status).toBe(403);
  });

  test('get /api/users follows the 307 to /api/access/users; delete removes the user', async () => {
    const legacy = await admin.get('/api/users');
    expect(legacy.status).toBe(200);
    expect(userIn(legacy, 'jane')).toBeDefined();
    const deleted = await admin.delete('/api/access/users/jane');
    expect(deleted.status).toBe(200);
    expect(userIn(deleted, 'jane')).toBeUndefined();
  });
});

describe('octoprint_client against the 1.3 mock', () => {
  const dialect = createOctoPrint13Dialect({ adminKey: 'ADMINKEY13' });
  const admin = pythonClient(dialect, 'ADMINKEY13');

  test('get, post_json and delete on /api/users', async () => {
    expect((await admin.get('/api/users')).status).toBe(200);
    const added = await admin.postJson('/api/users', { name: 'jane', password: 'secret', active: true });
    expect(added.status).toBe(200);
    expect(userIn(added, 'jane')).toMatchObject({ active: true, admin: false });
    const deleted = await admin.delete('/api/users/jane');
    expect(deleted.status).toBe(200);
    expect(userIn(deleted, 'jane')).toBeUndefined();
  });
});
