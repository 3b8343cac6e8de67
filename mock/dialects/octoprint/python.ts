/**
 * The few Python semantics OctoPrint's handlers lean on, so that a request the handler was not written for
 * fails where and how it fails on the real server: `"x" in data` on whatever JSON arrived, iterating a
 * value with `*value`, and `value in valid_boolean_trues`.
 */

/** An unhandled Python exception (TypeError, AttributeError...): Flask answers 500. */
export class PyError extends Error {}

export type Dict = Record<string, unknown>;

/** A password passlib hashes or verifies: anything but a str raises "secret must be str or bytes". */
export function pySecret(value: unknown): string {
  if (typeof value === 'string') return value;
  throw new PyError(`TypeError: secret must be str or bytes, not ${pyType(value)}`);
}

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `key in container`: dict keys, list members, substrings; anything else raises TypeError. */
export function pyIn(key: string, container: unknown): boolean {
  if (isDict(container)) return Object.prototype.hasOwnProperty.call(container, key);
  if (Array.isArray(container)) return container.some((x) => x === key);
  if (typeof container === 'string') return container.includes(key);
  throw new PyError(`argument of type '${pyType(container)}' is not iterable`);
}

/** `data[key]` / `data.get(key)` on the parsed body: only a dict has them. */
export function pyGet(container: unknown, key: string): unknown {
  if (isDict(container)) return container[key];
  throw new PyError(`'${pyType(container)}' object is not subscriptable`);
}

/** `f(*value)`: lists item by item, strings character by character, dicts by key; numbers and None raise. */
export function pyIter(value: unknown, what: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [...value];
  if (isDict(value)) return Object.keys(value);
  throw new PyError(`${what}: argument after * must be an iterable, not ${pyType(value)}`);
}

export function pyType(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  return Array.isArray(value) ? 'list' : 'dict';
}

/** `value in valid_boolean_trues` ([True, "true", "yes", "y", "1", 1]; strings compared case-insensitively). */
export function isTrueValue(value: unknown): boolean {
  if (value === true || value === 1) return true;
  return typeof value === 'string' && ['true', 'yes', 'y', '1'].includes(value.toLowerCase());
}

/** A value Python can use as a dict key (lists and dicts cannot). */
export type Hashable = string | number | boolean | null;

export function hashable(value: unknown, what: string): Hashable {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as Hashable;
  throw new PyError(`${what}: unhashable type: '${pyType(value)}'`);
}
