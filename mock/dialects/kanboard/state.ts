import { randomHex } from '../../../src/wire/text.js';
import freshInstall from '../../../fixtures/kanboard/seed.json' with { type: 'json' };
import { Relation, Table } from '../../directory.js';
import { DATABASES, unicodeCiFold, type DatabaseForm } from '../../../src/protocols/kanboard/variants.js';

/**
 * Kanboard's tables as the mock keeps them (kanboard.md §6: the user object is the whole users row).
 * Ids follow SQLite rowids (the highest id is reused after a delete, §8).
 */
export interface UserRow {
  id: number;
  username: string;
  password: string | null;
  is_admin: number;
  is_ldap_user: number;
  name: string | null;
  email: string | null;
  google_id: string | null;
  github_id: string | null;
  notifications_enabled: number;
  timezone: string | null;
  language: string | null;
  disable_login_form: number;
  twofactor_activated: number;
  twofactor_secret: string | null;
  token: string | null;
  notifications_filter: number | null;
  nb_failed_login: number;
  lock_expiration_date: number | null;
  is_project_admin: number;
  gitlab_id: number | null;
  role: string;
  is_active: number;
  avatar_path: string | null;
  api_access_token: string | null;
  filter: string | null;
  theme: string;
}

export interface GroupRow {
  id: number;
  external_id: string | null;
  name: string;
}

export interface ProjectRow {
  id: number;
  name: string;
  is_active: number;
  token: string | null;
  last_modified: number;
  is_public: number;
  is_private: number;
  is_everybody_allowed: number;
  default_swimlane: string;
  show_default_swimlane: number;
  description: string | null;
  identifier: string;
  start_date: string | null;
  end_date: string | null;
  owner_id: number;
  priority_default: number;
  priority_start: number;
  priority_end: number;
  email: string | null;
  predefined_email_subjects: string | null;
  per_swimlane_task_limits: number;
  task_limit: number;
  enable_global_tags: number;
}

/** A relation as a seed file lists it ([left, right(, role)]) or as GET /__accord/state shows it. */
type SeedPair<P> =
  readonly [number, number, P] | { readonly left: number; readonly right: number; readonly payload: P };

/**
 * The seed file (fixtures/kanboard/seed.json), or a state the mock saved (GET /__accord/state, --state):
 * passwords are plain text, or the stored hash as the state shows it.
 */
export interface KanboardSeed {
  /** The application API token; null: a fresh random one, as an install makes. */
  readonly appToken?: string | null;
  readonly users?: readonly (Partial<Omit<UserRow, 'password'>> & { username: string; password?: string | null })[];
  readonly groups?: readonly (Partial<GroupRow> & { name: string })[];
  readonly projects?: readonly (Partial<ProjectRow> & { name: string })[];
  /** [group_id, user_id] */
  readonly groupMembers?: readonly (readonly [number, number] | SeedPair<true>)[];
  /** [project_id, user_id, role] */
  readonly projectUsers?: readonly SeedPair<string>[];
  /** [project_id, group_id, role] */
  readonly projectGroups?: readonly SeedPair<string>[];
}

const pairOf = <P>(
  pair: readonly [number, number, P?] | { left: number; right: number; payload: P },
  fallback: P,
): [number, number, P] =>
  Array.isArray(pair)
    ? [pair[0], pair[1], pair[2] ?? fallback]
    : [(pair as { left: number }).left, (pair as { right: number }).right, (pair as { payload: P }).payload];

/** A password as the state stores it (this mock's bcrypt-shaped hash), not a password to hash. */
export function isStoredHash(password: string | null | undefined): boolean {
  return typeof password === 'string' && /^\$2y\$10\$[./A-Za-z0-9]{53}$/.test(password);
}

/** A fresh Kanboard install (fixtures/kanboard/seed.json): admin/admin with role app-admin, a random token. */
export const FRESH_INSTALL: KanboardSeed = freshInstall as KanboardSeed;

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function bcryptChars(hex: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i += 2)
    out += BCRYPT_ALPHABET[parseInt(hex.slice(i % hex.length, (i % hex.length) + 2), 16) % 64];
  return out;
}

