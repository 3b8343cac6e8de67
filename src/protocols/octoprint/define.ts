import type { TObject } from 'typebox';
import type { Expectation, Facet } from '../../spec/expectation.js';
import type { Level } from '../../spec/levels.js';
import { methodsOf, type MethodSpec } from '../../spec/method.js';
import type { Observed } from '../../spec/observed.js';
import { bodyEquals, bodySatisfies, status, statusClass, WERKZEUG_TEXT, type RestRoute } from '../../wire/rest.js';
import { show } from '../../spec/show.js';
import type { OctoPrintFacts } from './access.js';
import type { OctoPrintWorld } from './world.js';
import { apiError, errorSays } from './era-facets.js';

/**
 * How OctoPrint declarations are written: a method plus its wire details (the REST route, and the error
 * text each missing required field gives), kept beside the declaration so that the binding, the params
 * policy and the mock read one source.
 */
export interface Wire {
  readonly route: RestRoute;
  /** Required body fields and the 400 text a request without them gets, in the order the handler checks. */
  readonly missing?: Readonly<Record<string, string>>;
  /**
   * Fields of `missing` that OctoPrint tests only from a version on (field → version): older 1.x crash on
   * them with a KeyError (500), so the check is at should and says so.
   */
  readonly missingSince?: Readonly<Record<string, string>>;
}

/** An OctoPrint method: the declaration and its wire part (`R`), read by the binding, params policy and mock. */
export type OctoPrintMethod<W> = MethodSpec<W, OctoPrintFacts, TObject, Wire>;

/** The route the shared code reads (exports), from the wire's. */
export function withRoute<W>(spec: OctoPrintMethod<W>): OctoPrintMethod<W> {
  const { route } = spec.wire;
  return { ...spec, route: { verb: route.verb, path: route.path, ...(route.body ? { body: route.body } : {}) } };
}

/** The REST routes of a list of methods, by method name. */
export function routesOf<W>(methods: readonly OctoPrintMethod<W>[]): Record<string, RestRoute> {
  return Object.fromEntries(methods.map((m) => [m.name, m.wire.route]));
}

/** HTTP 200, as the documentation says for most endpoints. */
export const OK: Expectation = [status(200, 'must')];

/**
 * What the docs promise as 204 and OctoPrint sends as `200 {}` in every version (§6.2): success at must,
 * the exact 200 and `{}` at quirk, with a note when a server follows the docs instead.
 */
export function documentedAs204(): Expectation {
  const note = (o: Observed) =>
    o.transport === 'http' && o.status === 204
      ? 'the documentation says 204 No Content; OctoPrint sends 200 with the body {} in every version (octoprint.md §6.2)'
      : undefined;
  return [statusClass(2, 'must', 'success'), status(200, 'quirk', note), bodyEquals({}, 'quirk', note)];
}

/**
 * `abort(code, text)` under /api: the status, the error body (JSON from 1.6, text or HTML in 1.4–1.5), and
 * the exact text as the checked era words it (era-facets.ts).
 */
export function fails(
  code: number,
  text?: string,
  statusLevel: Level = 'must',
  explain?: (o: Observed) => string | undefined,
): Expectation {
  return [
    status(code, statusLevel, explain),
    apiError('should'),
    errorSays(text ?? (WERKZEUG_TEXT[code] as string), 'quirk', explain),
  ];
}

/** An unhandled exception in the handler (a TypeError on a null list, say): 500 with Werkzeug's text. */
export function crashes(why: string): Expectation {
  return [
    statusClass(5, 'quirk', `an internal error: ${why}`),
    status(500, 'quirk'),
    errorSays(WERKZEUG_TEXT[500] as string, 'quirk'),
  ];
}

/** The same facets, all at quirk: for checks of behaviour only the real server shows (sessions, 1.10+). */
export function atQuirk(expectation: Expectation): Expectation {
  return expectation.map((f) => ({ ...f, level: 'quirk' as const }));
}

/** A facet on the decoded body, stated in words. */
export function where(level: Level, says: string, test: (body: unknown) => string | null): Facet {
  return bodySatisfies(level, says, test);
}

export type Row = Record<string, unknown>;

export function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entry with this key (`name` for users, `key` for groups) in a `{"users": [...]}`-style list. */
export function entryOf(body: unknown, list: string, field: string, value: string): Row | undefined {
  const items = isRow(body) ? body[list] : undefined;
  return Array.isArray(items) ? items.find((x): x is Row => isRow(x) && x[field] === value) : undefined;
}

/** A facet: the list holds an entry whose fields satisfy a test. */
export function listEntry(
  level: Level,
  list: string,
  field: string,
  value: string,
  says: string,
  test: (row: Row) => string | null = () => null,
): Facet {
  return where(level, says, (body) => {
    const row = entryOf(body, list, field, value);
    return row ? test(row) : `no ${field} ${value} in ${list}`;
  });
}

/** Compare as sets: OctoPrint builds several of these lists from Python sets. */
export function sameSet(got: unknown, want: readonly string[]): boolean {
  return Array.isArray(got) && got.length === want.length && want.every((w) => got.includes(w));
}

export function fieldIs(row: Row, field: string, want: unknown): string | null {
  return JSON.stringify(row[field]) === JSON.stringify(want) ? null : `${field} is ${show(row[field])}`;
}

export function fieldsAre(row: Row, want: Readonly<Record<string, unknown>>): string | null {
  for (const [k, v] of Object.entries(want)) {
    const problem =
      Array.isArray(v) && v.every((x) => typeof x === 'string')
        ? sameSet(row[k], v)
          ? null
          : `${k} is ${show(row[k])}`
        : fieldIs(row, k, v);
    if (problem) return problem;
  }
  return null;
}

/** How OctoPrint 1.4–1.11 methods are declared (src/spec/method.ts: methodsOf); 1.3's are in its own folder. */
export const { method, errorCase } = methodsOf<OctoPrintWorld, OctoPrintFacts, Wire>(withRoute);
