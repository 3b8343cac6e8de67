import { ADMIN, maskOf, userInfoScopes } from '../../../src/protocols/nymea/scopes.js';
import { randomHex } from '../../../src/wire/text.js';
import { Table } from '../../directory.js';

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

/** The seed file: users with plain-text passwords and scope names, and things their allowedThingIds may name. */
export interface NymeaSeed {
  readonly name?: string;
  readonly uuid?: string;
  readonly users?: readonly {
    readonly username: string;
    readonly password: string;
    readonly email?: string;
    readonly displayName?: string;
    /** Absent: an admin. */
    readonly scopes?: readonly string[];
    readonly allowedThingIds?: readonly string[];
  }[];
  readonly things?: readonly string[];
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

/** A salted digest (a mock, not a vault). The push-button user's empty password matches nothing. */
export function hashPassword(password: string, salt = randomHex(8)): string {
  return password === '' ? '' : `${salt}:${digest(`${salt}:${password}`)}`;
}

export function verifyPassword(password: string, hash: string): boolean {
  const [salt] = hash.split(':');
  return hash !== '' && salt !== undefined && hashPassword(password, salt) === hash;
}

/** 44 characters of base64 ending in `=`, as nymea's (a SHA-256 of a random UUID, base64-encoded). */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes));
}

/** A UUID without braces, lower-case, as Qt writes one inside objects. */
export function normaliseUuid(value: string): string {
  return value.replace(/^\{/, '').replace(/\}$/, '').toLowerCase();
}

export class NymeaState {
  readonly users = new Table<UserRow>('users', { ids: 'counter', unique: ['username'] });
  readonly tokens = new Table<TokenRow>('tokens', { ids: 'counter', unique: ['token', 'uuid'] });
  readonly things: ReadonlySet<string>;
  readonly name: string;
  /** The server UUID, with braces (Hello writes it so). */
  readonly uuid: string;
  /** One server-wide counter for broadcast notifications, from 0 (nymea.md §2). */
  notificationId = 0;
  /** Push-button transactions count from 1. */
  transactionId = 0;

  constructor(seed: NymeaSeed) {
    this.name = seed.name ?? 'nymea';
    this.uuid = `{${normaliseUuid(seed.uuid ?? crypto.randomUUID())}}`;
    this.things = new Set((seed.things ?? []).map(normaliseUuid));
    for (const u of seed.users ?? []) {
      this.addUser({
        username: u.username.toLowerCase(),
        password: u.password,
        email: u.email ?? '',
        displayName: u.displayName ?? '',
        scopes: u.scopes === undefined ? ADMIN : maskOf(u.scopes),
        allowedThingIds: [...(u.allowedThingIds ?? [])],
      });
    }
  }

  /** No users and no tokens: only the setup methods get through (nymea.md §3 step 5a). */
  get initRequired(): boolean {
    return this.users.size === 0 && this.tokens.size === 0;
  }

  addUser(values: Omit<UserRow, 'id' | 'password'> & { password: string }): UserRow {
    return this.users.insert({ ...values, password: hashPassword(values.password), allowedThingIds: this.knownThings(values.allowedThingIds) });
  }

  /** allowedThingIds that name no thing are dropped without a word (nymea.md §6 CreateUser). */
  knownThings(ids: readonly unknown[]): string[] {
    return ids.filter((id): id is string => typeof id === 'string').map(normaliseUuid).filter((id) => this.things.has(id));
  }

  /** Exact match on the stored (lower-case) name. */
  user(username: string): UserRow | undefined {
    return this.users.by('username', username);
  }

  issueToken(username: string, deviceName: string): TokenRow {
    return this.tokens.insert({ uuid: crypto.randomUUID(), token: newToken(), username, deviceName, creationTime: Math.floor(Date.now() / 1000) });
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

  tokensOf(username: string): TokenRow[] {
    return this.tokens.all().filter((t) => t.username === username);
  }

  removeUser(username: string): boolean {
    const user = this.user(username);
    if (!user) return false;
    this.users.delete(user.id);
    for (const t of this.tokensOf(username)) this.tokens.delete(t.id);
    return true;
  }

  snapshot() {
    return {
      name: this.name,
      uuid: this.uuid,
      users: this.users.snapshot().map(({ password: _p, ...u }) => ({ ...u, scopes: userInfoScopes(u.scopes) })),
      tokens: this.tokens.snapshot().map(({ token, ...t }) => ({ ...t, token: `${token.slice(0, 6)}…` })),
      notificationId: this.notificationId,
      transactionId: this.transactionId,
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