/** FNV-1a over the text, stretched to `bytes` bytes of hex: fast, deterministic, runs in a browser. */
function digestHex(text: string, bytes: number): string {
  let out = '';
  let h = 0x811c9dc5;
  for (let round = 0; out.length < bytes * 2; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, bytes * 2);
}

/**
 * A password hash in bcrypt's shape ($2y$10$ + 22 salt + 31 hash characters), so that clients see the
 * same format as from a real server. It is a salted FNV digest, not bcrypt: this is a mock, not a vault.
 * The salt comes from the user name, so that a seeded state (and the fixtures recorded from it) is the
 * same on every start.
 */
export function hashPassword(password: string, salt: string): string {
  return `$2y$10$${salt}${bcryptChars(digestHex(`${salt}:${password}`, 32), 31)}`;
}

export function saltFor(username: string): string {
  return bcryptChars(digestHex(`salt:${username}`, 22), 22);
}

/**
 * Recent verdicts, by hash then password: a client sends the same credentials with every request (HTTP Basic),
 * and the same two strings (the row's hash, the parsed header's password) are found again without building a
 * key of them. Bounded: all are forgotten past 1024.
 */
const verified = new Map<string, Map<string, boolean>>();
let verdicts = 0;

export function verifyPassword(password: string, hash: string | null): boolean {
  if (!hash || !hash.startsWith('$2y$10$') || hash.length !== 60) return false;
  let byPassword = verified.get(hash);
  const known = byPassword?.get(password);
  if (known !== undefined) return known;
  const ok = hashPassword(password, hash.slice(7, 29)) === hash;
  if (verdicts >= 1024) {
    verified.clear();
    verdicts = 0;
    byPassword = undefined;
  }
  if (!byPassword) verified.set(hash, (byPassword = new Map()));
  byPassword.set(password, ok);
  verdicts++;
  return ok;
}

export function newUserRow(values: {
  username: string;
  password: string | null;
  role: string;
  name?: string | null;
  email?: string | null;
}): Omit<UserRow, 'id'> {
  return {
    username: values.username,
    password: values.password === null ? null : hashPassword(values.password, saltFor(values.username)),
    is_admin: 0,
    is_ldap_user: 0,
    name: values.name === undefined ? '' : values.name,
    email: values.email === undefined ? '' : values.email,
    google_id: null,
    github_id: null,
    notifications_enabled: 0,
    timezone: null,
    language: null,
    disable_login_form: 0,
    twofactor_activated: 0,
    twofactor_secret: null,
    token: '',
    notifications_filter: 4,
    nb_failed_login: 0,
    lock_expiration_date: 0,
    is_project_admin: 0,
    gitlab_id: null,
    role: values.role,
    is_active: 1,
    avatar_path: null,
    api_access_token: null,
    filter: null,
    theme: 'light',
  };
}

export function newProjectRow(
  values: { name: string; owner_id: number; description?: string | null; identifier?: string },
  now: number,
): Omit<ProjectRow, 'id'> {
  return {
    name: values.name,
    is_active: 1,
    token: '',
    last_modified: now,
    is_public: 0,
    is_private: 0,
    is_everybody_allowed: 0,
    default_swimlane: 'Default swimlane',
    show_default_swimlane: 1,
    description: values.description ?? null,
    identifier: values.identifier ?? '',
    start_date: '',
    end_date: '',
    owner_id: values.owner_id,
    priority_default: 0,
    priority_start: 0,
    priority_end: 3,
    // The columns later migrations added, in the order a real SQLite install lists them (email: null unless set).
    email: null,
    predefined_email_subjects: null,
    per_swimlane_task_limits: 0,
    task_limit: 0,
    enable_global_tags: 1,
  };
}

/** How a name compares under utf8mb4_unicode_ci (variants.ts unicodeCiFold). */
export const foldName = unicodeCiFold;

export class KanboardState {
  readonly users: Table<UserRow>;
  readonly groups: Table<GroupRow>;
  readonly projects: Table<ProjectRow>;
  /** group → user */
  readonly groupMembers = new Relation<true>('group_has_users');
  /** project → user, with the role */
  readonly projectUsers = new Relation<string>('project_has_users');
  /** project → group, with the role */
  readonly projectGroups = new Relation<string>('project_has_groups');
  appToken: string;

