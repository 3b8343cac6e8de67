import {
  PROJECT_BOOLEAN_COLUMNS,
  USER_BOOLEAN_COLUMNS,
  type DatabaseForm,
} from '../../../src/protocols/kanboard/variants.js';
import { boundText, phpId, ProcedureError } from './handler.js';

/**
 * What the database under Kanboard changes in its answers (the variant the mock plays, declared in
 * src/protocols/kanboard/variants.ts): the rows as it sends them, and the SQL errors PDO passes on.
 * The state keeps SQLite's row form; these render it for the database in play.
 */

type Row = object;

function render(
  db: DatabaseForm,
  row: Row,
  booleans: readonly string[],
  dropped: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (dropped.includes(key)) continue;
    out[key] =
      db.booleans === 'json' && booleans.includes(key) && typeof value === 'number' ? value !== 0 : dbValue(db, value);
  }
  return out;
}

/**
 * A column's value as PDO hands it to PHP: as stored, or on PHP before 8.1 with SQLite or MySQL a number's
 * text (variants.ts numericStrings).
 */
export function dbValue<T>(db: DatabaseForm, value: T): T | string {
  return db.numericStrings && typeof value === 'number' ? String(value) : value;
}

/** A row of columns read from the database (not users or projects): each value as PDO hands it over. */
export function rowOut<R extends object>(db: DatabaseForm, row: R): Record<string, unknown> {
  if (!db.numericStrings) return row as Record<string, unknown>;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, dbValue(db, v)]));
}

export const userOut = (db: DatabaseForm, row: Row) => render(db, row, USER_BOOLEAN_COLUMNS, db.droppedUserColumns);
export const projectOut = (db: DatabaseForm, row: Row) =>
  render(db, row, PROJECT_BOOLEAN_COLUMNS, db.droppedProjectColumns);

/** A value as PostgreSQL prints it in a DETAIL line: t/f, null, text as is. */
function pgValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

/** PostgreSQL's not-null violation for an INSERT, with the row it would have stored (SQLSTATE 23502). */
export function notNullViolation(table: string, column: string, row: Row): ProcedureError {
  const values = Object.values(row).map(pgValue).join(', ');
  return new ProcedureError(
    `SQL Error[23502]: SQLSTATE[23502]: Not null violation: 7 ERROR:  null value in column "${column}" of relation "${table}" violates not-null constraint\nDETAIL:  Failing row contains (${values}).`,
  );
}

/** The `UPDATE table SET WHERE id = ?` an update with nothing to change makes, as each database refuses it. */
export function emptyUpdate(db: DatabaseForm, table: string, id: unknown): ProcedureError {
  if (db.emptyUpdateState === '42601') {
    const sql = `UPDATE "${table}" SET   WHERE "id" = $1`;
    return new ProcedureError(
      `SQL Error[42601]: SQLSTATE[42601]: Syntax error: 7 ERROR:  syntax error at or near "WHERE"\nLINE 1: ${sql}\n${' '.repeat(8 + sql.indexOf('WHERE'))}^`,
    );
  }
  if (db.emptyUpdateState === '42000') {
    return new ProcedureError(
      `SQL Error[42000]: SQLSTATE[42000]: Syntax error or access violation: 1064 You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'WHERE \`id\` = '${boundText(id)}'' at line 1`,
    );
  }
  return new ProcedureError('SQL Error[HY000]: SQLSTATE[HY000]: General error: 1 near "WHERE": syntax error');
}

// ---- integers: how each database reads the text PDO binds ----------------------------------------------

/** The database the real MariaDB server's messages name (../shared/real/kanboard: DB_NAME kanboard). */
const MARIADB_SCHEMA = 'kanboard';
/** What C's isspace() skips: PostgreSQL's int4 input and MariaDB's number parsing both use it. */
const C_SPACE = '[ \\t\\n\\r\\v\\f]';
const INT32_MIN = -2147483648n;
const INT32_MAX = 2147483647n;
const MARIADB_NUMBER = new RegExp(`^${C_SPACE}*([+-]?)(\\d*)(?:\\.(\\d*))?`);
const ONLY_SPACE = new RegExp(`^${C_SPACE}*$`);
const POSTGRES_INT = new RegExp(`^${C_SPACE}*([+-]?\\d+)${C_SPACE}*$`);

/**
 * A text's leading number as MariaDB reads it (leading spaces, sign, digits, fraction, exponent): the integer
 * and fraction digits once the exponent has moved the point, and what follows. Undefined: no digit at all.
 * An exponent needs its digits (`1e` is 1 and a stray `e`: an INSERT calls that truncated).
 */
