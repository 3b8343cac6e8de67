import { phpTrim } from '../../../../src/protocols/kanboard/records.js';
import { newUserRow, type UserRow } from '../state.js';
import {
  boundText,
  Fatal,
  phpString,
  ProcedureError,
  sqlId,
  type Procedure,
  type ProcedureContext,
} from '../handler.js';
import { checkLengths, checkUpdateLengths, emptyUpdate, notNullViolation, sqlText, userOut } from '../database.js';
import { nameOrder } from '../../../../src/protocols/kanboard/variants.js';
import { APP_ROLES } from '../../../../src/protocols/kanboard/records.js';
import { RawJson } from '../../../../src/wire/ordered-json.js';
import { keptList } from '../../../../src/wire/written.js';
import { SerialCache } from '../../../serial-cache.js';
import type { KanboardState } from '../state.js';

/** UserProcedure (kanboard.md §6 Users). */
const CLASS = 'UserProcedure';
const APP_ROLE_NAMES = new Set<string>(APP_ROLES);

/** What PHP makes of a value bound to SQL (arrays: "Array"); null stays null. */
const bound = (value: unknown): string | null => (value === null || value === undefined ? null : boundText(value));
/** SimpleValidator's isFieldNotEmpty: set, and not "". */
const given = (value: unknown) => value !== null && value !== undefined && value !== '';

const alnum = (c: string) => /^[A-Za-z0-9]$/.test(c);
const LOCAL_EXTRA = new Set([...".!#$%&'*+-/=?^_`{|}~"]);
/**
 * SimpleValidator's Email rule (Firefox's check, ported as it is): an array is a TypeError (strlen), a
 * number or true fails; any non-ASCII character fails, as PHP's byte-wise ctype_alnum does.
 */
function emailValid(value: unknown): boolean {
  if (!given(value)) return true;
  if (typeof value === 'object') throw new Fatal('TypeError');
  if (typeof value !== 'string') return false;
  const length = value.length;
  if (value[0] === '@' || value[length - 1] === '.') return false;
  let i = 0;
  for (; i < length && value[i] !== '@'; ++i) if (!(alnum(value[i]!) || LOCAL_EXTRA.has(value[i]!))) return false;
  if (++i >= length) return false;
  if (i + 1 === length) return false;
  if (value[i] === '.') return false;
  for (; i < length; ++i) {
    const c = value[i]!;
    if (c === '.') {
      if (value[i - 1] === '.') return false;
    } else if (!(alnum(c) || c === '-')) return false;
  }
  return true;
}

/** InArray('role', roles): in_array's loose ==, so true matches any role; "" and null are not checked. */
function roleValid(value: unknown): boolean {
  if (!given(value)) return true;
  if (value === true) return true;
  return typeof value === 'string' && APP_ROLE_NAMES.has(value);
}

/** PHP 8's `0 == $value`: what UserSession::getId() (0 for the application) equals. */
function equalsZero(value: unknown): boolean {
  if (value === 0 || value === false) return true;
  return (
    typeof value === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(value) && Number(value) === 0
  );
}

