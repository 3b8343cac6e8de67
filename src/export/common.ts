import type { TSchema } from 'typebox';
import type { Fixture } from '../fixtures/format.js';
import type { Level } from '../spec/levels.js';
import type { MethodSpec, ResultSchemas } from '../spec/method.js';
import type { ProtocolSpec } from '../spec/protocol.js';
import type { RecordedMethod, Recording } from './record.js';

export type AnyProtocol = ProtocolSpec<unknown, unknown>;
export type AnyMethod = MethodSpec<unknown, unknown>;
export type JsonObject = Record<string, unknown>;

/** What a generator reads: the declarations, the replies recorded from the mock, the committed fixtures. */
export interface ExportInput {
  readonly protocol: AnyProtocol;
  readonly level: Level;
  readonly recording: Recording;
  readonly fixtures: readonly Fixture[];
}

export const EXPORT_FORMATS = ['openapi', 'openrpc', 'asyncapi'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A TypeBox schema as plain JSON (TypeBox keeps its own marks in symbols, which JSON leaves out). */
export function plain(schema: TSchema): JsonObject {
  return JSON.parse(JSON.stringify(schema)) as JsonObject;
}

/**
 * A draft-07 schema in JSON Schema 2020-12 terms (OpenAPI 3.1's dialect): TypeBox writes tuples as
 * `items: [...]` with `additionalItems`, which 2020-12 spells `prefixItems` and `items`.
 */
export function as2020(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(as2020);
  if (typeof node !== 'object' || node === null) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'additionalItems') out[k] = as2020(v);
  const source = node as JsonObject;
  if (Array.isArray(source['items'])) {
    out['prefixItems'] = as2020(source['items']);
    if (source['additionalItems'] === false) out['items'] = false;
    else delete out['items'];
  }
  return out;
}

/**
 * The result schema a document at this level carries: `must` is what every conforming server sends,
 * `quirk` the exact form of the real server (falling back to the looser ones where it has none).
 */
export function resultAt(result: ResultSchemas, level: Level): TSchema {
  if (level === 'must') return result.must;
  if (level === 'should') return result.should ?? result.must;
  return result.quirk ?? result.should ?? result.must;
}

/** The x-accord-access extension: the rule, and per identity whether it may call, and what a refusal is. */
export function accessExtension(method: AnyMethod, recorded: RecordedMethod | undefined, replyBody: (reply: unknown) => unknown): JsonObject {
  return {
    rule: method.access.term,
    see: method.access.see,
    identities: (recorded?.access ?? []).map((a) => ({
      identity: a.identity,
      label: a.label,
      allowed: a.allowed,
      ...(a.allowed ? {} : { why: a.why, checked: a.denial }),
      ...(recorded?.denials[a.identity] ? { reply: replyBody(recorded.denials[a.identity]?.reply) } : {}),
    })),
  };
}

/** The x-accord-errors extension: every declared error case, and what the server answered to it. */
export function errorsExtension(method: AnyMethod, recorded: RecordedMethod | undefined, replyBody: (reply: unknown) => unknown): JsonObject[] {
  return method.errors.map((e) => {
    const call = recorded?.errors[e.id];
    return {
      id: e.id,
      says: e.says,
      level: e.level,
      see: e.see,
      ...(e.as ? { as: e.as } : {}),
      ...(call ? { params: call.params, reply: replyBody(call.reply) } : {}),
    };
  });
}

export function fixturesOf(input: ExportInput, method: string): Fixture[] {
  return input.fixtures.filter((f) => f.method === method);
}

/** `access.users.get` → `access_users_get`: a name every tool accepts as a component key. */
export function keyOf(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}

export function reference(protocol: AnyProtocol): string {
  const urls = protocol.sources[''] ?? [];
  return urls.length > 0 ? urls.join(' ') : protocol.reference;
}
