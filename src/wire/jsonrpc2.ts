import type { TSchema } from 'typebox';
import { facet, onReplyOf, type Expectation, type Facet } from '../spec/expectation.js';
import type { Level } from '../spec/levels.js';
import { NOT_JSON, type Observed } from '../spec/observed.js';
import { describeViolations, violations } from '../spec/schema.js';
import { leaveBodyParse } from './parsed-once.js';
import { clip, show } from '../spec/show.js';
import { httpStatus } from './http-facets.js';
import type { HttpResponseData } from './http.js';
import { jsonDepth, parseOrdered, stringifyJson } from './ordered-json.js';
import { hasLoneSurrogate } from './text.js';

/**
 * JSON-RPC 2.0 over HTTP, both directions, as the fguillot/JsonRPC server (the one Kanboard ships) frames
 * it: every JSON-RPC outcome is HTTP 200, except authentication and authorization failures, which replace
 * the whole response with HTTP 401/403 and `id: null`; an id that is absent or null makes a notification;
 * a scalar batch member is a parse error. Reference: kanboard.md §1, §3, §5.
 */

// ---------------------------------------------------------------- server side

export interface Jsonrpc2Call {
  readonly method: string;
  /** As sent: undefined, null, an array or an object. */
  readonly params: unknown;
  readonly id: unknown;
  /** No id, or id null: the reply is not sent (except the errors that replace the whole response). */
  readonly notification: boolean;
}

