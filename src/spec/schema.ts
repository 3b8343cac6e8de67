import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from 'typebox';

/**
 * The one ajv instance and its compile cache: every schema is compiled once per process, keyed by the
 * schema object itself (declarations are module constants, so identity is stable).
 */
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const cache = new WeakMap<object, ValidateFunction>();

export function validatorFor(schema: TSchema): ValidateFunction {
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema as object);
    cache.set(schema, validate);
  }
  return validate;
}

/** One schema violation, as data: where, which rule, and the rule in words. */
export interface SchemaViolation {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

export function violations(schema: TSchema, value: unknown): SchemaViolation[] {
  const validate = validatorFor(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map(toViolation);
}

function toViolation(e: ErrorObject): SchemaViolation {
  const at = e.instancePath || '/';
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    return { path: `${e.instancePath}/${missing}`, rule: 'required', message: `${missing} is required` };
  }
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    return { path: `${e.instancePath}/${extra}`, rule: 'additionalProperties', message: `${extra} is not expected` };
  }
  return { path: at, rule: e.keyword, message: `${at} ${e.message ?? 'is invalid'}` };
}

/** `a is required; /id must be integer` — short enough for a report cell, precise enough to act on. */
export function describeViolations(list: readonly SchemaViolation[], limit = 4): string {
  const shown = list.slice(0, limit).map((v) => v.message);
  const more = list.length > limit ? `; and ${list.length - limit} more` : '';
  return shown.join('; ') + more;
}
