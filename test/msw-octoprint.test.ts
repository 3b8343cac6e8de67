import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIAGNOSTIC_HEADER } from '../mock/diagnostics.js';
import { handlers } from '../mock/msw.js';

/**
 * The OctoPrint mock as msw handlers in Node: plain fetch against two base URLs, each its own instance
 * with its own users and keys, driving what a user-admin page does (list, create, update, delete).
 */
const A = 'http://printer-a.test';
const B = 'http://printer-b.test/octoprint';
const mocks = handlers('octoprint', { baseUrl: [A, B] });
const server = setupServer(...mocks);
const keyOf = (i: number) => String(mocks.instances[i]?.dialect.given['adminKey']);

async function call(base: string, key: string, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { 'X-Api-Key': key };
  if (body !== undefined) headers['Content-Type'] = 'application/json; charset=UTF-8';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}
const names = (body: Record<string, unknown>) => (body['users'] as { name: string }[]).map((u) => u.name).sort();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('octoprint msw handlers', () => {
  test('list, create, update, delete a user', async () => {
    const key = keyOf(0);
    expect(names((await call(A, key, 'GET', '/api/access/users')).body)).toEqual(['admin', 'operator']);

    const created = await call(A, key, 'POST', '/api/access/users', {
      name: 'jane',
      password: 'secret',
      active: true,
      groups: ['users'],
      permissions: [],
    });
    expect(created.status).toBe(200);
    expect(names(created.body)).toEqual(['admin', 'jane', 'operator']);

    const updated = await call(A, key, 'PUT', '/api/access/users/jane', {
      active: true,
      groups: ['users', 'admins'],
      permissions: [],
      admin: false,
    });
    const jane = (updated.body['users'] as Record<string, unknown>[]).find((u) => u['name'] === 'jane');
    expect(jane).toMatchObject({ admin: true, roles: ['user', 'admin'], groups: ['users', 'admins'] });

    expect((await call(A, key, 'DELETE', '/api/access/users/jane')).status).toBe(200);
    const gone = await call(A, key, 'GET', '/api/access/users/jane');
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error: expect.stringMatching(/^The requested URL was not found/) });
  });

  test('each base URL is its own instance, with its own state and keys', async () => {
    expect(keyOf(0)).not.toBe(keyOf(1));
    await call(B, keyOf(1), 'POST', '/api/access/users', { name: 'only_on_b', password: 'pw', active: true });
    expect(names((await call(B, keyOf(1), 'GET', '/api/access/users')).body)).toContain('only_on_b');
    expect(names((await call(A, keyOf(0), 'GET', '/api/access/users')).body)).not.toContain('only_on_b');
    expect((await call(A, keyOf(1), 'GET', '/api/access/users')).status).toBe(403);
  });

  test('a request that differs from the spec gets the real answer and a diagnostic', async () => {
    const r = await call(A, keyOf(0), 'PUT', '/api/access/users/operator', {
      active: true,
      groups: null,
      permissions: null,
      admin: false,
    });
    expect(r.status).toBe(500);
    expect(r.headers.get(DIAGNOSTIC_HEADER)).toContain(
      'groups: expected an array of strings, got null (PUT /api/access/users/operator; OctoPrint answers 500 here)',
    );
  });
});

test('each instance journals what the app sent it, with the diagnostics', async () => {
  const before = mocks.instances[1]!.journal.recent().length;
  await call(B, keyOf(1), 'PUT', '/api/access/users/operator', { groups: null });
  const entries = mocks.instances[1]!.journal.recent();
  expect(entries).toHaveLength(before + 1);
  const last = entries.at(-1)!;
  expect(last).toMatchObject({
    method: 'PUT',
    call: '/api/access/users/operator',
    identity: 'API key of admin',
    status: '500',
  });
  expect(last.diagnostics[0]).toMatch(/^groups: expected an array of strings, got null/);
});
