import type { TObject } from 'typebox';
import type { Expectation, Facet } from '../../spec/expectation.js';
import type { Level } from '../../spec/levels.js';
import { methodsOf, type ErrorCase, type MethodSpec, type ResultSchemas } from '../../spec/method.js';
import { paramsWhere, statusIs, userError } from '../../wire/nymea-facets.js';
import { show } from '../../spec/show.js';
import type { NymeaFacts } from './access.js';
import { scopeRule } from './access.js';
import { apiMethod } from './api.js';
import { PARAMS, type NymeaMethodName } from './params.generated.js';
import { methodSchemas } from './schemas.js';
import type { NymeaWorld } from './world.js';

/**
 * A nymea method declaration: its params, returns and scope come from the introspection data (schemas.ts,
 * access.ts; the params as static TypeBox in params.generated.ts, so that `valid`, `succeeds` and `creates`
 * see their type); a declaration adds what the data cannot say: a valid call, the success facets, the error
 * cases and where the reference says so.
 */
export type NymeaMethod = MethodSpec<NymeaWorld, NymeaFacts>;
export type NymeaError = ErrorCase<NymeaWorld>;

export interface MethodDeclaration<P extends TObject = TObject> extends Omit<
  MethodSpec<NymeaWorld, NymeaFacts, P>,
  'name' | 'summary' | 'params' | 'result' | 'access'
> {
  /** Results beyond the derived ones (Introspect's extra keys, say). */
  readonly result?: Partial<ResultSchemas>;
  readonly summary?: string;
}

const declare = methodsOf<NymeaWorld, NymeaFacts>();

/** Typed error cases, as in every protocol (src/spec/method.ts: methodsOf). */
export const errorCase = declare.errorCase;

/**
 * How nymea's methods are declared: by name, the rest derived as above (the other protocols pass a whole spec).
 * `name` picks the generated params schema (params.generated.ts): the declaration's params have its type.
 */
export function method<N extends NymeaMethodName>(name: N, d: MethodDeclaration<(typeof PARAMS)[N]>): NymeaMethod {
  const schemas = methodSchemas(name);
  const description = apiMethod(name).description;
  return declare.method<(typeof PARAMS)[N], unknown>({
    ...d,
    name,
    summary: d.summary ?? description.split(/(?<=\.)\s/)[0] ?? description,
    // The generated copy of schemas.params (deep-equal, test/unit/nymea-params-generated.test.ts), typed.
    params: PARAMS[name],
    result: { must: schemas.returns, quirk: schemas.returnsStrict, ...d.result },
    access: scopeRule(name),
  });
}

/** A Users result: status success and this UserError (application errors travel as successes, nymea.md §2). */
export function answersError(name: string, level: Level = 'must'): Expectation {
  return [statusIs('success', level), userError(name, level)];
}

/** A facet on the success params, stated in words. */
export function paramsSay(level: Level, says: string, test: (p: Record<string, unknown>) => boolean | string): Facet {
  return paramsWhere(level, says, (p) => {
    const r = test(p);
    return r === true ? null : r === false ? `got ${show(p)}` : r;
  });
}

/** Compare two string lists as sets (nymea gives some in hash order). */
export function sameSet(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** A UUID that cannot belong to any token: all zeros but the last digit. */
export const UNKNOWN_UUID = '00000000-0000-0000-0000-00000000acc0';
