import { Type } from 'typebox';
import { variantFacets } from '../../../spec/variant.js';
import type { Expectation } from '../../../spec/expectation.js';
import { perQt } from '../variants.js';
import { capLevel } from '../../../spec/expectation.js';
import { errorText, statusIs, userError } from '../../../wire/nymea-facets.js';
import { show } from '../../../spec/show.js';
import { API, NAMESPACES, PROTOCOL_VERSION } from '../api.js';
import { answersError, method, paramsSay, sameSet } from '../define.js';
import { newPassword } from '../rules.js';
import { ADMIN_SCOPES, sessionScopes } from '../scopes.js';
import { methodSchemas } from '../schemas.js';

/** The JSONRPC methods the Users namespace depends on (nymea.md §4, §7, §9). */
const S4 = 'nymea.md §4';
const S7 = 'nymea.md §7';
const S8 = 'nymea.md §8';
const S9 = 'nymea.md §9';

const givenAdmin = (given: Readonly<Record<string, unknown>>) =>
  given['admin'] as { username: string; password: string } | undefined;
const isList = (v: unknown): v is unknown[] => Array.isArray(v);

export const hello = method('JSONRPC.Hello', {
  group: 'session',
  see: S4,
  valid: () => ({ locale: 'en_US' }),
  succeeds: (_p, c) => [
    paramsSay(
      'must',
      'server "nymea", authentication required, no initial setup, locale en_US',
      (p) =>
        p['server'] === 'nymea' &&
        p['authenticationRequired'] === true &&
        p['initialSetupRequired'] === false &&
        p['locale'] === 'en_US',
    ),
    paramsSay(
      'must',
      `authenticated as ${givenAdmin(c.given)?.username.toLowerCase()}`,
      (p) => p['authenticated'] === true && p['username'] === givenAdmin(c.given)?.username.toLowerCase(),
    ),
    paramsSay(
      'quirk',
      'permissionScopes: all six names of an admin, in enum order',
      (p) => JSON.stringify(p['permissionScopes']) === JSON.stringify(ADMIN_SCOPES),
    ),
    paramsSay(
      'quirk',
      `protocol version "${PROTOCOL_VERSION}", language equal to locale, uuid with braces`,
      (p) =>
        p['protocol version'] === PROTOCOL_VERSION &&
        p['language'] === p['locale'] &&
        /^\{[0-9a-f-]{36}\}$/.test(String(p['uuid'])),
    ),
  ],
  errors: [
    {
      id: 'bad-token',
      says: 'a token the server never issued: authenticated false, username "", permissionScopes [None]',
      see: S4,
      level: 'must',
      as: 'bad-token',
      params: () => ({}),
      expect: [
        statusIs('success'),
        paramsSay('must', 'authenticated false', (p) => p['authenticated'] === false),
        // The scopes are those of the user "" (the push-button user) when it exists: the admin ones (§4).
        paramsSay(
          'quirk',
          'username "" and permissionScopes ["PermissionScopeNone"] (or the push-button user\'s)',
          (p) =>
            p['username'] === '' &&
            (JSON.stringify(p['permissionScopes']) === '["PermissionScopeNone"]' ||
              (isList(p['permissionScopes']) && sameSet(p['permissionScopes'], ADMIN_SCOPES))),
        ),
      ],
    },
    {
      id: 'no-token',
      says: 'without a token, no authenticated, permissionScopes or username',
      see: S4,
      level: 'quirk',
      as: 'no-token',
      params: () => ({}),
      expect: [
        statusIs('success'),
        paramsSay(
          'quirk',
          'no authenticated, permissionScopes or username',
          (p) => !('authenticated' in p) && !('permissionScopes' in p) && !('username' in p),
        ),
      ],
    },
    {
      id: 'locale-language-only',
      says: 'a locale "de" is read as de_DE (QLocale)',
      see: S4,
      level: 'quirk',
      params: () => ({ locale: 'de' }),
      expect: [statusIs('success'), paramsSay('quirk', 'locale "de_DE"', (p) => p['locale'] === 'de_DE')],
    },
  ],
  examples: [
    {
      source: 'nymea.md §4 (auth on, no users yet)',
      request: { id: 1, method: 'JSONRPC.Hello', params: { locale: 'en_US' } },
      response: {
        id: 1,
        params: {
          authenticationRequired: true,
          initialSetupRequired: true,
          language: 'en_US',
          locale: 'en_US',
          name: 'nymea',
          'protocol version': '9.0',
          pushButtonAuthAvailable: false,
          server: 'nymea',
          uuid: '{…}',
          version: '1.15.2',
        },
        status: 'success',
      },
    },
  ],
});

