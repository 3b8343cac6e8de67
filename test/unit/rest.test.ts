import { describe, expect, test } from 'vitest';
import { NOT_JSON, type HttpObserved } from '../../src/spec/observed.js';
import type { HttpRequestData } from '../../src/wire/http.js';
import { dumpPythonJson, parsePythonJson } from '../../src/wire/python-json.js';
import {
  encodeRestCall,
  flaskGetJson,
  flaskJson,
  FLASK_NOT_JSON,
  isJsonMimetype,
  keysSorted,
  werkzeugRedirect,
} from '../../src/wire/rest.js';
import { decodePath, pathOf, pathTemplate, RestRouter } from '../../src/wire/rest-routes.js';

/** The tricky parts of wire/rest: Flask's get_json(), Python's JSON messages, routing as Werkzeug does it. */
const request = (body: string, contentType?: string): HttpRequestData => ({
  method: 'POST',
  url: '/x',
  headers: contentType === undefined ? {} : { 'content-type': contentType },
  body,
});

describe('Python json.loads messages', () => {
  test.each([
    ['', 'Expecting value: line 1 column 1 (char 0)'],
    ['{"key":', 'Expecting value: line 1 column 8 (char 7)'],
    ['{"a" 1}', "Expecting ':' delimiter: line 1 column 6 (char 5)"],
    ['{"a":1,}', 'Expecting property name enclosed in double quotes: line 1 column 8 (char 7)'],
    ['[1 2]', "Expecting ',' delimiter: line 1 column 4 (char 3)"],
    ['{"a":1}x', 'Extra data: line 1 column 8 (char 7)'],
    ['\n\n  "abc', 'Unterminated string starting at: line 3 column 3 (char 4)'],
    ['"a\\qb"', 'Invalid \\escape: line 1 column 3 (char 2)'],
    ['"\u0001"', 'Invalid control character at: line 1 column 2 (char 1)'],
  ])('%j gives %s', (text, message) => {
    expect(parsePythonJson(text)).toEqual({ ok: false, message });
  });

  test('accepts what Python accepts: NaN, Infinity, a byte order mark', () => {
    expect(parsePythonJson('[NaN, -Infinity, 1e2]')).toEqual({ ok: true, value: [NaN, -Infinity, 100] });
    expect(parsePythonJson('\uFEFF{"a": "\\u00e9"}')).toEqual({ ok: true, value: { a: 'é' } });
  });

  test('deep nesting is a RecursionError (500), not a decode error (400)', () => {
    const r = parsePythonJson(`${'['.repeat(3000)}${']'.repeat(3000)}`);
    expect(r.ok === false && r.fatal).toBe(true);
  });
});

describe('Flask framing', () => {
  test('get_json: 415 for a Content-Type that is not JSON, even with an empty body and none at all', () => {
    for (const r of [request('{}', 'text/plain'), request('', undefined)]) {
      const got = flaskGetJson(r);
      expect(got.ok).toBe(false);
      if (!got.ok)
        expect([got.response.status, JSON.parse(got.response.body)]).toEqual([415, { error: FLASK_NOT_JSON }]);
    }
  });

  test('get_json: application/json with parameters and application/*+json are JSON', () => {
    expect(isJsonMimetype('application/json; charset=UTF-8')).toBe(true);
    expect(isJsonMimetype('application/merge-patch+json')).toBe(true);
    expect(isJsonMimetype('text/json')).toBe(false);
    expect(flaskGetJson(request('null', 'application/json'))).toEqual({ ok: true, value: null });
  });

  test('jsonify: sorted keys, ASCII only, indented with a newline (OctoPrint 1.11); Flask 0.x indents without', () => {
    expect(flaskJson(200, { b: 1, a: { d: 'é', c: [] } }).body).toBe(
      '{\n  "a": {\n    "c": [],\n    "d": "\\u00e9"\n  },\n  "b": 1\n}\n',
    );
    expect(dumpPythonJson({ b: 1, a: 2 }, { indent: 2 })).toBe('{\n  "a": 2,\n  "b": 1\n}');
    expect(flaskJson(200, { b: 1, a: 2 }, { style: 'legacy-compact' }).body).toBe('{"a": 2, "b": 1}');
  });

  test('a 307 carries the path only and an HTML body', () => {
    const r = werkzeugRedirect(307, '/api/access/users');
    expect(r.headers['location']).toBe('/api/access/users');
    expect(r.body).toContain('<a href="/api/access/users">');
  });
});

