import type { CredentialPositions } from '../../spec/protocol.js';

/**
 * Kanboard's credentials: the application token and user passwords travel as HTTP Basic (or in X-API-Auth),
 * and user rows carry the password hash, the personal access token, the remember-me token and the
 * two-factor secret (kanboard.md §1, §7.2).
 */
export const credentialPositions: CredentialPositions = {
  headers: ['x-api-auth'],
  fields: ['password', 'api_access_token', 'token', 'twofactor_secret'],
};
