import type { IdentityReading, PreflightProbe } from '../../spec/protocol.js';

/** getMe answers the caller's own user row; its `role` is what Kanboard says the user is (kanboard.md §4). */
function roleIs(claimed: string) {
  return (result: unknown): IdentityReading | undefined => {
    const role = typeof result === 'object' && result !== null ? (result as { role?: unknown }).role : undefined;
    return typeof role === 'string' ? { says: `role ${role}`, asClaimed: role === claimed } : undefined;
  };
}

/**
 * Pre-flight: the application API has no user of its own to ask about (getMe needs a user), so its token
 * is proven by a call only it and admins may make; each user says who it is through getMe first.
 */
export const preflight: readonly PreflightProbe[] = [
  { identity: 'app-api', method: 'getAllGroups', params: {} },
  {
    identity: 'app-admin',
    whoami: { method: 'getMe', params: {}, read: roleIs('app-admin') },
    method: 'getAllGroups',
    params: {},
  },
  {
    identity: 'app-user',
    whoami: { method: 'getMe', params: {}, read: roleIs('app-user') },
    method: 'getAllGroups',
    params: {},
  },
];
