import { Type, type TSchema } from 'typebox';
import { diagnoseBody } from './diagnostics.js';

/**
 * Helpers for the seed schemas each dialect declares (mock/dialects/<id>/seed-schema.ts): a seed file, or
 * a state the mock saved (GET /__accord/state), is checked before the mock starts, and a mistake is one
 * line naming the field. Rows may carry more columns than a schema names (a saved state has them all);
 * the top level and the fields named are strict.
 */
export const Row = <P extends Record<string, TSchema>>(properties: P) =>
  Type.Object(properties, { additionalProperties: true });
export const Seed = <P extends Record<string, TSchema>>(properties: P) =>
  Type.Object(properties, { additionalProperties: false });
export const Opt = <T extends TSchema>(schema: T) => Type.Optional(schema);
export const OrNull = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** A relation pair as a seed lists it ([left, right(, payload)]) or as a saved state does ({left, right, payload}). */
export const Pair = Type.Union([
  Type.Array(Type.Unknown(), { minItems: 2, maxItems: 3 }),
  Type.Object({ left: Type.Integer(), right: Type.Integer(), payload: Type.Unknown() }),
]);

/** The first thing wrong with a seed, in words; undefined when it is valid. */
export function seedProblem(schema: TSchema, seed: unknown): string | undefined {
  const [first] = diagnoseBody(schema, seed);
  return first?.replace(': not a field of this request (ignored)', ': not a field of this seed');
}