export const authenticate = method('JSONRPC.Authenticate', {
  group: 'session',
  see: S4,
  valid: (c) => ({ username: c.world.user.username, password: c.world.user.password, deviceName: c.name('device') }),
  succeeds: (_p, c) => [
    paramsSay(
      'must',
      `success true, a token, username ${c.world.user.username}`,
      (p) => p['success'] === true && typeof p['token'] === 'string' && p['username'] === c.world.user.username,
    ),
    paramsSay('quirk', 'a 44-character base64 token', (p) => /^[A-Za-z0-9+/]{43}=$/.test(String(p['token']))),
    paramsSay(
      'quirk',
      'scopes with implied bits, in enum order',
      (p) =>
        JSON.stringify(p['scopes']) ===
        JSON.stringify(['PermissionScopeAccessAllThings', 'PermissionScopeExecuteRules']),
    ),
  ],
  errors: [
    {
      id: 'wrong-password',
      says: 'a wrong password: success false and nothing else',
      see: S4,
      level: 'must',
      params: (c) => ({ username: c.world.user.username, password: 'Wrong-Password-1', deviceName: c.name('device') }),
      expect: [
        statusIs('success'),
        paramsSay('must', 'success false, no token', (p) => p['success'] === false && !('token' in p)),
        paramsSay('quirk', 'exactly {"success":false}', (p) => JSON.stringify(p) === '{"success":false}'),
      ],
    },
    {
      id: 'unknown-user',
      says: 'an unknown user: success false',
      see: S4,
      level: 'must',
      params: (c) => ({ username: c.name('nobody'), password: 'Wrong-Password-1', deviceName: c.name('device') }),
      expect: [
        statusIs('success'),
        paramsSay('must', 'success false, no token', (p) => p['success'] === false && !('token' in p)),
      ],
    },
    {
      id: 'username-any-case',
      says: 'the login name is compared case-insensitively',
      see: 'nymea.md §6 Shared rules',
      level: 'quirk',
      params: (c) => ({
        username: c.world.user.username.toUpperCase(),
        password: c.world.user.password,
        deviceName: c.name('device'),
      }),
      expect: [statusIs('success', 'quirk'), paramsSay('quirk', 'success true', (p) => p['success'] === true)],
    },
    {
      id: 'no-scope-user',
      says: 'a user without scopes gets scopes ["PermissionScopeNone"]',
      see: 'nymea.md §5',
      level: 'quirk',
      params: (c) => ({
        username: c.world.users['scope-none']?.username,
        password: c.world.users['scope-none']?.password,
        deviceName: c.name('device'),
      }),
      expect: [
        statusIs('success'),
        paramsSay(
          'quirk',
          'scopes ["PermissionScopeNone"]',
          (p) => JSON.stringify(p['scopes']) === JSON.stringify(sessionScopes(0)),
        ),
      ],
    },
  ],
  examples: [
    {
      source: 'nymea.md §4',
      request: {
        id: 3,
        method: 'JSONRPC.Authenticate',
        params: { username: 'admin', password: 'Secret123', deviceName: 'suite' },
      },
      response: {
        id: 3,
        params: { scopes: ADMIN_SCOPES, success: true, token: '<44-char base64>', username: 'admin' },
        status: 'success',
      },
    },
  ],
});

export const createUserSetup = method('JSONRPC.CreateUser', {
  group: 'users',
  see: 'nymea.md §6 JSONRPC.CreateUser',
  valid: (c) => ({
    username: c.name('user'),
    password: newPassword(),
    displayName: 'Accord Admin',
    email: 'admin@example.org',
  }),
  // Wrong calls that a server accepts come here too: String() reads what was sent.
  creates: { kind: 'user', handle: (_r, params) => ({ id: String(params.username), name: String(params.username) }) },
  // The description says it only works during the initial setup; an admin can call it at any time (a quirk).
  answers: () => capLevel('quirk', [statusIs('success'), userError('UserErrorNoError')]),
  errors: [
    {
      id: 'duplicate',
      says: 'an existing name: UserErrorDuplicateUserId',
      see: 'nymea.md §6',
      level: 'quirk',
      params: (c) => ({ username: c.world.user.username, password: newPassword() }),
      expect: answersError('UserErrorDuplicateUserId', 'quirk'),
    },
    {
      id: 'bad-password',
      says: 'a weak password: UserErrorBadPassword',
      see: 'nymea.md §6',
      level: 'quirk',
      params: (c) => ({ username: c.name('user'), password: 'weak' }),
      expect: answersError('UserErrorBadPassword', 'quirk'),
    },
  ],
  examples: [
    {
      source: 'nymea.md §4 (initial setup)',
      request: { id: 2, method: 'JSONRPC.CreateUser', params: { username: 'admin', password: 'Secret123' } },
      response: { id: 2, params: { error: 'UserErrorNoError' }, status: 'success' },
      note: 'Always creates an admin. After the setup an admin token may still call it (nymea.md §6).',
    },
  ],
});

