import type { CredentialPositions } from '../../spec/protocol.js';

/**
 * OctoPrint's credentials (1.3 to 1.11): API keys in X-Api-Key, in an `apikey` parameter and in user records;
 * passwords in user writes (`password`, `current`) and the login form (`pass`); the login's `session`
 * reply; the CSRF token beside the session cookie (octoprint.md §2.2, §2.3, §3).
 */
export const credentialPositions: CredentialPositions = {
  headers: ['x-api-key', 'x-csrf-token'],
  fields: ['apikey', 'password', 'current', 'pass', 'session'],
};
