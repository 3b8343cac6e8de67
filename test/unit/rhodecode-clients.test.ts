import { describe, expect, test } from 'vitest';
import { createRhodeCodeDialect } from '../../mock/dialects/rhodecode/index.js';
import { pyDumps } from '../support/python-dumps.js';

/**
 * RhodeCode API clients, replayed request for request against the mock: the envelope and headers each one
 * sends (re-stated here from its source, none of it copied) and what RhodeCode 4.27 answers (rhodecode.md
 * §1–§4; no real RhodeCode runs here).
 *
 * - the docs (rhodecode-enterprise-ce `docs/api/api.rst`): curl `-X POST -H 'content-type:text/plain'
 *   --data-binary '{"id":1,\n"auth_token":"…","method":"pull", "args":{…}}'`: `auth_token`, an int id, a
 *   body with a line break and a space in it, text/plain.
 * - `rhodecode-api` (RhodeCode 1.x `rhodecode/bin/base.py` api_call, `rhodecode_api.py`): urllib2 POSTs
 *   `json.dumps({"id": random.randrange(1, 9999), "api_key": key, "method": m, "args": kw})` with
 *   `content-type: text/plain`; `METHOD key:value ...` on the command line makes every value a string
 *   (`s.split(':', 1)`); it reads the whole body and refuses a reply whose id is not the one it sent.
 *   rhodecode-tools' `rhodecode-api` keeps the `key:value` syntax (docs/tools/tools-cli.rst).
 * - RhodeCode's own API tests (`rhodecode/api/tests/utils.py` build_data, api_call): the same body with a
 *   random int id, POSTed as `application/json`; they read `error` and `result` and compare the id.
 * - bobdoah/rhodecode_api_client (`rhodecode_client/client.py`): `{'id': str(uuid.uuid1()), 'api_key': key,
 *   'method': m, 'args': {}}`, `content-type: text/plain`, then `json.loads(response.readlines()[0])`.
 * - the VS Code extensions (isaackehle/rhodecode-vscode-extension `src/rhodecode_request.ts`: fetch with
 *   `Content-Type: application/json`; dimsedane/vscode-rhodecode `src/rhodecoderequest.ts`: axios):
 *   `JSON.stringify({id: '1', api_key, method, args})`, the id the string "1". They call get_repos,
 *   get_repo_groups and the pull-request methods, which the mock does not have (it holds users, user groups
 *   and permissions); their envelope is replayed here with the mock's methods.
 */

const ADMIN = 'a'.repeat(40);
const USER = 'u'.repeat(40);

function fresh() {
  return createRhodeCodeDialect({ adminToken: ADMIN, userToken: USER });
}

type Dialect = ReturnType<typeof fresh>;

interface Reply {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
  readonly json: Record<string, unknown>;
}

async function post(dialect: Dialect, headers: Record<string, string>, body: string): Promise<Reply> {
  const r = await dialect.handle({
    method: 'POST',
    url: '/_admin/api',
    headers: { host: 'code.example.com', 'content-length': String(Buffer.byteLength(body)), ...headers },
    body,
  });
  return {
    status: r.status,
    contentType: r.headers['content-type'],
    body: r.body,
    json: JSON.parse(r.body) as Record<string, unknown>,
  };
}

/** rhodecode-api METHOD key:value ...: every value a string, as split from the command line. */
function rhodecodeApi(dialect: Dialect, apikey: string, id: number) {
  return (method: string, ...pairs: string[]) => {
    const args = Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf(':')), p.slice(p.indexOf(':') + 1)]));
    const body = pyDumps({ id, api_key: apikey, method, args });
    return post(
      dialect,
      {
        'accept-encoding': 'identity',
        'content-type': 'text/plain',
        'user-agent': 'Python-urllib/2.7',
        connection: 'close',
      },
      body,
    );
  };
}

const envelopeOf = (r: Reply) => ({ id: r.json['id'], error: r.json['error'] });

