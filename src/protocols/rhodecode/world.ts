import type { ArrangeContext, CallContext, Handle } from '../../spec/context.js';
import type { ResourceSpec } from '../../spec/protocol.js';
import { randomHex } from '../../wire/text.js';
import { WEIGHT, weightOf, type Relation } from './access.js';

/**
 * What a RhodeCode run builds before its checks (everything as the super-admin, named with the run prefix,
 * tracked for teardown, in an order that lets teardown undo it: users, then user groups, then repository
 * groups and repositories, so that permissions go with the objects before the groups they name):
 * - a plain user (target of the user methods and of every grant; never one of the given accounts);
 * - a user group with that user as member;
 * - for each relation the given user can have (plain, granted admin, owner), a repository and a repository
 *   group, for the permission methods;
 * - what it learned of the server's configuration: the default user's object permissions (copied into new
 *   objects) and the given user's global permissions.
 */
export type Kind = 'usergroup' | 'repo' | 'repogroup';

export interface Account {
  readonly id: number;
  readonly name: string;
}

export interface RhodeCodeWorld {
  /** The super-admin whose token was given. */
  readonly me: Account;
  /** The plain user whose token was given (--user-token), when there is one. */
  readonly user?: Account;
  readonly plainUser: Handle;
  readonly group: Handle;
  readonly repos: Readonly<Partial<Record<Relation, Handle>>>;
  readonly repoGroups: Readonly<Partial<Record<Relation, Handle>>>;
  /** The default user's permission on new objects of each kind, as a weight (read = 1). */
  readonly defaults: Readonly<Record<Kind, number>>;
  /** Global permissions of the given user. */
  readonly userCan: {
    readonly createUserGroups: boolean;
    readonly createRepos: boolean;
    readonly createRepoGroups: boolean;
  };
  /** A token that exists nowhere. */
  readonly badToken: string;
}

type UserResult = { user: { user_id: number; username: string; auth_tokens: string[] } };

export function password(): string {
  return `Accord-${randomHex(6)}`;
}

/** Remove an object; one a check already removed ("... does not exist") is fine. */
async function removeIfThere(c: ArrangeContext, method: string, params: Record<string, unknown>): Promise<void> {
  const outcome = await c.call(method, params);
  if (!outcome.ok && !/does not exist/.test(outcome.error)) throw new Error(`${method} failed: ${outcome.error}`);
}

export const userResource: ResourceSpec = {
  kind: 'user',
  /** Options: `active` (false: an inactive user). */
  async create(c, options) {
    const username = typeof options['name'] === 'string' ? options['name'] : c.name('user');
    // No personal repository group, whatever the server's default: a user who owns one cannot be deleted (§4.1).
    const params: Record<string, unknown> = {
      username,
      email: `${username}@example.com`,
      password: password(),
      create_personal_repo_group: false,
    };
    if (options['active'] === false) params['active'] = false;
    const made = (await c.ok('create_user', params)) as UserResult;
    const handle: Handle = { id: made.user.user_id, name: username, tokens: made.user.auth_tokens };
    c.track('user', handle);
    return handle;
  },
  async remove(c, handle) {
    await removeIfThere(c, 'delete_user', { userid: handle.id });
  },
  async list(c) {
    const users = (await c.ok('get_users', {})) as { user_id: number; username: string }[];
    return users.map((u) => ({ id: u.user_id, name: u.username }));
  },
};

/**
 * RhodeCode caches each user's permission tree (rc_cache.cache_perms, 60–300 s) and flushes it only for
 * the users a change names: an object made after the user's last call stays invisible to them ("does not
 * exist") until the cache expires. A grant flushes: `plain` objects get a grant and its revoke (the user's
 * row is gone again, the defaults apply), `owner` objects the owner's own admin grant again (no change);
 * `granted` ones were flushed by their grant.
 */
const FLUSH_CALLS: Readonly<Record<Kind, { grant: string; revoke: string; id: string; prefix: string }>> = {
  usergroup: {
    grant: 'grant_user_permission_to_user_group',
    revoke: 'revoke_user_permission_from_user_group',
    id: 'usergroupid',
    prefix: 'usergroup',
  },
  repo: { grant: 'grant_user_permission', revoke: 'revoke_user_permission', id: 'repoid', prefix: 'repository' },
  repogroup: {
    grant: 'grant_user_permission_to_repo_group',
    revoke: 'revoke_user_permission_from_repo_group',
    id: 'repogroupid',
    prefix: 'group',
  },
};

