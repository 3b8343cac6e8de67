import { facet, type Expectation } from '../../spec/expectation.js';
import type { Level } from '../../spec/levels.js';
import { methodsOf } from '../../spec/method.js';
import { envelope, errorCode, replyOf, resultEquals, resultSatisfies, status } from '../../wire/jsonrpc2.js';
import { show } from '../../spec/show.js';
import { byteOrder } from '../../wire/text.js';
import type { KanboardFacts } from './access.js';
import type { KanboardWorld } from './world.js';
import { perDatabase } from './records.js';
import { isSqlError, nameOrder, ORDER_IS_EXACT } from './variants.js';
import { variantFacets, type ByVariant } from '../../spec/variant.js';

/** How Kanboard's procedures are declared (src/spec/method.ts: methodsOf). */
export const { method, errorCase } = methodsOf<KanboardWorld, KanboardFacts>();

/** An id no Kanboard object has: ids are SQLite rowids, far below this on any real installation. */
export const UNKNOWN_ID = 1_999_999_999;

/** HTTP 200 and exactly this result. `documented` names what the docs say instead, for the failure note. */
export function returns(value: unknown, level: Level = 'must', documented?: unknown): Expectation {
  const explain =
    documented === undefined
      ? undefined
      : (got: unknown) =>
          JSON.stringify(got) === JSON.stringify(documented)
            ? `this is what the documentation says (${show(documented)}); a real Kanboard answers ${show(value)} (kanboard.md §7)`
            : undefined;
  return [status(200), envelope(), resultEquals(value, level, explain)];
}

/** A procedure body threw (kanboard.md §3 step 8): HTTP 200, error code 0, a message that passes the test. */
export function exceptionReply(level: Level, says: string, test: (message: string) => boolean): Expectation {
  return [
    status(200),
    envelope(),
    errorCode(0, level),
    facet(level, says, (o) => {
      const r = replyOf(o);
      if (!r.ok) return r.why;
      const e = r.reply['error'] as { message?: unknown } | undefined;
      if (!e) return `got result ${show(r.reply['result'])}`;
      return typeof e.message === 'string' && test(e.message) ? null : `got message ${show(e.message)}`;
    }),
  ];
}

/** A result that satisfies a test, stated in words. */
export function resultWhere(level: Level, says: string, test: (result: unknown) => string | null): Expectation {
  return [resultSatisfies(level, says, test)];
}

/** SQLite's default (BINARY) collation: byte order of the UTF-8 text. */
export { byteOrder };

/**
 * The result is a list sorted by a field as the database orders it (kanboard.md §6: ORDER BY): bytes on
 * SQLite and PostgreSQL, utf8mb4_unicode_ci on MySQL, judged there on the names it orders exactly.
 */
export function sortedBy(field: string, variant: string, level: Level = 'quirk'): Expectation {
  const forms = perDatabase((db) => {
    const order = nameOrder(db);
    const says = db.caseInsensitiveNames
      ? `sorted by ${field}, case-insensitively (utf8mb4_unicode_ci)`
      : `sorted by ${field} in byte order`;
    return resultWhere(level, says, (r) => {
      if (!Array.isArray(r)) return 'not a list';
      const keys = r
        .map((row: Record<string, unknown>) => String(row[field]))
        .filter((k) => !db.caseInsensitiveNames || ORDER_IS_EXACT.test(k));
      return keys.every((k, i) => i === 0 || order(keys[i - 1]!, k) <= 0)
        ? null
        : `order ${keys.slice(0, 6).join(', ')}…`;
    });
  });
  return variantFacets(forms, variant);
}

/**
 * Where SQLite lets a null into a NOT NULL column's check (and Kanboard answers `otherwise`), PostgreSQL
 * raises SQLSTATE 23502, which Kanboard answers as error code 0 with PDO's text (issue 13, seen on 15).
 */
export function notNullViolation(otherwise: Expectation, column: string, table: string): ByVariant<Expectation> {
  return perDatabase((db) =>
    db.strictSql
      ? exceptionReply(
          'quirk',
          `message "SQL Error[23502]: … null value in column "${column}" of relation "${table}" violates not-null constraint…"`,
          (m) =>
            isSqlError(m, '23502') &&
            m.includes(`null value in column "${column}" of relation "${table}" violates not-null constraint`),
        )
      : otherwise,
  );
}

/** An id that is not an integer: SQLite finds nothing (`otherwise`), PostgreSQL raises SQLSTATE 22P02. */
export function invalidInteger(otherwise: Expectation): ByVariant<Expectation> {
  return perDatabase((db) =>
    db.strictSql
      ? exceptionReply(
          'quirk',
          'message "SQL Error[22P02]: … invalid input syntax for type integer…"',
          (m) => isSqlError(m, '22P02') && m.includes('invalid input syntax for type integer'),
        )
      : otherwise,
  );
}

/** An UPDATE with no column to set (`UPDATE t SET WHERE id = ?`): each database's syntax error, error code 0. */
export function emptyUpdateError(variant: string): Expectation {
  const forms = perDatabase((db) =>
    exceptionReply(
      'quirk',
      `message starts with "SQL Error[${db.emptyUpdateState}]" (a syntax error near WHERE)`,
      (m) => isSqlError(m, db.emptyUpdateState) && m.includes('WHERE'),
    ),
  );
  return variantFacets(forms, variant);
}
