import { formOf, type VariantsSpec } from '../../spec/variant.js';
import type { ArrangeContext } from '../../spec/context.js';
import { byteOrder } from '../../wire/text.js';

/**
 * Kanboard's variants are its databases, the release eras of Kanboard itself, and the PHP under it. The same
 * PHP code answers in three forms per database, each seen on a real server (issue 13, ../shared/real/kanboard);
 * older releases (ERAS) and PHP before 8.1 (PHP_BEFORE_8_1) change a few exact forms more. The suites' quirk
 * facets and the mock both read FORMS: `sqlite`, `postgres`, `mysql` are the current release on PHP 8.1+;
 * `sqlite-1.2.27` an older era, `sqlite-php7` (or `sqlite-1.2.27-php7`) the same on PHP 7.4/8.0.
 */
export type KanboardDatabase = 'sqlite' | 'postgres' | 'mysql';

/**
 * What changed in Kanboard's own answers between the releases people run (1.2.20–1.2.53), each from the
 * ChangeLog and the code of kanboard/kanboard (2cba210 = v1.2.53+1, ../shared/real/kanboard; older files as
 * the code index has them). must and should hold on every era; only quirk facets differ.
 */
export interface ReleaseForm {
  /** The first release of the era (its id in variant names). */
  readonly era: string;
  /** The releases it covers, in words. */
  readonly releases: string;
  /** What the mock's getVersion answers (AppProcedure::getVersion: APP_VERSION). */
  readonly served: string;
  /**
   * 1.2.27+: UserModel::prepare trims the username before it is stored (ChangeLog 1.2.27 "Always trim the
   * username before saving changes in the database", PR #5137 for issue #4742). Before, createUser and
   * updateUser stored it as sent: "  name  " is another user.
   */
  readonly trimsUsername: boolean;
  /**
   * 1.2.29+: users.theme (ChangeLog 1.2.29 "Add themes support"; app/Schema/Sqlite.php version_127,
   * Mysql.php version_138, Postgres.php version_116, all `theme … DEFAULT 'light' NOT NULL`). Before, no such column.
   */
  readonly themeColumn: boolean;
  /**
   * What getProjectUserRole answers for a user without a role. 1.2.36+: "" (ProjectUserRoleModel::getUserRole
   * `$role = ""; // force use of the cache`, from the performance work of ChangeLog 1.2.36 "Force the use of
   * the cache…", cf. PR #5439); before, the group
   * lookup's AccessMap::getHighestRole([]) = key([]) = null.
   */
  readonly noRoleAnswer: '' | null;
}

