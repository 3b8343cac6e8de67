import { ADMIN, maskOf, userInfoScopes } from '../../../src/protocols/nymea/scopes.js';
import { secureRandom } from '../../../src/wire/text.js';
import { Table } from '../../directory.js';
import { DialectOptionError } from '../../dialect.js';

/**
 * nymea's user database as the mock keeps it (nymea.md §4, §6): users (names stored lower-cased), tokens
 * (never expire; removed with RemoveToken or with their user), the server's identity and counters.
 */
export interface UserRow {
  id: number;
  /** Stored lower-cased; the push-button user is `""`. */
  username: string;
  /** Salted digest; `""` for the push-button user, who has no password. */
  password: string;
  email: string;
  displayName: string;
  /** PermissionScope bits. */
  scopes: number;
  allowedThingIds: string[];
}

export interface TokenRow {
  id: number;
  /** The token's own id: a UUID, written without braces. */
  uuid: string;
  token: string;
  username: string;
  deviceName: string;
  /** Unix seconds. */
  creationTime: number;
}

/**
 * The seed file: users with plain-text passwords and scope names, and things their allowedThingIds may
 * name; or a state the mock saved (GET /__accord/state, --state), whose users have the stored
 * `passwordHash` and whose tokens keep their id and time.
 */
export interface NymeaSeed {
  readonly name?: string;
  readonly uuid?: string;
  /**
   * Is a push-button agent there (Hello's pushButtonAuthAvailable)? Default true: this mock has a button,
   * pressed through the control endpoint. A nymead without one (no D-Bus agent) says false.
   */
  readonly pushButton?: boolean;
  readonly users?: readonly {
    readonly username: string;
    readonly password?: string;
    readonly passwordHash?: string;
    readonly email?: string;
    readonly displayName?: string;
    /** Absent: an admin. */
    readonly scopes?: readonly string[];
    readonly allowedThingIds?: readonly string[];
  }[];
  readonly things?: readonly string[];
  /** Tokens issued earlier (a phone, a panel), by user; the token text is generated when left out. */
  readonly tokens?: readonly {
    readonly username: string;
    readonly deviceName: string;
    readonly token?: string;
    readonly uuid?: string;
    readonly creationTime?: number;
  }[];
}

/** A fresh install: no users, so the initial setup is required. */
export const FRESH_INSTALL: NymeaSeed = {};

