import { randomHex } from '../../../src/wire/text.js';
import { Relation, Table } from '../../directory.js';

/**
 * RhodeCode's tables as the mock keeps them (rhodecode.md §2). Object permissions are rows of
 * (object, user or user group, permission); the `default` user's row on each object is what every user
 * gets by default, copied from its global defaults when the object is made (§1.3).
 */
export interface UserRow {
  id: number;
  username: string;
  password: string | null;
  email: string | null;
  extraEmails: string[];
  firstname: string | null;
  lastname: string | null;
  description: string | null;
  active: boolean;
  admin: boolean;
  extern_type: string | null;
  extern_name: string | null;
  last_login: string | null;
  last_activity: string | null;
  language: string | null;
  ip_addresses: string[];
  /** Explicit global permissions (hg.usergroup.create.true...); the default user's are everyone's defaults. */
  globalPerms: string[];
}

export const ROLE = {
  all: 'token_role_all',
  api: 'token_role_api',
  feed: 'token_role_feed',
  vcs: 'token_role_vcs',
  http: 'token_role_http',
} as const;

export interface TokenRow {
  id: number;
  userId: number;
  token: string;
  role: string;
  /** Unix seconds, or -1 for never. */
  expires: number;
}

export interface UserGroupRow {
  id: number;
  name: string;
  description: string;
  /** null: update_user_group wrote a JSON null into the nullable column. */
  active: boolean | null;
  ownerId: number;
  sync: string | null;
}

export interface RepoRow {
  id: number;
  name: string;
  type: string;
  description: string;
  private: boolean;
  ownerId: number;
  createdOn: string;
  landingRev: string;
  enableStatistics: boolean;
  enableLocking: boolean;
  enableDownloads: boolean;
  cloneUri: string | null;
  pushUri: string | null;
  /** [user id, unix time, reason] */
  locked: [number, number, string] | null;
}

export interface RepoGroupRow {
  id: number;
  name: string;
  description: string;
  ownerId: number;
}

export type ObjectKind = 'usergroup' | 'repo' | 'repogroup';
export const PERM_PREFIX: Readonly<Record<ObjectKind, string>> = {
  usergroup: 'usergroup.',
  repo: 'repository.',
  repogroup: 'group.',
};

/** Permission keys (Permission.PERMS, rhodecode 4.27). */
export const PERMISSIONS: readonly string[] = [
  'hg.admin',
  ...['none', 'read', 'write', 'admin'].flatMap((l) => [`repository.${l}`, `group.${l}`, `usergroup.${l}`]),
  'branch.none',
  'branch.merge',
  'branch.push',
  'branch.push_force',
  'hg.repogroup.create.false',
  'hg.repogroup.create.true',
  'hg.usergroup.create.false',
  'hg.usergroup.create.true',
  'hg.create.none',
  'hg.create.repository',
  'hg.create.write_on_repogroup.true',
  'hg.create.write_on_repogroup.false',
  'hg.fork.none',
  'hg.fork.repository',
  'hg.register.none',
  'hg.register.manual_activate',
  'hg.register.auto_activate',
  'hg.password_reset.enabled',
  'hg.password_reset.hidden',
  'hg.password_reset.disabled',
  'hg.extern_activate.manual',
  'hg.extern_activate.auto',
  'hg.inherit_default_perms.false',
  'hg.inherit_default_perms.true',
];

/** The default user's permissions on a fresh install (Permission.DEFAULT_USER_PERMISSIONS). */
export const DEFAULT_USER_PERMISSIONS: readonly string[] = [
  'repository.read',
  'group.read',
  'usergroup.read',
  'branch.push_force',
  'hg.create.repository',
  'hg.repogroup.create.false',
  'hg.usergroup.create.false',
  'hg.create.write_on_repogroup.true',
  'hg.fork.repository',
  'hg.register.manual_activate',
  'hg.password_reset.enabled',
  'hg.extern_activate.auto',
  'hg.inherit_default_perms.true',
];

