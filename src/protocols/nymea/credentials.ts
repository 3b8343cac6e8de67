import type { CredentialPositions } from '../../spec/protocol.js';

/**
 * nymea's credentials: the session `token` on every request and in Authenticate's reply, and passwords in
 * Authenticate, CreateUser and ChangePassword (nymea.md, nymea-users-api.json).
 */
export const credentialPositions: CredentialPositions = {
  headers: [],
  fields: ['token', 'password', 'newPassword'],
};
