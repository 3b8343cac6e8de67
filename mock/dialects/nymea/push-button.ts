import { ADMIN } from '../../../src/protocols/nymea/scopes.js';
import type { NymeaCore } from './core.js';

/**
 * The physical push button (nymea.md §4 Push button), pressed through the mock's control endpoint:
 * the pending request's connection gets JSONRPC.PushButtonAuthFinished with a new token, which becomes
 * its connection token. The first press creates the hidden admin `""` (no password: it cannot log in
 * with one), without a UserAdded notification.
 */
export interface PressResult {
  /** Was a request waiting for the button? */
  readonly pending: boolean;
  readonly transactionId?: number;
}

export function pressButton(core: NymeaCore): PressResult {
  const request = core.pushButton;
  core.pushButton = undefined;
  if (!request || !request.conn.open) return { pending: false };
  const state = core.state;
  if (!state.user(''))
    state.addUser({ username: '', password: '', email: '', displayName: '', scopes: ADMIN, allowedThingIds: [] });
  const token = state.issueToken('', request.deviceName);
  request.conn.token = token.token;
  core.pushButtonFinished(request.conn, request.transactionId, token.token);
  return { pending: true, transactionId: request.transactionId };
}