/** `parameter`: where the id sits in the first statement (PostgreSQL names it when the id is not an integer). */
function findUser(ctx: ProcedureContext, idParam: unknown, parameter = 1): UserRow | undefined {
  const id = sqlId(ctx, idParam, parameter);
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
  const list = k.lists.textUnlessWritten(
    'all',
    () => `${state.users.version}`,
    () =>
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
      // An array binds as "Array" (no TypeError: nothing but PDO reads it).
      const name = sqlText(ctx.state.db, bound(username));
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
      const name = bound(args['name']);
      const email = bound(args['email']);
      const role = bound(args['role']);
      // "   " passes the required check and is stored trimmed, as "" (kanboard.md §8); before 1.2.27 nothing
      // trims it (variants.ts ReleaseForm.trimsUsername). MaxLength counts characters (mb_strlen), not UTF-16 units.
      if (username === null || username === '' || [...username].length > 191) return false;
      const { db } = ctx.state;
      // Unique('username') looks up the name as sent; UserModel::prepare trims it only afterwards.
      if (ctx.state.userNamed(sqlText(db, username))) return false;
      if (password === null || [...password].length < 6) return false;
      if (!emailValid(args['email']) || !roleValid(args['role'])) return false;
      const trimmed = sqlText(db, db.release.trimsUsername ? phpTrim(username) : username);
      const row = {
        ...newUserRow({
          username: trimmed,
          password,
          role: sqlText(db, role) ?? '',
          name: sqlText(db, name) ?? '',
          email: sqlText(db, email) ?? '',
        }),
        lock_expiration_date: db.newUserLockExpiration,
      };
      // INSERT INTO users (username, password, name, email, role). The validator lets a null role through:
      // SQLite's and MariaDB's INSERT fail with SQLSTATE 23000 (false); MariaDB stops at the first bad field.
      const texts = [
        ['username', row.username],
        ['name', row.name],
        ['email', row.email],
        ['role', role === null ? null : row.role],
      ] as const;
      // An overlong text: MariaDB before it allocates an id, PostgreSQL when it plans (before nextval()).
      checkLengths(db, 'users', texts);
      if (role === null && !db.strictSql) return false;
      // PostgreSQL's nextval() ran: it raises 23502, with the row it would have stored.
      if (role === null) {
        const id = ctx.state.users.consumeId();
        throw notNullViolation('users', 'role', { id, ...userOut(db, { ...row, role: null }) });
      }
      // A name taken only once trimmed: the unique key refuses the INSERT (false), and the id is used up.
      if (ctx.state.userNamed(trimmed)) {
        if (db.duplicateKeyUsesId) ctx.state.users.consumeId();
        return false;
      }
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
      // filterValues(): a null field counts as absent.
      const values: Record<string, unknown> = {};
      for (const field of ['id', 'username', 'name', 'email', 'role'] as const)
        if (args[field] !== null && args[field] !== undefined) values[field] = args[field];
      // validateApiModification runs every rule: Required('id'), MaxLength and Unique('username'), Email, InArray('role').
      let valid = given(values['id']);
      const username = values['username'];
      const { db } = ctx.state;
      if (given(username)) {
        if (typeof username === 'object') throw new Fatal('TypeError'); // mb_strlen(array)
        const text = String(bound(username));
        if ([...text].length > 191) valid = false;
        const holder = ctx.state.userNamed(sqlText(db, text));
        // SELECT 1 FROM users WHERE username = ? AND id != ?: the id is parameter 2.
        if (holder && holder.id !== sqlId(ctx, values['id'], 2)) valid = false;
      }
      if (!emailValid(values['email'])) valid = false;
      if (!roleValid(values['role'])) valid = false;
      if (!valid) return false;
      const changes: Record<string, string> = {};
      for (const field of ['username', 'name', 'email', 'role'] as const) {
        const value = bound(values[field]);
        if (value !== null)
          changes[field] = sqlText(db, field === 'username' && db.release.trimsUsername ? phpTrim(value) : value);
      }
      // An UPDATE with no column is invalid SQL: the exception text comes back as error code 0.
      if (Object.keys(changes).length === 0) throw emptyUpdate(ctx.state.db, 'users', args['id']);
      // UPDATE users SET (the changes) WHERE id = ?: the id is the parameter after them.
      const id = sqlId(ctx, values['id'], Object.keys(changes).length + 1);
      const user = id === undefined ? undefined : ctx.state.users.get(id);
      checkUpdateLengths(db, 'users', Object.entries(changes), user !== undefined);
      if (user) {
        // A name taken only once trimmed: the unique key refuses the UPDATE (false).
        const holder = changes['username'] === undefined ? undefined : ctx.state.userNamed(changes['username']);
        if (holder && holder.id !== user.id) return false;
        ctx.state.users.update(user.id, changes);
      }
      // UserSession::refresh: the application's session id is 0; an id equal to it loads no user, a TypeError.
      if (ctx.caller.kind === 'app' && equalsZero(values['id'])) throw new Fatal('TypeError');
      return true;
    },
  },
  removeUser: {
    className: CLASS,
    run: (ctx, { user_id }) => {
      // The first statement: UPDATE tasks SET owner_id = $1 WHERE owner_id = $2.
      const id = sqlId(ctx, user_id, 2);
      return id === undefined ? false : ctx.state.removeUser(id);
    },
  },
  disableUser: {
    className: CLASS,
    run: (ctx, { user_id }) => {
      // UPDATE users SET is_active = $1, token = $2 WHERE id = $3.
      const user = findUser(ctx, user_id, 3);
      if (user) ctx.state.users.update(user.id, { is_active: 0, token: '' });
      return true;
    },
  },
  enableUser: {
    className: CLASS,
    run: (ctx, { user_id }) => {
      // UPDATE users SET is_active = $1 WHERE id = $2.
      const user = findUser(ctx, user_id, 2);
      if (user) ctx.state.users.update(user.id, { is_active: 1 });
      return true;
    },
  },
  isActiveUser: {
    className: CLASS,
    run: (ctx, { user_id }) => findUser(ctx, user_id)?.is_active === 1,
  },
};
