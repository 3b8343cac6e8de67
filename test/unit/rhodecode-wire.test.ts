import { describe, expect, test } from 'vitest';
import {
  answer,
  JsonText,
  noSuchMethod,
  renderJson,
  replyResponse,
  similarMethods,
  type RhodecodeServer,
} from '../../src/wire/rhodecode.js';
import { pyRepr, pyStr } from '../../src/wire/python.js';

/** The server half of wire/rhodecode against rhodecode.md §1 and §1.1. */
const registered = ['get_user', 'get_users', 'revoke_user_permission', 'grant_user_permission', 'comment_commit'];
const server = (result: unknown = 'ok'): RhodecodeServer => ({
  methods: registered,
  lookup: (m) => (typeof m === 'string' && registered.includes(m) ? m : undefined),
  handle: () => ({ result }),
});
const post = (body: string, headers: Record<string, string> = { 'content-length': String(body.length) }) => ({
  method: 'POST',
  url: '/_admin/api',
  headers,
  body,
});
const parse = (r: { body: string }) => JSON.parse(r.body) as Record<string, unknown>;

describe('rhodecode answer()', () => {
  test('methods other than POST and GET are refused before anything else, id null', async () => {
    const r = await answer({ ...post('{"id":1}'), method: 'PUT' }, server());
    expect(r.status).toBe(200);
    expect(parse(r)).toEqual({ id: null, result: null, error: 'unsupported request method "PUT". Please use POST' });
  });

  test('a request without a body or Content-Length, and bad JSON', async () => {
    expect(parse(await answer({ method: 'GET', url: '/_admin/api', headers: {}, body: '' }, server())).error).toBe(
      'Empty body, No Content-Length in request',
    );
    expect(String(parse(await answer(post('garbage'), server())).error)).toMatch(
      /^JSON parse error ERR:.* RAW:'garbage'$/,
    );
  });

  test('JSON that is not an object gives the HTML 500 page', async () => {
    for (const body of ['[]', '"x"', 'null', '3']) expect((await answer(post(body), server())).status).toBe(500);
  });

  test('envelope keys are checked token first, then id, method, args; the id is echoed once known', async () => {
    expect(parse(await answer(post('{"id":5,"method":"get_user","args":{}}'), server()))).toEqual({
      id: 5,
      result: null,
      error: "Incorrect JSON data. Missing 'api_key or auth_token'",
    });
    expect(parse(await answer(post('{"auth_token":"t","method":"get_user","args":{}}'), server())).error).toBe(
      "Incorrect JSON data. Missing 'id'",
    );
    expect(parse(await answer(post('{"auth_token":"t","id":5,"args":{}}'), server())).error).toBe(
      "Incorrect JSON data. Missing 'method'",
    );
    expect(parse(await answer(post('{"auth_token":"t","id":5,"method":"get_user"}'), server())).error).toBe(
      "Incorrect JSON data. Missing 'args'",
    );
  });

  test('api_key wins when truthy; an empty one falls back to auth_token', async () => {
    let seen: unknown;
    const spy: RhodecodeServer = { ...server(), handle: (c) => ((seen = c.token), { result: 1 }) };
    await answer(post('{"api_key":"a","auth_token":"b","id":1,"method":"get_user","args":{}}'), spy);
    expect(seen).toBe('a');
    await answer(post('{"api_key":"","auth_token":"b","id":1,"method":"get_user","args":{}}'), spy);
    expect(seen).toBe('b');
  });

  test('args that are not an object are taken as {}', async () => {
    let seen: unknown;
    const spy: RhodecodeServer = { ...server(), handle: (c) => ((seen = c.args), { result: 1 }) };
    await answer(post('{"auth_token":"t","id":1,"method":"get_user","args":null}'), spy);
    expect(seen).toEqual({});
  });

  test('a success with a falsy id is the bare string ""; an error keeps its envelope', async () => {
    expect((await answer(post('{"auth_token":"t","id":0,"method":"get_user","args":{}}'), server())).body).toBe('""');
    const err: RhodecodeServer = { ...server(), handle: () => ({ error: 'nope' }) };
    expect(parse(await answer(post('{"auth_token":"t","id":0,"method":"get_user","args":{}}'), err))).toEqual({
      id: 0,
      result: null,
      error: 'nope',
    });
  });

  test('deprecated methods add DEPRECATION_WARNING', async () => {
    const dep: RhodecodeServer = {
      ...server(),
      handle: () => ({ result: [], deprecation: 'DEPRECATED METHOD Please use method `get_user_locks` instead.' }),
    };
    expect(
      parse(await answer(post('{"auth_token":"t","id":3,"method":"get_user","args":{}}'), dep))['DEPRECATION_WARNING'],
    ).toBe('DEPRECATED METHOD Please use method `get_user_locks` instead.');
  });
});