export const requestPushButtonAuth = method('JSONRPC.RequestPushButtonAuth', {
  group: 'session',
  see: S4,
  valid: (c) => ({ deviceName: c.name('device') }),
  succeeds: () => [
    paramsSay(
      'must',
      'success true and a transactionId of 1 or more',
      (p) => p['success'] === true && Number.isInteger(p['transactionId']) && Number(p['transactionId']) >= 1,
    ),
  ],
  errors: [],
  examples: [],
});

export const setNotificationStatus = method('JSONRPC.SetNotificationStatus', {
  group: 'notifications',
  see: S7,
  valid: () => ({ namespaces: ['Users'] }),
  succeeds: () => [
    paramsSay(
      'must',
      'namespaces ["Users"], enabled true',
      (p) => JSON.stringify(p['namespaces']) === '["Users"]' && p['enabled'] === true,
    ),
  ],
  errors: [
    {
      id: 'enabled-true',
      says: 'enabled true (deprecated) turns on every namespace',
      see: S7,
      level: 'must',
      params: () => ({ enabled: true }),
      expect: [
        statusIs('success'),
        paramsSay(
          'must',
          'namespaces include Users and JSONRPC',
          (p) => isList(p['namespaces']) && p['namespaces'].includes('Users') && p['namespaces'].includes('JSONRPC'),
        ),
        // Plugins may add handlers (an experience plugin adds its own namespace): every core one, perhaps more.
        paramsSay(
          'quirk',
          `all ${NAMESPACES.length} core handler namespaces`,
          (p) => isList(p['namespaces']) && NAMESPACES.every((n) => (p['namespaces'] as unknown[]).includes(n)),
        ),
      ],
    },
    {
      id: 'neither',
      says: 'neither enabled nor namespaces: everything off',
      see: S7,
      level: 'quirk',
      params: () => ({}),
      expect: [
        statusIs('success'),
        paramsSay(
          'quirk',
          'enabled false, namespaces []',
          (p) => p['enabled'] === false && JSON.stringify(p['namespaces']) === '[]',
        ),
      ],
    },
    {
      id: 'unknown-namespace-dropped',
      says: 'an unknown namespace is dropped without an error',
      see: S7,
      level: 'quirk',
      params: () => ({ namespaces: ['Users', 'AccordNoSuchNamespace'] }),
      expect: [
        statusIs('success'),
        paramsSay('quirk', 'namespaces ["Users"]', (p) => JSON.stringify(p['namespaces']) === '["Users"]'),
      ],
    },
    {
      id: 'enabled-wins',
      says: 'with both, enabled wins',
      see: S7,
      level: 'quirk',
      params: () => ({ enabled: false, namespaces: ['Users'] }),
      expect: [
        statusIs('success'),
        paramsSay(
          'quirk',
          'namespaces [], enabled false',
          (p) => p['enabled'] === false && JSON.stringify(p['namespaces']) === '[]',
        ),
      ],
    },
    {
      id: 'enabled-string',
      says: 'enabled "yes" is true (QVariant::toBool of a string other than "", "0" and "false"): every namespace on',
      see: S8,
      level: 'quirk',
      params: () => ({ enabled: 'yes' }),
      expect: [
        statusIs('success', 'quirk'),
        paramsSay(
          'quirk',
          'enabled true, every core namespace',
          (p) =>
            p['enabled'] === true &&
            isList(p['namespaces']) &&
            NAMESPACES.every((n) => (p['namespaces'] as unknown[]).includes(n)),
        ),
      ],
    },
  ],
  examples: [],
});

const introspectDerived = methodSchemas('JSONRPC.Introspect').returnsStrict;
const OBJECT = Type.Unsafe<Record<string, unknown>>({ type: 'object' });

