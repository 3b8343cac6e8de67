import { Type, type TObject, type TSchema } from 'typebox';
import {
  API,
  apiMethod,
  apiNotification,
  parseKey,
  type NymeaApi,
  type ObjectNotation,
  type TypeNotation,
} from './api.js';

/**
 * nymea's type notation (api.ts) as JSON Schema, through TypeBox:
 * - basic types: `String`, `Uuid`, `Int`, `Uint`, `Double`, `Bool`, `StringList`, `Variant`, `Object`, `Color`, `Time`;
 * - `$ref:<name>`: an enum (one of its names), flags (a list of the enum's names) or an object type;
 * - `[T]`: a list of T; an object: its keys, `o:` optional, `r:` read-only, `d:` deprecated.
 *
 * Two directions: `params` (what a client sends: unknown keys are refused, as nymea's validator does, and
 * read-only keys are not accepted) and `returns` (what the server sends: read-only keys are present).
 * `strict` returns allow no keys beyond the declared ones (the exact real form, for quirk-level checks);
 * lenient returns allow more (a newer server may add keys).
 */
export type Direction = 'params' | 'returns';

export interface ConvertOptions {
  readonly direction: Direction;
  readonly strict: boolean;
}

/** Qt writes UUIDs without braces inside objects and Hello's uuid with them; inputs may have either. */
export const UUID_PATTERN = '^\\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\}?$';

const BASIC: Readonly<Record<string, () => TSchema>> = {
  Uuid: () => Type.String({ pattern: UUID_PATTERN }),
  String: () => Type.String(),
  StringList: () => Type.Array(Type.String()),
  Int: () => Type.Integer(),
  Uint: () => Type.Integer({ minimum: 0 }),
  Double: () => Type.Number(),
  Bool: () => Type.Boolean(),
  Variant: () => Type.Unknown(),
  Color: () => Type.String(),
  Time: () => Type.String(),
  Object: () => Type.Unsafe<Record<string, unknown>>({ type: 'object' }),
};

export function schemaOf(notation: TypeNotation, options: ConvertOptions, api: NymeaApi = API): TSchema {
  if (typeof notation === 'string') return namedSchema(notation, options, api);
  if (isList(notation)) {
    const [item] = notation;
    if (item === undefined || notation.length !== 1)
      throw new Error(`a list notation has exactly one element type, got ${JSON.stringify(notation)}`);
    return Type.Array(schemaOf(item, options, api));
  }
  return objectSchema(notation as ObjectNotation, options, api);
}

function isList(notation: TypeNotation): notation is readonly TypeNotation[] {
  return Array.isArray(notation);
}

function namedSchema(name: string, options: ConvertOptions, api: NymeaApi): TSchema {
  if (!name.startsWith('$ref:')) {
    const basic = BASIC[name];
    if (!basic) throw new Error(`unknown nymea basic type ${name}`);
    return basic();
  }
  const ref = name.slice('$ref:'.length);
  const values = api.enums[ref];
  if (values)
    return Type.Union(
      values.map((v) => Type.Literal(v)),
      { title: ref },
    );
  const flags = api.flags[ref];
  if (flags) return { ...schemaOf(flags, options, api), title: ref };
  const type = api.types[ref];
  if (type !== undefined) return { ...schemaOf(type, options, api), title: ref };
  throw new Error(`$ref:${ref} names no enum, flags or type of the introspection data`);
}

export function objectSchema(
  notation: ObjectNotation,
  options: ConvertOptions,
  api: NymeaApi = API,
  title?: string,
): TObject {
  const properties: Record<string, TSchema> = {};
  for (const [key, value] of Object.entries(notation)) {
    const parsed = parseKey(key);
    if (parsed.readOnly && options.direction === 'params') continue;
    const schema = schemaOf(value, options, api);
    properties[parsed.name] = parsed.optional ? Type.Optional(schema) : schema;
  }
  const closed = options.direction === 'params' || options.strict;
  return Type.Object(properties, { additionalProperties: !closed, ...(title ? { title } : {}) });
}

/** Everything the spec derives for one method. */
export interface MethodSchemas {
  readonly params: TObject;
  /** What documentation and real server share: the declared keys, more allowed. */
  readonly returns: TObject;
  /** The exact real form: the declared keys only. */
  readonly returnsStrict: TObject;
  readonly permissionScope: string;
}

export function methodSchemas(name: string, api: NymeaApi = API): MethodSchemas {
  const m = api === API ? apiMethod(name) : api.methods[name];
  if (!m) throw new Error(`no method ${name}`);
  return {
    params: objectSchema(m.params, { direction: 'params', strict: true }, api),
    returns: objectSchema(m.returns, { direction: 'returns', strict: false }, api, `the returns of ${name}`),
    returnsStrict: objectSchema(
      m.returns,
      { direction: 'returns', strict: true },
      api,
      `exactly the returns of ${name}`,
    ),
    permissionScope: m.permissionScope,
  };
}

export function notificationSchema(name: string, strict: boolean, api: NymeaApi = API): TObject {
  const n = api === API ? apiNotification(name) : api.notifications[name];
  if (!n) throw new Error(`no notification ${name}`);
  return objectSchema(
    n.params,
    { direction: 'returns', strict },
    api,
    `${strict ? 'exactly ' : ''}the params of ${name}`,
  );
}
