import {
  ALL_PERMISSIONS,
  DEFAULT_GROUPS,
  defaultPermissionsOf,
  type PermissionDefault,
} from '../../../src/protocols/octoprint/defaults.js';
import { randomHex, secureRandom, type Random } from '../../../src/wire/text.js';
import { Keyed } from '../../directory.js';
import { PyError, type Hashable } from './python.js';

/**
 * An OctoPrint 1.11 install as the mock keeps it: the permissions (core, then bundled plugins), groups
 * keyed as OctoPrint keys them (any hashable JSON value: a key sent as a number stays a number), users by
 * name, the global API key, and the browser sessions of §2.3. Seeded like a server whose first-run wizard
 * made an admin (groups admins and users), plus a plain user; both have keys. Groups and users are rows
 * of mock/directory.ts's Keyed tables, frozen: a change goes through `update` or `set`, which moves the
 * versions the answers kept between requests are stamped with (handlers/access.ts).
 */
export interface GroupState {
  readonly key: Hashable;
  readonly name: unknown;
  readonly description: unknown;
  readonly permissions: readonly string[];
  readonly subgroups: readonly Hashable[];
  /** As sent on create (not coerced); coerced to a bool by update. */
  readonly default: unknown;
  readonly removable: boolean;
  readonly changeable: boolean;
  readonly toggleable: boolean;
}

