import { Type, type TObject, type TSchema } from 'typebox';
import { validatorFor } from '../src/spec/schema.js';
import type { HttpResponseData } from '../src/wire/http.js';

/**
 * Request diagnostics: when a client sends something that differs from the spec, the mock still answers
 * exactly as the real server would, and also says what was wrong: one log line per finding, and a
 * response header naming the field and the rule, e.g.
 *
 *   X-Accord-Diagnostic: groups: expected an array of strings, got null (POST /api/access/users; OctoPrint answers 500 here)
 *
 * Generic: a dialect validates a request body against a method's params schema (compiled once) and adds
 * its own findings in words; it knows nothing of any protocol.
 */
export const DIAGNOSTIC_HEADER = 'x-accord-diagnostic';

/** Copies of params schemas that also flag unknown fields: made once per schema and left-out set. */
const strictCopies = new WeakMap<TSchema, Map<string, TSchema>>();

/** The body part of a params schema (path parameters left out), strict about unknown fields. */
export function strictBodySchema(params: TObject, leaveOut: readonly string[] = []): TSchema {
  let copies = strictCopies.get(params);
  if (!copies) strictCopies.set(params, (copies = new Map()));
  const id = leaveOut.join('\u0000');
  let strict = copies.get(id);
  if (!strict) {
    const properties = Object.fromEntries(Object.entries(params.properties).filter(([k]) => !leaveOut.includes(k)));
    strict = Type.Object(properties, { additionalProperties: false });
    copies.set(id, strict);
  }
  return strict;
}

/** Findings about a decoded body, one per field, in words a frontend developer can act on. */
export function diagnoseBody(schema: TSchema, body: unknown): string[] {
  const validate = validatorFor(schema);
  if (validate(body)) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of validate.errors ?? []) {
    const path = e.instancePath.split('/').slice(1).map(decodePointer);
    let field = path.length === 0 ? 'body' : fieldName(path);
    let message: string;
    if (e.keyword === 'required') {
      const missing = String((e.params as { missingProperty?: unknown }).missingProperty);
      field = path.length === 0 ? missing : `${field}.${missing}`;
      message = `${field}: missing (required)`;
    } else if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty?: unknown }).additionalProperty);
      field = path.length === 0 ? extra : `${field}.${extra}`;
      message = `${field}: not a field of this request (ignored)`;
    } else {
      const expected = describeSchema(schemaAt(schema, path));
      message = `${field}: expected ${expected}, got ${describeValue(valueAt(body, path))}`;
    }
    if (seen.has(field)) continue;
    seen.add(field);
    out.push(message);
  }
  return out;
}

/** The response with the findings in a header (and each logged), suffixed with where and what came back. */
export function withDiagnostics(
  response: HttpResponseData,
  findings: readonly string[],
  where: { readonly verb: string; readonly path: string; readonly server: string },
  log?: (line: string) => void,
): HttpResponseData {
  if (findings.length === 0) return response;
  const suffix = `(${where.verb} ${where.path}; ${where.server} answers ${response.status} here)`;
  const lines = findings.map((f) => `${f} ${suffix}`);
  for (const line of lines) log?.(`diagnostic: ${line}`);
  // Header values must be one line of visible ASCII.
  const value = lines.join(' | ').replace(/[^\x20-\x7e]/g, '?');
  return { ...response, headers: { ...response.headers, [DIAGNOSTIC_HEADER]: value } };
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function fieldName(path: readonly string[]): string {
  return path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function schemaAt(schema: TSchema, path: readonly string[]): TSchema | undefined {
  let s: TSchema | undefined = schema;
  for (const p of path) s = childSchema(s, p);
  return s;
}

/** The schema of one property or item; through unions and intersections, the first branch that has it. */
function childSchema(schema: TSchema | undefined, key: string): TSchema | undefined {
  const node = schema as
    { properties?: Record<string, TSchema>; items?: TSchema; anyOf?: TSchema[]; allOf?: TSchema[] } | undefined;
  if (!node) return undefined;
  if (node.properties && key in node.properties) return node.properties[key];
  if (node.items && /^\d+$/.test(key)) return node.items;
  for (const branch of [...(node.allOf ?? []), ...(node.anyOf ?? [])]) {
    const found = childSchema(branch, key);
    if (found) return found;
  }
  return undefined;
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const p of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

const NOUNS: Readonly<Record<string, string>> = {
  string: 'a string',
  boolean: 'true or false',
  integer: 'an integer',
  number: 'a number',
  object: 'an object',
  null: 'null',
  array: 'an array',
};

export function describeSchema(schema: TSchema | undefined): string {
  const s = schema as
    { type?: unknown; items?: TSchema; anyOf?: TSchema[]; const?: unknown; enum?: unknown[] } | undefined;
  if (!s) return 'something else';
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.anyOf)) return s.anyOf.map(describeSchema).join(' or ');
  if (s.type === 'array') {
    const item = describeSchema(s.items);
    return item === 'something else' ? 'an array' : `an array of ${plural(item)}`;
  }
  return typeof s.type === 'string' ? (NOUNS[s.type] ?? s.type) : 'a JSON value';
}

function plural(noun: string): string {
  return noun
    .replace(/^an? /, '')
    .replace(/^(string|integer|number|object|array)$/, '$1s')
    .replace(/^true or false$/, 'booleans');
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === 'number' ? 'the number ' : ''}${String(value)}`;
}
