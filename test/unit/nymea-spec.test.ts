import { describe, expect, test } from 'vitest';
import { validateParams } from '../../mock/dialects/nymea/validate.js';
import { API, parseKey } from '../../src/protocols/nymea/api.js';
import { nymea } from '../../src/protocols/nymea/index.js';
import { notifications } from '../../src/protocols/nymea/notifications.js';
import {
  ADMIN,
  consistent,
  maskOf,
  SCOPE_BITS,
  sessionScopes,
  userInfoScopes,
} from '../../src/protocols/nymea/scopes.js';
import { objectSchema, schemaOf } from '../../src/protocols/nymea/schemas.js';
import { validatorFor } from '../../src/spec/schema.js';

/**
 * The declared nymea spec and nymea's own introspection data (nymea 1.15.2, JSON-RPC 9.0) agree: every
 * method and notification of the Users and JSONRPC namespaces is declared, with the params, returns and
 * scope the data gives; and the converter reads nymea's type notation as the data means it.
 */
const inScope = (name: string) => name.startsWith('Users.') || name.startsWith('JSONRPC.');
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('the declared spec and the introspection data', () => {
  const declared = new Map(nymea.methods.map((m) => [m.name, m]));

  test('every Users and JSONRPC method of the data is declared, and nothing else', () => {
    expect([...declared.keys()].sort()).toEqual(Object.keys(API.methods).filter(inScope).sort());
  });

  test.each(Object.keys(API.methods).filter(inScope))("%s: params and returns are the data's", (name) => {
    const m = declared.get(name)!;
    const data = API.methods[name]!;
    expect(plain(m.params)).toEqual(plain(objectSchema(data.params, { direction: 'params', strict: true })));
    expect(plain(m.result.must)).toMatchObject(
      plain(objectSchema(data.returns, { direction: 'returns', strict: false })) as object,
    );
    // The strict result has at least the declared keys, each with the declared schema.
    const strict = plain(objectSchema(data.returns, { direction: 'returns', strict: true })) as {
      properties: Record<string, unknown>;
      required?: string[];
    };
    const quirk = plain(m.result.quirk) as { properties: Record<string, unknown>; required?: string[] };
    for (const [key, schema] of Object.entries(strict.properties)) expect(quirk.properties[key], key).toEqual(schema);
    expect(quirk.required ?? []).toEqual(expect.arrayContaining(strict.required ?? []));
  });

  test.each(Object.keys(API.methods).filter(inScope))("%s: access follows the data's permissionScope", (name) => {
    const m = declared.get(name)!;
    const required = SCOPE_BITS[API.methods[name]!.permissionScope]!;
    const exempt = ['JSONRPC.Hello', 'JSONRPC.Authenticate', 'JSONRPC.RequestPushButtonAuth'].includes(name);
    const as = (scopes: number) =>
      m.access.decide({ id: 'x', label: 'x', facts: { auth: 'token', scopes } }, undefined as never).allowed;
    expect(as(ADMIN)).toBe(true);
    expect(as(required)).toBe(true);
    expect(as(0)).toBe(required === 0);
    expect(m.access.decide({ id: 'x', label: 'x', facts: { auth: 'none' } }, undefined as never).allowed).toBe(exempt);
  });

  test("every notification of the data is declared with the data's params; Users.PushButtonAuthFinished is never sent", () => {
    expect(notifications.map((n) => n.name).sort()).toEqual(Object.keys(API.notifications).sort());
    for (const n of notifications)
      expect(plain(n.paramsStrict)).toMatchObject(
        plain(objectSchema(API.notifications[n.name]!.params, { direction: 'returns', strict: true })) as object,
      );
    expect(notifications.filter((n) => !n.sent).map((n) => n.name)).toEqual(['Users.PushButtonAuthFinished']);
    // Every notification that is sent has a scenario filed under it.
    for (const n of notifications.filter((x) => x.sent))
      expect(
        nymea.scenarios.some((s) => s.method === n.name),
        n.name,
      ).toBe(true);
  });
});

