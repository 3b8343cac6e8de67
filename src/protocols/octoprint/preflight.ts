import type { IdentityReading, PreflightProbe } from '../../spec/protocol.js';

/** What GET /api/currentuser says of a key: its groups, and whether it holds ADMIN (octoprint.md §2.2). */
function adminIs(claimed: boolean) {
  return (result: unknown): IdentityReading | undefined => {
    const r =
      typeof result === 'object' && result !== null
        ? (result as { name?: unknown; permissions?: unknown; groups?: unknown })
        : {};
    // 1.11 takes a key that matches nothing for no key at all: the caller is anonymous (name null).
    if (r.name === null) return { says: 'anonymous: no user has this key', asClaimed: false, unknown: true };
    if (!Array.isArray(r.permissions)) return undefined;
    const admin = r.permissions.includes('ADMIN');
    const groups = Array.isArray(r.groups) ? r.groups.join(', ') : 'unknown';
    return { says: `in the groups ${groups}, ${admin ? 'with' : 'without'} ADMIN`, asClaimed: admin === claimed };
  };
}

const whoami = (admin: boolean) => ({ method: 'session.currentUser', params: {}, read: adminIs(admin) });

/** Pre-flight: each key says who it is through /api/currentuser, then lists users (ADMIN only). */
export const preflight: readonly PreflightProbe[] = [
  { identity: 'admin', whoami: whoami(true), method: 'access.users.list', params: {} },
  { identity: 'global', whoami: whoami(true), method: 'access.users.list', params: {} },
  { identity: 'user', whoami: whoami(false), method: 'access.users.list', params: {} },
];
