import {
  PROJECT_BOOLEAN_COLUMNS,
  USER_BOOLEAN_COLUMNS,
  type DatabaseForm,
} from '../../../src/protocols/kanboard/variants.js';
import { boundText, ProcedureError } from './handler.js';

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
    out[key] = db.booleans === 'json' && booleans.includes(key) && typeof value === 'number' ? value !== 0 : value;
  }
  return out;
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
