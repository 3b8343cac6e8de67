import fc from 'fast-check';
import type { TObject } from 'typebox';
import { signatureOf } from './method.js';

/**
 * Invalid parameters derived from a params schema and one valid call, as a fast-check arbitrary (so a
 * failure shrinks to a minimal request): a required field missing, a field of another JSON type, numbers
 * out of range, over-long strings, unicode and control characters, `__proto__`/`constructor` keys,
 * unknown fields.
 *
 * Safe against live servers by construction: no value can name an object the run did not create. Every
 * generated string starts with the run prefix (a lookup by name finds nothing, a create makes a prefixed
 * object that teardown removes); numbers are negative, zero, fractional or beyond any real id; `true`
 * (PHP's 1) and small positive integers never appear; methods that create, and servers that coerce, get no
 * values of other types.
 */
export interface Mutation {
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
}

const HUGE = [-1, 0, -2147483649, 2 ** 53, 1e308, 0.5, -0.0001];

// Built once: an arbitrary is immutable and reusable.
const UNKNOWN_FIELD = fc.tuple(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }));
/**
 * Any code point but the surrogates, as fast-check's `unit: 'binary'`, whose every construction builds a
 * reverse map of all 1.1 million code points (0.4 s to 3 s of CPU each, and a fuzz run made one per method).
 */
const SURROGATES = 0xe000 - 0xd800;
export const CODE_POINT = fc
  .integer({ min: 0, max: 0x10ffff - SURROGATES })
  .map((i) => String.fromCodePoint(i < 0xd800 ? i : i + SURROGATES));
const ANY_TEXT = fc.string({ unit: CODE_POINT, minLength: 1, maxLength: 24 });

function schemaType(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const s = schema as { type?: unknown; anyOf?: unknown[] };
  if (typeof s.type === 'string') return s.type;
  const types = (s.anyOf ?? []).map(schemaType).filter((t) => t && t !== 'null');
  return types.length === 1 ? types[0] : undefined;
}

/** An object that, once serialised, carries a key JavaScript would otherwise treat as special. */
function withOwnKey(params: Readonly<Record<string, unknown>>, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = JSON.parse(JSON.stringify(params));
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

export interface MutationOptions {
  /** Parameters that address the call (a REST path): never mutated. */
  readonly keep?: readonly string[];
  /**
   * The method creates objects: no values of other JSON types, which a server may coerce into a name
   * without the run prefix ("None", "-7") and so make an object the run cannot find again.
   */
  readonly creates?: boolean;
  /**
   * The server reads a value of another JSON type as the declared one (Qt6: -7 becomes "-7", null ""):
   * no values of other types, which could name an object the run did not make.
   */
  readonly coerces?: boolean;
}

export function mutationsOf(
  schema: TObject,
  valid: Readonly<Record<string, unknown>>,
  prefix: string,
  options: MutationOptions = {},
): fc.Arbitrary<Mutation> {
  const keep = options.keep ?? [];
  const all = signatureOf(schema);
  // Parameters that address the call (a REST path) are never mutated.
  const signature = {
    ...all,
    names: all.names.filter((n) => !keep.includes(n)),
    required: all.required.filter((n) => !keep.includes(n)),
  };
  const properties = schema.properties as Record<string, unknown>;
  const names = signature.names.length > 0 ? signature.names : ['accord_param'];
  const strings = names.filter((n) => schemaType(properties[n]) === 'string');
  const numbers = names.filter((n) => ['integer', 'number'].includes(schemaType(properties[n]) ?? ''));
  const junk: unknown[] = [`${prefix}_junk`, [], {}, null, -7, 0.5, [`${prefix}_x`], { [`${prefix}_k`]: 1 }];
  const named = (kind: string, name: string, value: unknown): Mutation => ({
    kind: `${kind} ${name}`,
    params: { ...valid, [name]: value },
  });

  const arbitraries: fc.Arbitrary<Mutation>[] = [
    UNKNOWN_FIELD.map(([k, v]) => ({ kind: 'unknown field', params: { ...valid, [`${prefix}_${k}`]: v } })),
    fc
      .constantFrom('__proto__', 'constructor', 'prototype')
      .map((k) => ({ kind: `key ${k}`, params: withOwnKey(valid, k, { polluted: true }) })),
  ];
  if (!options.creates && !options.coerces)
    arbitraries.push(
      fc.tuple(fc.constantFrom(...names), fc.constantFrom(...junk)).map(([n, v]) => named('wrong type for', n, v)),
    );
  if (signature.required.length > 0) {
    arbitraries.push(
      fc.constantFrom(...signature.required).map((n) => {
        const { [n]: _dropped, ...rest } = valid;
        return { kind: `missing ${n}`, params: rest };
      }),
    );
  }
  if (numbers.length > 0)
    arbitraries.push(
      fc.tuple(fc.constantFrom(...numbers), fc.constantFrom(...HUGE)).map(([n, v]) => named('out of range', n, v)),
    );
  if (strings.length > 0) {
    arbitraries.push(
      // A created object must stay addressable: REST names it in the URL path, which servers cap near 8 KiB.
      fc
        .tuple(fc.constantFrom(...strings), fc.integer({ min: 300, max: options.creates ? 4000 : 70_000 }))
        .map(([n, len]) => named('over-long', n, `${prefix}_${'x'.repeat(len)}`)),
      fc
        .tuple(fc.constantFrom(...strings), ANY_TEXT)
        .map(([n, text]) => named('unicode and control characters in', n, `${prefix}_${text}`)),
      fc
        .tuple(
          fc.constantFrom(...strings),
          fc.constantFrom('\u0000', '\u202e', '\ud800', '%00', '../../etc', '<script>', "'; --", '\r\n\r\n'),
        )
        .map(([n, text]) => named('hostile text in', n, `${prefix}_${text}`)),
    );
  }
  return fc.oneof(...arbitraries);
}