export const introspect = method('JSONRPC.Introspect', {
  group: 'session',
  see: S9,
  result: {
    quirk: Type.Object(
      { ...introspectDerived.properties, enums: OBJECT, flags: OBJECT },
      {
        additionalProperties: false,
        title: 'enums, flags, methods, notifications and types (the declared returns name only the last three)',
      },
    ),
  },
  valid: () => ({}),
  succeeds: () => [
    paramsSay('must', 'every Users and JSONRPC method and notification of nymea 1.15.2 is listed', (p) => {
      const methods = (p['methods'] ?? {}) as Record<string, unknown>;
      const notifications = (p['notifications'] ?? {}) as Record<string, unknown>;
      const missing = [
        ...Object.keys(API.methods).filter((m) => !(m in methods)),
        ...Object.keys(API.notifications).filter((n) => !(n in notifications)),
      ];
      return missing.length === 0 ? true : `missing ${missing.join(', ')}`;
    }),
    paramsSay('quirk', 'those methods, notifications and their types exactly as in nymea 1.15.2', (p) => {
      const differ = (kind: 'methods' | 'notifications' | 'types' | 'enums' | 'flags') =>
        Object.entries(API[kind])
          .filter(
            ([name, value]) =>
              JSON.stringify(sorted(((p[kind] ?? {}) as Record<string, unknown>)[name])) !==
              JSON.stringify(sorted(value)),
          )
          .map(([name]) => `${kind}.${name}`);
      const all = [
        ...differ('methods'),
        ...differ('notifications'),
        ...differ('types'),
        ...differ('enums'),
        ...differ('flags'),
      ];
      return all.length === 0 ? true : `differ: ${all.slice(0, 5).join(', ')}${all.length > 5 ? '…' : ''}`;
    }),
  ],
  errors: [],
  examples: [],
});

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sorted(v)]),
    );
  return value;
}

export const version = method('JSONRPC.Version', {
  group: 'session',
  see: S9,
  valid: () => ({}),
  succeeds: (_p, c) => [
    paramsSay(
      'quirk',
      `protocol version "${PROTOCOL_VERSION}"`,
      (p) => p['protocol version'] === PROTOCOL_VERSION || `got ${show(p['protocol version'])}`,
    ),
    // The Qt the build runs on and was built with: the variant (variants.ts).
    ...variantFacets(
      perQt((qt): Expectation => {
        const x = new RegExp(`^${qt.major}\\.\\d+\\.\\d+$`);
        return [
          paramsSay(
            'quirk',
            `qtVersion and qtBuildVersion ${qt.major}.x.y`,
            (p) =>
              (x.test(String(p['qtVersion'])) && x.test(String(p['qtBuildVersion']))) ||
              `got qtVersion ${show(p['qtVersion'])}, qtBuildVersion ${show(p['qtBuildVersion'])}`,
          ),
        ];
      }),
      c.variant,
    ),
  ],
  errors: [],
  examples: [],
});

export const keepAlive = method('JSONRPC.KeepAlive', {
  group: 'session',
  see: S9,
  valid: () => ({ sessionId: 'accord-keepalive' }),
  succeeds: () => [
    paramsSay(
      'must',
      'the sessionId back and success true',
      (p) => p['sessionId'] === 'accord-keepalive' && p['success'] === true,
    ),
  ],
  // A String parameter (nymea.md §8): numbers and null convert; a list or an object is refused by the Qt5 build
  // (its convertibility check; a Qt6 build would coerce it to "").
  errors: [
    {
      id: 'session-id-number',
      says: 'a sessionId 42 is echoed as the string "42"',
      see: S8,
      level: 'quirk',
      params: () => ({ sessionId: 42 }),
      expect: [
        statusIs('success', 'quirk'),
        paramsSay('quirk', 'sessionId "42"', (p) => p['sessionId'] === '42' || `got ${show(p['sessionId'])}`),
      ],
    },
    {
      id: 'session-id-null',
      says: 'a sessionId null is echoed as ""',
      see: S8,
      level: 'quirk',
      params: () => ({ sessionId: null }),
      expect: [
        statusIs('success', 'quirk'),
        paramsSay('quirk', 'sessionId ""', (p) => p['sessionId'] === '' || `got ${show(p['sessionId'])}`),
      ],
    },
    {
      id: 'session-id-list',
      says: 'a sessionId [1]: Qt5 refuses it ("Invalid value. Expected: String, Got: "), Qt6 reads it as ""',
      see: S8,
      level: 'quirk',
      params: () => ({ sessionId: [1] }),
      expect: (_p, c) =>
        variantFacets(
          perQt((qt): Expectation =>
            qt.convertibilityCheck
              ? [
                  statusIs('error', 'quirk'),
                  errorText(
                    'Invalid params: Invalid value. Expected: String, Got:  in JSONRPC.KeepAlive, param sessionId.',
                    'quirk',
                  ),
                ]
              : [
                  statusIs('success', 'quirk'),
                  paramsSay('quirk', 'sessionId ""', (p) => p['sessionId'] === '' || `got ${show(p['sessionId'])}`),
                ],
          ),
          c.variant,
        ),
    },
  ],
  examples: [],
});

export const jsonrpcMethods = [
  hello,
  authenticate,
  createUserSetup,
  requestPushButtonAuth,
  setNotificationStatus,
  introspect,
  version,
  keepAlive,
];