describe('unknown methods', () => {
  test('similar methods follow *<part>* per _-separated part, parts first, registration order within', () => {
    expect(similarMethods('not_existing', registered)).toEqual([]);
    expect(similarMethods('revoke_comment', registered)).toEqual(['revoke_user_permission', 'comment_commit']);
    expect(similarMethods('user_get', registered)).toEqual([
      'get_user',
      'get_users',
      'revoke_user_permission',
      'grant_user_permission',
    ]);
    expect(noSuchMethod('not_existing', registered)).toBe('No such method: not_existing. Similar methods: none');
    expect(noSuchMethod(5, registered)).toBe('No such method: 5. Similar methods: none');
  });

  test('the parts are fnmatch globs, as find_methods matches them', () => {
    expect(similarMethods('get?user', registered)).toEqual(['get_user', 'get_users']);
    expect(similarMethods('[gr]et', registered)).toEqual(['get_user', 'get_users']);
    expect(similarMethods('[!g]omment', registered)).toEqual(['comment_commit']);
    // An unclosed [ is itself; a range Python's re refuses leaves "none" for the whole list.
    expect(similarMethods('user[', registered)).toEqual([]);
    expect(similarMethods('user_[z-a]', registered)).toEqual([]);
    // An empty part (a__b) is `**`: every method.
    expect(similarMethods('nothing__here', registered)).toEqual(registered);
  });

  test('are answered before authentication', async () => {
    expect(
      parse(await answer(post('{"auth_token":"whatever","id":1,"method":"nope","args":{}}'), server())).error,
    ).toBe('No such method: nope. Similar methods: none');
  });
});

describe('rendering', () => {
  test('4-space indent, Python 2 item separators, non-ASCII escaped', () => {
    expect(renderJson({ a: [1, 2], b: 'ü' })).toBe(
      '{\n    "a": [\n        1, \n        2\n    ], \n    "b": "\\u00fc"\n}',
    );
  });

  test('a kept text spliced in (the result, or elements of a result list) gives the bytes of writing the value there', () => {
    const user = {
      user_id: 2,
      emails: ['a@example.com', 'ü@example.com'],
      extra: { nested: [[], {}, [1, { x: null }]] },
      active: true,
    };
    const kept = (v: unknown) => new JsonText(renderJson(v));
    const frozen = Object.freeze([kept(user), kept({ b: 'ü' })]);
    for (const id of [1, 'x', { nested: [1, 2] }, [3]]) {
      for (const [result, same] of [
        [kept(user), user],
        [
          [kept(user), { plain: ['é', 1] }, kept([])],
          [user, { plain: ['é', 1] }, []],
        ],
        [
          [[kept(user)], kept('s')],
          [[user], 's'],
        ],
        [frozen, [user, { b: 'ü' }]],
      ] as const) {
        for (const deprecation of [undefined, 'DEPRECATED METHOD Please use method `x` instead.']) {
          const written = replyResponse({ result: same, ...(deprecation ? { deprecation } : {}) }, id);
          expect(replyResponse({ result, ...(deprecation ? { deprecation } : {}) }, id)).toEqual(written);
        }
      }
    }
    // A kept list is written once per depth: the second reply is the same text.
    expect(replyResponse({ result: frozen }, 1).body).toBe(replyResponse({ result: [user, { b: 'ü' }] }, 1).body);
    // Inside an object (a fault wrapping a result) it is written again from its value.
    expect(replyResponse({ result: { wrapped: [kept(user)] } }, 1)).toEqual(
      replyResponse({ result: { wrapped: [user] } }, 1),
    );
  });

  test('Python formatting of echoed values', () => {
    expect(pyStr('abc')).toBe('abc');
    expect(pyStr(null)).toBe('None');
    expect(pyStr(true)).toBe('True');
    expect(pyRepr(['a', 1])).toBe("[u'a', 1]");
  });
});
