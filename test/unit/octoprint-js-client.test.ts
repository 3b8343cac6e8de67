import { describe, expect, test } from 'vitest';
import { createOctoPrint13Dialect } from '../../mock/dialects/octoprint-1.3/index.js';
import { createOctoPrintDialect } from '../../mock/dialects/octoprint/index.js';
import type { HttpDialect } from '../../mock/dialect.js';

/**
 * OctoPrint's own JS client, replayed request for request (octoprint.md §5): what `$.ajax` sends for each
 * OctoPrintClient.access.* call of 1.4–1.11 and OctoPrintClient.users.* call of 1.3 (JSON.stringify with
 * undefined as null, `application/json; charset=UTF-8`, X-Api-Key, X-Requested-With), and the status and
 * body a real server answers, which the mock must answer too.
 */
interface Reply {
  readonly status: number;
  readonly body: string;
  readonly json: unknown;
}

/** base.js: `get`/`delete` without a body; `postJson`/`putJson`/`patchJson` serialise `data`, even undefined. */
function jsClient(dialect: HttpDialect, apikey: string | undefined) {
  const send = async (method: string, path: string, ...data: [] | [unknown]): Promise<Reply> => {
    const headers: Record<string, string> = {
      host: 'octopi.local:5000',
      'x-requested-with': 'XMLHttpRequest',
      accept: 'application/json, text/javascript, */*; q=0.01',
    };
    if (apikey) headers['x-api-key'] = apikey;
    let body = '';
    if (data.length > 0) {
      headers['content-type'] = 'application/json; charset=UTF-8';
      headers['cache-control'] = 'no-cache';
      body = JSON.stringify(data[0], (_k, v: unknown) => (v === undefined ? null : v)) ?? 'null';
    }
    const r = await dialect.handle({ method, url: `/${path}`, headers, body });
    return {
      status: r.status,
      body: r.body,
      json: r.body.trim() === '' || !r.headers['content-type']?.includes('json') ? undefined : JSON.parse(r.body),
    };
  };
  return {
    access: {
      permissions: { list: () => send('GET', 'api/access/permissions') },
      groups: {
        add: (g: Record<string, unknown>) =>
          send('POST', 'api/access/groups', {
            key: g['key'],
            name: g['name'],
            description: g['description'],
            permissions: g['permissions'],
            subgroups: g['subgroups'],
            default: g['default'],
          }),
        update: (g: Record<string, unknown>) =>
          send('PUT', `api/access/groups/${String(g['key'])}`, {
            description: Object.prototype.hasOwnProperty.call(g, 'description') ? g['description'] : '',
            permissions: g['permissions'],
            subgroups: g['subgroups'],
            default: g['default'],
          }),
        get: (key: string) => send('GET', `api/access/groups/${key}`),
      },
      users: {
        add: (u: Record<string, unknown>) =>
          send('POST', 'api/access/users', {
            name: u['name'],
            password: u['password'],
            groups: u['groups'] ?? [],
            permissions: u['permissions'] ?? [],
            active: Boolean(u['active'] ?? true),
            admin: Boolean(u['admin'] ?? false),
          }),
        get: (name: string) => send('GET', `api/access/users/${name}`),
        update: (name: string, active: boolean, admin: boolean, permissions?: unknown, groups?: unknown) =>
          send('PUT', `api/access/users/${name}`, {
            active: Boolean(active),
            groups,
            permissions,
            admin: Boolean(admin),
          }),
        changePassword: (name: string, password: string, oldpw?: string) =>
          send('PUT', `api/access/users/${name}/password`, oldpw ? { password, current: oldpw } : { password }),
        // The real client passes its opts as the data: with no opts the body is `null`.
        generateApiKey: (name: string, opts?: unknown) => send('POST', `api/access/users/${name}/apikey`, opts),
        resetApiKey: (name: string) => send('DELETE', `api/access/users/${name}/apikey`),
        getSettings: (name: string) => send('GET', `api/access/users/${name}/settings`),
        saveSettings: (name: string, settings?: unknown) =>
          send('PATCH', `api/access/users/${name}/settings`, settings || {}),
      },
    },
    users13: {
      add: (u: Record<string, unknown>) =>
        send('POST', 'api/users', {
          name: u['name'],
          password: u['password'],
          active: Boolean(u['active'] ?? true),
          admin: Boolean(u['admin'] ?? false),
        }),
      update: (name: string, active?: boolean, admin?: boolean) =>
        send('PUT', `api/users/${name}`, { active: Boolean(active), admin: Boolean(admin) }),
      changePassword: (name: string, password: string) => send('PUT', `api/users/${name}/password`, { password }),
      generateApiKey: (name: string, opts?: unknown) => send('POST', `api/users/${name}/apikey`, opts),
      resetApiKey: (name: string) => send('DELETE', `api/users/${name}/apikey`),
      list: () => send('GET', 'api/users'),
    },
  };
}

const SERVER_ERROR =
  'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.';
const userIn = (reply: Reply, name: string) =>
  (reply.json as { users: Record<string, unknown>[] }).users.find((u) => u['name'] === name);

