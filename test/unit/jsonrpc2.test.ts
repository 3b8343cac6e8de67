import { describe, expect, test } from 'vitest';
import { answer, type Jsonrpc2Reply } from '../../src/wire/jsonrpc2.js';
import { jsonDepth, orderedObject, parseOrdered } from '../../src/wire/ordered-json.js';

/** The server half of wire/jsonrpc2 against the examples of kanboard.md §3 and §5. */
const echo = (): Jsonrpc2Reply => ({ result: 'ok' });

describe('jsonrpc2 answer()', () => {
  test.each([['{'], [''], ['42'], ['null'], ['"x"']])('%j is a parse error with id null', async (body) => {
    const r = await answer(body, echo);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
  });

  test.each([
    ['{}'],
    ['[]'],
    ['{"method":"x","id":1}'],
    ['{"jsonrpc":"2.0","method":1,"id":1}'],
    ['{"jsonrpc":"2.0","method":"x","params":"s","id":1}'],
  ])('%s is an invalid request with id null', async (body) => {
    const r = await answer(body, echo);
    expect(JSON.parse(r.body)).toEqual({
      jsonrpc: '2.0',
      error: { code: -32600, message: 'Invalid Request' },
      id: null,
    });
  });

  test('keys come in the order jsonrpc, result, id', async () => {
    const r = await answer('{"jsonrpc":"2.0","method":"x","id":"a"}', echo);
    expect(r.body).toBe('{"jsonrpc":"2.0","result":"ok","id":"a"}');
  });

  test('a notification (no id, or id null) gets an empty body even when it fails', async () => {
    expect((await answer('{"jsonrpc":"2.0","method":"x"}', echo)).body).toBe('');
    expect(
      (
        await answer('{"jsonrpc":"2.0","method":"x","id":null}', () => ({
          error: { code: -32601, message: 'Method not found' },
        }))
      ).body,
    ).toBe('');
  });

  test('a batch answers members in order, leaves out notifications, and gives -32700 for scalar members', async () => {
    const r = await answer('[1,{"jsonrpc":"2.0","method":"x","id":1},{"jsonrpc":"2.0","method":"x"},[2]]', echo);
    expect(JSON.parse(r.body)).toEqual([
      { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null },
      { jsonrpc: '2.0', result: 'ok', id: 1 },
      { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id: null },
    ]);
  });

  test('a 403 in a batch replaces the whole reply, and members before it have run', async () => {
    const ran: unknown[] = [];
    const r = await answer(
      '[{"jsonrpc":"2.0","method":"a","id":1},{"jsonrpc":"2.0","method":"b","id":2},{"jsonrpc":"2.0","method":"c","id":3}]',
      (c) => {
        ran.push(c.method);
        return c.method === 'b' ? { deny: 403 } : { result: true };
      },
    );
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toEqual({ jsonrpc: '2.0', error: { code: 403, message: 'Forbidden' }, id: null });
    expect(ran).toEqual(['a', 'b']);
  });

  test('a 401 carries WWW-Authenticate', async () => {
    const r = await answer('{"jsonrpc":"2.0","method":"x","id":1}', () => ({ deny: 401 }));
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe('Basic realm="JsonRPC"');
  });

  test('nesting beyond 512 levels is a parse error, as PHP json_decode gives null', async () => {
    const deep = (n: number) => `{"jsonrpc":"2.0","method":"x","id":1,"params":{"a":${'['.repeat(n)}${']'.repeat(n)}}}`;
    expect(JSON.parse((await answer(deep(510), echo)).body).result).toBe('ok');
    expect(JSON.parse((await answer(deep(511), echo)).body).error.code).toBe(-32700);
    expect(JSON.parse((await answer(deep(20), echo, { maxDepth: 10 })).body).error.code).toBe(-32700);
  });

  test('-32602 carries its data; an empty data is left out', async () => {
    const r = await answer('{"jsonrpc":"2.0","method":"x","id":1}', () => ({
      error: { code: -32602, message: 'Invalid params', data: 'Too many arguments' },
    }));
    expect(JSON.parse(r.body).error).toEqual({ code: -32602, message: 'Invalid params', data: 'Too many arguments' });
  });
});

describe('ordered JSON', () => {
  test('keeps integer-like keys in the order written, which JSON.parse does not', () => {
    const text = orderedObject([
      ['16', 'Dave'],
      ['2', 'alice'],
    ]).text;
    expect(text).toBe('{"16":"Dave","2":"alice"}');
    expect(Object.keys(JSON.parse(text))).toEqual(['2', '16']);
    expect([...(parseOrdered(text) as Map<string, unknown>).keys()]).toEqual(['16', '2']);
  });

  test('jsonDepth counts nesting outside strings', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":"[[[{"}]}')).toBe(3);
    expect(jsonDepth(String.raw`"\\"[[`)).toBe(2);
  });

  test('parses nested values and rejects garbage', () => {
    expect(parseOrdered('{"a":[1,{"b":"c\\"d"}],"e":null}')).toEqual(
      new Map<string, unknown>([
        ['a', [1, new Map([['b', 'c"d']])]],
        ['e', null],
      ]),
    );
    expect(() => parseOrdered('{"a":1')).toThrow(SyntaxError);
    expect(() => parseOrdered('{"a":1}x')).toThrow(SyntaxError);
  });
});
