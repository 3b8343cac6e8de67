import type { TSchema } from 'typebox';
import type { OpenRpcFacts, RpcError } from '../spec/export-facts.js';
import { violations } from '../spec/schema.js';
import {
  accessExtension,
  errorsExtension,
  fixturesOf,
  infoOf,
  plain,
  resultAt,
  type AnyMethod,
  type ExportInput,
  type JsonObject,
} from './common.js';

/** The body of a recorded reply: an HTTP body, or the first message on a stream. */
function bodyOf(reply: unknown): unknown {
  if (typeof reply !== 'object' || reply === null) return reply;
  const r = reply as JsonObject;
  if ('body' in r) return r['body'];
  if (Array.isArray(r['messages'])) return r['messages'][0];
  return reply;
}

/** A success's result in a recorded reply, or undefined when the reply is an error. */
function resultOf(facts: OpenRpcFacts, reply: unknown, result: TSchema): { value: unknown } | undefined {
  if (facts.errorOf(reply) !== undefined) return undefined;
  const body = bodyOf(reply);
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as JsonObject;
  const value = 'result' in b ? b['result'] : b['params'];
  return violations(result, value).length === 0 ? { value } : undefined;
}

function errorsOf(facts: OpenRpcFacts, input: ExportInput, method: AnyMethod): RpcError[] {
  const recorded = input.recording[method.name];
  const replies = [
    ...Object.values(recorded?.errors ?? {}).map((c) => c.reply),
    ...Object.values(recorded?.denials ?? {}).map((c) => c.reply),
    ...fixturesOf(input, method.name)
      .filter((f) => f.source === 'generated')
      .map((f) => f.reply),
  ];
  const seen = new Map<string, RpcError>();
  for (const reply of replies) {
    const error = facts.errorOf(reply);
    if (error) seen.set(JSON.stringify(error), error);
  }
  return [...seen.values()];
}

function paramsOf(method: AnyMethod): JsonObject[] {
  const properties = method.params.properties as Record<string, TSchema>;
  const required = new Set((method.params.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    required: required.has(name),
    schema: plain(schema),
  }));
}

/** Example pairings: each call known to succeed (recorded from the mock, fixtures, the documentation). */
function examplesOf(facts: OpenRpcFacts, input: ExportInput, method: AnyMethod, result: TSchema): JsonObject[] {
  const names = Object.keys(method.params.properties);
  const pairing = (name: string, summary: string, params: unknown, value: unknown): JsonObject | undefined => {
    if (typeof params !== 'object' || params === null) return undefined;
    const byName = Array.isArray(params)
      ? Object.fromEntries(params.map((v, i) => [names[i] ?? String(i), v]))
      : (params as JsonObject);
    // Every declared param, in order, so that tools matching examples by position see the same call.
    const listed = names.filter((n) => n in byName).map((n) => ({ name: n, value: byName[n] }));
    return { name, summary, params: listed, result: { name: 'result', value } };
  };
  const out: JsonObject[] = [];
  const success = input.recording[method.name]?.success;
  const ok = success ? resultOf(facts, success.reply, result) : undefined;
  if (success && ok)
    out.push(pairing('recorded', `a valid call as ${success.identity}`, success.params, ok.value) ?? {});
  for (const f of fixturesOf(input, method.name)) {
    if (f.source === 'documentation') {
      const body = bodyOf(f.reply);
      const value =
        typeof body === 'object' && body !== null && 'result' in body ? (body as JsonObject)['result'] : body;
      if (violations(result, value).length === 0) out.push(pairing(f.case, f.description, f.params, value) ?? {});
    } else {
      const r = resultOf(facts, f.reply, result);
      if (r) out.push(pairing(`fixture-${f.case}`, f.description, f.params, r.value) ?? {});
    }
  }
  return out.filter((e) => Object.keys(e).length > 0);
}

function methodOf(facts: OpenRpcFacts, input: ExportInput, method: AnyMethod): JsonObject {
  const recorded = input.recording[method.name];
  const result = resultAt(method.result, input.level, input.variant);
  const examples = examplesOf(facts, input, method, result);
  const errors = errorsOf(facts, input, method);
  const out: JsonObject = {
    name: method.name,
    summary: method.summary,
    description: `${method.summary}. Access: ${method.access.term} (${method.access.see}). See ${method.see}.`,
    tags: [{ name: method.group }],
    paramStructure: facts.paramStructure,
    params: paramsOf(method),
    result: { name: 'result', schema: plain(result) },
    ...(errors.length > 0 ? { errors } : {}),
    ...(examples.length > 0 ? { examples } : {}),
    'x-accord-access': accessExtension(method, recorded, bodyOf),
    'x-accord-errors': errorsExtension(method, recorded, bodyOf),
  };
  if (recorded && recorded.missed.length > 0) out['x-accord-not-recorded'] = recorded.missed;
  return out;
}

/** An OpenRPC 1.3 document of an RPC protocol's methods, at one level. */
export function openRpcDocument(input: ExportInput): JsonObject {
  const { protocol } = input;
  const facts = protocol.exportAs?.openrpc;
  if (!protocol.exportAs || !facts)
    throw new Error(`${protocol.id} declares no OpenRPC facts: it is not an RPC protocol`);
  return {
    openrpc: '1.3.2',
    info: infoOf(input),
    servers: [{ name: protocol.id, url: facts.serverUrl }],
    methods: protocol.methods.map((m) => methodOf(facts, input, m)),
    'x-accord-envelope': facts.envelope,
    'x-accord-level': input.level,
  };
}
