/**
 * What the embedded mock of `accord check nymea` starts with. A fresh nymea has no users and accord never
 * runs the initial setup on a server it checks, so the checked mock is seeded with an admin (its `given`
 * hands it to the run); its lockdown and handshake limit are short so that the suites take seconds, and the
 * checks read both lengths from the target.
 */
export const EMBEDDED_MOCK = {
  options: { admin: { username: 'admin', password: 'Accord-Admin-1' }, lockdownMs: 20, handshakeTimeoutMs: 300 },
  why: 'a fresh nymea has no users: the checked mock starts with an admin, and with a short lockdown and handshake limit so that the suites take seconds',
} as const;
