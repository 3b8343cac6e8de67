import type { ArrangeContext, Handle } from '../../spec/context.js';
import type { ResourceSpec } from '../../spec/protocol.js';
import { keyThatMatchesNothing, password, type KeyedWorld, type MadeUser } from '../octoprint/world.js';
import { isRow } from './define.js';

/** What a 1.3 run builds: the `self` user (with a password and a key) and, unless given, another user. */
export type World13 = KeyedWorld;

export const user13Resource: ResourceSpec = {
  kind: 'user',
  async create(c, options) {
    const name = typeof options['name'] === 'string' ? options['name'] : c.name('user');
    const pw = password();
    await c.ok('users.add', { name, password: pw, active: true, admin: options['admin'] === true });
    const handle: Handle = { id: name, name, password: pw, apikey: null };
    c.track('user', handle);
    if (options['key'] !== true) return handle;
    const reply = await c.ok('users.generateApiKey', { name });
    return { ...handle, apikey: isRow(reply) && typeof reply['apikey'] === 'string' ? reply['apikey'] : null };
  },
  async remove(c, handle) {
    const outcome = await c.call('users.delete', { name: handle.name });
    if (!outcome.ok && !outcome.error.startsWith('HTTP 404')) throw new Error(`users.delete failed: ${outcome.error}`);
  },
  async list(c) {
    const body = await c.ok('users.list', {});
    const users = isRow(body) && Array.isArray(body['users']) ? body['users'].filter(isRow) : [];
    return users.map((u) => ({ id: String(u['name']), name: String(u['name']) }));
  },
};

function madeUser(h: Handle): MadeUser {
  return {
    name: h.name,
    password: String(h['password']),
    apikey: typeof h['apikey'] === 'string' ? h['apikey'] : null,
  };
}

export async function buildWorld13(c: ArrangeContext): Promise<World13> {
  const self = madeUser(await user13Resource.create(c, { key: true }));
  const user = c.given['userKey'] ? undefined : madeUser(await user13Resource.create(c, { key: true }));
  return { self, user, badKey: keyThatMatchesNothing() };
}

/** The `self` user's current key, read back (and made again when a reset removed it). */
export async function refreshSelfKey13(c: ArrangeContext & { readonly world: World13 }): Promise<void> {
  const self = c.world.self;
  const reply = await c.ok('users.get', { name: self.name });
  self.apikey = isRow(reply) && typeof reply['apikey'] === 'string' ? reply['apikey'] : null;
  if (self.apikey !== null) return;
  const made = await c.ok('users.generateApiKey', { name: self.name });
  self.apikey = isRow(made) && typeof made['apikey'] === 'string' ? made['apikey'] : null;
}