export interface Jsonrpc2Error {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

export type Jsonrpc2Reply =
  | { readonly result: unknown }
  | { readonly error: Jsonrpc2Error }
  /** Authentication (401) or authorization (403) failure: replaces the whole HTTP response. */
  | { readonly deny: 401 | 403 }
  /** A PHP fatal error: HTTP 500 with an empty text/html body, whatever else the batch did. */
  | { readonly fatal: true };

/** json_decode's default nesting limit. */
export const PHP_JSON_DEPTH = 512;

export const PARSE_ERROR: Jsonrpc2Error = { code: -32700, message: 'Parse error' };
export const INVALID_REQUEST: Jsonrpc2Error = { code: -32600, message: 'Invalid Request' };
export const METHOD_NOT_FOUND: Jsonrpc2Error = { code: -32601, message: 'Method not found' };
export function invalidParams(data: string): Jsonrpc2Error {
  return { code: -32602, message: 'Invalid params', data };
}

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** One serialised reply object; key order jsonrpc, result|error, id as the real server writes it. */
function replyObject(reply: { result: unknown } | { error: Jsonrpc2Error }, id: unknown): string {
  if ('error' in reply) {
    const { code, message, data } = reply.error;
    const error = data === undefined || data === '' ? { code, message } : { code, message, data };
    return JSON.stringify({ jsonrpc: '2.0', error, id: id ?? null });
  }
  return `{"jsonrpc":"2.0","result":${stringifyJson(reply.result === undefined ? null : reply.result)},"id":${JSON.stringify(id ?? null)}}`;
}

function denialResponse(status: 401 | 403): HttpResponseData {
  const message = status === 401 ? 'Unauthorized' : 'Forbidden';
  const headers: Record<string, string> =
    status === 401 ? { ...JSON_HEADERS, 'www-authenticate': 'Basic realm="JsonRPC"' } : { ...JSON_HEADERS };
  return { status, headers, body: JSON.stringify({ jsonrpc: '2.0', error: { code: status, message }, id: null }) };
}

const FATAL: HttpResponseData = { status: 500, headers: { 'content-type': 'text/html; charset=UTF-8' }, body: '' };

type Member = { kind: 'call'; call: Jsonrpc2Call } | { kind: 'error'; error: Jsonrpc2Error };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** PHP decodes `{}` and `[]` to the same empty array; neither is a batch, both fail the envelope check. */
function decodeMember(value: unknown): Member {
  if (!isObject(value) && !Array.isArray(value)) return { kind: 'error', error: PARSE_ERROR };
  if (!isObject(value)) return { kind: 'error', error: INVALID_REQUEST };
  const { jsonrpc, method, params } = value;
  const paramsOk = params === undefined || params === null || typeof params === 'object';
  if (jsonrpc !== '2.0' || typeof method !== 'string' || !paramsOk) return { kind: 'error', error: INVALID_REQUEST };
  const id = value['id'];
  return { kind: 'call', call: { method, params, id, notification: id === undefined || id === null } };
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

function holdsLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return hasLoneSurrogate(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsLoneSurrogate);
  return Object.entries(value).some(([k, v]) => hasLoneSurrogate(k) || holdsLoneSurrogate(v));
}

/**
 * Answer one HTTP request body. `handle` is called once per call, in order; replies that replace the whole
 * response (deny, fatal) stop the batch, and calls that ran before keep their effects, as on the real server.
 */
export async function answer(
  body: string,
  handle: (call: Jsonrpc2Call) => Jsonrpc2Reply | Promise<Jsonrpc2Reply>,
  options: { readonly maxDepth?: number; readonly notUtf8?: boolean } = {},
): Promise<HttpResponseData> {
  let payload: unknown;
  try {
    // PHP's json_decode gives null (a parse error) past its nesting limit of 512, for bytes that are not
    // UTF-8, and for a \u escape of half a surrogate pair.
    // A body can nest no deeper than it has characters: only a longer one is scanned.
    const maxDepth = options.maxDepth ?? PHP_JSON_DEPTH;
    payload =
      options.notUtf8 || body.trim() === '' || (body.length > maxDepth && jsonDepth(body) > maxDepth)
        ? null
        : JSON.parse(body);
    if (SURROGATE_ESCAPE.test(body) && holdsLoneSurrogate(payload)) payload = null;
    else leaveBodyParse(body, payload);
  } catch {
    payload = null;
  }
  if (typeof payload !== 'object' || payload === null) {
    return { status: 200, headers: JSON_HEADERS, body: replyObject({ error: PARSE_ERROR }, null) };
  }
  const batch = Array.isArray(payload) && payload.length > 0;
  const members = batch ? (payload as unknown[]).map(decodeMember) : [decodeMember(payload)];
  const parts: string[] = [];
  for (const member of members) {
    if (member.kind === 'error') {
      parts.push(replyObject({ error: member.error }, null));
      continue;
    }
    const pending = handle(member.call);
    // A handler that answers at once is not awaited: a turn of the event loop less per call.
    const reply = pending instanceof Promise ? await pending : pending;
    if ('deny' in reply) return denialResponse(reply.deny);
    if ('fatal' in reply) return FATAL;
    if (!member.call.notification) parts.push(replyObject(reply, member.call.id));
  }
  if (parts.length === 0) return { status: 200, headers: JSON_HEADERS, body: '' };
  return { status: 200, headers: JSON_HEADERS, body: batch ? `[${parts.join(',')}]` : (parts[0] as string) };
}

// ---------------------------------------------------------------- client side

export interface Jsonrpc2Request {
  readonly method: string;
  readonly params?: unknown;
  readonly id?: unknown;
  /** Leave the id out altogether (a notification). */
  readonly omitId?: boolean;
}

export function encodeRequest(r: Jsonrpc2Request): string {
  const message: Record<string, unknown> = { jsonrpc: '2.0', method: r.method };
  if (!r.omitId) message['id'] = r.id;
  if (r.params !== undefined) message['params'] = r.params;
  return JSON.stringify(message);
}

/** The decoded reply object of a single (non-batch) response, or why there is none. */
export function replyOf(o: Observed): { ok: true; reply: Record<string, unknown> } | { ok: false; why: string } {
  if (o.transport === 'none') return { ok: false, why: o.error };
  if (o.transport !== 'http') return { ok: false, why: 'not an HTTP reply' };
  if (o.json === NOT_JSON)
    return { ok: false, why: o.text === '' ? 'empty body' : `body is not JSON: ${clip(o.text)}` };
  if (!isObject(o.json)) return { ok: false, why: `body is not a JSON-RPC response object: ${clip(o.text)}` };
  return { ok: true, reply: o.json };
}

// ---------------------------------------------------------------- facets

export function status(code: number, level: Level = 'must'): Facet {
  return httpStatus(code, level);
}

export function header(name: string, value: string | RegExp, level: Level): Facet {
  const says = typeof value === 'string' ? `header ${name}: ${value}` : `header ${name} matching ${value}`;
  return facet(level, says, (o) => {
    if (o.transport !== 'http') return 'not an HTTP reply';
    const got = o.headers[name.toLowerCase()];
    if (got === undefined) return `no ${name} header`;
    const ok = typeof value === 'string' ? got === value : value.test(got);
    return ok ? null : `got ${name}: ${got}`;
  });
}

export function emptyBody(level: Level = 'must'): Facet {
  return facet(level, 'an empty body', (o) => {
    if (o.transport !== 'http') return 'not an HTTP reply';
    return o.text === '' ? null : `got body ${clip(o.text)}`;
  });
}

/** Facets on the single reply object. */
const onReply = onReplyOf(replyOf);

export function envelope(level: Level = 'must'): Facet {
  return onReply(level, 'a JSON-RPC 2.0 response object', (r) => {
    if (r['jsonrpc'] !== '2.0') return `jsonrpc is ${show(r['jsonrpc'])}`;
    const has = ('result' in r ? 1 : 0) + ('error' in r ? 1 : 0);
    return has === 1 ? null : 'expected exactly one of result and error';
  });
}

export function idIs(id: unknown, level: Level = 'must'): Facet {
  return onReply(level, `id ${show(id)}`, (r) =>
    JSON.stringify(r['id']) === JSON.stringify(id) ? null : `got id ${show(r['id'])}`,
  );
}

export function resultEquals(
  value: unknown,
  level: Level = 'must',
  explain?: (got: unknown) => string | undefined,
): Facet {
  return facet(
    level,
    `result ${show(value)}`,
    (o) => {
      const r = replyOf(o);
      if (!r.ok) return r.why;
      if ('error' in r.reply) return `got error ${show(r.reply['error'])}`;
      return JSON.stringify(r.reply['result']) === JSON.stringify(value)
        ? null
        : `got result ${show(r.reply['result'])}`;
    },
    explain
      ? (o) => {
          const r = replyOf(o);
          return r.ok ? explain(r.reply['result']) : undefined;
        }
      : undefined,
  );
}

export function resultMatches(schema: TSchema, level: Level, label: string): Facet {
  return onReply(level, `result is ${label}`, (r) => {
    if ('error' in r) return `got error ${show(r['error'])}`;
    if (!('result' in r)) return 'no result member';
    const v = violations(schema, r['result']);
    return v.length === 0 ? null : describeViolations(v);
  });
}

export function resultSatisfies(level: Level, says: string, test: (result: unknown) => string | null): Facet {
  return onReply(level, says, (r) => ('error' in r ? `got error ${show(r['error'])}` : test(r['result'])));
}

export function errorIs(code: number, message: string, level: Level = 'must'): Facet {
  return onReply(level, `error ${code} "${message}"`, (r) => {
    const e = r['error'];
    if (!isObject(e)) return 'result' in r ? `got result ${show(r['result'])}` : 'no error member';
    return e['code'] === code && e['message'] === message ? null : `got error ${e['code']} ${show(e['message'])}`;
  });
}

export function errorCode(code: number, level: Level = 'must'): Facet {
  return onReply(level, `error code ${code}`, (r) => {
    const e = r['error'];
    if (!isObject(e)) return 'result' in r ? `got result ${show(r['result'])}` : 'no error member';
    return e['code'] === code ? null : `got error code ${show(e['code'])}`;
  });
}

export function errorData(data: unknown, level: Level = 'must'): Facet {
  return onReply(level, `error data ${show(data)}`, (r) => {
    const e = r['error'];
    if (!isObject(e)) return 'no error member';
    return JSON.stringify(e['data']) === JSON.stringify(data) ? null : `got data ${show(e['data'])}`;
  });
}

/** A batch reply: an array whose members, in order, satisfy the given tests. */
export function batchReply(level: Level, says: string, test: (members: unknown[]) => string | null): Facet {
  return facet(level, says, (o) => {
    if (o.transport !== 'http') return 'not an HTTP reply';
    if (!Array.isArray(o.json))
      return o.json === NOT_JSON ? `body is not JSON: ${clip(o.text) || 'empty'}` : `not an array: ${clip(o.text)}`;
    return test(o.json);
  });
}

/** The common shape of a JSON-RPC error reply sent with HTTP 200. */
export function rpcError(
  code: number,
  message: string,
  options: { id?: unknown; data?: unknown; level?: Level } = {},
): Expectation {
  const level = options.level ?? 'must';
  const facets: Facet[] = [status(200, level), envelope(level), errorIs(code, message, level)];
  if ('id' in options) facets.push(idIs(options.id, level));
  if (options.data !== undefined) facets.push(errorData(options.data, level));
  return facets;
}

/** A facet on the result with object key order kept (objects are Maps): for servers whose order is behaviour. */
export function resultInOrder(level: Level, says: string, test: (result: unknown) => string | null): Facet {
  return facet(level, says, (o) => {
    if (o.transport !== 'http') return o.transport === 'none' ? o.error : 'not an HTTP reply';
    let reply: unknown;
    try {
      reply = parseOrdered(o.text);
    } catch {
      return `body is not JSON: ${clip(o.text) || 'empty'}`;
    }
    if (!(reply instanceof Map) || !reply.has('result')) return `no result: ${clip(o.text)}`;
    return test(reply.get('result'));
  });
}
