import { API, parseKey, type ObjectNotation, type TypeNotation } from '../../../src/protocols/nymea/api.js';
import { QT_BUILDS, type QtForm } from '../../../src/protocols/nymea/variants.js';
import { qtToString, TEXT } from '../../../src/wire/nymea.js';

/**
 * nymea's params validator (nymea.md §8), run against the introspection data: required keys first (in the
 * order of the definition's keys, prefixes included, as a QVariantMap sorts them), then each given key in
 * alphabetical order: unknown keys are refused, values are checked against their type. Basic types are
 * checked as the build's Qt does (variants.ts: Qt5 wants values convertible and Uuids that parse).
 */
interface Failure {
  readonly reason: string;
  readonly where: string;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function validateParams(
  method: string,
  params: Readonly<Record<string, unknown>>,
  qt: QtForm = QT_BUILDS.qt5,
): string | undefined {
  const definition = API.methods[method]?.params ?? {};
  const failure = validateMap(params, definition, qt);
  return failure ? TEXT.invalidParams(failure.reason, `${method}, param ${failure.where}`) : undefined;
}

/** An object definition read once: its required keys (as written, in order) and its keys by name. */
interface CompiledMap {
  readonly required: readonly { readonly key: string; readonly name: string }[];
  readonly byName: ReadonlyMap<string, string>;
}

const compiled = new WeakMap<ObjectNotation, CompiledMap>();

function compile(definition: ObjectNotation): CompiledMap {
  let c = compiled.get(definition);
  if (!c) {
    const keys = Object.keys(definition).sort(byCodeUnit);
    const parsed = keys.map((key) => ({ key, ...parseKey(key) }));
    c = {
      required: parsed.filter((p) => !p.optional && !p.readOnly).map((p) => ({ key: p.key, name: p.name })),
      // The first definition key of a name wins, as a search in sorted order would find it.
      byName: new Map([...parsed].reverse().map((p) => [p.name, p.key])),
    };
    compiled.set(definition, c);
  }
  return c;
}

function validateMap(
  map: Readonly<Record<string, unknown>>,
  definition: ObjectNotation,
  qt: QtForm,
): Failure | undefined {
  const { required, byName } = compile(definition);
  for (const { key, name } of required) {
    if (!Object.prototype.hasOwnProperty.call(map, name)) return { reason: `Missing required key: ${key}`, where: key };
  }
  const given = Object.keys(map);
  if (given.length > 1) given.sort(byCodeUnit);
  for (const key of given) {
    const definitionKey = byName.get(key);
    if (definitionKey === undefined) return { reason: `Invalid key: ${key}`, where: '' };
    const inner = validateEntry(map[key], definition[definitionKey] as TypeNotation, qt);
    if (inner) return { reason: inner.reason, where: `${key}.${inner.where}` };
  }
  return undefined;
}

const UUID = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;

/** Which JSON values Qt5 can convert to each basic type. */
const CONVERTIBLE: Readonly<Record<string, (v: unknown) => boolean>> = {
  // null converts too (to ""), as the real Qt5 build shows.
  String: (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v),
  Color: (v) => typeof v === 'string',
  Time: (v) => typeof v === 'string',
  Uuid: (v) => typeof v === 'string',
  StringList: (v) => typeof v === 'string' || Array.isArray(v),
  Int: (v) => typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)),
  Uint: (v) => typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && /^\s*\d+\s*$/.test(v)),
  Double: (v) =>
    typeof v === 'number' ||
    typeof v === 'boolean' ||
    (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))),
  Bool: (v) => ['string', 'number', 'boolean'].includes(typeof v),
  Variant: () => true,
  Object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
};

/**
 * [Qt6] (nymea.md §8): no convertibility and no Uuid check; Int, UInt and Double are tested with their own
 * texts. Color and Time are tested too, with texts not established: the Qt5 test and text stand for them.
 */
const QT6_NUMBERS: Readonly<Record<string, string>> = { Int: 'Int', Uint: 'UInt', Double: 'Double' };
function qt6Basic(value: unknown, name: string): Failure | undefined {
  const number = QT6_NUMBERS[name];
  if (number !== undefined)
    return CONVERTIBLE[name]!(value) ? undefined : { reason: `Invalid ${number}: ${qtToString(value)}`, where: '' };
  if (name === 'Color' || name === 'Time')
    return CONVERTIBLE[name]!(value)
      ? undefined
      : { reason: `Invalid value. Expected: ${name}, Got: ${qtToString(value)}`, where: '' };
  return undefined;
}

function validateEntry(value: unknown, expected: TypeNotation, qt: QtForm): Failure | undefined {
  if (Array.isArray(expected)) {
    // A value that is not a list reads as an empty one (QVariant::toList).
    const list = Array.isArray(value) ? value : [];
    for (const item of list) {
      const f = validateEntry(item, expected[0] as TypeNotation, qt);
      if (f) return f;
    }
    return undefined;
  }
  if (typeof expected === 'object') {
    const map =
      typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    return validateMap(map, expected as ObjectNotation, qt);
  }
  const name = expected as string;
  if (name.startsWith('$ref:')) return validateRef(value, name.slice('$ref:'.length), qt);
  if (!qt.convertibilityCheck) return qt6Basic(value, name);
  const convertible = CONVERTIBLE[name];
  if (!convertible || !convertible(value))
    return { reason: `Invalid value. Expected: ${name}, Got: ${qtToString(value)}`, where: '' };
  if (name === 'Uuid' && !UUID.test(String(value))) return { reason: `Invalid Uuid: ${qtToString(value)}`, where: '' };
  return undefined;
}

function validateRef(value: unknown, ref: string, qt: QtForm): Failure | undefined {
  const values = API.enums[ref];
  if (values)
    return values.includes(qtToString(value)) && typeof value === 'string'
      ? undefined
      : { reason: `Expected enum value for ${ref} but got ${qtToString(value)}`, where: '' };
  const flags = API.flags[ref];
  if (flags) {
    if (!Array.isArray(value)) return { reason: `Expected flags ${ref} but got ${qtToString(value)}`, where: '' };
    for (const item of value) {
      const f = validateEntry(item, flags[0] as TypeNotation, qt);
      if (f) return f;
    }
    return undefined;
  }
  const type = API.types[ref];
  return type === undefined ? undefined : validateEntry(value, type, qt);
}
