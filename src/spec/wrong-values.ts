import type { TSchema } from 'typebox';
import { validatorFor } from './schema.js';

/** Values of every JSON type, tried in order; the first one a schema rejects is its "wrong type". */
const CANDIDATES: readonly unknown[] = [12345, 'not-a-number', true, [1, 2], { accord: 1 }, null, 1.5];

/** A value of the wrong JSON type for this schema, or undefined when the schema accepts anything. */
export function wrongValueFor(schema: TSchema): unknown {
  const validate = validatorFor(schema);
  return CANDIDATES.find((value) => !validate(value));
}
