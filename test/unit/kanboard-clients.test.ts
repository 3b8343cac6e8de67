import { describe, expect, test } from 'vitest';
import { createKanboardDialect } from '../../mock/dialects/kanboard/index.js';
import type { HttpRequestData } from '../../src/wire/http.js';
import { pyDumps } from '../support/python-dumps.js';

/**
 * Kanboard's two client libraries, replayed request for request against the mock: the bytes each one sends
 * (re-stated here from their source, none of it copied) and the answers a real Kanboard gives them. Every
 * answer below was also sent to the real Kanboard on SQLite (../shared/real, main 2cba210) by the real
 * clients (the PHP library that Kanboard vendors, run as is; the Python client's request re-stated in a
 * script) through a byte tap, and matched the mock's but for one thing: the status line of a 401 or 403 is
 * `HTTP/1.0` on the real server (PHP's header()) and `HTTP/1.1` from the mock, which both clients take alike.
 * The Python client's README logs in as a user with `kb.get_my_projects()`: the mock had no getMyProjects
 * (nor getMyProjectsList) and answered -32601, and its getAllProjects was not ordered by name; both now
 * answer as the real server does (mock/dialects/kanboard/handlers/me.ts, projects.ts).
 *
 * - kanboard/python-api-client, `kanboard.py` (1.1.x; `kanboard/client.py` before): every call is
 *   `execute(method=camelCase(name), **kwargs)`; snake_case becomes camelCase by `components[0] +
 *   ''.join(x.title() ...)`; `name_async` runs the same execute in an executor. The body is
 *   `json.dumps({"id": 1, "jsonrpc": "2.0", "method": m, "params": kwargs})` (Python's default separators
 *   `", "` and `": "`, non-ASCII as `\uXXXX`, `params` `{}` with no kwargs, the id always 1) POSTed by
 *   urllib with `Authorization: Basic base64(user:pass)` (or, given `auth_header`, that header with the
 *   bare base64 and no "Basic "), `Content-Type: application/json`, `User-Agent: Kanboard Python API
 *   Client`. It reads `'error' in body` → raise `error.message`, else `body.get('result')`; urllib raises
 *   on 401/403/500 ("HTTP Error 403: Forbidden").
 * - fguillot/JsonRPC (Kanboard's `libs/jsonrpc`: Client.php, Request/RequestBuilder.php, HttpClient.php,
 *   Response/ResponseParser.php): `json_encode(["jsonrpc" => "2.0", "method" => m, "id" => $id ?: mt_rand()]
 *   + ["params" => p] only when p is not empty)`: compact, `/` as `\/`, non-ASCII as `\uXXXX`, the id a
 *   random int; one array argument is the named params, anything else positional (`withPositionalArguments`
 *   always positional). A batch is the members' payloads joined as `'[' . implode(', ', ...) . ']'`.
 *   Headers: `User-Agent: JSON-RPC PHP Client <https://github.com/fguillot/JsonRPC>`, `Content-Type:
 *   application/json`, `Accept: application/json`, `Connection: close`, `Authorization: Basic ...` (only
 *   when user and password are both non-empty). An `HTTP/1.x 401|403` status line throws
 *   AccessDeniedException; an error member throws by code (-32601 BadFunctionCall, -32602
 *   InvalidArgument, others ResponseException with the message); a list reply is parsed member by member.
 */

// ---------------------------------------------------------------- the bytes, as each runtime writes them

const hex4 = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;