async function flushPermissionCache(
  c: ArrangeContext,
  kind: Kind,
  handle: Handle,
  relation: Relation,
  userId: number | undefined,
): Promise<void> {
  if (userId === undefined || relation === 'granted') return;
  const calls = FLUSH_CALLS[kind];
  const target = { [calls.id]: handle.id, userid: userId };
  if (relation === 'owner') {
    await c.ok(calls.grant, { ...target, perm: `${calls.prefix}.admin` });
    return;
  }
  await c.ok(calls.grant, { ...target, perm: `${calls.prefix}.read` });
  await c.ok(calls.revoke, target);
}

/** Options: `relation` to the given user (`userId`); `owner` (an id) overrides the owner. */
export const userGroupResource: ResourceSpec = {
  kind: 'usergroup',
  async create(c, options) {
    const name = typeof options['name'] === 'string' ? options['name'] : c.name('usergroup');
    const relation = (options['relation'] as Relation | undefined) ?? 'plain';
    const userId = options['userId'] as number | undefined;
    const owner = options['owner'] ?? (relation === 'owner' ? userId : undefined);
    const made = (await c.ok('create_user_group', { group_name: name, ...(owner !== undefined ? { owner } : {}) })) as {
      user_group: { users_group_id: number };
    };
    const handle: Handle = { id: made.user_group.users_group_id, name };
    c.track('usergroup', handle);
    if (relation === 'granted' && userId !== undefined)
      await c.ok('grant_user_permission_to_user_group', {
        usergroupid: handle.id,
        userid: userId,
        perm: 'usergroup.admin',
      });
    await flushPermissionCache(c, 'usergroup', handle, relation, userId);
    return handle;
  },
  async remove(c, handle) {
    await removeIfThere(c, 'delete_user_group', { usergroupid: handle.id });
  },
  async list(c) {
    const groups = (await c.ok('get_user_groups', {})) as { users_group_id: number; group_name: string }[];
    return groups.map((g) => ({ id: g.users_group_id, name: g.group_name }));
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Repository creation may run in a background task: wait for the repository to show up (a few seconds at most). */
async function repoIdOf(c: ArrangeContext, name: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const found = await c.call('get_repo', { repoid: name });
    if (found.ok) return (found.value as { repo_id: number }).repo_id;
    if (attempt >= 20) throw new Error(`the repository ${name} did not appear after create_repo: ${found.error}`);
    await sleep(250);
  }
}

export const repoResource: ResourceSpec = {
  kind: 'repo',
  async create(c, options) {
    const name = c.name('repo');
    const relation = (options['relation'] as Relation | undefined) ?? 'plain';
    const userId = options['userId'] as number | undefined;
    const owner = relation === 'owner' ? userId : undefined;
    // Public, whatever the server's default: plain users then get the default user's permission on it.
    await c.ok('create_repo', {
      repo_name: name,
      repo_type: 'git',
      private: false,
      ...(owner !== undefined ? { owner } : {}),
    });
    // Tracked by name first: if it never shows up, teardown still tries to remove it.
    c.track('repo', { id: name, name });
    const handle: Handle = { id: await repoIdOf(c, name), name };
    c.untrack('repo', { id: name, name });
    c.track('repo', handle);
    if (relation === 'granted' && userId !== undefined)
      await c.ok('grant_user_permission', { repoid: handle.id, userid: userId, perm: 'repository.admin' });
    await flushPermissionCache(c, 'repo', handle, relation, userId);
    return handle;
  },
  async remove(c, handle) {
    await removeIfThere(c, 'delete_repo', { repoid: handle.id });
  },
};

export const repoGroupResource: ResourceSpec = {
  kind: 'repogroup',
  async create(c, options) {
    const name = c.name('repogroup');
    const relation = (options['relation'] as Relation | undefined) ?? 'plain';
    const userId = options['userId'] as number | undefined;
    const owner = relation === 'owner' ? userId : undefined;
    const made = (await c.ok('create_repo_group', { group_name: name, ...(owner !== undefined ? { owner } : {}) })) as {
      repo_group: { group_id: number };
    };
    const handle: Handle = { id: made.repo_group.group_id, name };
    c.track('repogroup', handle);
    if (relation === 'granted' && userId !== undefined)
      await c.ok('grant_user_permission_to_repo_group', {
        repogroupid: handle.id,
        userid: userId,
        perm: 'group.admin',
      });
    await flushPermissionCache(c, 'repogroup', handle, relation, userId);
    return handle;
  },
  async remove(c, handle) {
    await removeIfThere(c, 'delete_repo_group', { repogroupid: handle.id });
  },
};

/** How an identity stands to the objects made for it (see identities.ts). */
export const RELATION_OF: Readonly<Record<string, Relation>> = { 'object-admin': 'granted', owner: 'owner' };

export function relationOf(identity: string | undefined): Relation {
  return (identity !== undefined ? RELATION_OF[identity] : undefined) ?? 'plain';
}

/** A fresh object of a kind, made for the identity the call is checked as (its owner, granted admin, or plain). */
export function freshFor(
  c: CallContext<RhodeCodeWorld>,
  kind: Kind,
  extra: Readonly<Record<string, unknown>> = {},
): Promise<Handle> {
  const relation = c.world.user ? relationOf(c.caller) : 'plain';
  return c.create(kind, { relation, ...(c.world.user ? { userId: c.world.user.id } : {}), ...extra });
}

/** The world's repository or repository group for the identity the call is checked as. */
export function worldObjectFor(c: CallContext<RhodeCodeWorld>, kind: 'repo' | 'repogroup'): Handle {
  const table = kind === 'repo' ? c.world.repos : c.world.repoGroups;
  const handle = table[relationOf(c.caller)] ?? table.plain;
  if (!handle) throw new Error(`the world has no ${kind}`);
  return handle;
}

function defaultWeight(global: readonly string[], prefix: string): number {
  const perm = global.find((p) => p.startsWith(prefix));
  return perm === undefined ? (WEIGHT['read'] ?? 1) : weightOf(perm);
}

type Summary = { user_id: number; username: string; admin: boolean; permissions_summary?: { global?: string[] } };

export async function buildWorld(c: ArrangeContext): Promise<RhodeCodeWorld> {
  const meRow = (await c.ok('get_user', {}, 'super-admin')) as Summary;
  const me = { id: meRow.user_id, name: meRow.username };
  let user: Account | undefined;
  let userGlobal: string[] = [];
  if (typeof c.given['userToken'] === 'string') {
    const row = (await c.ok('get_user', {}, 'user')) as Summary;
    if (row.admin)
      throw new Error(`the --user-token user ${row.username} is a super-admin; give the token of a plain user`);
    user = { id: row.user_id, name: row.username };
    userGlobal = row.permissions_summary?.global ?? [];
  }
  const defaultRow = (await c.ok('get_user', { userid: 'default' })) as Summary;
  const defaultGlobal = defaultRow.permissions_summary?.global ?? [];
  const defaults = {
    usergroup: defaultWeight(defaultGlobal, 'usergroup.'),
    repo: defaultWeight(defaultGlobal, 'repository.'),
    repogroup: defaultWeight(defaultGlobal, 'group.'),
  };

  const plainUser = await userResource.create(c, {});
  const group = await userGroupResource.create(c, user ? { userId: user.id } : {});
  await c.ok('add_user_to_user_group', { usergroupid: group.id, userid: plainUser.id });
  const relations: Relation[] = user ? ['plain', 'granted', 'owner'] : ['plain'];
  const repoGroups: Partial<Record<Relation, Handle>> = {};
  const repos: Partial<Record<Relation, Handle>> = {};
  for (const relation of relations) {
    const options = { relation, ...(user ? { userId: user.id } : {}) };
    repoGroups[relation] = await repoGroupResource.create(c, options);
    repos[relation] = await repoResource.create(c, options);
  }
  return {
    me,
    ...(user ? { user } : {}),
    plainUser,
    group,
    repos,
    repoGroups,
    defaults,
    userCan: {
      createUserGroups: userGlobal.includes('hg.usergroup.create.true'),
      createRepos: userGlobal.includes('hg.create.repository'),
      createRepoGroups: userGlobal.includes('hg.repogroup.create.true'),
    },
    badToken: `accord${randomHex(17)}`,
  };
}
