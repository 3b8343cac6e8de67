import type { TSchema } from 'typebox';
import { facet, onReplyOf, type Facet } from '../spec/expectation.js';
import type { Level } from '../spec/levels.js';
import { NOT_JSON, type Observed } from '../spec/observed.js';
import { describeViolations, violations } from '../spec/schema.js';
import { leaveBodyParse } from './parsed-once.js';
import { clip, show } from '../spec/show.js';
import { httpStatus } from './http-facets.js';
import type { HttpRequestData, HttpResponseData } from './http.js';
import { parsePythonJson } from './python-json.js';
import { pyStr, pyStringRepr, pyTruthy } from './python.js';
import { pythonUtf8Error } from './text.js';
import { isKeptList, WrittenJson } from './written.js';

/**
 * RhodeCode's JSON-RPC, both directions: `{id, auth_token, method, args}` in, `{id, result, error}` out,
 * HTTP 200 for every JSON-RPC outcome (rhodecode.md §1). The server half runs the checks that come before
 * authentication in the real order (§1.1 steps 1–2); the dialect does authentication and what follows.
 */

// ---------------------------------------------------------------- server side

export interface RhodecodeCall {
  /** The request id as sent (any JSON value). */
  readonly id: unknown;
  /** `api_key` when truthy, else `auth_token`: always truthy here. */
  readonly token: unknown;
  /** A registered method name. */
  readonly method: string;
  /** `args` when it is an object, else {} (null, numbers... are treated as no arguments). */
  readonly args: Readonly<Record<string, unknown>>;
}

/** A validation error: field name → message (a colander error as a dict). */
export type ValidationErrors = Readonly<Record<string, string>>;

export type RhodecodeReply =
  | { readonly result: unknown; readonly deprecation?: string }
  | { readonly error: string | ValidationErrors; readonly headers?: Readonly<Record<string, string>> };

export interface RhodecodeServer {
  /** Registered method names in registration order: the "similar methods" list follows this order. */
  readonly methods: readonly string[];
  /** The registered name a requested method resolves to, or undefined (an unknown method). */
  lookup(method: unknown): string | undefined;
  handle(call: RhodecodeCall): RhodecodeReply | Promise<RhodecodeReply>;
}

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** RhodeCode's generic error page: a body that parses as JSON but is not an object never reaches JSON-RPC. */
export const HTML_500: HttpResponseData = {
  status: 500,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: '<!DOCTYPE html>\n<html>\n<head><title>Error - 500</title></head>\n<body>\n<h1>500 Internal Server Error</h1>\n<p>The server encountered an unexpected condition which prevented it from fulfilling the request.</p>\n</body>\n</html>\n',
};

/**
 * The body as Python 2's `json.dumps(value, indent=4)` writes it: 4-space indentation, `", "` before each
 * line break, non-ASCII as \uXXXX.
 */
export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 4)
    .replace(/,\n/g, ', \n')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function respond(value: unknown, headers: Readonly<Record<string, string>> = {}): HttpResponseData {
  return { status: 200, headers: { ...JSON_HEADERS, ...headers }, body: renderJson(value) };
}

const INDENT = '    ';

/**
 * A value already written as renderJson writes it (src/wire/written.ts), spliced in where it is a reply's
 * result or an element of a result list (nested lists too); inside an object it is written again from its value.
 */
export class JsonText extends WrittenJson {
  readonly #indented: string[] = [];

