import type { IdentityReading, PreflightProbe } from '../../spec/protocol.js';

/** Users.GetUserInfo answers the logged-in user; its scopes say whether it is an admin (nymea.md §5). */
function adminScope(result: unknown): IdentityReading | undefined {
  const info =
    typeof result === 'object' && result !== null
      ? (result as { userInfo?: { scopes?: unknown } }).userInfo
      : undefined;
  const scopes = info?.scopes;
  if (!Array.isArray(scopes)) return undefined;
  return { says: `a user with the scopes [${scopes.join(', ')}]`, asClaimed: scopes.includes('PermissionScopeAdmin') };
}

/**
 * Pre-flight: the admin says who it is, then lists users (Admin scope, nymea.md §6). No denied probe: a
 * refusal starts a 3 s lockdown (§4).
 */
export const preflight: readonly PreflightProbe[] = [
  {
    identity: 'admin',
    whoami: { method: 'Users.GetUserInfo', params: {}, read: adminScope },
    method: 'Users.GetUsers',
    params: {},
  },
];