export interface DatabaseForm {
  /** The database. */
  readonly database: KanboardDatabase;
  /** The Kanboard release era (ERAS). */
  readonly release: ReleaseForm;
  /**
   * PHP 7.4 or 8.0 (Kanboard 1.2.20–1.2.45 run on them; the Docker images of 1.2.20–1.2.22 ship PHP 7.4;
   * 1.2.46 needs 8.1). ReflectionMethod only invokes public methods before PHP 8.1, so the internal
   * `getClassName` (protected, BaseProcedure) is an exception, error code 0, not "MeProcedure".
   */
  readonly phpBefore81: boolean;
  /**
   * PHP before 8.1 with SQLite or MySQL: pdo_sqlite and pdo_mysql (emulated prepares, PicoDb's default) send
   * every column as a string ("1"); PHP 8.1 made them native. pdo_pgsql always sent native integers and
   * booleans. Values PHP makes (ids from lastInsertId, cast (int); getMe's (int) id and (bool) flags) are
   * numbers anyway.
   */
  readonly numericStrings: boolean;
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

/** The current era: 1.2.36–1.2.53 (the reference server, 2cba210 = v1.2.53+1). */
const CURRENT: ReleaseForm = {
  era: '1.2.36',
  releases: '1.2.36–1.2.53',
  served: 'main.2cba210dbad4e110d4efdec97d71a38b5df48dad',
  trimsUsername: true,
  themeColumn: true,
  noRoleAnswer: '',
};
const V1_2_29: ReleaseForm = {
  ...CURRENT,
  era: '1.2.29',
  releases: '1.2.29–1.2.35',
  served: '1.2.35',
  noRoleAnswer: null,
};
const V1_2_27: ReleaseForm = {
  ...V1_2_29,
  era: '1.2.27',
  releases: '1.2.27–1.2.28',
  served: '1.2.28',
  themeColumn: false,
};
const V1_2_20: ReleaseForm = {
  ...V1_2_27,
  era: '1.2.20',
  releases: '1.2.20–1.2.26',
  served: '1.2.26',
  trimsUsername: false,
};

/** The eras, newest first; each from its first release up to the next one's. */
export const ERAS: readonly ReleaseForm[] = [CURRENT, V1_2_29, V1_2_27, V1_2_20];
export const CURRENT_ERA = CURRENT.era;
/** The last release that runs on PHP 7.4/8.0 (1.2.46: "PHP 8.1 is now the minimum version supported"). */
const LAST_BEFORE_PHP_8_1 = '1.2.45';

const sqlite: DatabaseForm = {
  database: 'sqlite',
  release: CURRENT,
  phpBefore81: false,
  numericStrings: false,
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
    database: 'postgres',
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
    database: 'mysql',
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

/** A variant's id: the database, then the era unless current, then `php7` for PHP before 8.1. */
export function variantId(database: KanboardDatabase, era: string, phpBefore81: boolean): string {
  return [database, ...(era === CURRENT_ERA ? [] : [era]), ...(phpBefore81 ? ['php7'] : [])].join('-');
}

/** One database's form in an era, on a PHP. */
function formFor(database: KanboardDatabase, release: ReleaseForm, phpBefore81: boolean): DatabaseForm {
  const db = DATABASES[database];
  return {
    ...db,
    release,
    phpBefore81,
    numericStrings: phpBefore81 && db.booleans !== 'json',
    droppedUserColumns: release.themeColumn ? db.droppedUserColumns : [...db.droppedUserColumns, 'theme'],
  };
}

const TITLES: Readonly<Record<KanboardDatabase, string>> = {
  sqlite: 'SQLite',
  postgres: 'PostgreSQL',
  mysql: 'MySQL/MariaDB',
};

function titleOf(database: KanboardDatabase, release: ReleaseForm, phpBefore81: boolean): string {
  if (release === CURRENT && !phpBefore81) return TITLES[database];
  const releases = phpBefore81 && release === CURRENT ? `1.2.36–${LAST_BEFORE_PHP_8_1}` : release.releases;
  return `${TITLES[database]}, Kanboard ${releases}${phpBefore81 ? ', PHP 7.4/8.0' : ''}`;
}

/** Every variant's form by id: the current three first, then the older eras, then the same on PHP 7.4/8.0. */
export const FORMS: Readonly<Record<string, DatabaseForm>> = Object.fromEntries(
  [false, true].flatMap((php) =>
    ERAS.flatMap((release) =>
      (['sqlite', 'postgres', 'mysql'] as const).map((db) => [
        variantId(db, release.era, php),
        formFor(db, release, php),
      ]),
    ),
  ),
);

/** The form of a variant id (an unknown id: SQLite's, the reference's server). */
export function databaseOf(variant: string): DatabaseForm {
  return formOf({ byVariant: { default: FORMS['sqlite']!, ...FORMS } }, variant);
}

/** The era of a release number (`1.2.20`, `v1.2.27`); undefined for what is none (`main.2cba210…`). */
export function eraOfVersion(text: string): ReleaseForm | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  if (!m) return undefined;
  const v = [Number(m[1]), Number(m[2]), Number(m[3])];
  const atLeast = (era: string) => {
    const w = era.split('.').map(Number);
    for (let i = 0; i < 3; i++) if (v[i] !== w[i]) return v[i]! > w[i]!;
    return true;
  };
  // Releases before 1.2.20 are checked as 1.2.20, the oldest era modelled.
  return ERAS.find((era) => atLeast(era.era)) ?? V1_2_20;
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
 * Detection probe. getVersion first: its release number (`1.2.27`, `v1.2.27`) names the era; what is none
 * (`main.2cba210…`, a build from git) is taken as the current one. getClassName tells the PHP: before 8.1
 * ReflectionMethod refuses the protected method (an exception, error code 0), from 8.1 it answers.
 * Then a user the probe makes (run prefix), read back, then removed. Its row tells: `is_admin` present →
 * SQLite; `is_active: true` (a JSON boolean) → PostgreSQL; otherwise MySQL, confirmed by finding it under its
 * upper-case name. Ids sent as strings ("5") are PHP before 8.1 too.
 */
async function detect(c: ArrangeContext): Promise<{ id: string; evidence: string } | undefined> {
  const version = await c.call('getVersion', {});
  const versionText = version.ok ? String(version.value) : '';
  const release = eraOfVersion(versionText) ?? CURRENT;
  const v = version.ok ? ` (Kanboard ${versionText})` : '';
  const className = await c.call('getClassName', {});
  const refused = !className.ok && /protected method/i.test(className.error);
  const username = c.name('probe');
  const id = await c.ok('createUser', { username, password: 'accord-probe-1' });
  if (typeof id !== 'number') return undefined;
  c.track('user', { id, name: username });
  const row = await c.ok('getUser', { user_id: id });
  if (typeof row !== 'object' || row === null) return undefined;
  const user = row as Record<string, unknown>;
  const strings = typeof user['id'] === 'string';
  const oldPhp = refused || strings;
  const php = oldPhp
    ? `; PHP before 8.1 (${[refused ? 'getClassName is refused' : '', strings ? 'ids come as strings' : ''].filter(Boolean).join(', ')})`
    : '';
  const era = release === CURRENT ? '' : `; era ${release.era} (${release.releases})`;
  const found = (database: KanboardDatabase, why: string) => ({
    id: variantId(database, release.era, oldPhp),
    evidence: `${why}${v}${era}${php}`,
  });
  if ('is_admin' in user) return found('sqlite', 'getUser has the is_admin column');
  if (user['is_active'] === true)
    return found('postgres', 'getUser has no is_admin and answers booleans (is_active: true)');
  const upper = await c.ok('getUserByName', { username: username.toUpperCase() });
  const sameId = typeof upper === 'object' && upper !== null && Number((upper as { id?: unknown }).id) === id;
  if ((user['is_active'] === 1 || user['is_active'] === '1') && sameId)
    return found('mysql', 'getUser has no is_admin, integers, and names match case-insensitively');
  return undefined;
}

export const variants: VariantsSpec = {
  list: Object.entries(FORMS).map(([id, f]) => ({ id, title: titleOf(f.database, f.release, f.phpBefore81) })),
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