  /** The text `depth` levels deep: each line after the first indented by 4 spaces a level (made once per depth). */
  at(depth: number): string {
    return (this.#indented[depth] ??= depth === 0 ? this.text : this.text.replace(/\n/g, `\n${INDENT.repeat(depth)}`));
  }
}

/** The text of each kept list (src/wire/written.ts), per depth: written once. */
const listTexts = new WeakMap<readonly unknown[], string[]>();

function hasText(value: unknown): value is JsonText | unknown[] {
  return value instanceof JsonText || (Array.isArray(value) && value.some((v) => v instanceof JsonText));
}

/** `value` as renderJson writes it `depth` levels deep, kept texts spliced in. */
function renderAt(value: unknown, depth: number): string {
  if (value instanceof JsonText) return value.at(depth);
  // A request id, mostly: a number is one line, and renderJson writes it as JSON.stringify does.
  if (typeof value === 'number') return JSON.stringify(value);
  if (!Array.isArray(value) || !hasText(value)) {
    const text = renderJson(value ?? null);
    return depth === 0 ? text : text.replace(/\n/g, `\n${INDENT.repeat(depth)}`);
  }
  const kept = isKeptList(value) ? listTexts.get(value) : undefined;
  const done = kept?.[depth];
  if (done !== undefined) return done;
  const inner = INDENT.repeat(depth + 1);
  const text = `[\n${inner}${value.map((v) => renderAt(v, depth + 1)).join(`, \n${inner}`)}\n${INDENT.repeat(depth)}]`;
  if (isKeptList(value)) {
    const texts = kept ?? [];
    texts[depth] = text;
    listTexts.set(value, texts);
  }
  return text;
}

/**
 * The last envelope written around each kept result (a JsonText or a kept list), by request id: a client
 * that reads the same record again, with the same id as most do, gets the same text without a splice.
 */
const lastEnvelopes = new WeakMap<
  object,
  { readonly id: unknown; readonly deprecation: string | undefined; readonly text: string }
>();

/** The success envelope `{id, result, error[, DEPRECATION_WARNING]}` as renderJson writes it, kept texts spliced in. */
function splicedEnvelope(id: unknown, result: unknown, deprecation: string | undefined): string {
  const keptResult = result instanceof JsonText || isKeptList(result) ? (result as object) : undefined;
  const primitiveId = typeof id === 'number' || typeof id === 'string';
  if (keptResult && primitiveId) {
    const last = lastEnvelopes.get(keptResult);
    if (last !== undefined && last.id === id && last.deprecation === deprecation) return last.text;
  }
  const text = writtenEnvelope(id, result, deprecation);
  if (keptResult && primitiveId) lastEnvelopes.set(keptResult, { id, deprecation, text });
  return text;
}

function writtenEnvelope(id: unknown, result: unknown, deprecation: string | undefined): string {
  const members = [
    `${INDENT}"id": ${renderAt(id, 1)}`,
    `${INDENT}"result": ${renderAt(result, 1)}`,
    `${INDENT}"error": null`,
  ];
  if (deprecation) members.push(`${INDENT}"DEPRECATION_WARNING": ${renderAt(deprecation, 1)}`);
  return `{\n${members.join(', \n')}\n}`;
}

export function errorResponse(
  error: string | ValidationErrors,
  id: unknown,
  headers: Readonly<Record<string, string>> = {},
): HttpResponseData {
  return respond({ id: id ?? null, result: null, error }, headers);
}

/** A reply as the server sends it. A success with a falsy id is the bare JSON string "" (§1). */
export function replyResponse(reply: RhodecodeReply, id: unknown): HttpResponseData {
  if ('error' in reply) return errorResponse(reply.error, id, reply.headers);
  if (!pyTruthy(id)) return respond('');
  if (hasText(reply.result))
    return { status: 200, headers: { ...JSON_HEADERS }, body: splicedEnvelope(id, reply.result, reply.deprecation) };
  const body: Record<string, unknown> = { id, result: reply.result === undefined ? null : reply.result, error: null };
  if (reply.deprecation) body['DEPRECATION_WARNING'] = reply.deprecation;
  return respond(body);
}

/**
 * "Similar methods": registered names matching the glob `*<part>*` for each `_`-separated part of the
 * requested name, in the order the parts and then the registrations come (§1.1 step 2).
 */
export function similarMethods(method: string, registered: readonly string[]): string[] {
  const found: string[] = [];
  for (const part of method.split('_')) {
    let glob: RegExp;
    try {
      glob = fnmatchRegExp(`*${part}*`);
    } catch {
      // A set Python's re refuses too ([z-a]): the server's `except Exception: pass` leaves "none".
      return [];
    }
    for (const name of registered) if (glob.test(name) && !found.includes(name)) found.push(name);
  }
  return found;
}

/**
 * Python's fnmatch.translate: `*`, `?`, `[seq]` and `[!seq]` are wildcards, an unclosed `[` is itself, the
 * whole name must match (rhodecode/api/__init__.py find_methods matches the parts with fnmatch.fnmatch, so a
 * part like `get?user` or `[gs]et` is a pattern, not text).
 */
export function fnmatchRegExp(pattern: string): RegExp {
  const escape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i++]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      let j = i;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) out += '\\[';
      else {
        const stuff = pattern.slice(i, j);
        i = j + 1;
        const negated = stuff.startsWith('!');
        // Ranges (a-z) stay ranges; every other character of the set is itself.
        const body = (negated ? stuff.slice(1) : stuff).replace(/[\\^[\]]/g, '\\$&');
        out += `[${negated ? '^' : ''}${body}]`;
      }
    } else out += escape(c);
  }
  return new RegExp(`^${out}$`, 's');
}

