import { Type } from 'typebox';
import { variantFacets } from '../../../spec/variant.js';
import type { Expectation } from '../../../spec/expectation.js';
import { perEra } from '../variants.js';
import { selfOrAdmin } from '../access.js';
import { documentedAs204, fails, method, OK } from '../define.js';
import { ApiKeyReply, ApiKeyReplyHex, ApiKeyReplyReal, Empty, NoContent, SettingsObject } from '../records.js';
import { status, statusClass } from '../../../wire/rest.js';
import { errorSays } from '../era-facets.js';
import { refreshSelfKey } from '../world.js';
import { NO_SUCH_USER } from './users.js';

/**
 * A user's own things (octoprint.md §4.3): password, settings, API key. The user themselves or ADMIN.
 * The apikey methods come last in the declaration: their valid calls rotate or remove the `self` user's
 * key, and each reads the current key back first (world.refreshSelfKey).
 */
const SEE = 'octoprint.md §4.3';

export const changePassword = method({
  name: 'access.users.changePassword',
  group: 'account',
  summary: "Set a user's password; the user themselves must send the current one",
  see: SEE,
  wire: {
    route: { verb: 'PUT', path: '/api/access/users/{name}/password' },
    missing: { password: 'new password is missing' },
  },
  params: Type.Object({ name: Type.String(), password: Type.String(), current: Type.Optional(Type.String()) }),
  result: { must: Type.Object({}), quirk: Empty },
  access: selfOrAdmin('PUT'),
  // The same password again: both the user (who must send current) and an admin (who need not) succeed.
  valid: (c) => ({ name: c.world.self.name, password: c.world.self.password, current: c.world.self.password }),
  succeeds: () => [...OK],
  errors: [
    {
      id: 'empty-password',
      says: 'an empty password gives 400 "new password is missing"',
      see: SEE,
      level: 'must',
      params: (c) => ({ name: c.world.self.name, password: '' }),
      expect: fails(400, 'new password is missing'),
    },
    {
      id: 'wrong-current',
      says: 'the user with a wrong current password is refused: 403 "Invalid current password"',
      see: SEE,
      level: 'must',
      as: 'self',
      params: (c) => ({ name: c.world.self.name, password: c.world.self.password, current: 'not-the-password' }),
      // OctoPrint checks `current` from 1.8.3 on (octoprint.md §0); older 1.x accept any, which this check reports.
      expect: (_p, c) =>
        variantFacets(
          perEra((form): Expectation => [
            // Before 1.8.3 the password is changed whatever `current` says: that era's form is 200, and the
            // refusal (must) is the claim of 1.8.3 on only.
            ...(form.checksCurrent
              ? [
                  statusClass(4, 'must', 'refused'),
                  status(403, 'should', (o) =>
                    o.transport === 'http' && o.status === 200
                      ? 'OctoPrint checks the current password from 1.8.3 on; before that any was accepted (octoprint.md §0)'
                      : undefined,
                  ),
                  errorSays('Invalid current password', 'quirk'),
                ]
              : [status(200, 'quirk')]),
          ]),
          c.variant,
        ),
    },
    {
      id: 'no-current',
      says: 'the user without current gets 400 "current password is missing" (1.10+: always required for yourself)',
      see: 'octoprint.md §4.3, §6.6',
      level: 'quirk',
      as: 'self',
      params: (c) => ({ name: c.world.self.name, password: c.world.self.password }),
      expect: (_p, c) =>
        variantFacets(
          perEra((form) =>
            form.checksCurrent
              ? fails(400, 'current password is missing', 'quirk', (o) =>
                  o.transport === 'http' && o.status === 200
                    ? 'the docs (1.8.3 text) let the current password be left out; from 1.10 on changing your own password always needs it (octoprint.md §6.6)'
                    : undefined,
                )
              : [status(200, 'quirk')],
          ),
          c.variant,
        ),
    },
    {
      id: 'admin-current-ignored',
      says: "an admin changing someone else's password is not asked for current, even a wrong one (1.10+)",
      see: 'octoprint.md §4.3, §6.6',
      level: 'quirk',
      params: (c) => ({ name: c.world.self.name, password: c.world.self.password, current: 'not-the-password' }),
      // 1.8.3–1.9 check an admin's `current` when it is given (octoprint.md §6.6).
      expect: (_p, c) =>
        variantFacets(
          perEra((form): Expectation =>
            form.checksAdminCurrent ? fails(403, 'Invalid current password', 'quirk') : [status(200, 'quirk')],
          ),
          c.variant,
        ),
    },
    {
      id: 'unknown-name',
      says: 'an admin naming an unknown user gets 404',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER, password: 'Accord-1' }),
      expect: fails(404),
    },
    {
      id: 'unknown-name-non-admin',
      says: 'a non-admin naming an unknown user gets 403 before anything else',
      see: SEE,
      level: 'must',
      as: 'user',
      params: () => ({ name: NO_SUCH_USER, password: 'Accord-1', current: 'x' }),
      expect: fails(403),
    },
  ],
  examples: [
    {
      source: 'seed 001 (OctoPrintClient.access.users.changePassword(name, password, oldpw))',
      request: { password: 'new-secret', current: 'old-secret' },
      response: {},
      note: '`current` is sent only when oldpw is truthy; the deprecated OctoPrintClient.users.changePassword cannot send it (octoprint.md §5.3).',
    },
  ],
});