function digest(text: string): string {
  let h = 0x811c9dc5;
  let out = '';
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

/**
 * A salted digest (a mock, not a vault). The push-button user's empty password matches nothing. The salt
 * comes from the user name: setting the same password again stores the same hash, so a run that changes a
 * password and puts it back leaves the saved state (GET /__accord/state) as it was.
 */
export function saltFor(username: string): string {
  return digest(`salt:${username}`).slice(0, 16);
}

export function hashPassword(password: string, salt: string): string {
  return password === '' ? '' : `${salt}:${digest(`${salt}:${password}`)}`;
}

export function verifyPassword(password: string, hash: string): boolean {
  const [salt] = hash.split(':');
  return hash !== '' && salt !== undefined && hashPassword(password, salt) === hash;
}

/** 44 characters of base64 ending in `=`, as nymea's (a SHA-256 of a random UUID, base64-encoded). */
export function newToken(): string {
  const bytes = secureRandom(32);
  return btoa(String.fromCharCode(...bytes));
}

/** What a fixed state (fixtures are recorded with one) uses instead of randomness and the clock. */
const FIXED_UUID = '6b1f0a52-1c3e-4c8e-9a5d-000000000001';
const FIXED_NOW = 1_700_000_000;

/** The n-th token and token id of a fixed state: the same shapes as real ones, the same every run. */
function fixedToken(n: number): { token: string; uuid: string } {
  const hex = digest(`token-${n}`);
  const bytes = Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
  return {
    token: btoa(String.fromCharCode(...bytes, ...bytes)),
    uuid: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`,
  };
}

/** A UUID without braces, lower-case, as Qt writes one inside objects. */
export function normaliseUuid(value: string): string {
  return value.replace(/^\{/, '').replace(/\}$/, '').toLowerCase();
}

export class NymeaState {
  readonly users = new Table<UserRow>('users', { ids: 'counter', unique: ['username'] });
  readonly tokens = new Table<TokenRow>('tokens', { ids: 'counter', unique: ['token', 'uuid'] }).indexBy(
    'user',
    (t) => [t.username],
  );
  readonly things: ReadonlySet<string>;
  readonly name: string;
  /** The server UUID, with braces (Hello writes it so). */
  readonly uuid: string;
  /** One server-wide counter for broadcast notifications, from 0 (nymea.md §2). */
  notificationId = 0;
  /** Push-button transactions count from 1. */
  transactionId = 0;

  /** Fixed: no randomness and a stopped clock, so that recordings are the same every run. */
  readonly #fixed: boolean;

  constructor(seed: NymeaSeed, options: { readonly fixed?: boolean } = {}) {
    this.#fixed = options.fixed === true;
    this.name = seed.name ?? 'nymea';
    this.uuid = `{${normaliseUuid(seed.uuid ?? (this.#fixed ? FIXED_UUID : crypto.randomUUID()))}}`;
    this.things = new Set((seed.things ?? []).map(normaliseUuid));
    for (const u of seed.users ?? []) {
      const row = this.addUser({
        username: u.username.toLowerCase(),
        password: u.password ?? '',
        email: u.email ?? '',
        displayName: u.displayName ?? '',
        scopes: u.scopes === undefined ? ADMIN : maskOf(u.scopes),
        allowedThingIds: [...(u.allowedThingIds ?? [])],
      });
      if (u.passwordHash !== undefined) this.users.update(row.id, { password: u.passwordHash });
    }
    for (const t of seed.tokens ?? []) {
      if (!this.user(t.username.toLowerCase()))
        throw new DialectOptionError(`the seed has a token of ${t.username}, who is not among its users`);
      const row = this.issueToken(t.username.toLowerCase(), t.deviceName);
      this.tokens.update(row.id, {
        ...(t.token !== undefined ? { token: t.token } : {}),
        ...(t.uuid !== undefined ? { uuid: t.uuid } : {}),
        ...(t.creationTime !== undefined ? { creationTime: t.creationTime } : {}),
      });
    }
  }

  /** No users and no tokens: only the setup methods get through (nymea.md §3 step 5a). */
  get initRequired(): boolean {
    return this.users.size === 0 && this.tokens.size === 0;
  }

  addUser(values: Omit<UserRow, 'id' | 'password'> & { password: string }): UserRow {
    return this.users.insert({
      ...values,
      password: hashPassword(values.password, saltFor(values.username)),
      allowedThingIds: this.knownThings(values.allowedThingIds),
    });
  }

  /** allowedThingIds that name no thing are dropped without a word (nymea.md §6 CreateUser). */
  knownThings(ids: readonly unknown[]): string[] {
    return ids
      .filter((id): id is string => typeof id === 'string')
      .map(normaliseUuid)
      .filter((id) => this.things.has(id));
  }

  /** Exact match on the stored (lower-case) name. */
  user(username: string): UserRow | undefined {
    return this.users.by('username', username);
  }

  issueToken(username: string, deviceName: string): TokenRow {
    if (this.#fixed)
      return this.tokens.insert({ ...fixedToken(this.tokens.nextId()), username, deviceName, creationTime: FIXED_NOW });
    return this.tokens.insert({
      uuid: crypto.randomUUID(),
      token: newToken(),
      username,
      deviceName,
      creationTime: Math.floor(Date.now() / 1000),
    });
  }

  /** A token is looked up only if it is made of base64/url-safe characters (nymea.md §4 Tokens). */
  tokenRow(token: string): TokenRow | undefined {
    if (token === '' || !/^[A-Za-z0-9_+,\-./=]+$/.test(token)) return undefined;
    return this.tokens.by('token', token);
  }

  /** The user a token belongs to, when both exist. */
  userOfToken(token: string): UserRow | undefined {
    const row = this.tokenRow(token);
    return row ? this.user(row.username) : undefined;
  }

  /** A user's tokens in the order they were issued, without a scan of everyone's. */
  tokensOf(username: string): TokenRow[] {
    return this.tokens.find('user', username).sort((a, b) => a.id - b.id);
  }

  removeUser(username: string): boolean {
    const user = this.user(username);
    if (!user) return false;
    this.users.delete(user.id);
    for (const t of this.tokensOf(username)) this.tokens.delete(t.id);
    return true;
  }

  /** Invariants the real database keeps (nymea.md §6): names stored lower-cased, no token without its user. */
  consistency(): string[] {
    const problems: string[] = [];
    for (const u of this.users.all()) {
      if (u.username !== u.username.toLowerCase()) problems.push(`user ${u.username} is not stored lower-cased`);
      for (const thing of u.allowedThingIds)
        if (!this.things.has(thing))
          problems.push(`user ${u.username} is allowed thing ${thing}, which does not exist`);
    }
    for (const t of this.tokens.all())
      if (!this.user(t.username)) problems.push(`token ${t.uuid} belongs to ${t.username}, who does not exist`);
    return problems;
  }

  /** The database as a person would inspect it (no counters or connections: a run leaves those moved). */
  snapshot() {
    return {
      name: this.name,
      uuid: this.uuid,
      things: [...this.things],
      users: this.users
        .snapshot()
        .map(({ password, ...u }) => ({ ...u, passwordHash: password, scopes: userInfoScopes(u.scopes) })),
      tokens: this.tokens.snapshot(),
    };
  }
}

/** `UserInfo` as the server writes it: all five keys, always (nymea.md §6 Object shapes). */
export function userInfo(user: UserRow | undefined): Record<string, unknown> {
  return {
    allowedThingIds: user?.allowedThingIds ?? [],
    displayName: user?.displayName ?? '',
    email: user?.email ?? '',
    scopes: user ? userInfoScopes(user.scopes) : [],
    username: user?.username ?? '',
  };
}

export function tokenInfo(token: TokenRow): Record<string, unknown> {
  return { creationTime: token.creationTime, deviceName: token.deviceName, id: token.uuid, username: token.username };
}
