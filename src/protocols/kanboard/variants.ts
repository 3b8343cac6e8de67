import { formOf, type VariantsSpec } from '../../spec/variant.js';
import type { ArrangeContext } from '../../spec/context.js';
import { byteOrder } from '../../wire/text.js';

/**
 * Kanboard's variants are its databases. The same PHP code answers in three forms, each seen on a real
 * server (issue 13, ../shared/real/kanboard): the suites' quirk facets and the mock both read DATABASES.
 */
export type KanboardDatabase = 'sqlite' | 'postgres' | 'mysql';

export interface DatabaseForm {
  /** users columns the database's migrations drop (PostgreSQL and MySQL drop is_admin, is_project_admin). */
  readonly droppedUserColumns: readonly string[];
  /** projects columns its migrations dropped (PostgreSQL and MySQL: the swimlane and everybody-allowed ones). */
  readonly droppedProjectColumns: readonly string[];
  /** Boolean columns: PDO pgsql sends JSON booleans, SQLite and MySQL integers 0/1. */
  readonly booleans: 'json' | 'integers';
  /** utf8mb4_unicode_ci: names compare case-insensitively and sort by collation weight, not by bytes. */
  readonly caseInsensitiveNames: boolean;
  /**
   * PostgreSQL refuses what SQLite lets through: a null in a NOT NULL column (SQLSTATE 23502) and an id
   * that is not an integer (22P02) raise SQL errors, which Kanboard answers as error code 0.
   */
  readonly strictSql: boolean;
  /** lock_expiration_date of a user created after install (MySQL's column has no default: null). */
  readonly newUserLockExpiration: 0 | null;
  /** SQLSTATE of the failed `UPDATE … SET WHERE` that an update with nothing to change makes. */
  readonly emptyUpdateState: string;
  /**
   * Ids: SQLite rowids reuse the highest id after a delete; PostgreSQL sequences and InnoDB auto-increment
   * never go back, and a failed INSERT on PostgreSQL uses one up. Never assume consecutive ids.
   */
  readonly sqliteRowids: boolean;
  /**
   * How the database reads the text PDO binds where an integer column is compared or stored. `php`: SQLite,
   * as phpId (a text that is no integer finds nothing and stores nothing). `postgres`: int4 input, refusing
   * anything but an integer in range (22P02, 22003). `mariadb`: a comparison reads the text's numeric prefix
   * (`'1abc'` finds 1, `'abc'` 0, `'1.5'` nothing); an INSERT in strict mode rounds `'1.5'` to 2 and refuses
   * other text (1366, 1265, 1264).
   */
  readonly integerText: 'php' | 'postgres' | 'mariadb';
  /**
   * An INSERT that fails on a unique key uses an id up: PostgreSQL's nextval() ran, InnoDB allocated its
   * AUTO_INCREMENT value (innodb_autoinc_lock_mode 1). A NOT NULL violation uses one up on PostgreSQL only
   * (strictSql): MariaDB refuses the row before it allocates.
   */
  readonly duplicateKeyUsesId: boolean;
  /**
   * The declared lengths of the text columns the API writes (`table.column` → characters): an overlong value
   * is SQLSTATE 22001 (PostgreSQL's varchar(n), MariaDB's strict mode). SQLite's TEXT has no limit.
   */
  readonly textLimits: Readonly<Record<string, number>>;
  /**
   * When an overlong text fails. `plan`: PostgreSQL folds the bound value's cast to varchar(n) when it plans
   * the statement, before it reads a row or calls nextval(): an UPDATE that matches nothing fails too, and the
   * failed INSERT uses no id. `row`: MariaDB checks the values it stores into a row, so only a matched row fails.
   */
  readonly textLimitChecked: 'plan' | 'row';
  /** libpq sends parameters as C strings: PostgreSQL gets a text cut at its first NUL. */
  readonly textCutAtNul: boolean;
}

/** PostgreSQL's varchar(n) columns the API writes (its migrations made users.username and groups.name TEXT). */
const POSTGRES_TEXT_LIMITS = {
  'users.name': 255,
  'users.email': 255,
  'users.role': 25,
  'groups.external_id': 255,
  'project_has_users.role': 255,
  'project_has_groups.role': 255,
};

/** MariaDB's varchar(n) columns the API writes (utf8mb4: 191 characters where an index covers the column). */
const MARIADB_TEXT_LIMITS = {
  'users.username': 191,
  'users.name': 255,
  'users.email': 255,
  'users.role': 25,
  'groups.name': 191,
  'groups.external_id': 255,
  'project_has_users.role': 255,
  'project_has_groups.role': 255,
};

const sqlite: DatabaseForm = {
  droppedUserColumns: [],
  droppedProjectColumns: [],
  booleans: 'integers',
  caseInsensitiveNames: false,
  strictSql: false,
  newUserLockExpiration: 0,
  emptyUpdateState: 'HY000',
  sqliteRowids: true,
  integerText: 'php',
  duplicateKeyUsesId: false,
  textLimits: {},
  textLimitChecked: 'row',
  textCutAtNul: false,
};