export interface RhodeCodeSeed {
  readonly users?: readonly {
    username: string;
    email?: string | null;
    admin?: boolean;
    active?: boolean;
    firstname?: string;
    lastname?: string;
    globalPerms?: string[];
    tokens?: readonly { token?: string; role?: string }[];
  }[];
  readonly userGroups?: readonly { name: string; owner: string; description?: string; members?: string[] }[];
  readonly repos?: readonly { name: string; owner: string; type?: string; private?: boolean; description?: string }[];
  readonly repoGroups?: readonly { name: string; owner: string; description?: string }[];
}

/** The token roles an API call accepts. */
const API_TOKEN_ROLES: readonly string[] = [ROLE.api, ROLE.all];

type SavedPair = { readonly left: number; readonly right: number; readonly payload: string | true };

/** A state the mock saved (GET /__accord/state, --state): its tables as they were, fed back as a seed. */
export interface RhodeCodeSaved {
  readonly users: readonly UserRow[];
  readonly tokens: readonly TokenRow[];
  readonly userGroups?: readonly UserGroupRow[];
  readonly repos?: readonly Omit<RepoRow, 'createdOn'>[];
  readonly repoGroups?: readonly RepoGroupRow[];
  readonly members?: readonly SavedPair[];
  readonly userPerms?: Readonly<Partial<Record<ObjectKind, readonly SavedPair[]>>>;
  readonly groupPerms?: Readonly<Partial<Record<ObjectKind, readonly SavedPair[]>>>;
}

export function isSaved(seed: RhodeCodeSeed | RhodeCodeSaved): seed is RhodeCodeSaved {
  return Array.isArray((seed as RhodeCodeSaved).tokens);
}

/** A fresh install: the `default` user, a super-admin `admin` and a plain `developer`, one repository, one repository group. */
export const FRESH_INSTALL: RhodeCodeSeed = {
  users: [
    {
      username: 'default',
      email: 'anonymous@rhodecode.org',
      firstname: 'Anonymous',
      lastname: 'User',
      globalPerms: [...DEFAULT_USER_PERMISSIONS],
      tokens: [],
    },
    {
      username: 'admin',
      email: 'admin@example.com',
      admin: true,
      firstname: 'RhodeCode',
      lastname: 'Admin',
      tokens: [{ role: ROLE.all }],
    },
    {
      username: 'developer',
      email: 'developer@example.com',
      firstname: 'Dev',
      lastname: 'Eloper',
      tokens: [{ role: ROLE.api }],
    },
  ],
  repoGroups: [{ name: 'demo-group', owner: 'admin', description: 'A repository group' }],
  repos: [{ name: 'demo-repo', owner: 'admin', description: 'A repository' }],
};

export function newToken(): string {
  return randomHex(20);
}

/**
 * `2016-07-28T12:34:56.123`: ISO-8601 without a zone, cut to milliseconds, and no fraction at all when it
 * is zero (rhodecode/lib/ext_json.py: `isoformat()`, then `[:23]` only `if o.microsecond`).
 */
export function formatDatetime(date: Date): string {
  return date
    .toISOString()
    .replace('Z', '')
    .replace(/\.000$/, '');
}

/**
 * Python 2's str() of a float (12 significant digits, ".0" when whole): how Repository.locked stores the
 * lock time, `':'.join(map(str, [user_id, time, reason]))` (rhodecode/model/db.py).
 */
export function pyFloatStr(n: number): string {
  const s = String(Number(n.toPrecision(12)));
  return /[.e]/.test(s) ? s : `${s}.0`;
}