describe('RhodeCode clients against the mock', () => {
  test('the docs curl line: auth_token, a line break in the body, text/plain; a 4-space pretty envelope back', async () => {
    const r = await post(
      fresh(),
      { 'user-agent': 'curl/7.88.1', accept: '*/*', 'content-type': 'text/plain' },
      `{"id":1,\n"auth_token":"${ADMIN}","method":"get_user", "args":{"userid":"admin"}}`,
    );
    expect([r.status, r.contentType]).toEqual([200, 'application/json']);
    expect(r.body.startsWith('{\n    "id": 1, \n    "result": {\n        "user_id": 2, \n')).toBe(true);
    expect(r.body.endsWith('\n    "error": null\n}')).toBe(true);
    expect(r.json['result']).toMatchObject({ username: 'admin', admin: true, active: true });
  });

  test('rhodecode-api get_user userid:2: the id is a string, looked up as a name; userid:admin finds the user', async () => {
    const api = rhodecodeApi(fresh(), ADMIN, 4242);
    expect(envelopeOf(await api('get_user', 'userid:2'))).toEqual({ id: 4242, error: 'user `2` does not exist' });
    const byName = await api('get_user', 'userid:admin');
    expect(envelopeOf(byName)).toEqual({ id: 4242, error: null });
    expect(byName.json['result']).toMatchObject({ user_id: 2, username: 'admin' });
  });

  test('rhodecode-api as a plain user: its own id as a string is "not the same as your user"', async () => {
    const api = rhodecodeApi(fresh(), USER, 17);
    expect(envelopeOf(await api('get_user', 'userid:3'))).toEqual({
      id: 17,
      error: 'userid is not the same as your user',
    });
    // With no userid at all the caller gets itself.
    expect((await api('get_user')).json['result']).toMatchObject({ user_id: 3, username: 'developer' });
  });

  test('rhodecode-api create_user with string flags: "false" is false, the email lower-cased, non-ASCII escaped back', async () => {
    const r = await rhodecodeApi(fresh(), ADMIN, 9998)(
      'create_user',
      'username:jane',
      'email:Jane@Example.com',
      'password:secret',
      'active:false',
      'firstname:Renée',
    );
    expect(envelopeOf(r)).toEqual({ id: 9998, error: null });
    expect(r.json['result']).toMatchObject({
      msg: 'created new user `jane`',
      user: { username: 'jane', email: 'jane@example.com', active: false, admin: false, firstname: 'Renée' },
    });
    expect(r.body).toContain('"firstname": "Ren\\u00e9e"');
    // A flag it cannot read as a bool: the validation object (types.py StringBooleanType: "{} value ...").
    const bad = await rhodecodeApi(fresh(), ADMIN, 5)('create_user', 'username:joe', 'email:joe@x.io', 'admin:maybe');
    expect(envelopeOf(bad)).toEqual({ id: 5, error: { admin: 'maybe value cannot be translated to bool' } });
  });

  test('rhodecode-api update_user active:false: update_user has no schema, the string fails the commit', async () => {
    const dialect = fresh();
    const api = rhodecodeApi(dialect, ADMIN, 31);
    await api('create_user', 'username:jane', 'email:jane@example.com');
    expect(envelopeOf(await api('update_user', 'userid:jane', 'active:false'))).toEqual({
      id: 31,
      error: 'failed to update user `jane`',
    });
    // A string that is not a flag goes through: firstname is stored as sent.
    const renamed = await api('update_user', 'userid:jane', 'firstname:Jane');
    expect(renamed.json['result']).toMatchObject({
      msg: 'updated user ID:4 jane',
      user: { firstname: 'Jane', active: true },
    });
  });

  test("RhodeCode's API tests' build_data as application/json: get_users for the super-admin, refused to a plain user", async () => {
    const dialect = fresh();
    const send = (key: string, id: number) =>
      post(
        dialect,
        { 'content-type': 'application/json' },
        pyDumps({ id, api_key: key, method: 'get_users', args: {} }),
      );
    const all = await send(ADMIN, 1234);
    expect(envelopeOf(all)).toEqual({ id: 1234, error: null });
    expect((all.json['result'] as { username: string }[]).map((u) => u.username)).toEqual(['admin', 'developer']);
    expect(await send(USER, 77).then((r) => r.json)).toEqual({
      id: 77,
      result: null,
      error: 'Access was denied to this resource.',
    });
  });

  test('bobdoah/rhodecode_api_client: a uuid1 string id is echoed; its readlines()[0] gets only "{" of the pretty body', async () => {
    const id = '6fa459ea-ee8a-11e5-9ef5-0800200c9a66';
    const r = await post(
      fresh(),
      { 'content-type': 'text/plain', 'user-agent': 'Python-urllib/2.7' },
      pyDumps({ id, api_key: ADMIN, method: 'get_user_groups', args: {} }),
    );
    expect(r.json).toEqual({ id, result: [], error: null });
    // The client parses the first line only: against a 4.x server, the mock as the real one, that is "{".
    expect(r.body.split('\n')[0]).toBe('{');
  });

  test('the VS Code extensions: compact JSON, the id "1", api_key, application/json', async () => {
    const dialect = fresh();
    const vscode = (method: string, args: Record<string, unknown>, key = ADMIN) =>
      post(
        dialect,
        {
          'content-type': 'application/json',
          accept: 'application/json, text/plain, */*',
          'user-agent': 'axios/1.7.2',
        },
        JSON.stringify({ id: '1', api_key: key, method, args }),
      );
    const created = await vscode('create_user_group', { group_name: 'reviewers' });
    expect(envelopeOf(created)).toEqual({ id: '1', error: null });
    expect(created.json['result']).toMatchObject({ msg: 'created new user group `reviewers`' });
    expect((await vscode('get_user_groups', {})).json['result']).toMatchObject([{ group_name: 'reviewers' }]);
    // A token that is no one's: an error string, still HTTP 200, the id echoed.
    const wrong = await vscode('get_user_groups', {}, 'x'.repeat(40));
    expect([wrong.status, wrong.json]).toEqual([200, { id: '1', result: null, error: 'Invalid API KEY' }]);
  });
});