describe('OctoPrintClient.access against the 1.11 mock', () => {
  const dialect = createOctoPrintDialect({ adminKey: 'ADMINKEY', userKey: 'USERKEY' });
  const admin = jsClient(dialect, 'ADMINKEY').access;

  test('permissions.list works without a key', async () => {
    const r = await jsClient(dialect, undefined).access.permissions.list();
    expect(r.status).toBe(200);
    expect((r.json as { permissions: { key: string }[] }).permissions[0]?.key).toBe('ADMIN');
  });

  test('groups.add without subgroups sends subgroups null: 500', async () => {
    const r = await admin.groups.add({ key: 'printer_ops', name: 'Printer operators', permissions: ['STATUS'] });
    expect([r.status, r.json]).toEqual([500, { error: SERVER_ERROR }]);
  });

  test('groups.add with subgroups stores the nulls it sent; groups.update sends description "" and a null default becomes false', async () => {
    const added = await admin.groups.add({ key: 'ops', name: 'Ops', subgroups: [] });
    expect(added.status).toBe(200);
    expect((await admin.groups.get('ops')).json).toMatchObject({
      key: 'ops',
      description: null,
      permissions: [],
      default: null,
    });
    const updated = await admin.groups.update({ key: 'ops', permissions: ['STATUS'] });
    expect(updated.status).toBe(200);
    expect((await admin.groups.get('ops')).json).toMatchObject({
      description: '',
      permissions: ['STATUS'],
      subgroups: [],
      default: false,
    });
  });

  test('users.add sends groups [] (no groups at all) and admin, which is ignored', async () => {
    const r = await admin.users.add({ name: 'jane', password: 'secret', admin: true });
    expect(r.status).toBe(200);
    expect(userIn(r, 'jane')).toMatchObject({ groups: [], admin: false, active: true, apikey: null });
  });

  test('users.update(name, active, admin, permissions, groups): admin is ignored', async () => {
    const r = await admin.users.update('jane', true, true, ['STATUS'], ['users']);
    expect(userIn(r, 'jane')).toMatchObject({
      groups: ['users'],
      permissions: ['STATUS'],
      admin: false,
      roles: ['user'],
    });
  });

  test('the deprecated 1.3-style users.update(name, active, admin) sends null lists: 500', async () => {
    expect((await admin.users.update('jane', true, false)).status).toBe(500);
  });

  test('users.generateApiKey sends the body null and gets a 43-character key; resetApiKey answers 200 {}', async () => {
    const r = await admin.users.generateApiKey('jane');
    expect(r.status).toBe(200);
    expect((r.json as { apikey: string }).apikey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const jane = jsClient(dialect, (r.json as { apikey: string }).apikey).access;
    expect((await jane.users.get('jane')).status).toBe(200);
    expect(await admin.users.resetApiKey('jane')).toEqual({ status: 200, body: '{}\n', json: {} });
  });

  test('changePassword for yourself needs oldpw; the deprecated two-argument form gets 400', async () => {
    const key = ((await admin.users.generateApiKey('jane')).json as { apikey: string }).apikey;
    const jane = jsClient(dialect, key).access;
    expect((await jane.users.changePassword('jane', 'new-secret')).json).toEqual({
      error: 'current password is missing',
    });
    expect(await jane.users.changePassword('jane', 'new-secret', 'wrong')).toMatchObject({
      status: 403,
      json: { error: 'Invalid current password' },
    });
    expect(await jane.users.changePassword('jane', 'new-secret', 'secret')).toEqual({
      status: 200,
      body: '{}\n',
      json: {},
    });
    expect(await admin.users.changePassword('jane', 'again')).toMatchObject({ status: 200 });
  });

  test('saveSettings answers 200 {} (the docs say 204) and getSettings reads it back', async () => {
    expect(await admin.users.saveSettings('jane', { interface: { color: 'red' } })).toEqual({
      status: 200,
      body: '{}\n',
      json: {},
    });
    expect(await admin.users.saveSettings('jane')).toMatchObject({ status: 200 });
    expect((await admin.users.getSettings('jane')).json).toEqual({ interface: { color: 'red' } });
  });

  test('a plain user gets 403 on admin calls; no key at all gets 400 CSRF on writes', async () => {
    expect((await jsClient(dialect, 'USERKEY').access.users.get('admin')).status).toBe(403);
    expect(await jsClient(dialect, undefined).access.users.add({ name: 'x', password: 'y' })).toMatchObject({
      status: 400,
      json: { error: 'CSRF validation failed' },
    });
  });
});

describe('OctoPrintClient.users against the 1.3 mock', () => {
  const dialect = createOctoPrint13Dialect({ adminKey: 'ADMINKEY13' });
  const admin = jsClient(dialect, 'ADMINKEY13').users13;

  test('add, update without admin (always sent as false), generate a key with the body null', async () => {
    const added = await admin.add({ name: 'jane', password: 'secret', admin: true });
    expect(added.status).toBe(200);
    expect(userIn(added, 'jane')).toEqual({
      name: 'jane',
      active: true,
      admin: true,
      user: true,
      apikey: null,
      settings: {},
    });
    expect(userIn(await admin.update('jane', true), 'jane')).toMatchObject({ admin: false });
    const key = await admin.generateApiKey('jane');
    expect((key.json as { apikey: string }).apikey).toMatch(/^[0-9A-F]{32}$/);
    expect(await admin.resetApiKey('jane')).toEqual({ status: 200, body: '{}', json: {} });
  });

  test('an XHR request gets one-line JSON; no current password is needed', async () => {
    expect((await admin.list()).body).toMatch(/^\{"users": \[\{"active": true, "admin": true/);
    expect(await admin.changePassword('jane', 'other')).toEqual({ status: 200, body: '{}', json: {} });
  });

  test('without a key: 403 "No API key provided" (the blueprint asks for a key before any login)', async () => {
    const r = await jsClient(dialect, undefined).users13.list();
    expect(r.status).toBe(403);
    expect(r.body).toBe('No API key provided');
  });
});
