import type { PreflightProbe } from '../../spec/protocol.js';

/**
 * Pre-flight: each key lists users, an admin route (octoprint.md §4.4): the admin's and the global key pass,
 * a plain user's is refused. No probe asks who a key is: none of the declared 1.3 methods is about the caller.
 */
export const preflight13: readonly PreflightProbe[] = [
  { identity: 'admin', method: 'users.list', params: {} },
  { identity: 'global', method: 'users.list', params: {} },
  { identity: 'user', method: 'users.list', params: {} },
];