function mariadbDecimal(text: string): { negative: boolean; int: string; frac: string; rest: string } | undefined {
  const m = MARIADB_NUMBER.exec(text)!;
  let int = m[2] ?? '';
  let frac = m[3] ?? '';
  if (int === '' && frac === '') return undefined;
  let rest = text.slice(m[0].length);
  const e = /^[eE]([+-]?\d+)/.exec(rest);
  if (e) {
    rest = rest.slice(e[0].length);
    // Far beyond int's range either way: 400 places are as good as more.
    const shift = Math.max(-400, Math.min(400, Number(e[1])));
    if (shift > 0) {
      const moved = frac.slice(0, shift).padEnd(shift, '0');
      int += moved;
      frac = frac.slice(shift);
    } else if (shift < 0) {
      const k = -shift;
      const padded = int.padStart(k, '0');
      frac = padded.slice(padded.length - k) + frac;
      int = padded.slice(0, padded.length - k);
    }
  }
  return { negative: m[1] === '-', int: int.replace(/^0+/, ''), frac, rest };
}

/** `WHERE id = 'text'` on MariaDB: the leading number (none: 0) compared exactly; only an integer finds a row. */
function mariadbLookup(text: string): number | undefined {
  const d = mariadbDecimal(text);
  if (!d) return 0;
  if (/[1-9]/.test(d.frac)) return undefined;
  const n = Number(d.int || '0');
  if (!Number.isSafeInteger(n)) return undefined;
  return d.negative && n !== 0 ? -n : n;
}

/** The text PostgreSQL's int4 input takes: spaces, a sign, digits, spaces. Else 22P02; beyond int4, 22003. */
function postgresInteger(text: string, parameter: number): number {
  const m = POSTGRES_INT.exec(text);
  const context = `\nCONTEXT:  unnamed portal parameter $${parameter} = '${text === '' ? '' : '...'}'`;
  if (!m)
    throw new ProcedureError(
      `SQL Error[22P02]: SQLSTATE[22P02]: Invalid text representation: 7 ERROR:  invalid input syntax for type integer: "${text}"${context}`,
    );
  const n = BigInt(m[1]!);
  if (n < INT32_MIN || n > INT32_MAX)
    throw new ProcedureError(
      `SQL Error[22003]: SQLSTATE[22003]: Numeric value out of range: 7 ERROR:  value "${text}" is out of range for type integer${context}`,
    );
  return Number(n);
}

/**
 * An id as the database reads it where a statement compares it (WHERE id = ?): a number, or undefined when
 * no row can match. `parameter`: its place in the statement (PostgreSQL names it when it refuses the text).
 * null binds as NULL: nothing found on every database.
 */
export function readId(db: DatabaseForm, value: unknown, parameter: number): number | undefined {
  if (db.integerText === 'php' || value === null || value === undefined) return phpId(value);
  const text = sqlText(db, boundText(value));
  return db.integerText === 'postgres' ? postgresInteger(text, parameter) : mariadbLookup(text);
}

/** A text as the database receives it from PDO (PostgreSQL: up to its first NUL). */
export function sqlText(db: DatabaseForm, text: string): string;
export function sqlText(db: DatabaseForm, text: string | null): string | null;
export function sqlText(db: DatabaseForm, text: string | null): string | null {
  if (text === null || !db.textCutAtNul) return text;
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}

/** An INSERT of a text into MariaDB's int(11) in strict mode (STRICT_ALL_TABLES, as PicoDb sets it). */
function mariadbStoredInteger(text: string, table: string, column: string): number {
  const d = mariadbDecimal(text);
  if (!d)
    throw new ProcedureError(
      `SQL Error[22007]: SQLSTATE[22007]: Invalid datetime format: 1366 Incorrect integer value: '${text}' for column \`${MARIADB_SCHEMA}\`.\`${table}\`.\`${column}\` at row 1`,
    );
  // Rounded half away from zero.
  let n = BigInt(d.int || '0') + (d.frac[0] !== undefined && d.frac[0] >= '5' ? 1n : 0n);
  if (d.negative) n = -n;
  if (n < INT32_MIN || n > INT32_MAX)
    throw new ProcedureError(
      `SQL Error[22003]: SQLSTATE[22003]: Numeric value out of range: 1264 Out of range value for column '${column}' at row 1`,
    );
  if (!ONLY_SPACE.test(d.rest))
    throw new ProcedureError(
      `SQL Error[01000]: SQLSTATE[01000]: Warning: 1265 Data truncated for column '${column}' at row 1`,
    );
  return Number(n);
}

/**
 * A caller's value stored in an integer column after a lookup has found its row: MariaDB converts the text
 * again, in strict mode (undefined: the database stores what the lookup read).
 */
export function storedInteger(db: DatabaseForm, table: string, column: string, value: unknown): number | undefined {
  return db.integerText === 'mariadb' ? mariadbStoredInteger(boundText(value), table, column) : undefined;
}

// ---- text: declared lengths -----------------------------------------------------------------------------

