import type { TSchema } from 'typebox';
import { validatorFor } from './schema.js';

/**
 * Values of every JSON type, tried in order; the first one a schema rejects is its "wrong type". None can
 * name a real object on a live server: no positive integer (an id), no `true` (PHP's 1), no real name.
 */
const CANDIDATES: readonly unknown[] = [-7, 'accord-not-a-number', [-1, -2], { accord: -1 }, null, 0.5];

/** A value of the wrong JSON type for this schema, or undefined when the schema accepts anything. */
export function wrongValueFor(schema: TSchema): unknown {
  const validate = validatorFor(schema);
  return CANDIDATES.find((value) => !validate(value));
}
