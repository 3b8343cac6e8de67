import type { IdentityReading, PreflightProbe } from '../../spec/protocol.js';

/** get_user without userid answers the caller itself; `admin` says whether it is a super-admin (rhodecode.md §4.1). */
function adminIs(claimed: boolean) {
  return (result: unknown): IdentityReading | undefined => {
    const admin = typeof result === 'object' && result !== null ? (result as { admin?: unknown }).admin : undefined;
    return typeof admin === 'boolean'
      ? {
          says: admin ? 'a super-admin (admin: true)' : 'not a super-admin (admin: false)',
          asClaimed: admin === claimed,
        }
      : undefined;
  };
}

/** Pre-flight: each token says who it is through get_user, then lists users (super-admin only). */
export const preflight: readonly PreflightProbe[] = [
  {
    identity: 'super-admin',
    whoami: { method: 'get_user', params: {}, read: adminIs(true) },
    method: 'get_users',
    params: {},
  },
  {
    identity: 'user',
    whoami: { method: 'get_user', params: {}, read: adminIs(false) },
    method: 'get_users',
    params: {},
  },
];