/** A text longer than its column allows (SQLSTATE 22001), as the database words it; SQLite has no limit. */
function tooLong(db: DatabaseForm, table: string, column: string, text: string): ProcedureError | undefined {
  const limit = db.textLimits[`${table}.${column}`];
  if (limit === undefined || [...text].length <= limit) return undefined;
  return new ProcedureError(
    db.integerText === 'postgres'
      ? `SQL Error[22001]: SQLSTATE[22001]: String data, right truncated: 7 ERROR:  value too long for type character varying(${limit})`
      : `SQL Error[22001]: SQLSTATE[22001]: String data, right truncated: 1406 Data too long for column '${column}' at row 1`,
  );
}

/**
 * The texts an UPDATE sets, checked where the database checks them: `matched`, whether a row matches the
 * WHERE (PostgreSQL fails when it plans the statement, MariaDB only on a row it changes).
 */
export function checkUpdateLengths(
  db: DatabaseForm,
  table: string,
  columns: readonly (readonly [string, unknown])[],
  matched: boolean,
  tableOrder?: readonly string[],
): void {
  if (matched || db.textLimitChecked === 'plan') checkLengths(db, table, columns, tableOrder);
}

/**
 * The texts an INSERT or UPDATE stores, checked against their columns' lengths. `columns` in the statement's
 * order; PostgreSQL checks in the table's (`tableOrder`, when it differs), MariaDB in the statement's.
 */
export function checkLengths(
  db: DatabaseForm,
  table: string,
  columns: readonly (readonly [string, unknown])[],
  tableOrder?: readonly string[],
): void {
  const ordered =
    db.integerText === 'postgres' && tableOrder
      ? [...columns].sort((a, b) => tableOrder.indexOf(a[0]) - tableOrder.indexOf(b[0]))
      : columns;
  for (const [column, text] of ordered) {
    if (typeof text !== 'string') continue;
    const error = tooLong(db, table, column, text);
    if (error) throw error;
  }
}

// ---- rows of the relation tables ------------------------------------------------------------------------

export type Bound = readonly [column: string, value: unknown, type: 'integer' | 'text'];

/**
 * The row `INSERT INTO table (columns…) VALUES (?…)` stores, as each database takes PDO's texts: `params` in
 * the statement's order (PicoDb binds them $1, $2… as the model lists them), `tableOrder` the table's own
 * columns (PostgreSQL's DETAIL row). Every column here is NOT NULL. Returns the row, or false where Kanboard
 * answers false (SQLite and MariaDB: a null is SQLSTATE 23000, which PicoDb takes for a duplicate key; SQLite:
 * a text that is no integer stores nothing a foreign key accepts); throws the database's SQL error otherwise.
 * The caller then finds the referenced rows and the duplicate (PostgreSQL 23503/23505, 23000: false).
 */
export function insertedRow(
  db: DatabaseForm,
  table: string,
  params: readonly Bound[],
  tableOrder: readonly string[],
): Record<string, number | string> | false {
  const row: Record<string, number | string | null> = {};
  if (db.integerText === 'php') {
    for (const [column, value, type] of params) {
      if (value === null || value === undefined) return false;
      const stored = type === 'integer' ? phpId(value) : boundText(value);
      if (stored === undefined) return false;
      row[column] = stored;
    }
    return row as Record<string, number | string>;
  }
  if (db.integerText === 'mariadb') {
    // Field by field in the statement's order: the first bad value stops the row.
    for (const [column, value, type] of params) {
      if (value === null || value === undefined) return false;
      const text = boundText(value);
      if (type === 'integer') row[column] = mariadbStoredInteger(text, table, column);
      else {
        const error = tooLong(db, table, column, text);
        if (error) throw error;
        row[column] = text;
      }
    }
    return row as Record<string, number | string>;
  }
  // PostgreSQL: the parameters are read when bound ($1 first), the row is checked once formed.
  params.forEach(([column, value, type], i) => {
    const text = value === null || value === undefined ? null : sqlText(db, boundText(value));
    row[column] = text === null ? null : type === 'integer' ? postgresInteger(text, i + 1) : text;
  });
  const columns = tableOrder.map((c) => [c, row[c]] as const);
  checkLengths(
    db,
    table,
    columns.map(([c, v]) => [c, typeof v === 'string' ? v : null] as const),
  );
  const missing = columns.find(([, v]) => v === null);
  if (missing) throw notNullViolation(table, missing[0], Object.fromEntries(columns));
  return row as Record<string, number | string>;
}

/** `UPDATE table SET role = ?` on a row that exists, with a null: PostgreSQL's 23502, else 23000 (false). */
export function nullInUpdate(db: DatabaseForm, table: string, column: string, row: Row): ProcedureError | false {
  return db.strictSql ? notNullViolation(table, column, row) : false;
}