export class RhodeCodeState {
  readonly users = new Table<UserRow>('users', { ids: 'counter', unique: ['username'] })
    // Emails are unique in practice but not by constraint: lookups by the stored one, and by any, lower-cased.
    .indexBy('email', (u) => (u.email === null ? [] : [u.email]))
    .indexBy('any-email', (u) =>
      [u.email, ...u.extraEmails].filter((e): e is string => typeof e === 'string').map((e) => e.toLowerCase()),
    )
    // create_or_update finds a user by name case-insensitively: without a scan of every user.
    .indexBy('folded-name', (u) => [u.username.toLowerCase()])
    // Super-admins are listed in every object's permissions: found without a scan of every user.
    .indexBy('admin', (u) => (u.admin ? [true] : []));
  readonly tokens = new Table<TokenRow>('user_api_keys', { ids: 'counter', unique: ['token'] }).indexBy('user', (t) => [
    t.userId,
  ]);
  readonly userGroups = new Table<UserGroupRow>('users_groups', { ids: 'counter', unique: ['name'] });
  readonly repos = new Table<RepoRow>('repositories', { ids: 'counter', unique: ['name'] });
  readonly repoGroups = new Table<RepoGroupRow>('groups', { ids: 'counter', unique: ['name'] });
  /** user group → member user */
  readonly members = new Relation<true>('users_groups_members');
  /** object → user, with the permission (UserUserGroupToPerm, UserRepoToPerm, UserRepoGroupToPerm) */
  readonly userPerms: Readonly<Record<ObjectKind, Relation<string>>> = {
    usergroup: new Relation<string>('user_user_group_to_perm'),
    repo: new Relation<string>('repo_to_perm'),
    repogroup: new Relation<string>('user_repo_group_to_perm'),
  };
  /** object → user group, with the permission (the target group, for user groups on user groups) */
  readonly groupPerms: Readonly<Record<ObjectKind, Relation<string>>> = {
    usergroup: new Relation<string>('user_group_user_group_to_perm'),
    repo: new Relation<string>('users_group_repo_to_perm'),
    repogroup: new Relation<string>('users_group_repo_group_to_perm'),
  };

  /** Makes auth tokens: random, or from a counter when the dialect runs with `fixed`. */
  readonly newToken: () => string;

  constructor(
    seed: RhodeCodeSeed | RhodeCodeSaved,
    tokens: { admin?: string; user?: string } = {},
    makeToken: () => string = newToken,
  ) {
    this.newToken = makeToken;
    if (isSaved(seed)) {
      this.#restore(seed, tokens);
      return;
    }
    // A token given on the command line (--admin-token, --user-token) is the first API token of the first
    // super-admin and of `developer`, over what the seed says, as a saved state's (#restore).
    const unused = { ...tokens };
    for (const u of seed.users ?? []) {
      const row = this.addUser({
        username: u.username,
        email: u.email ?? null,
        admin: u.admin ?? false,
        active: u.active ?? true,
        firstname: u.firstname ?? '',
        lastname: u.lastname ?? '',
      });
      if (u.globalPerms) this.users.update(row.id, { globalPerms: u.globalPerms });
      const whose = u.admin ? 'admin' : u.username === 'developer' ? 'user' : undefined;
      for (const t of u.tokens ?? []) {
        const role = t.role ?? ROLE.api;
        const given = whose && API_TOKEN_ROLES.includes(role) ? unused[whose] : undefined;
        if (given !== undefined) delete unused[whose!];
        this.tokens.insert({ userId: row.id, token: given ?? t.token ?? this.newToken(), role, expires: -1 });
      }
    }
    const idOf = (username: string) => this.users.by('username', username)?.id ?? this.superAdmins()[0]?.id ?? 1;
    for (const g of seed.userGroups ?? []) {
      const row = this.addUserGroup({
        name: g.name,
        description: g.description ?? '',
        active: true,
        ownerId: idOf(g.owner),
        sync: null,
      });
      for (const m of g.members ?? []) this.members.set(row.id, idOf(m), true);
    }
    for (const g of seed.repoGroups ?? [])
      this.addRepoGroup({ name: g.name, description: g.description ?? '', ownerId: idOf(g.owner) });
    for (const r of seed.repos ?? [])
      this.addRepo(
        {
          name: r.name,
          type: r.type ?? 'git',
          private: r.private ?? false,
          description: r.description ?? '',
          ownerId: idOf(r.owner),
        },
        new Date(),
      );
  }

