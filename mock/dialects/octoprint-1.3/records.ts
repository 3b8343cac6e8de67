import type { User13State } from './state.js';

/** A 1.3 user record (octoprint.md §3.3, 1.3 column): the roles as `admin` and `user` flags. */
export function userRecord13(u: User13State): Record<string, unknown> {
  return { name: u.name, active: u.active, admin: u.admin, user: true, apikey: u.apikey, settings: u.settings };
}
