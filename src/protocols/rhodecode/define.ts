import { Type, type TSchema } from 'typebox';
import type { Expectation, Facet } from '../../spec/expectation.js';
import type { Level } from '../../spec/levels.js';
import { methodsOf } from '../../spec/method.js';
import { resultSatisfies, status, succeeded } from '../../wire/rhodecode.js';
import { show } from '../../spec/show.js';
import type { RhodeCodeFacts } from './access.js';
import type { RhodeCodeWorld } from './world.js';

/** How RhodeCode's API methods are declared (src/spec/method.ts: methodsOf). */
export const { method, errorCase } = methodsOf<RhodeCodeWorld, RhodeCodeFacts>();

/** An id no object has: ids are database sequences, far below this on any real installation. */
export const UNKNOWN_ID = 1_999_999_999;

/** `str or int`: an integer is looked up by primary key, anything else by name (rhodecode.md §1.2). */
export const IdOrName = Type.Union([Type.Integer(), Type.String()]);
export const Optional = <T extends TSchema>(schema: T, fallback: unknown) =>
  Type.Optional(Type.Unsafe<unknown>({ ...schema, default: fallback }));

type Json = Record<string, unknown>;

export function field(result: unknown, path: string): unknown {
  let at: unknown = result;
  for (const key of path.split('.')) at = typeof at === 'object' && at !== null ? (at as Json)[key] : undefined;
  return at;
}

/** A fact about the result, stated in words; the test returns true or what was wrong. */
export function where(
  level: Level,
  says: string,
  test: (result: unknown) => boolean | string,
  explain?: (result: unknown) => string | undefined,
): Facet {
  return resultSatisfies(
    level,
    says,
    (r) => {
      const outcome = test(r);
      return outcome === true ? null : typeof outcome === 'string' ? outcome : `got ${show(r)}`;
    },
    explain,
  );
}

/** A field of the result has exactly this value. */
export function fieldIs(
  path: string,
  value: unknown,
  level: Level = 'must',
  explain?: (got: unknown) => string | undefined,
): Facet {
  return where(
    level,
    `${path} ${show(value)}`,
    (r) => JSON.stringify(field(r, path)) === JSON.stringify(value) || `got ${path} ${show(field(r, path))}`,
    explain ? (r) => explain(field(r, path)) : undefined,
  );
}

/** A successful call (HTTP 200, error null) and these facts. */
export function answers(...facets: Facet[]): Expectation {
  return [status(200), succeeded(), ...facets];
}

export function listOf(result: unknown): Json[] {
  return Array.isArray(result) ? (result as Json[]) : [];
}

/** A list includes an entry whose `key` is `value`. */
export function lists(level: Level, key: string, value: unknown, says = `lists ${key} ${show(value)}`): Facet {
  return where(level, says, (r) =>
    Array.isArray(r) ? listOf(r).some((x) => x[key] === value) || 'not in the list' : 'not a list',
  );
}

export function omits(level: Level, key: string, value: unknown, says = `does not list ${key} ${show(value)}`): Facet {
  return where(level, says, (r) =>
    Array.isArray(r) ? !listOf(r).some((x) => x[key] === value) || 'it is listed' : 'not a list',
  );
}

/**
 * msg is exactly the text built from the name of the object the call named by id (must: the docs give
 * these strings). The object is the context valid() arranged: `arranged({ repoid: repo.id }, repo)`.
 */
export function msgIs(
  object: { readonly name: string },
  text: (name: string) => string,
  level: Level = 'must',
  explain?: (got: unknown) => string | undefined,
): Facet {
  return fieldIs('msg', text(object.name), level, explain);
}