export const DATABASES: Readonly<Record<KanboardDatabase, DatabaseForm>> = {
  sqlite,
  postgres: {
    ...sqlite,
    droppedUserColumns: ['is_admin', 'is_project_admin'],
    droppedProjectColumns: ['is_everybody_allowed', 'default_swimlane', 'show_default_swimlane'],
    booleans: 'json',
    strictSql: true,
    emptyUpdateState: '42601',
    sqliteRowids: false,
    integerText: 'postgres',
    duplicateKeyUsesId: true,
    textLimits: POSTGRES_TEXT_LIMITS,
    textLimitChecked: 'plan',
    textCutAtNul: true,
  },
  mysql: {
    ...sqlite,
    droppedUserColumns: ['is_admin', 'is_project_admin'],
    droppedProjectColumns: ['is_everybody_allowed', 'default_swimlane', 'show_default_swimlane'],
    caseInsensitiveNames: true,
    newUserLockExpiration: null,
    emptyUpdateState: '42000',
    sqliteRowids: false,
    integerText: 'mariadb',
    duplicateKeyUsesId: true,
    textLimits: MARIADB_TEXT_LIMITS,
  },
};

/** The database form of a variant id (an unknown id: SQLite's, the reference's server). */
export function databaseOf(variant: string): DatabaseForm {
  return formOf({ byVariant: { default: sqlite, ...DATABASES } }, variant);
}

/** Boolean columns per table (the migrations' BOOLEAN columns). */
export const USER_BOOLEAN_COLUMNS = [
  'is_ldap_user',
  'notifications_enabled',
  'disable_login_form',
  'twofactor_activated',
  'is_active',
] as const;
// per_swimlane_task_limits and enable_global_tags are boolean columns on PostgreSQL (task_limit is an integer).
export const PROJECT_BOOLEAN_COLUMNS = [
  'is_active',
  'is_public',
  'is_private',
  'per_swimlane_task_limits',
  'enable_global_tags',
] as const;

/** SQLSTATE messages as Kanboard passes PDO's text on: `SQL Error[23502]: SQLSTATE[23502]: …`. */
export function isSqlError(message: string, sqlstate: string): boolean {
  return message.startsWith(`SQL Error[${sqlstate}]: SQLSTATE[${sqlstate}]`);
}

/**
 * Detection probe: a user the probe makes (run prefix), read back, then removed. Its row tells:
 * `is_admin` present → SQLite; `is_active: true` (a JSON boolean) → PostgreSQL; otherwise MySQL, confirmed by
 * finding it under its upper-case name. getVersion first, so that the evidence names the Kanboard version.
 */
async function detect(c: ArrangeContext): Promise<{ id: string; evidence: string } | undefined> {
  const version = await c.call('getVersion', {});
  const v = version.ok ? ` (Kanboard ${String(version.value)})` : '';
  const username = c.name('probe');
  const id = await c.ok('createUser', { username, password: 'accord-probe-1' });
  if (typeof id !== 'number') return undefined;
  c.track('user', { id, name: username });
  const row = await c.ok('getUser', { user_id: id });
  if (typeof row !== 'object' || row === null) return undefined;
  const user = row as Record<string, unknown>;
  if ('is_admin' in user) return { id: 'sqlite', evidence: `getUser has the is_admin column${v}` };
  if (user['is_active'] === true)
    return { id: 'postgres', evidence: `getUser has no is_admin and answers booleans (is_active: true)${v}` };
  const upper = await c.ok('getUserByName', { username: username.toUpperCase() });
  const found = typeof upper === 'object' && upper !== null && (upper as { id?: unknown }).id === id;
  if (user['is_active'] === 1 && found)
    return { id: 'mysql', evidence: `getUser has no is_admin, integers, and names match case-insensitively${v}` };
  return undefined;
}

export const variants: VariantsSpec = {
  list: [
    { id: 'sqlite', title: 'SQLite' },
    { id: 'postgres', title: 'PostgreSQL' },
    { id: 'mysql', title: 'MySQL/MariaDB' },
  ],
  default: 'sqlite',
  detect,
};

/**
 * How a name compares under utf8mb4_unicode_ci, near enough (each rule seen on MariaDB 10.11): case, accents
 * and compatibility forms do not count (`ﬁ` = `fi`, `ａ` = `a`), `ß` = `ss`, `œ` = `oe`, every character beyond
 * the BMP weighs the same (`😀` = `😁`), NUL weighs nothing, and trailing spaces do not count (PAD SPACE).
 */
export function unicodeCiFold(name: string): string {
  return name
    .replace(/[\u{10000}-\u{10ffff}]/gu, '\ufffd')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/œ/g, 'oe')
    .replace(/\0/g, '')
    .replace(/ +$/, '');
}

/**
 * The order of ORDER BY name. SQLite and PostgreSQL (C.UTF-8 collation) sort by bytes. MySQL's
 * utf8mb4_unicode_ci sorts by UCA weight: names folded as unicodeCiFold, punctuation before digits before
 * letters, and no order among names it weighs equally. accord carries no collation table: for names of ASCII
 * letters, digits and `_` (all a run makes) this is exact, otherwise near.
 */
export function nameOrder(db: DatabaseForm): (a: string, b: string) => number {
  if (!db.caseInsensitiveNames) return byteOrder;
  const key = (s: string) => unicodeCiFold(s).replace(/[^0-9a-z\u0080-\u{10ffff}]/gu, (c) => `\u0001${c}`);
  return (a, b) => byteOrder(key(a), key(b));
}

/** Names whose order nameOrder gives exactly on every database. */
export const ORDER_IS_EXACT = /^[A-Za-z0-9_]*$/;
