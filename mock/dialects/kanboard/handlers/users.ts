import { phpTrim } from '../../../../src/protocols/kanboard/records.js';
import { newUserRow, type UserRow } from '../state.js';
import { phpString, ProcedureError, sqlId, type Procedure, type ProcedureContext } from '../handler.js';
import { emptyUpdate, notNullViolation, userOut } from '../database.js';
import { nameOrder } from '../../../../src/protocols/kanboard/variants.js';
import { APP_ROLES } from '../../../../src/protocols/kanboard/records.js';
import { RawJson } from '../../../../src/wire/ordered-json.js';
import { keptList } from '../../../../src/wire/written.js';
import { SerialCache } from '../../../serial-cache.js';
import type { KanboardState } from '../state.js';

/** UserProcedure (kanboard.md §6 Users). */
const CLASS = 'UserProcedure';
const APP_ROLE_NAMES = new Set<string>(APP_ROLES);
// PHP's FILTER_VALIDATE_EMAIL, near enough for the cases that matter: one @, a dot in the domain, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function findUser(ctx: ProcedureContext, idParam: unknown): UserRow | undefined {
  const id = sqlId(ctx, idParam);
  return id === undefined ? undefined : ctx.state.users.get(id);
}

/** A users row as the database sends it (or null). */
const out = (ctx: ProcedureContext, row: UserRow | undefined) => (row ? userOut(ctx.state.db, row) : null);

/**
 * getAllUsers from kept texts (mock/serial-cache.ts): a row as the database sends it is made of the row and
 * the database in play (fixed for a state's life), kept under the row's version; the list under the table's
 * (mock/directory.ts moves both on every write to the users).
 */
const kept = new WeakMap<
  KanboardState,
  { readonly rows: SerialCache<number, RawJson>; readonly lists: SerialCache<'all', readonly RawJson[]> }
>();

function allUsers(ctx: ProcedureContext): readonly RawJson[] {
  const { state } = ctx;
  let k = kept.get(state);
  if (!k) kept.set(state, (k = { rows: new SerialCache(), lists: new SerialCache() }));
  const { rows } = k;
  const row = (u: UserRow) =>
    rows.text(u.id, `${state.users.versionOf(u.id)}`, () => new RawJson(JSON.stringify(userOut(state.db, u))));
  const order = nameOrder(state.db);
  const list = k.lists.text('all', `${state.users.version}`, () =>
    keptList(
      state.users
        .all()
        .sort((a, b) => order(a.username, b.username))
        .map(row),
    ),
  );
  rows.prune(state.users.size, (id) => state.users.get(id) !== undefined);
  return list;
}

export const userProcedures: Readonly<Record<string, Procedure>> = {
  getUser: {
    className: CLASS,
    run: (ctx, { user_id }) => out(ctx, findUser(ctx, user_id)),
  },
  getUserByName: {
    className: CLASS,
    run: (ctx, { username }) => {
      const name = phpString(username);
      return out(ctx, name === null ? undefined : ctx.state.userNamed(name));
    },
  },
  getAllUsers: {
    className: CLASS,
    run: (ctx) => allUsers(ctx),
  },
  createUser: {
    className: CLASS,
    run: (ctx, args) => {
      const username = phpString(args['username']);
      const password = phpString(args['password']);
      const name = phpString(args['name']);
      const email = phpString(args['email']);
      const role = phpString(args['role']);
      // "   " passes the required check and is stored trimmed, as "" (kanboard.md §8).
      if (username === null || username === '' || username.length > 191) return false;
      const trimmed = phpTrim(username);
      if (ctx.state.userNamed(trimmed)) return false;
      if (password === null || password.length < 6) return false;
      if (email !== null && email !== '' && !EMAIL.test(email)) return false;
      const row = {
        ...newUserRow({ username: trimmed, password, role: role ?? '', name: name ?? '', email: email ?? '' }),
        lock_expiration_date: ctx.state.db.newUserLockExpiration,
      };
      // The validator lets a null role through; SQLite's and MySQL's INSERT fail quietly, PostgreSQL raises 23502.
      if (role === null && ctx.state.db.strictSql) {
        const id = ctx.state.users.consumeId();
        throw notNullViolation('users', 'role', { id, ...userOut(ctx.state.db, { ...row, role: null }) });
      }
      if (role === null || !APP_ROLE_NAMES.has(role)) return false;
      return ctx.state.users.insert(row).id;
    },
  },
  createLdapUser: {
    className: CLASS,
    run: () => {
      throw new ProcedureError('LDAP server not configured, check the parameter LDAP_SERVER');
    },
  },
  updateUser: {
    className: CLASS,
    run: (ctx, args) => {
      const id = sqlId(ctx, args['id']);
      const changes: Record<string, string> = {};
      // filterValues(): a null field counts as absent.
      for (const field of ['username', 'name', 'email', 'role'] as const) {
        const value = phpString(args[field]);
        if (value !== null) changes[field] = value;
      }
      const { username, email, role } = changes;
      if (username !== undefined) {
        const holder = ctx.state.userNamed(username);
        if (username === '' || (holder && holder.id !== id)) return false;
      }
      if (email !== undefined && email !== '' && !EMAIL.test(email)) return false;
      if (role !== undefined && !APP_ROLE_NAMES.has(role)) return false;
      // An UPDATE with no column is invalid SQL: the exception text comes back as error code 0.
      if (Object.keys(changes).length === 0) throw emptyUpdate(ctx.state.db, 'users', args['id']);
      if (id !== undefined) ctx.state.users.update(id, changes);
      return true;
    },
  },
  removeUser: {
    className: CLASS,
    run: (ctx, { user_id }) => {
      const id = sqlId(ctx, user_id);
      return id === undefined ? false : ctx.state.removeUser(id);
    },
  },
  disableUser: {
    className: CLASS,
    run: (ctx, { user_id }) => {
      const user = findUser(ctx, user_id);
      if (user) ctx.state.users.update(user.id, { is_active: 0 });
      return true;
    },
  },
  enableUser: {
    className: CLASS,
    run: (ctx, { user_id }) => {
      const user = findUser(ctx, user_id);
      if (user) ctx.state.users.update(user.id, { is_active: 1 });
      return true;
    },
  },
  isActiveUser: {
    className: CLASS,
    run: (ctx, { user_id }) => findUser(ctx, user_id)?.is_active === 1,
  },
};