  /** The tables as saved; the tokens given (--admin-token, --user-token) replace the saved ones of admin and developer. */
  #restore(saved: RhodeCodeSaved, tokens: { admin?: string; user?: string }): void {
    for (const u of saved.users) this.users.insert(u);
    for (const t of saved.tokens) this.tokens.insert(t);
    for (const [username, token] of [
      ['admin', tokens.admin],
      ['developer', tokens.user],
    ] as const) {
      const user = this.users.by('username', username);
      const first = user && this.tokensOf(user.id).find((t) => API_TOKEN_ROLES.includes(t.role));
      if (token !== undefined && first) this.tokens.update(first.id, { token });
    }
    for (const g of saved.userGroups ?? []) this.userGroups.insert(g);
    for (const g of saved.repoGroups ?? []) this.repoGroups.insert(g);
    const now = formatDatetime(new Date());
    for (const r of saved.repos ?? []) this.repos.insert({ ...r, createdOn: now });
    for (const p of saved.members ?? []) this.members.set(p.left, p.right, true);
    for (const kind of Object.keys(this.userPerms) as ObjectKind[]) {
      for (const p of saved.userPerms?.[kind] ?? []) this.userPerms[kind].set(p.left, p.right, String(p.payload));
      for (const p of saved.groupPerms?.[kind] ?? []) this.groupPerms[kind].set(p.left, p.right, String(p.payload));
    }
  }

  /** Every relation, token and owner points at rows that exist (no member of a deleted group, no dangling token). */
  consistency(): string[] {
    const problems: string[] = [];
    const objects: Record<ObjectKind, { get(id: number): unknown }> = {
      usergroup: this.userGroups,
      repo: this.repos,
      repogroup: this.repoGroups,
    };
    for (const p of this.members.snapshot()) {
      if (!this.userGroups.get(p.left) || !this.users.get(p.right))
        problems.push(`member (${p.left}, ${p.right}) of a group or user that does not exist`);
    }
    for (const kind of Object.keys(objects) as ObjectKind[]) {
      for (const p of this.userPerms[kind].snapshot()) {
        if (!objects[kind].get(p.left) || !this.users.get(p.right))
          problems.push(`${this.userPerms[kind].name} (${p.left}, ${p.right}) points at a row that does not exist`);
      }
      for (const p of this.groupPerms[kind].snapshot()) {
        if (!objects[kind].get(p.left) || !this.userGroups.get(p.right))
          problems.push(`${this.groupPerms[kind].name} (${p.left}, ${p.right}) points at a row that does not exist`);
      }
    }
    for (const t of this.tokens.all())
      if (!this.users.get(t.userId)) problems.push(`token ${t.id} of user ${t.userId}, who does not exist`);
    for (const table of [this.userGroups, this.repos, this.repoGroups]) {
      for (const row of table.all())
        if (!this.users.get(row.ownerId))
          problems.push(`${table.name} ${row.id} owned by user ${row.ownerId}, who does not exist`);
    }
    return problems;
  }

  get defaultUser(): UserRow | undefined {
    return this.users.by('username', 'default');
  }

  superAdmins(): UserRow[] {
    return this.users
      .find('admin', true)
      .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  }

  /** The default user's global permission of a category (`usergroup.` → `usergroup.read`). */
  defaultPermission(prefix: string): string {
    return this.defaultUser?.globalPerms.find((p) => p.startsWith(prefix)) ?? `${prefix}read`;
  }

  /** A new user, with the feed token every new user gets (UserModel.create_or_update). */
  addUser(
    values: Pick<UserRow, 'username' | 'email' | 'admin' | 'active' | 'firstname' | 'lastname'> & Partial<UserRow>,
  ): UserRow {
    const row = this.users.insert({
      password: null,
      extraEmails: [],
      description: '',
      extern_type: 'rhodecode',
      extern_name: 'rhodecode',
      last_login: null,
      last_activity: null,
      language: null,
      ip_addresses: [],
      globalPerms: [],
      ...values,
      email: values.email === null ? null : values.email.toLowerCase(),
    });
    if (row.username !== 'default')
      this.tokens.insert({ userId: row.id, token: this.newToken(), role: ROLE.feed, expires: -1 });
    return row;
  }

  tokensOf(userId: number): TokenRow[] {
    return this.tokens.find('user', userId).sort((a, b) => a.id - b.id);
  }

  /** A new user group: the default user's permission is copied into it, and the owner gets usergroup.admin. */
  addUserGroup(values: Omit<UserGroupRow, 'id'>): UserGroupRow {
    const row = this.userGroups.insert(values);
    const def = this.defaultUser;
    if (def) this.userPerms.usergroup.set(row.id, def.id, this.defaultPermission('usergroup.'));
    this.userPerms.usergroup.set(row.id, values.ownerId, 'usergroup.admin');
    return row;
  }

  addRepo(values: Pick<RepoRow, 'name' | 'type' | 'private' | 'description' | 'ownerId'>, now: Date): RepoRow {
    const row = this.repos.insert({
      ...values,
      createdOn: formatDatetime(now),
      landingRev: values.type === 'hg' ? 'branch:default' : 'branch:master',
      enableStatistics: false,
      enableLocking: false,
      enableDownloads: false,
      cloneUri: null,
      pushUri: null,
      locked: null,
    });
    const def = this.defaultUser;
    if (def)
      this.userPerms.repo.set(
        row.id,
        def.id,
        values.private ? 'repository.none' : this.defaultPermission('repository.'),
      );
    return row;
  }

  addRepoGroup(values: Omit<RepoGroupRow, 'id'>): RepoGroupRow {
    const row = this.repoGroups.insert(values);
    const def = this.defaultUser;
    if (def) this.userPerms.repogroup.set(row.id, def.id, this.defaultPermission('group.'));
    return row;
  }

  deleteUser(id: number): void {
    this.users.delete(id);
    for (const t of this.tokensOf(id)) this.tokens.delete(t.id);
    this.members.dropRight(id);
    for (const rel of Object.values(this.userPerms)) rel.dropRight(id);
  }

  deleteUserGroup(id: number): void {
    this.userGroups.delete(id);
    this.members.dropLeft(id);
    this.userPerms.usergroup.dropLeft(id);
    this.groupPerms.usergroup.dropLeft(id);
    for (const rel of Object.values(this.groupPerms)) rel.dropRight(id);
  }

  deleteRepo(id: number): void {
    this.repos.delete(id);
    this.userPerms.repo.dropLeft(id);
    this.groupPerms.repo.dropLeft(id);
  }

  deleteRepoGroup(id: number): void {
    this.repoGroups.delete(id);
    this.userPerms.repogroup.dropLeft(id);
    this.groupPerms.repogroup.dropLeft(id);
  }

  snapshot() {
    return {
      users: this.users.snapshot(),
      tokens: this.tokens.snapshot(),
      userGroups: this.userGroups.snapshot(),
      repos: this.repos.snapshot().map(({ createdOn: _c, ...r }) => r),
      repoGroups: this.repoGroups.snapshot(),
      members: this.members.snapshot(),
      userPerms: Object.fromEntries(Object.entries(this.userPerms).map(([k, v]) => [k, v.snapshot()])),
      groupPerms: Object.fromEntries(Object.entries(this.groupPerms).map(([k, v]) => [k, v.snapshot()])),
    };
  }
}