/** PHP's json_encode with no flags (compact, `\/`, `\uXXXX`): what the PHP client POSTs. */
function phpJsonEncode(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value)
      .replace(/\//g, '\\/')
      .replace(/[\u0080-\uffff]/g, (ch) => hex4(ch.charCodeAt(0)));
  if (Array.isArray(value)) return `[${value.map(phpJsonEncode).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.entries(value)
      .map(([k, v]) => `${phpJsonEncode(k)}:${phpJsonEncode(v)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly json: unknown;
}

type Dialect = ReturnType<typeof createKanboardDialect>;

async function post(dialect: Dialect, headers: Record<string, string>, body: string): Promise<Reply> {
  const request: HttpRequestData = {
    method: 'POST',
    url: '/jsonrpc.php',
    headers: { host: 'kanboard.local', 'content-length': String(Buffer.byteLength(body)), ...headers },
    body,
  };
  const r = await dialect.handle(request);
  return { status: r.status, headers: r.headers, body: r.body, json: r.body === '' ? undefined : JSON.parse(r.body) };
}

/** kanboard.py's Client: `kb.get_all_groups()` and friends, as the bytes they send. */
function pythonClient(dialect: Dialect, username: string, password: string, authHeader = 'Authorization') {
  const camel = (snake: string) => {
    const [first, ...rest] = snake.split('_');
    // str.title(): the first letter up, the rest down.
    return first + rest.map((x) => x.charAt(0).toUpperCase() + x.slice(1).toLowerCase()).join('');
  };
  const credentials = b64(`${username}:${password}`);
  const execute = (method: string, kwargs: Record<string, unknown> = {}) => {
    const body = pyDumps({ id: 1, jsonrpc: '2.0', method, params: kwargs });
    return post(
      dialect,
      {
        'accept-encoding': 'identity',
        [authHeader.toLowerCase()]: authHeader === 'Authorization' ? `Basic ${credentials}` : credentials,
        'content-type': 'application/json',
        'user-agent': 'Kanboard Python API Client',
        connection: 'close',
      },
      body,
    ).then((reply) => ({ ...reply, sent: body }));
  };
  return {
    call: (name: string, kwargs?: Record<string, unknown>) =>
      execute(camel(name.endsWith('_async') ? name.slice(0, -'_async'.length) : name), kwargs),
  };
}

/** What kanboard.py's _parse_response makes of a reply; urllib raises first on 4xx/5xx. */
function pythonOutcome(reply: Reply): { raises: string } | { returns: unknown } {
  if (reply.status >= 400) return { raises: `HTTP Error ${reply.status}` };
  const body = reply.json as Record<string, unknown>;
  if ('error' in body) return { raises: String((body['error'] as { message: string }).message) };
  return { returns: body['result'] };
}

const PHP_HEADERS = {
  'user-agent': 'JSON-RPC PHP Client <https://github.com/fguillot/JsonRPC>',
  'content-type': 'application/json',
  accept: 'application/json',
  connection: 'close',
};

/** JsonRPC\Client: one payload per call (or the batch joined with ", "), with the ids a test chooses. */
function phpClient(dialect: Dialect, username: string, password: string) {
  const headers: Record<string, string> = { ...PHP_HEADERS };
  if (username !== '' && password !== '') headers['authorization'] = `Basic ${b64(`${username}:${password}`)}`;
  const payload = (method: string, id: number, params?: unknown) => {
    const members: Record<string, unknown> = { jsonrpc: '2.0', method, id };
    const empty =
      params === undefined ||
      (Array.isArray(params) ? params.length === 0 : Object.keys(params as object).length === 0);
    if (!empty) members['params'] = params;
    return phpJsonEncode(members);
  };
  return {
    payload,
    send: (body: string) => post(dialect, headers, body),
    call: (method: string, id: number, params?: unknown) => post(dialect, headers, payload(method, id, params)),
    batch: (...payloads: string[]) => post(dialect, headers, `[${payloads.join(', ')}]`),
  };
}

const FORBIDDEN = '{"jsonrpc":"2.0","error":{"code":403,"message":"Forbidden"},"id":null}';
const UNAUTHORIZED = '{"jsonrpc":"2.0","error":{"code":401,"message":"Unauthorized"},"id":null}';
const SQL_NO_FIELDS = 'SQL Error[HY000]: SQLSTATE[HY000]: General error: 1 near "WHERE": syntax error';

function fresh(): Dialect {
  return createKanboardDialect({ appToken: 'a'.repeat(60), admin: { username: 'admin', password: 'admin' } });
}

describe('kanboard/python-api-client against the mock', () => {
  test('get_all_groups: the body json.dumps writes (params {}, id 1) and a reply without an error member', async () => {
    const kb = pythonClient(fresh(), 'jsonrpc', 'a'.repeat(60));
    const r = await kb.call('get_all_groups');
    expect(r.sent).toBe('{"id": 1, "jsonrpc": "2.0", "method": "getAllGroups", "params": {}}');
    expect([r.status, r.headers['content-type'], r.body]).toEqual([
      200,
      'application/json',
      '{"jsonrpc":"2.0","result":[],"id":1}',
    ]);
    // The client tests `'error' in body`: a success must not carry an error member at all.
    expect(pythonOutcome(r)).toEqual({ returns: [] });
  });

  test('create_user with non-ASCII sent as \\u escapes: the new id; get_user_by_name answers it unescaped', async () => {
    const kb = pythonClient(fresh(), 'jsonrpc', 'a'.repeat(60));
    const created = await kb.call('create_user', {
      username: 'renée',
      password: 'secret123',
      name: 'Renée / R',
      email: 'r@x.io',
    });
    expect(created.sent).toContain('"username": "ren\\u00e9e"');
    expect(pythonOutcome(created)).toEqual({ returns: 2 });
    const found = await kb.call('get_user_by_name', { username: 'renée' });
    // Slashes and Unicode as they are (kanboard.md §1).
    expect(found.body).toContain('"username":"renée","password":"$2y$10$');
    expect(found.body).toContain('"name":"Renée / R","email":"r@x.io"');
    expect(found.json).toMatchObject({ id: 1, result: { id: 2, role: 'app-user', is_active: 1, is_admin: 0 } });
  });

  test('snake_case names: create_ldap_user is createLdapUser; the _async form sends the same request', async () => {
    const kb = pythonClient(fresh(), 'jsonrpc', 'a'.repeat(60));
    const ldap = await kb.call('create_ldap_user', { username: 'x' });
    expect(ldap.sent).toContain('"method": "createLdapUser"');
    expect(pythonOutcome(ldap)).toEqual({ raises: 'LDAP server not configured, check the parameter LDAP_SERVER' });
    const plain = await kb.call('is_active_user', { user_id: 1 });
    const async = await kb.call('is_active_user_async', { user_id: 1 });
    expect(async.sent).toBe(plain.sent);
    expect(async.body).toBe('{"jsonrpc":"2.0","result":true,"id":1}');
  });

  test('a user login: get_me answers the caller without the password hash', async () => {
    const r = await pythonClient(fresh(), 'admin', 'admin').call('get_me');
    const me = (pythonOutcome(r) as { returns: Record<string, unknown> }).returns;
    expect(me).toMatchObject({ id: 1, username: 'admin', role: 'app-admin', is_ldap_user: false });
    expect(me).not.toHaveProperty('password');
  });

  test('the app token on get_me: HTTP 403, which urllib raises; a wrong password: 401 with WWW-Authenticate', async () => {
    const dialect = fresh();
    const forbidden = await pythonClient(dialect, 'jsonrpc', 'a'.repeat(60)).call('get_me');
    expect([forbidden.status, forbidden.body]).toEqual([403, FORBIDDEN]);
    expect(pythonOutcome(forbidden)).toEqual({ raises: 'HTTP Error 403' });
    const wrong = await pythonClient(dialect, 'admin', 'nope').call('get_me');
    expect([wrong.status, wrong.headers['www-authenticate'], wrong.body]).toEqual([
      401,
      'Basic realm="JsonRPC"',
      UNAUTHORIZED,
    ]);
  });

  test('auth_header="X-API-Auth" sends the bare base64 in that header: ignored without API_AUTHENTICATION_HEADER, 401', async () => {
    const r = await pythonClient(fresh(), 'jsonrpc', 'a'.repeat(60), 'X-API-Auth').call('get_all_groups');
    expect([r.status, r.body]).toEqual([401, UNAUTHORIZED]);
  });

  test("the README's user login, get_my_projects: the caller's active projects, direct and through groups, by name", async () => {
    const dialect = fresh();
    const app = pythonClient(dialect, 'jsonrpc', 'a'.repeat(60));
    for (const name of ['Zed', 'alpha', 'Beta', '10', '9', 'Beta']) await app.call('create_project', { name });
    await app.call('create_user', { username: 'bob', password: 'secret123' });
    await app.call('create_group', { name: 'G' });
    await app.call('add_group_member', { group_id: 1, user_id: 2 });
    await app.call('add_project_user', { project_id: 1, user_id: 2 });
    await app.call('add_project_user', { project_id: 3, user_id: 2, role: 'project-viewer' });
    for (const project_id of [2, 4, 3, 5]) await app.call('add_project_group', { project_id, group_id: 1 });
    const bob = pythonClient(dialect, 'bob', 'secret123');
    const mine = (pythonOutcome(await bob.call('get_my_projects')) as { returns: Record<string, unknown>[] }).returns;
    // ORDER BY name in the database: "10" before "9".
    expect(mine.map((p) => [p['id'], p['name']])).toEqual([
      [4, '10'],
      [5, '9'],
      [3, 'Beta'],
      [1, 'Zed'],
      [2, 'alpha'],
    ]);
    expect(mine[0]).toMatchObject({
      is_active: 1,
      url: {
        board: 'http://localhost/?controller=BoardViewController&action=show&project_id=4',
        list: 'http://localhost/?controller=TaskListController&action=show&project_id=4',
      },
    });
    // getMyProjectsList: id → name as asort() orders it (numeric strings as numbers: "9" before "10").
    expect((await bob.call('get_my_projects_list')).body).toBe(
      '{"jsonrpc":"2.0","result":{"5":"9","4":"10","3":"Beta","1":"Zed","2":"alpha"},"id":1}',
    );
    // getAllProjects: every project, by name, equal names in id order.
    const all = (pythonOutcome(await app.call('get_all_projects')) as { returns: { id: number }[] }).returns;
    expect(all.map((p) => p.id)).toEqual([4, 5, 3, 6, 1, 2]);
    // A user-specific procedure refused to the application token; an admin who is a member of nothing: [] and {}.
    expect((await app.call('get_my_projects')).status).toBe(403);
    const admin = pythonClient(dialect, 'admin', 'admin');
    expect((await admin.call('get_my_projects')).body).toBe('{"jsonrpc":"2.0","result":[],"id":1}');
    expect((await admin.call('get_my_projects_list')).body).toBe('{"jsonrpc":"2.0","result":{},"id":1}');
  });

  test('errors the client raises with their message: code 0 SQL error, -32602 with data', async () => {
    const kb = pythonClient(fresh(), 'jsonrpc', 'a'.repeat(60));
    const nothing = await kb.call('update_user', { id: 999 });
    expect(nothing.body).toBe(`{"jsonrpc":"2.0","error":{"code":0,"message":${JSON.stringify(SQL_NO_FIELDS)}},"id":1}`);
    expect(pythonOutcome(nothing)).toEqual({ raises: SQL_NO_FIELDS });
    const extra = await kb.call('get_user', { user_id: 1, x: 2 });
    expect(extra.body).toBe(
      '{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params","data":"Too many arguments"},"id":1}',
    );
  });
});

describe('fguillot/JsonRPC (the PHP client Kanboard ships) against the mock', () => {
  test('no arguments: no params member, a random id echoed', async () => {
    const php = phpClient(fresh(), 'jsonrpc', 'a'.repeat(60));
    expect(php.payload('getAllGroups', 286826941)).toBe('{"jsonrpc":"2.0","method":"getAllGroups","id":286826941}');
    const r = await php.call('getAllGroups', 286826941);
    expect([r.status, r.body]).toEqual([200, '{"jsonrpc":"2.0","result":[],"id":286826941}']);
  });

  test('one array argument is named params (\\/ and \\u escapes); one scalar is positional', async () => {
    const php = phpClient(fresh(), 'jsonrpc', 'a'.repeat(60));
    expect(php.payload('createGroup', 1810754575, { name: 'Ops/Dev é' })).toBe(
      '{"jsonrpc":"2.0","method":"createGroup","id":1810754575,"params":{"name":"Ops\\/Dev \\u00e9"}}',
    );
    expect((await php.call('createGroup', 1810754575, { name: 'Ops/Dev é' })).body).toBe(
      '{"jsonrpc":"2.0","result":1,"id":1810754575}',
    );
    expect((await php.call('getGroup', 1549135795, [1])).body).toBe(
      '{"jsonrpc":"2.0","result":{"id":1,"external_id":"","name":"Ops/Dev é"},"id":1549135795}',
    );
    // execute($procedure, $params, [], $requestId): the id given.
    expect((await php.call('isActiveUser', 7, { user_id: 1 })).body).toBe('{"jsonrpc":"2.0","result":true,"id":7}');
  });

  test('a batch joined with ", ": one reply per member, in order, each with its id', async () => {
    const dialect = fresh();
    const php = phpClient(dialect, 'jsonrpc', 'a'.repeat(60));
    await php.call('createGroup', 1, { name: 'Ops/Dev é' });
    const r = await php.batch(
      php.payload('getAllGroups', 1833657030),
      php.payload('getGroup', 101818540, { group_id: 1 }),
      php.payload('isActiveUser', 286451316, [1]),
    );
    expect(r.status).toBe(200);
    expect(r.body).toBe(
      '[{"jsonrpc":"2.0","result":[{"id":1,"name":"Ops/Dev é","external_id":"","nb_users":0}],"id":1833657030},' +
        '{"jsonrpc":"2.0","result":{"id":1,"external_id":"","name":"Ops/Dev é"},"id":101818540},' +
        '{"jsonrpc":"2.0","result":true,"id":286451316}]',
    );
  });

  test('a batch with a forbidden member: the whole reply is the 403, and the member before it kept its effect', async () => {
    const dialect = fresh();
    const php = phpClient(dialect, 'jsonrpc', 'a'.repeat(60));
    const r = await php.batch(php.payload('createGroup', 39423097, { name: 'b1' }), php.payload('getMe', 1341278865));
    expect([r.status, r.body]).toEqual([403, FORBIDDEN]);
    expect((await php.call('getAllGroups', 5)).json).toMatchObject({ result: [{ id: 1, name: 'b1' }] });
  });

  test('the errors ResponseParser turns into exceptions: -32601, -32602 with data, code 0', async () => {
    const php = phpClient(fresh(), 'jsonrpc', 'a'.repeat(60));
    expect((await php.call('nosuchmethod', 356432366)).body).toBe(
      '{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":356432366}',
    );
    expect((await php.call('getUser', 1933085084)).body).toBe(
      '{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params","data":"Wrong number of arguments"},"id":1933085084}',
    );
    expect((await php.call('updateUser', 1045161477, { id: 1 })).json).toEqual({
      jsonrpc: '2.0',
      error: { code: 0, message: SQL_NO_FIELDS },
      id: 1045161477,
    });
  });

  test('withPositionalArguments: addGroupMember(1, 1) and getGroupMembers(1) as lists', async () => {
    const php = phpClient(fresh(), 'jsonrpc', 'a'.repeat(60));
    await php.call('createGroup', 1, { name: 'g' });
    expect(php.payload('addGroupMember', 1953940445, [1, 1])).toBe(
      '{"jsonrpc":"2.0","method":"addGroupMember","id":1953940445,"params":[1,1]}',
    );
    expect((await php.call('addGroupMember', 1953940445, [1, 1])).body).toBe(
      '{"jsonrpc":"2.0","result":true,"id":1953940445}',
    );
    const members = await php.call('getGroupMembers', 814393573, [1]);
    expect(members.body).toMatch(
      /^\{"jsonrpc":"2\.0","result":\[\{"group_id":1,"user_id":1,"id":1,"username":"admin",/,
    );
  });

  test('the largest mt_rand id comes back as sent; a wrong password or no credentials at all: 401', async () => {
    const dialect = fresh();
    expect((await phpClient(dialect, 'admin', 'admin').call('getMe', 2147483647)).json).toMatchObject({
      id: 2147483647,
      result: { username: 'admin' },
    });
    const wrong = await phpClient(dialect, 'admin', 'wrong').call('getMe', 791208252);
    expect([wrong.status, wrong.body]).toEqual([401, UNAUTHORIZED]);
    // An empty password sends no Authorization header at all.
    expect((await phpClient(dialect, 'jsonrpc', '').call('getAllGroups', 3)).status).toBe(401);
  });
});