describe('routing', () => {
  test('a placeholder never matches a slash; filled values are percent-encoded', () => {
    const t = pathTemplate('/api/access/users/{name}/settings');
    expect(t.match('/api/access/users/jane/settings')).toEqual({ name: 'jane' });
    expect(t.match('/api/access/users/a/b/settings')).toBeUndefined();
    expect(t.fill({ name: 'a/b c' })).toBe('/api/access/users/a%2Fb%20c/settings');
  });

  test('405 lists the verbs of the path; HEAD follows GET', () => {
    const r = new RestRouter<string>().add('GET', '/a', 'get').add('POST', '/a', 'post');
    expect(r.resolve('HEAD', '/a')).toMatchObject({ kind: 'found', handler: 'get' });
    const denied = r.resolve('DELETE', '/a');
    expect(denied.kind === 'method-not-allowed' && [...denied.allowed].sort()).toEqual([
      'GET',
      'HEAD',
      'OPTIONS',
      'POST',
    ]);
    expect(r.resolve('GET', '/b').kind).toBe('not-found');
  });

  test('answers kept between calls are frozen and follow routes added later; long paths too', () => {
    const r = new RestRouter<string>().add('GET', '/u/{name}', 'get');
    const first = r.resolve('GET', '/u/jane');
    expect(first).toMatchObject({ kind: 'found', handler: 'get', params: { name: 'jane' } });
    expect(Object.isFrozen(first.kind === 'found' && first.params)).toBe(true);
    expect(r.resolve('GET', '/u/joe')).toMatchObject({ params: { name: 'joe' } });
    expect(r.resolve('POST', '/u/jane').kind).toBe('method-not-allowed');
    r.add('POST', '/u/{name}', 'post');
    expect(r.resolve('POST', '/u/jane')).toMatchObject({ kind: 'found', handler: 'post', params: { name: 'jane' } });
    const long = `/u/${'x'.repeat(300)}`;
    expect(r.resolve('GET', long)).toMatchObject({ kind: 'found', params: { name: 'x'.repeat(300) } });
    for (let i = 0; i < 1100; i++) expect(r.resolve('GET', `/u/${i}`)).toMatchObject({ params: { name: String(i) } });
    expect(r.resolve('GET', '/u/jane')).toMatchObject({ params: { name: 'jane' } });
  });

  test('decodePath decodes percent escapes and refuses what is not UTF-8', () => {
    expect(decodePath('/api/users/a%20b')).toBe('/api/users/a b');
    expect(decodePath('/api/users/plain')).toBe('/api/users/plain');
    expect(decodePath('/api/users/%ff')).toBeUndefined();
    expect(pathOf('/a/b?x=1')).toBe('/a/b');
    expect(pathOf('/a/b')).toBe('/a/b');
  });

  test('a call puts path params in the path, the rest in the body (writes) or the query (reads)', () => {
    expect(encodeRestCall({ verb: 'PUT', path: '/u/{name}' }, { name: 'jane', active: true })).toEqual({
      method: 'PUT',
      url: '/u/jane',
      headers: { 'content-type': 'application/json' },
      body: '{"active":true}',
    });
    expect(encodeRestCall({ verb: 'GET', path: '/u/{name}' }, { name: 'jane', x: 1 }).url).toBe('/u/jane?x=1');
    expect(
      encodeRestCall(
        { verb: 'PATCH', path: '/u/{name}/s', body: { param: 'settings', bodyDefault: {} } },
        { name: 'j' },
      ).body,
    ).toBe('{}');
  });
});

describe('facets', () => {
  const observed = (text: string): HttpObserved => ({
    transport: 'http',
    status: 200,
    statusText: 'OK',
    headers: {},
    text,
    json: NOT_JSON,
  });
  test('keysSorted reads key order from the text, at every depth', () => {
    expect(keysSorted('quirk').verify(observed('{"a":1,"b":[{"c":1,"d":2}]}'))).toBeNull();
    expect(keysSorted('quirk').verify(observed('{"a":1,"b":[{"d":1,"c":2}]}'))).toMatch(/d, c/);
  });
});