export function noSuchMethod(method: unknown, registered: readonly string[]): string {
  const name = pyStr(method);
  const similar = typeof method === 'string' ? similarMethods(method, registered) : [];
  return `No such method: ${name}. Similar methods: ${similar.length > 0 ? similar.join(', ') : 'none'}`;
}

/** Where a JSON parse failed, in the words of Python's decoder (only the prefix is behaviour). */
/**
 * The body as Python's json.loads reads it. JSON.parse first (the fast path, same result on valid JSON);
 * when it refuses, Python's parser decides: it also takes NaN and Infinity, and words its own errors.
 */
function pythonJsonOf(request: HttpRequestData): { ok: true; value: unknown } | { ok: false; message: string } {
  if (request.notUtf8) return { ok: false, message: pythonUtf8Error(request.notUtf8) };
  try {
    const value: unknown = JSON.parse(request.body);
    leaveBodyParse(request.body, value);
    return { ok: true, value };
  } catch {
    const parsed = parsePythonJson(request.body);
    return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, message: parsed.message };
  }
}

const MISSING = (key: string) => `Incorrect JSON data. Missing ${pyStringRepr(key)}`;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Answer one HTTP request at the API endpoint: request method, body present, JSON, envelope keys (token,
 * id, method, args in that order), method lookup; then the server's handler (authentication onwards).
 */
export async function answer(request: HttpRequestData, server: RhodecodeServer): Promise<HttpResponseData> {
  if (request.method !== 'POST' && request.method !== 'GET') {
    return errorResponse(`unsupported request method "${request.method}". Please use POST`, null);
  }
  const hasLength =
    request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined;
  if (!hasLength && request.body === '') return errorResponse('Empty body, No Content-Length in request', null);
  const parsed = pythonJsonOf(request);
  if (!parsed.ok)
    return errorResponse(`JSON parse error ERR:${parsed.message} RAW:${pyStringRepr(request.body)}`, null);
  const payload = parsed.value;
  // `json_body.get(...)` on a list or a scalar raises outside the JSON-RPC error path.
  if (!isObject(payload)) return HTML_500;
  const id = payload['id'];
  const token = pyTruthy(payload['api_key']) ? payload['api_key'] : payload['auth_token'];
  if (!pyTruthy(token)) return errorResponse(MISSING('api_key or auth_token'), id);
  for (const key of ['id', 'method', 'args'])
    if (!(key in payload)) return errorResponse(MISSING(key), key === 'id' ? null : id);
  const method = server.lookup(payload['method']);
  if (method === undefined) return errorResponse(noSuchMethod(payload['method'], server.methods), id);
  const args = isObject(payload['args']) ? payload['args'] : {};
  return replyResponse(await server.handle({ id, token, method, args }), id);
}

// ---------------------------------------------------------------- client side

export interface RhodecodeRequest {
  readonly id: unknown;
  /** null: no token at all. */
  readonly token: string | null;
  readonly method: string;
  readonly args: unknown;
}

export function encodeCall(r: RhodecodeRequest): string {
  return JSON.stringify({
    id: r.id,
    ...(r.token === null ? {} : { auth_token: r.token }),
    method: r.method,
    args: r.args,
  });
}

/** The decoded reply object, or why there is none. */
export function replyOf(o: Observed): { ok: true; reply: Record<string, unknown> } | { ok: false; why: string } {
  if (o.transport === 'none') return { ok: false, why: o.error };
  if (o.transport !== 'http') return { ok: false, why: 'not an HTTP reply' };
  if (o.json === NOT_JSON)
    return { ok: false, why: o.text === '' ? 'empty body' : `body is not JSON: ${clip(o.text)}` };
  if (!isObject(o.json)) return { ok: false, why: `body is not a {id, result, error} object: ${clip(o.text)}` };
  return { ok: true, reply: o.json };
}

// ---------------------------------------------------------------- facets

export function status(code: number, level: Level = 'must'): Facet {
  return httpStatus(code, level);
}

const onReply = onReplyOf(replyOf);

export function envelope(level: Level = 'must'): Facet {
  return onReply(level, 'a {id, result, error} object', (r) => {
    const missing = ['id', 'result', 'error'].filter((k) => !(k in r));
    return missing.length === 0 ? null : `no ${missing.join(', ')} member`;
  });
}

