import type { CredentialPositions } from '../../spec/protocol.js';

/**
 * RhodeCode's credentials: the caller's `auth_token` in every request, users' tokens in replies
 * (`auth_tokens` from 4.10, `api_key`/`api_keys` before), passwords in user writes (rhodecode.md §1, §2.1).
 */
export const credentialPositions: CredentialPositions = {
  headers: [],
  fields: ['auth_token', 'auth_tokens', 'api_key', 'api_keys', 'password'],
};