export const getSettings = method({
  name: 'access.users.getSettings',
  group: 'account',
  summary: "A user's settings object",
  see: SEE,
  wire: { route: { verb: 'GET', path: '/api/access/users/{name}/settings' } },
  params: Type.Object({ name: Type.String() }),
  result: { must: SettingsObject },
  access: selfOrAdmin('GET'),
  valid: (c) => ({ name: c.world.self.name }),
  succeeds: () => [...OK],
  errors: [
    {
      id: 'unknown-name',
      says: 'an unknown user gives 404',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER }),
      expect: fails(404),
    },
    {
      id: 'unknown-name-non-admin',
      says: 'a non-admin naming an unknown user gets 403',
      see: SEE,
      level: 'must',
      as: 'user',
      params: () => ({ name: NO_SUCH_USER }),
      expect: fails(403),
    },
  ],
  examples: [],
});

export const saveSettings = method({
  name: 'access.users.saveSettings',
  group: 'account',
  summary: "Merge top-level keys into a user's settings (each replaces the old value)",
  see: SEE,
  wire: {
    route: { verb: 'PATCH', path: '/api/access/users/{name}/settings', body: { param: 'settings', bodyDefault: {} } },
  },
  params: Type.Object({ name: Type.String(), settings: Type.Optional(SettingsObject) }),
  result: { must: NoContent, quirk: Empty },
  access: selfOrAdmin('PATCH'),
  valid: (c) => ({ name: c.world.self.name, settings: { accord: { theme: 'dark' } } }),
  succeeds: () => documentedAs204(),
  errors: [
    {
      id: 'unknown-name',
      says: 'an unknown user gives 404',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER, settings: { a: 1 } }),
      expect: fails(404),
    },
  ],
  examples: [
    {
      source: 'docs/api/access.rst (1.11)',
      request: { interface: { color: 'red' } },
      response: 'HTTP 204 No Content',
      note: 'OctoPrint answers 200 {} in every version (octoprint.md §6.2).',
    },
  ],
});

export const generateApiKey = method({
  name: 'access.users.generateApiKey',
  group: 'account',
  summary: 'Give a user a new API key; the old one stops working',
  see: SEE,
  wire: { route: { verb: 'POST', path: '/api/access/users/{name}/apikey' } },
  params: Type.Object({ name: Type.String() }),
  // 1.11+ secrets.token_urlsafe() (util/__init__.py generate_api_key of 1.11.8); 1.4–1.10 uuid4 hex.
  result: { must: ApiKeyReply, quirk: perEra((form) => (form.urlsafeKeys ? ApiKeyReplyReal : ApiKeyReplyHex)) },
  access: selfOrAdmin('POST'),
  valid: async (c) => {
    await refreshSelfKey(c);
    return { name: c.world.self.name };
  },
  succeeds: () => [...OK],
  errors: [
    {
      id: 'unknown-name',
      says: 'an unknown user gives 404',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER }),
      expect: fails(404),
    },
  ],
  examples: [
    {
      source: 'seed 001 (OctoPrintClient.access.users.generateApiKey)',
      request: 'null',
      response: { apikey: 'tBNYmq4m_QJ0qfKmqb5Ayvm6pN2c8zCwOCNfPU3nkM8' },
      note: 'The client passes its opts as the request data, so the body is the 4 bytes null; the server does not read it (octoprint.md §5.3).',
    },
  ],
});

export const resetApiKey = method({
  name: 'access.users.resetApiKey',
  group: 'account',
  summary: "Remove a user's API key",
  see: SEE,
  wire: { route: { verb: 'DELETE', path: '/api/access/users/{name}/apikey' } },
  params: Type.Object({ name: Type.String() }),
  result: { must: NoContent, quirk: Empty },
  access: selfOrAdmin('DELETE'),
  valid: async (c) => {
    await refreshSelfKey(c);
    return { name: c.world.self.name };
  },
  succeeds: () => documentedAs204(),
  errors: [
    {
      id: 'unknown-name',
      says: 'an unknown user gives 404',
      see: SEE,
      level: 'must',
      params: () => ({ name: NO_SUCH_USER }),
      expect: fails(404),
    },
  ],
  examples: [],
});

export const accountMethods = [changePassword, getSettings, saveSettings, generateApiKey, resetApiKey];
