import type { ArrangeContext, Handle } from '../../spec/context.js';
import type { ResourceSpec } from '../../spec/protocol.js';
import { SCOPE_IDENTITIES } from './identities.js';
import { newPassword } from './rules.js';

/**
 * What a nymea run builds before its checks, as the given admin: a user of its own for each scope
 * identity, logged in once (its token is its credential from then on), and a plain user to read, with a
 * display name, an email and a token. Everything is named with the run prefix and removed at teardown
 * (a user's tokens go with it). Tokens the run gets for the given admin are revoked at teardown too.
 */
export interface MadeUser {
  readonly username: string;
  readonly password: string;
  readonly token: string;
}

export interface NymeaWorld {
  /** Users made for identities, by identity id. */
  readonly users: Readonly<Record<string, MadeUser>>;
  /** A plain user (ExecuteRules + AccessAllThings) with one token. */
  readonly user: MadeUser & {
    readonly tokenId: string;
    readonly email: string;
    readonly displayName: string;
    readonly scopes: readonly string[];
  };
}

const DEVICE = 'accord';

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** Users.CreateUser with the run prefix; options: name, scopes (absent: an admin), email, displayName, password. */
export const userResource: ResourceSpec = {
  kind: 'user',
  async create(c, options) {
    const username = typeof options['name'] === 'string' ? options['name'] : c.name('user');
    const password = typeof options['password'] === 'string' ? options['password'] : newPassword();
    const params: Record<string, unknown> = { username, password };
    for (const key of ['scopes', 'email', 'displayName'] as const)
      if (options[key] !== undefined) params[key] = options[key];
    await c.ok('Users.CreateUser', params);
    const handle: Handle = { id: username, name: username, password };
    c.track('user', handle);
    return handle;
  },
  async remove(c, handle) {
    const outcome = await c.call('Users.RemoveUser', { username: handle.name });
    // Already gone (a check removed it): nothing to do.
    if (!outcome.ok && outcome.error !== 'UserErrorInvalidUserId')
      throw new Error(`Users.RemoveUser ${handle.name}: ${outcome.error}`);
  },
  async list(c) {
    const users = asRecord(await c.ok('Users.GetUsers', {}))['users'];
    return Array.isArray(users)
      ? users.map((u) => ({ id: String(asRecord(u)['username']), name: String(asRecord(u)['username']) }))
      : [];
  },
};

/** A token of the given admin's own (the one user a run may not remove), for Users.RemoveToken; revoked at teardown. */
export const adminTokenResource: ResourceSpec = {
  kind: 'admin-token',
  async create(c) {
    const admin = c.given['admin'] as { username: string; password: string } | undefined;
    if (!admin) throw new Error('no admin given (--admin USER:PASS)');
    const deviceName = c.name('device');
    await c.ok('JSONRPC.Authenticate', { username: admin.username, password: admin.password, deviceName });
    const list = asRecord(await c.ok('Users.GetTokens', {}))['tokenInfoList'];
    const token = Array.isArray(list) ? list.map(asRecord).find((t) => t['deviceName'] === deviceName) : undefined;
    if (!token || typeof token['id'] !== 'string')
      throw new Error(`Users.GetTokens does not list the token just issued for device ${deviceName}`);
    const handle: Handle = { id: token['id'], name: deviceName };
    c.track('admin-token', handle);
    return handle;
  },
  async remove(c, handle) {
    const outcome = await c.call('Users.RemoveToken', { tokenId: handle.id });
    if (!outcome.ok && outcome.error !== 'UserErrorTokenNotFound')
      throw new Error(`Users.RemoveToken ${handle.name}: ${outcome.error}`);
  },
};

/** Log a user in through the arranging session; returns the token. */
export async function login(c: ArrangeContext, username: string, password: string): Promise<string> {
  const reply = asRecord(
    await c.ok('JSONRPC.Authenticate', { username, password, deviceName: `${DEVICE}-${c.name('device')}` }),
  );
  if (typeof reply['token'] !== 'string') throw new Error(`JSONRPC.Authenticate for ${username} returned no token`);
  return reply['token'];
}

export async function buildWorld(c: ArrangeContext): Promise<NymeaWorld> {
  const users: Record<string, MadeUser> = {};
  for (const s of SCOPE_IDENTITIES) {
    const u = await userResource.create(c, { scopes: s.scopes });
    const password = String(u['password']);
    users[s.id] = { username: u.name, password, token: await login(c, u.name, password) };
  }
  const scopes = ['PermissionScopeExecuteRules', 'PermissionScopeAccessAllThings'];
  const plain = await userResource.create(c, { scopes, email: 'accord@example.org', displayName: 'Accord Plain' });
  const password = String(plain['password']);
  const token = await login(c, plain.name, password);
  const list = asRecord(await c.ok('Users.GetUserTokens', { username: plain.name }))['tokenInfoList'];
  const tokenId = Array.isArray(list) ? String(asRecord(list[0])['id']) : '';
  return {
    users,
    user: {
      username: plain.name,
      password,
      token,
      tokenId,
      email: 'accord@example.org',
      displayName: 'Accord Plain',
      scopes,
    },
  };
}