export interface UserState {
  readonly name: string;
  readonly passwordHash: string;
  readonly active: boolean;
  readonly apikey: string | null;
  readonly groups: readonly Hashable[];
  readonly permissions: readonly string[];
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface BrowserSession {
  readonly user: string;
  readonly mechanism: 'password' | 'remember_me';
  /** Epoch ms when the password was last seen; false after a remember-me login (§2.2 step 3). */
  readonly credentialsSeen: number | false;
}

/**
 * The seed, or a state the mock saved (GET /__accord/state, --state): a user has a plain `password` or
 * the stored `passwordHash`; `groups` replace or add to the default groups, as the state lists them.
 */
export interface OctoPrintSeed {
  readonly globalKey?: string;
  readonly groups?: readonly GroupState[];
  readonly users?: readonly {
    readonly name: string;
    readonly password?: string;
    readonly passwordHash?: string;
    readonly apikey?: string | null;
    readonly groups?: readonly string[];
    readonly permissions?: readonly string[];
    readonly active?: boolean;
    readonly settings?: Record<string, unknown>;
  }[];
}

/** 1.11 user keys: `secrets.token_urlsafe()`, 32 random bytes as 43 base64url characters. */
export function newUserKey(random: Random = secureRandom): string {
  const bytes = random(32);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The global key (api.key): a uuid4 in upper-case hex, as config.yaml gets it on first start. */
export function newGlobalKey(random: Random = secureRandom): string {
  return randomHex(16, random).toUpperCase();
}

/** Salted FNV digest: deterministic, browser-safe; a mock, not a vault (OctoPrint stores a salted hash). */
export function hashPassword(password: string): string {
  let h = 0x811c9dc5;
  for (const c of `accord-salt:${password}`) h = Math.imul(h ^ (c.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return `fnv1a$${h.toString(16).padStart(8, '0')}$${password.length}`;
}

export const FRESH_INSTALL: OctoPrintSeed = {
  users: [
    { name: 'admin', password: 'admin', groups: ['admins', 'users'] },
    { name: 'operator', password: 'operator', groups: ['users'] },
  ],
};

export class OctoPrintState {
  readonly permissions: readonly PermissionDefault[];
  readonly permissionsByKey: ReadonlyMap<string, PermissionDefault>;
  readonly groups = new Keyed<Hashable, GroupState>('groups');
  readonly users = new Keyed<string, UserState>('users');
  readonly sessions = new Map<string, BrowserSession>();
  readonly rememberTokens = new Map<string, string>();
  readonly csrfTokens = new Set<string>();
  globalKey: string;

  constructor(
    seed: OctoPrintSeed = FRESH_INSTALL,
    keys: { globalKey?: string; userKeys?: Readonly<Record<string, string>> } = {},
    /** Where keys and session tokens come from (seeded when the dialect runs with `fixed`). */
    readonly random: Random = secureRandom,
    /** Permission keys this release does not have (an older era's, variants.ts missingCorePermissions). */
    without: ReadonlySet<string> = new Set(),
  ) {
    this.permissions = ALL_PERMISSIONS.filter((p) => !without.has(p.key));
    this.permissionsByKey = new Map(this.permissions.map((p) => [p.key, p]));
    this.globalKey = keys.globalKey ?? seed.globalKey ?? newGlobalKey(random);
    for (const g of DEFAULT_GROUPS) {
      const permissions = defaultPermissionsOf(g.key).filter((p) => !without.has(p));
      this.groups.set(g.key, { ...g, permissions, subgroups: [] });
    }
    for (const g of seed.groups ?? [])
      this.groups.set(g.key, { ...g, permissions: [...g.permissions], subgroups: [...g.subgroups] });
    for (const u of seed.users ?? []) {
      this.users.set(u.name, {
        name: u.name,
        passwordHash: u.passwordHash ?? hashPassword(u.password ?? ''),
        active: u.active ?? true,
        apikey: keys.userKeys?.[u.name] ?? (u.apikey === undefined ? newUserKey(random) : u.apikey),
        groups: [...(u.groups ?? ['users'])],
        permissions: [...(u.permissions ?? [])],
        settings: { ...(u.settings ?? {}) },
      });
    }
  }

  /** Every group a user is in, and every subgroup, exists (deleting a group takes it off every user). */
  consistency(): string[] {
    const problems: string[] = [];
    for (const u of this.users.values())
      for (const g of u.groups)
        if (!this.groups.has(g)) problems.push(`user ${u.name} is in group ${String(g)}, which does not exist`);
    for (const g of this.groups.values())
      for (const sub of g.subgroups)
        if (!this.groups.has(sub))
          problems.push(`group ${String(g.key)} has subgroup ${String(sub)}, which does not exist`);
    return problems;
  }

  /** The user each key last led to: checked on every hit (keys change in place), so it is never stale. */
  readonly #byKey = new Map<string, string>();

  userByKey(apikey: string): UserState | undefined {
    const hit = this.users.get(this.#byKey.get(apikey) ?? '');
    if (hit && hit.apikey === apikey) return hit;
    for (const u of this.users.values()) {
      if (u.apikey !== null && u.apikey === apikey) {
        this.#byKey.set(apikey, u.name);
        return u;
      }
    }
    this.#byKey.delete(apikey);
    return undefined;
  }

  /** Keys Python would drop: only the ones the server knows (`_to_permissions`). */
  knownPermissions(keys: readonly unknown[]): string[] {
    return [...new Set(keys.filter((k): k is string => typeof k === 'string' && this.permissionsByKey.has(k)))];
  }

  knownGroups(keys: readonly unknown[]): Hashable[] {
    return [
      ...new Set(
        keys.filter((k): k is Hashable => (k === null || typeof k !== 'object') && this.groups.has(k as Hashable)),
      ),
    ];
  }

  /** A group's permissions with ADMIN expanded to every permission, and those of its subgroups. */
  effectivePermissions(groupKeys: readonly Hashable[], direct: readonly string[] = []): Set<string> {
    const out = new Set<string>();
    for (const key of this.groupsWithSubgroups(groupKeys))
      for (const p of this.groups.get(key)?.permissions ?? []) out.add(p);
    for (const p of direct) out.add(p);
    // ADMIN holds every permission: listed in declaration order (ADMIN first), as the real server lists them.
    if (out.has('ADMIN')) return new Set(this.permissions.map((p) => p.key));
    return out;
  }

  /** `{"group": [...], "role": [...]}` of groups (with subgroups) and direct permissions; empty types left out. */
  needsOf(groupKeys: readonly Hashable[], direct: readonly string[] = []): Record<string, unknown[]> {
    const groups = this.groupsWithSubgroups(groupKeys);
    const roles = new Set<string>();
    for (const p of this.effectivePermissions(groupKeys, direct))
      for (const r of this.permissionsByKey.get(p)?.roles ?? []) roles.add(r);
    const needs: Record<string, unknown[]> = {};
    if (groups.size > 0) needs['group'] = [...groups];
    if (roles.size > 0) needs['role'] = [...roles];
    return needs;
  }

  /**
   * The groups and, recursively, their subgroups. OctoPrint recurses without a guard: a group that is its own
   * subgroup, directly or through others, makes every record that includes it fail (RecursionError, a 500).
   */
  groupsWithSubgroups(groupKeys: readonly Hashable[]): Set<Hashable> {
    const groups = new Set<Hashable>();
    const path = new Set<Hashable>();
    const visit = (key: Hashable) => {
      if (path.has(key)) throw new PyError('RecursionError: maximum recursion depth exceeded (a subgroup cycle)');
      if (groups.has(key) || !this.groups.has(key)) return;
      groups.add(key);
      path.add(key);
      for (const s of this.groups.get(key)?.subgroups ?? []) visit(s);
      path.delete(key);
    };
    for (const k of groupKeys) visit(k);
    return groups;
  }

  /** Holds ADMIN directly or through a group or subgroup (the same answer as effectivePermissions, without expanding it). */
  isAdminUser(user: UserState): boolean {
    if (user.permissions.includes('ADMIN')) return true;
    // Most admins hold it through a group of their own: found without walking the subgroups.
    for (const key of user.groups) if (this.groups.get(key)?.permissions.includes('ADMIN')) return true;
    const seen = new Set<Hashable>();
    const holds = (key: Hashable): boolean => {
      if (seen.has(key)) return false;
      seen.add(key);
      const g = this.groups.get(key);
      return g !== undefined && (g.permissions.includes('ADMIN') || g.subgroups.some(holds));
    };
    return user.groups.some(holds);
  }

  /** Deleting a group removes it from every user and every other group (§4.2). */
  removeGroup(key: Hashable): void {
    this.groups.delete(key);
    for (const u of [...this.users.values()])
      if (u.groups.includes(key)) this.users.update(u.name, { groups: u.groups.filter((g) => g !== key) });
    for (const g of [...this.groups.values()])
      if (g.subgroups.includes(key)) this.groups.update(g.key, { subgroups: g.subgroups.filter((s) => s !== key) });
  }

  removeUser(name: string): void {
    this.users.delete(name);
    for (const [id, s] of this.sessions) if (s.user === name) this.sessions.delete(id);
    for (const [token, user] of this.rememberTokens) if (user === name) this.rememberTokens.delete(token);
  }

  snapshot() {
    return {
      globalKey: this.globalKey,
      groups: [...this.groups.values()],
      users: [...this.users.values()],
    };
  }
}
