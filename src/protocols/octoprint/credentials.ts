import type { CredentialPositions, GivenOption } from '../../spec/protocol.js';

/**
 * OctoPrint's credentials (1.3 to 1.11): API keys in X-Api-Key, in an `apikey` parameter and in user records;
 * passwords in user writes (`password`, `current`) and the login form (`pass`); the login's `session`
 * reply; the CSRF token beside the session cookie (octoprint.md §2.2, §2.3, §3).
 */
export const credentialPositions: CredentialPositions = {
  headers: ['x-api-key', 'x-csrf-token'],
  fields: ['apikey', 'password', 'current', 'pass', 'session'],
};

/** The API keys an OctoPrint target takes (1.4–1.11 and 1.3 alike). */
export const OCTOPRINT_KEYS: readonly GivenOption[] = [
  {
    key: 'adminKey',
    flag: 'admin-key',
    value: 'KEY',
    help: 'OctoPrint: the API key of a user in the admins group',
    serve: 'OctoPrint: the API key of the user admin (default: a random one)',
    kind: 'string',
    secret: true,
  },
  {
    key: 'userKey',
    flag: 'user-key',
    value: 'KEY',
    help: 'OctoPrint: the API key of a plain user (made by the run when absent)',
    serve: 'OctoPrint: the API key of the plain user operator (default: a random one)',
    kind: 'string',
    secret: true,
  },
  {
    key: 'globalKey',
    flag: 'global-key',
    value: 'KEY',
    help: 'OctoPrint: the global API key (api.key in config.yaml)',
    serve: 'OctoPrint: the global API key the mock accepts (default: a random one)',
    kind: 'string',
    secret: true,
  },
];