describe("reading nymea's type notation", () => {
  test('key prefixes: o: optional, r: read-only, d: deprecated, in any combination', () => {
    expect(parseKey('d:o:enabled')).toEqual({ name: 'enabled', optional: true, readOnly: false, deprecated: true });
    expect(parseKey('r:username')).toEqual({ name: 'username', optional: false, readOnly: true, deprecated: false });
  });

  test('read-only keys are present in returns and not accepted in params; unknown keys are refused in params', () => {
    const info = API.types['UserInfo'] as Record<string, string>;
    const returns = validatorFor(objectSchema(info as never, { direction: 'returns', strict: true }));
    expect(returns({ allowedThingIds: [], displayName: '', email: '', scopes: [], username: 'a' })).toBe(true);
    expect(returns({ displayName: '', email: '', scopes: [], username: 'a' })).toBe(false);
    expect(
      Object.keys(plain(objectSchema(info as never, { direction: 'params', strict: true })) as { properties: object }),
    ).toContain('properties');
    expect(
      (plain(objectSchema(info as never, { direction: 'params', strict: true })) as { properties: object }).properties,
    ).toEqual({});
    const params = validatorFor(
      objectSchema(API.methods['JSONRPC.SetNotificationStatus']!.params, { direction: 'params', strict: true }),
    );
    expect(params({})).toBe(true);
    expect(params({ enabled: true })).toBe(true);
    expect(params({ token: 'x' })).toBe(false);
  });

  test('$ref to an enum, to flags and to a type; lists', () => {
    const scope = validatorFor(schemaOf('$ref:PermissionScope', { direction: 'params', strict: true }));
    expect(scope('PermissionScopeAdmin')).toBe(true);
    expect(scope('Admin')).toBe(false);
    const scopes = validatorFor(schemaOf('$ref:PermissionScopes', { direction: 'params', strict: true }));
    expect(scopes(['PermissionScopeNone', 'PermissionScopeAdmin'])).toBe(true);
    expect(scopes('PermissionScopeAdmin')).toBe(false);
    const tokens = validatorFor(schemaOf('$ref:TokenInfoList', { direction: 'returns', strict: true }));
    expect(
      tokens([{ creationTime: 1, deviceName: 'd', id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', username: 'u' }]),
    ).toBe(true);
    expect(tokens([{ creationTime: -1, deviceName: 'd', id: 'x', username: 'u' }])).toBe(false);
  });
});

describe('permission scopes (nymea.md §5)', () => {
  test('implied bits are written out, in enum order; an empty set is [] in UserInfo and [None] for a session', () => {
    expect(userInfoScopes(maskOf(['PermissionScopeConfigureRules', 'PermissionScopeAccessAllThings']))).toEqual([
      'PermissionScopeAccessAllThings',
      'PermissionScopeExecuteRules',
      'PermissionScopeConfigureRules',
    ]);
    expect(userInfoScopes(0)).toEqual([]);
    expect(sessionScopes(0)).toEqual(['PermissionScopeNone']);
    expect(userInfoScopes(ADMIN)).toHaveLength(6);
  });

  test.each([
    [[], true],
    [['PermissionScopeControlThings'], true],
    [['PermissionScopeAdmin'], true],
    [['PermissionScopeAccessAllThings'], true],
    [['PermissionScopeConfigureThings'], false],
    [['PermissionScopeConfigureThings', 'PermissionScopeAccessAllThings'], true],
    [['PermissionScopeExecuteRules'], false],
    [['PermissionScopeConfigureRules', 'PermissionScopeAccessAllThings'], true],
    [['PermissionScopeControlThings', 'PermissionScopeExecuteRules'], false],
  ] as const)('%j consistent: %s', (names, ok) => {
    expect(consistent(maskOf(names))).toBe(ok);
  });
});

describe("the mock's params validator (nymea.md §8)", () => {
  test('missing key, unknown key (with the trailing space), flags and enum elements', () => {
    expect(validateParams('Users.CreateUser', { password: 'x' })).toBe(
      'Invalid params: Missing required key: username in Users.CreateUser, param username',
    );
    expect(validateParams('Users.CreateUser', {})).toBe(
      'Invalid params: Missing required key: password in Users.CreateUser, param password',
    );
    expect(validateParams('JSONRPC.KeepAlive', { sessionId: 'x', token: 't' })).toBe(
      'Invalid params: Invalid key: token in JSONRPC.KeepAlive, param ',
    );
    expect(validateParams('Users.SetUserScopes', { username: 'a', scopes: 5 })).toBe(
      'Invalid params: Expected flags PermissionScopes but got 5 in Users.SetUserScopes, param scopes.',
    );
    expect(validateParams('Users.SetUserScopes', { username: 'a', scopes: ['Nope'] })).toBe(
      'Invalid params: Expected enum value for PermissionScope but got Nope in Users.SetUserScopes, param scopes.',
    );
    expect(validateParams('JSONRPC.SetNotificationStatus', { enabled: true })).toBeUndefined();
    expect(validateParams('Users.CreateUser', { username: 'abc', password: 'x', allowedThingIds: 5 })).toBeUndefined();
  });
});
