import { randomHex, secureRandom, type Random } from '../../../src/wire/text.js';
import { Keyed } from '../../directory.js';
import { hashPassword } from '../octoprint/state.js';

/**
 * OctoPrint 1.3's users.yaml as the mock keeps it: roles `user` (everyone) and `admin`. Users are rows of
 * mock/directory.ts's Keyed table, frozen: a change goes through `update` or `set`, which moves the version
 * the kept users list is stamped with (handlers/users.ts).
 */
export interface User13State {
  readonly name: string;
  readonly passwordHash: string;
  readonly active: boolean;
  readonly admin: boolean;
  readonly apikey: string | null;
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface Seed13 {
  readonly globalKey?: string;
  /** A plain `password`, or the stored `passwordHash` of a state the mock saved (GET /__accord/state). */
  readonly users?: readonly {
    readonly name: string;
    readonly password?: string;
    readonly passwordHash?: string;
    readonly admin?: boolean;
    readonly apikey?: string | null;
    readonly active?: boolean;
    readonly settings?: Record<string, unknown>;
  }[];
}

/** 1.3 keys: `uuid.uuid4().hex.upper()`. */
export function newKey13(random: Random = secureRandom): string {
  return randomHex(16, random).toUpperCase();
}

export const FRESH_INSTALL_13: Seed13 = {
  users: [
    { name: 'admin', password: 'admin', admin: true },
    { name: 'operator', password: 'operator' },
  ],
};

export class State13 {
  readonly users = new Keyed<string, User13State>('users');
  globalKey: string;

  constructor(
    seed: Seed13 = FRESH_INSTALL_13,
    keys: { globalKey?: string; userKeys?: Readonly<Record<string, string>> } = {},
    /** Where keys come from (seeded when the dialect runs with `fixed`). */
    readonly random: Random = secureRandom,
  ) {
    this.globalKey = keys.globalKey ?? seed.globalKey ?? newKey13(random);
    for (const u of seed.users ?? []) {
      this.users.set(u.name, {
        name: u.name,
        passwordHash: u.passwordHash ?? hashPassword(u.password ?? ''),
        active: u.active ?? true,
        admin: u.admin ?? false,
        apikey: keys.userKeys?.[u.name] ?? (u.apikey === undefined ? newKey13(random) : u.apikey),
        settings: { ...(u.settings ?? {}) },
      });
    }
  }

  /** The user each key last led to: checked on every hit (keys change), so it is never stale. */
  readonly #byKey = new Map<string, string>();

  userByKey(key: string): User13State | undefined {
    const hit = this.users.get(this.#byKey.get(key) ?? '');
    if (hit && hit.apikey === key) return hit;
    for (const u of this.users.values()) {
      if (u.apikey !== null && u.apikey === key) {
        this.#byKey.set(key, u.name);
        return u;
      }
    }
    this.#byKey.delete(key);
    return undefined;
  }

  snapshot() {
    return { globalKey: this.globalKey, users: [...this.users.values()] };
  }
}
