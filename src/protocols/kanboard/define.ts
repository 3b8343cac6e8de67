import { facet, type Expectation } from '../../spec/expectation.js';
import type { Level } from '../../spec/levels.js';
import { defineMethod, type MethodSpec } from '../../spec/method.js';
import { envelope, errorCode, replyOf, resultEquals, resultSatisfies, status } from '../../wire/jsonrpc2.js';
import { show } from '../../spec/show.js';
import { byteOrder } from '../../wire/text.js';
import type { KanboardFacts } from './access.js';
import type { KanboardWorld } from './world.js';

/** Shorthands for the Kanboard declarations in this folder. */
export const procedure = (spec: MethodSpec<KanboardWorld, KanboardFacts>) => defineMethod(spec);

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

/** The result is a list sorted by a field in byte order (kanboard.md §6: ORDER BY on SQLite). */
export function sortedBy(field: string, level: Level = 'quirk'): Expectation {
  return resultWhere(level, `sorted by ${field} in byte order`, (r) => {
    if (!Array.isArray(r)) return 'not a list';
    const keys = r.map((row: Record<string, unknown>) => String(row[field]));
    const sorted = [...keys].sort(byteOrder);
    return keys.every((k, i) => k === sorted[i]) ? null : `order ${keys.slice(0, 6).join(', ')}…`;
  });
}