  constructor(
    seed: KanboardSeed,
    appToken?: string,
    /** The database in play (the variant): how names compare, how ids are handed out. */
    readonly db: DatabaseForm = DATABASES.sqlite,
  ) {
    // SQLite reuses the highest rowid after a delete; PostgreSQL sequences and InnoDB auto-increment never go back.
    const ids = db.sqliteRowids ? 'max-plus-one' : 'counter';
    this.users = new Table<UserRow>('users', { ids, unique: ['username'] }).indexBy('folded', (u) => [
      foldName(u.username),
    ]);
    this.groups = new Table<GroupRow>('groups', { ids, unique: ['name'] }).indexBy('folded', (g) => [foldName(g.name)]);
    this.projects = new Table<ProjectRow>('projects', { ids });
    this.appToken = appToken ?? seed.appToken ?? randomHex(30);
    for (const u of seed.users ?? []) {
      const { password, ...rest } = u;
      const row = newUserRow({
        username: u.username,
        password: isStoredHash(password) ? null : (password ?? null),
        role: u.role ?? 'app-user',
        name: u.name ?? null,
        email: u.email ?? null,
      });
      this.users.insert({ ...row, ...rest, ...(isStoredHash(password) ? { password: password as string } : {}) });
    }
    for (const g of seed.groups ?? []) this.groups.insert({ external_id: '', ...g });
    for (const p of seed.projects ?? [])
      this.projects.insert({ ...newProjectRow({ name: p.name, owner_id: p.owner_id ?? 0 }, 0), ...p });
    for (const pair of seed.groupMembers ?? []) this.groupMembers.set(...pairOf<true>(pair as SeedPair<true>, true));
    for (const pair of seed.projectUsers ?? []) this.projectUsers.set(...pairOf(pair, 'project-member'));
    for (const pair of seed.projectGroups ?? []) this.projectGroups.set(...pairOf(pair, 'project-member'));
  }

  /** The user of this name, as the database's collation compares names. */
  userNamed(name: string): UserRow | undefined {
    return this.db.caseInsensitiveNames
      ? this.users.find('folded', foldName(name))[0]
      : this.users.by('username', name);
  }

  groupNamed(name: string): GroupRow | undefined {
    return this.db.caseInsensitiveNames ? this.groups.find('folded', foldName(name))[0] : this.groups.by('name', name);
  }

  removeUser(id: number): boolean {
    if (!this.users.delete(id)) return false;
    this.groupMembers.dropRight(id);
    this.projectUsers.dropRight(id);
    return true;
  }

  removeGroup(id: number): boolean {
    if (!this.groups.delete(id)) return false;
    this.groupMembers.dropLeft(id);
    this.projectGroups.dropRight(id);
    return true;
  }

  removeProject(id: number): boolean {
    if (!this.projects.delete(id)) return false;
    this.projectUsers.dropLeft(id);
    this.projectGroups.dropLeft(id);
    return true;
  }

  /** Every relation points at rows that exist. */
  consistency(): string[] {
    const problems: string[] = [];
    const check = (
      relation: { name: string; snapshot(): { left: number; right: number }[] },
      left: (id: number) => unknown,
      right: (id: number) => unknown,
    ) => {
      for (const p of relation.snapshot()) {
        if (!left(p.left) || !right(p.right))
          problems.push(`${relation.name} (${p.left}, ${p.right}) points at a row that does not exist`);
      }
    };
    check(
      this.groupMembers,
      (id) => this.groups.get(id),
      (id) => this.users.get(id),
    );
    check(
      this.projectUsers,
      (id) => this.projects.get(id),
      (id) => this.users.get(id),
    );
    check(
      this.projectGroups,
      (id) => this.projects.get(id),
      (id) => this.groups.get(id),
    );
    return problems;
  }

  snapshot() {
    return {
      appToken: this.appToken,
      users: this.users.snapshot(),
      groups: this.groups.snapshot(),
      projects: this.projects.snapshot().map(({ last_modified: _t, ...p }) => p),
      groupMembers: this.groupMembers.snapshot(),
      projectUsers: this.projectUsers.snapshot(),
      projectGroups: this.projectGroups.snapshot(),
    };
  }
}
