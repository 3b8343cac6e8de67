import { Type } from 'typebox';
import { describe, expect, test } from 'vitest';
import { createOctoPrint13Dialect } from '../../mock/dialects/octoprint-1.3/index.js';
import { diagnoseBody, DIAGNOSTIC_HEADER, strictBodySchema, withDiagnostics } from '../../mock/diagnostics.js';

/** Request diagnostics: findings in words, and the header and log lines that carry them. */
const params = Type.Object({
  name: Type.String(),
  groups: Type.Optional(Type.Array(Type.String())),
  active: Type.Boolean(),
});

describe('request diagnostics', () => {
  test('name the field, the rule and what came instead', () => {
    const schema = strictBodySchema(params, ['name']);
    expect(diagnoseBody(schema, { groups: null, active: true })).toEqual([
      'groups: expected an array of strings, got null',
    ]);
    expect(diagnoseBody(schema, { groups: ['a', 3], active: 'yes', grups: [] })).toEqual([
      'grups: not a field of this request (ignored)',
      'groups[1]: expected a string, got the number 3',
      'active: expected true or false, got the string "yes"',
    ]);
    expect(diagnoseBody(strictBodySchema(params), { active: true })).toEqual(['name: missing (required)']);
    expect(diagnoseBody(schema, null)).toEqual(['body: expected an object, got null']);
  });

  test('a strict copy is made and compiled once per schema', () => {
    expect(strictBodySchema(params, ['name'])).toBe(strictBodySchema(params, ['name']));
  });

  test('the response keeps its status and body and gains one header; each finding is logged', () => {
    const lines: string[] = [];
    const r = withDiagnostics(
      { status: 500, headers: { 'content-type': 'application/json' }, body: '{}' },
      ['groups: expected an array of strings, got null'],
      { verb: 'POST', path: '/api/x', server: 'Acme' },
      (l) => lines.push(l),
    );
    expect(r.status).toBe(500);
    expect(r.body).toBe('{}');
    expect(r.headers[DIAGNOSTIC_HEADER]).toBe(
      'groups: expected an array of strings, got null (POST /api/x; Acme answers 500 here)',
    );
    expect(lines).toEqual([
      'diagnostic: groups: expected an array of strings, got null (POST /api/x; Acme answers 500 here)',
    ]);
    expect(withDiagnostics(r, [], { verb: 'GET', path: '/', server: 'Acme' })).toBe(r);
  });

  test('a route whose body is one parameter is diagnosed against that parameter (OctoPrint 1.3 settings)', async () => {
    const mock = createOctoPrint13Dialect({ fixed: true });
    const send = (method: string, url: string, body: unknown) =>
      mock.handle({
        method,
        url,
        headers: { 'content-type': 'application/json', 'x-api-key': mock.given.adminKey ?? '' },
        body: JSON.stringify(body),
      });
    // The settings object's keys are the user's own: none is "not a field".
    const saved = await send('PATCH', '/api/users/admin/settings', { accord: { theme: 'dark' } });
    expect(saved.status).toBe(200);
    expect(saved.headers[DIAGNOSTIC_HEADER]).toBeUndefined();
    const listed = await send('PATCH', '/api/users/admin/settings', ['not', 'an', 'object']);
    expect(listed.headers[DIAGNOSTIC_HEADER]).toMatch(/^body: expected an object/);
    // A route whose body is its fields still names a field it does not take.
    const updated = await send('PUT', '/api/users/operator', { active: true, actve: false });
    expect(updated.headers[DIAGNOSTIC_HEADER]).toMatch(/^actve: not a field of this request/);
  });
});
