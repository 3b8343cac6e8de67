import type { ArrangeContext, Handle } from '../../spec/context.js';
import type { ResourceSpec } from '../../spec/protocol.js';
import { isRow } from './define.js';

/**
 * What an OctoPrint run builds before its checks, with the arranging identity (admin or global key):
 * - `self`: a plain user (group `users`) with a password and an API key: the "user themselves" identity,
 *   and the user every self-or-ADMIN valid call names;
 * - `user`: another plain user with a key, unless one was given (--user-key);
 * - `group`: a group to read.
 * Everything is named with the run prefix and tracked for teardown; a key that matches nothing stands
 * in for bad credentials (no real account is touched).
 */
export interface MadeUser {
  readonly name: string;
  readonly password: string;
  /** Mutable: the apikey methods rotate and remove the `self` user's key while checks run. */
  apikey: string | null;
}

/** What the key identities need of a world (1.4–1.11 and 1.3 alike). */
export interface KeyedWorld {
  readonly self: MadeUser;
  readonly user: MadeUser | undefined;
  readonly badKey: string;
}

export interface OctoPrintWorld extends KeyedWorld {
  readonly group: Handle;
  /** The variant the run checks (variants.ts): access rules pick the era's denial with it. */
  readonly variant?: string;
}

export function password(): string {
  return `Pw-${Math.random().toString(36).slice(2, 12)}`;
}

/** A key no server made: 43 URL-safe characters, like a 1.11 key, never issued. */
export function keyThatMatchesNothing(): string {
  let key = 'accordXnoXsuchXkey';
  while (key.length < 43) key += Math.random().toString(36).slice(2);
  return key.slice(0, 43);
}

/** The 404 a DELETE of something already gone gives is fine at teardown. */
async function removeIfThere(c: ArrangeContext, method: string, params: Record<string, unknown>): Promise<void> {
  const outcome = await c.call(method, params);
  if (!outcome.ok && !outcome.error.startsWith('HTTP 404')) throw new Error(`${method} failed: ${outcome.error}`);
}

function names(body: unknown, list: string, field: string): Handle[] {
  const items = isRow(body) ? body[list] : undefined;
  return Array.isArray(items) ? items.filter(isRow).map((x) => ({ id: String(x[field]), name: String(x[field]) })) : [];
}

export const userResource: ResourceSpec = {
  kind: 'user',
  /** Options: `groups` (default ["users"]), `key` (also generate an API key; default false). */
  async create(c, options) {
    const name = typeof options['name'] === 'string' ? options['name'] : c.name('user');
    const pw = password();
    const groups = (options['groups'] as string[] | undefined) ?? ['users'];
    await c.ok('access.users.add', { name, password: pw, active: true, groups, permissions: [] });
    const handle: Handle = { id: name, name, password: pw, apikey: null };
    c.track('user', handle);
    if (options['key'] !== true) return handle;
    const reply = await c.ok('access.users.generateApiKey', { name });
    const apikey = isRow(reply) && typeof reply['apikey'] === 'string' ? reply['apikey'] : null;
    if (apikey === null) throw new Error(`generating a key for ${name} gave no apikey`);
    return { ...handle, apikey };
  },
  remove: (c, handle) => removeIfThere(c, 'access.users.delete', { name: handle.name }),
  list: async (c) => names(await c.ok('access.users.list', {}), 'users', 'name'),
};

export const groupResource: ResourceSpec = {
  kind: 'group',
  async create(c, options) {
    const key = typeof options['name'] === 'string' ? options['name'] : c.name('group');
    const permissions = (options['permissions'] as string[] | undefined) ?? ['STATUS'];
    await c.ok('access.groups.add', {
      key,
      name: `Accord ${key}`,
      description: 'made by accord',
      permissions,
      subgroups: [],
      default: false,
    });
    const handle: Handle = { id: key, name: key };
    c.track('group', handle);
    return handle;
  },
  remove: (c, handle) => removeIfThere(c, 'access.groups.delete', { key: handle.name }),
  list: async (c) => names(await c.ok('access.groups.list', {}), 'groups', 'key'),
};

function madeUser(handle: Handle): MadeUser {
  return {
    name: handle.name,
    password: String(handle['password']),
    apikey: typeof handle['apikey'] === 'string' ? handle['apikey'] : null,
  };
}

export async function buildWorld(c: ArrangeContext): Promise<OctoPrintWorld> {
  const self = madeUser(await userResource.create(c, { key: true }));
  const user = c.given['userKey'] ? undefined : madeUser(await userResource.create(c, { key: true }));
  const group = await groupResource.create(c, {});
  return { self, user, group, badKey: keyThatMatchesNothing(), variant: c.variant };
}

/**
 * Read the `self` user's current key back (an admin with an API key sees every key), making a new one if
 * it has none: the apikey methods' valid calls rotate or remove it, and the `self` identity reads its key
 * from the world at each request.
 */
export async function refreshSelfKey(c: ArrangeContext & { readonly world: OctoPrintWorld }): Promise<void> {
  const self = c.world.self;
  const reply = await c.ok('access.users.get', { name: self.name });
  self.apikey = isRow(reply) && typeof reply['apikey'] === 'string' ? reply['apikey'] : null;
  if (self.apikey !== null) return;
  // A reset by an earlier identity left none: give it one again, so that `self` is not anonymous.
  const made = await c.ok('access.users.generateApiKey', { name: self.name });
  self.apikey = isRow(made) && typeof made['apikey'] === 'string' ? made['apikey'] : null;
}