export function idIs(id: unknown, level: Level = 'must'): Facet {
  return onReply(level, `id ${show(id)}`, (r) =>
    JSON.stringify(r['id']) === JSON.stringify(id) ? null : `got id ${show(r['id'])}`,
  );
}

/** error null and a result member: the call succeeded. */
export function succeeded(level: Level = 'must'): Facet {
  return onReply(level, 'error null (a result, not an error)', (r) =>
    r['error'] === null && 'result' in r ? null : `got error ${show(r['error'])}`,
  );
}

/** result null and an error: the call was refused, however the error is worded. */
export function failed(level: Level = 'must', explain?: (reply: Record<string, unknown>) => string | undefined): Facet {
  return onReply(
    level,
    'an error (result null, error set)',
    (r) =>
      r['error'] !== null && r['error'] !== undefined && r['result'] === null
        ? null
        : `got result ${show(r['result'])}`,
    explain,
  );
}

/** The error is exactly this string, or this validation object. */
export function errorIs(
  error: string | ValidationErrors,
  level: Level = 'must',
  explain?: (got: unknown) => string | undefined,
): Facet {
  return onReply(
    level,
    `error ${show(error)}`,
    (r) =>
      JSON.stringify(sortKeys(r['error'])) === JSON.stringify(sortKeys(error))
        ? null
        : 'error' in r && r['error'] !== null
          ? `got error ${show(r['error'])}`
          : `got result ${show(r['result'])}`,
    explain ? (r) => explain(r['error']) : undefined,
  );
}

/** The error is a string matching a pattern. */
export function errorMatches(
  pattern: RegExp,
  says: string,
  level: Level = 'must',
  explain?: (got: unknown) => string | undefined,
): Facet {
  return onReply(
    level,
    says,
    (r) =>
      typeof r['error'] === 'string' && pattern.test(r['error'])
        ? null
        : r['error'] === null
          ? `got result ${show(r['result'])}`
          : `got error ${show(r['error'])}`,
    explain ? (r) => explain(r['error']) : undefined,
  );
}

export function resultSatisfies(
  level: Level,
  says: string,
  test: (result: unknown) => string | null,
  explain?: (result: unknown) => string | undefined,
): Facet {
  return onReply(
    level,
    says,
    (r) => (r['error'] !== null && r['error'] !== undefined ? `got error ${show(r['error'])}` : test(r['result'])),
    explain ? (r) => explain(r['result']) : undefined,
  );
}

export function resultMatches(
  schema: TSchema,
  level: Level,
  label: string,
  explain?: (result: unknown) => string | undefined,
): Facet {
  return resultSatisfies(
    level,
    `result is ${label}`,
    (result) => {
      const v = violations(schema, result);
      return v.length === 0 ? null : describeViolations(v);
    },
    explain,
  );
}

export function resultEquals(
  value: unknown,
  level: Level = 'must',
  explain?: (got: unknown) => string | undefined,
): Facet {
  return resultSatisfies(
    level,
    `result ${show(value)}`,
    (got) => (JSON.stringify(sortKeys(got)) === JSON.stringify(sortKeys(value)) ? null : `got result ${show(got)}`),
    explain,
  );
}

/** The whole body, as text. */
export function bodyIs(text: string, says: string, level: Level = 'must'): Facet {
  return facet(level, says, (o) =>
    o.transport !== 'http' ? 'not an HTTP reply' : o.text.trim() === text ? null : `got body ${clip(o.text)}`,
  );
}

/** Objects with their keys sorted, so that comparisons ignore key order (the server's is undefined). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObject(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  return value;
}

/**
 * Whatever a client sends, RhodeCode answers HTTP 200 with an {id, result, error} object (or the bare
 * `""` of a success with a falsy id), except a JSON body that is not an object: its HTML 500 page (§1).
 */
export const anyReply: Facet = facet(
  'must',
  'HTTP 200 with an {id, result, error} object (or ""), or the HTML 500 page',
  (o) => {
    if (o.transport !== 'http') return o.transport === 'none' ? o.error : 'not an HTTP reply';
    if (o.status === 500)
      return /^text\/html/.test(o.headers['content-type'] ?? '')
        ? null
        : `HTTP 500 with ${o.headers['content-type'] ?? 'no content type'}`;
    if (o.status !== 200) return `got HTTP ${o.status}`;
    if (o.json === '') return null;
    const r = replyOf(o);
    if (!r.ok) return r.why;
    return ['id', 'result', 'error'].every((k) => k in r.reply)
      ? null
      : `not an {id, result, error} object: ${clip(o.text)}`;
  },
);
