import { facet, type Facet } from '../spec/expectation.js';
import type { Level } from '../spec/levels.js';
import { NOT_JSON, type Observed } from '../spec/observed.js';
import { clip, show } from '../spec/show.js';
import { httpStatus, onHttp, type HttpObserved } from './http-facets.js';
import type { HttpRequestData, HttpResponseData } from './http.js';
import { parseOrdered } from './ordered-json.js';
import { dumpPythonJson, parsePythonJson } from './python-json.js';
import { pathTemplate, type Verb } from './rest-routes.js';
import { pythonUtf8Error } from './text.js';

/**
 * REST + JSON, both directions, as a Flask/Werkzeug server frames it (OctoPrint): JSON bodies with sorted
 * keys, errors as `{"error": "<description>"}` with Werkzeug's default descriptions, Flask's `get_json()`
 * (415 for a Content-Type that is not JSON, 400 for JSON it cannot decode), Werkzeug's HTML pages and
 * redirects; and the client half: calls encoded from a route template, and facets over the reply.
 */

// ---------------------------------------------------------------- server side

/** Werkzeug's default descriptions, sent when a handler calls `abort(code)` without a text. */
export const WERKZEUG_TEXT: Readonly<Record<number, string>> = {
  400: 'The browser (or proxy) sent a request that this server could not understand.',
  403: "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.",
  404: 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
  405: 'The method is not allowed for the requested URL.',
  409: 'A conflict happened while processing the request. The resource might have been modified while the request was being processed.',
  415: 'The server does not support the media type transmitted in the request.',
  500: 'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
};

const STATUS_NAME: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

/** Flask's `get_json()` text for a request whose Content-Type is not JSON (Flask 2.1+). */
export const FLASK_NOT_JSON =
  "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.";
export const FLASK_BAD_JSON_PREFIX = 'Failed to decode JSON object: ';

const JSON_TYPE = 'application/json';
const HTML_TYPE = 'text/html; charset=utf-8';

export interface FlaskJsonOptions {
  /**
   * `modern` (default): Flask 2.2+ as OctoPrint configures it (`compact = False`, seen on a real 1.11.8 with
   * and without XHR): indented by 2 with a trailing newline. Flask 0.x: indented by 2 without the newline
   * outside XHR requests (`legacy-pretty`), compact inside them.
   */
  readonly style?: 'modern' | 'legacy-pretty' | 'legacy-compact';
  readonly headers?: Readonly<Record<string, string>>;
}

/** `jsonify(value)`: sorted keys, ASCII only. */
export function flaskJson(status: number, value: unknown, options: FlaskJsonOptions = {}): HttpResponseData {
  const style = options.style ?? 'modern';
  const body =
    style === 'modern'
      ? `${dumpPythonJson(value, { indent: 2 })}\n`
      : style === 'legacy-pretty'
        ? dumpPythonJson(value, { indent: 2 })
        : dumpPythonJson(value, { separators: [', ', ': '] });
  return { status, headers: { 'content-type': JSON_TYPE, ...options.headers }, body };
}

/** `abort(status, description)` under an app-wide JSON error handler: `{"error": description}`. */
export function flaskError(
  status: number,
  description?: string,
  headers?: Readonly<Record<string, string>>,
): HttpResponseData {
  return flaskJson(status, { error: description ?? WERKZEUG_TEXT[status] ?? '' }, headers ? { headers } : {});
}

/** `make_response(text, status)`: a text body sent as HTML, as Flask's default mimetype says. */
export function flaskText(status: number, text: string): HttpResponseData {
  return { status, headers: { 'content-type': HTML_TYPE }, body: text };
}

/** Werkzeug's HTML error page for `abort(status)` without a JSON handler; `legacy` is Werkzeug 0.x. */
export function werkzeugHtmlError(
  status: number,
  style: 'modern' | 'legacy' = 'modern',
  /** `abort(status, description)`: the page's text instead of Werkzeug's own. */
  descriptionText?: string,
): HttpResponseData {
  const doctype =
    style === 'legacy' ? '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">' : '<!doctype html>\n<html lang=en>';
  const name = STATUS_NAME[status] ?? 'Error';
  const text = descriptionText ?? WERKZEUG_TEXT[status] ?? '';
  // Werkzeug 0.x escapes & < > and "; 2.x+ uses markupsafe, which also escapes ' as &#39; and " as &#34;.
  const description =
    style === 'legacy'
      ? escapeHtml(text)
      : escapeHtml(text)
          .replace(/&quot;/g, '&#34;')
          .replace(/'/g, '&#39;');
  const body = `${doctype}\n<title>${status} ${name}</title>\n<h1>${name}</h1>\n<p>${description}</p>\n`;
  return { status, headers: { 'content-type': HTML_TYPE }, body };
}

/** Tornado's own error page (`RequestHandler.write_error`), e.g. its 405 for a verb it does not serve. */
export function tornadoErrorPage(status: number): HttpResponseData {
  const title = `${status}: ${STATUS_NAME[status] ?? 'Unknown'}`;
  return {
    status,
    headers: { 'content-type': 'text/html; charset=UTF-8' },
    body: `<html><title>${title}</title><body>${title}</body></html>`,
  };
}

/** `redirect(location, code)` as Werkzeug 2.1+ writes it: the Location as given (path only), an HTML body. */
export function werkzeugRedirect(status: 301 | 302 | 307 | 308, location: string): HttpResponseData {
  const href = escapeHtml(location);
  const body = `<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="${href}">${href}</a>. If not, click the link.\n`;
  return { status, headers: { 'content-type': HTML_TYPE, location }, body };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The media type of a Content-Type header, lower-cased, without parameters; '' when absent. */
export function mimetypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Werkzeug's `Request.is_json`: application/json, or any application/*+json. */
export function isJsonMimetype(contentType: string | undefined): boolean {
  const mt = mimetypeOf(contentType);
  return mt === JSON_TYPE || (mt.startsWith('application/') && mt.endsWith('+json'));
}

/** What `request.get_json()` gives: the decoded value, or the error response Flask raises and why. */
export type FlaskBody =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly response: HttpResponseData;
      readonly problem: 'content-type' | 'malformed' | 'too-deep';
      /** Why the body could not be decoded, in the decoder's words (for diagnostics; not on the wire). */
      readonly reason?: string;
    };

/**
 * `request.get_json()` of Flask 2.1+ (OctoPrint 1.9+) on a server not in debug mode: 415, then a plain 400
 * BadRequest (only debug mode says "Failed to decode JSON object: <reason>"; seen on a real 1.11.8).
 */
export function flaskGetJson(request: HttpRequestData): FlaskBody {
  if (!isJsonMimetype(request.headers['content-type']))
    return { ok: false, response: flaskError(415, FLASK_NOT_JSON), problem: 'content-type' };
  // json.loads(bytes) decodes first: bytes that are not UTF-8 fail with the codec's message.
  if (request.notUtf8)
    return { ok: false, response: flaskError(400), problem: 'malformed', reason: pythonUtf8Error(request.notUtf8) };
  const parsed = parsePythonJson(request.body);
  if (parsed.ok) return { ok: true, value: parsed.value };
  if (parsed.fatal) return { ok: false, response: flaskError(500), problem: 'too-deep' };
  return { ok: false, response: flaskError(400), problem: 'malformed', reason: parsed.message };
}

// ---------------------------------------------------------------- client side

/** How a REST call is sent: verb, path template, and where the params that are not in the path go. */
export interface RestRoute {
  readonly verb: Exclude<Verb, 'HEAD' | 'OPTIONS'>;
  readonly path: string;
  /**
   * `fields` (default for POST, PUT, PATCH): a JSON object of the remaining params;
   * `{ param }`: that one param is the whole JSON body (absent: `bodyDefault`);
   * `none` (default for GET, DELETE): no body. Params left over go to the query string.
   */
  readonly body?: 'fields' | 'none' | { readonly param: string; readonly bodyDefault?: unknown };
}

export function encodeRestCall(
  route: RestRoute,
  params: Readonly<Record<string, unknown>>,
  headers: Readonly<Record<string, string>> = {},
): HttpRequestData {
  const template = pathTemplate(route.path);
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (!template.names.includes(k)) rest[k] = v;
  const body = route.body ?? (route.verb === 'GET' || route.verb === 'DELETE' ? 'none' : 'fields');
  let payload: string | undefined;
  if (body === 'fields') {
    payload = JSON.stringify(rest);
    for (const k of Object.keys(rest)) delete rest[k];
  } else if (typeof body === 'object') {
    payload = JSON.stringify(body.param in rest ? rest[body.param] : (body.bodyDefault ?? {}));
    delete rest[body.param];
  }
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(rest)) query.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  const search = query.size > 0 ? `?${query.toString()}` : '';
  const all = payload === undefined ? { ...headers } : { 'content-type': 'application/json', ...headers };
  return { method: route.verb, url: template.fill(params) + search, headers: all, body: payload ?? '' };
}

/** The JSON body of an HTTP reply, or why there is none. */
export function bodyOf(o: Observed): { ok: true; value: unknown } | { ok: false; why: string } {
  if (o.transport === 'none') return { ok: false, why: o.error };
  if (o.transport !== 'http') return { ok: false, why: 'not an HTTP reply' };
  if (o.json === NOT_JSON)
    return {
      ok: false,
      why:
        o.text === '' ? `HTTP ${o.status} with an empty body` : `HTTP ${o.status}, body is not JSON: ${clip(o.text)}`,
    };
  return { ok: true, value: o.json };
}

/** The `error` text of a Flask JSON error body. */
export function errorTextOf(o: Observed): string | undefined {
  const b = bodyOf(o);
  if (!b.ok || typeof b.value !== 'object' || b.value === null) return undefined;
  const e = (b.value as { error?: unknown }).error;
  return typeof e === 'string' ? e : undefined;
}

// ---------------------------------------------------------------- facets

type Explain = (o: Observed) => string | undefined;

export function status(code: number, level: Level = 'must', explain?: Explain): Facet {
  return httpStatus(code, level, errorSuffix, explain);
}

/** One of several statuses, stated in words: `refused (HTTP 400 or 403)`. */
export function statusIn(codes: readonly number[], level: Level, says: string): Facet {
  return onHttp(level, `${says} (HTTP ${codes.join(' or ')})`, (o) =>
    codes.includes(o.status) ? null : `got HTTP ${o.status}${errorSuffix(o)}`,
  );
}

export function statusClass(hundreds: 2 | 4 | 5, level: Level, says: string): Facet {
  return onHttp(level, `${says} (HTTP ${hundreds}xx)`, (o) =>
    Math.floor(o.status / 100) === hundreds ? null : `got HTTP ${o.status}${errorSuffix(o)}`,
  );
}

function errorSuffix(o: HttpObserved): string {
  const e = errorTextOf(o);
  return e === undefined ? (o.text && o.status >= 400 ? `: ${clip(o.text, 80)}` : '') : `: ${clip(e, 100)}`;
}

export function header(name: string, value: string | RegExp, level: Level): Facet {
  const says = typeof value === 'string' ? `header ${name}: ${value}` : `header ${name} matching ${value}`;
  return onHttp(level, says, (o) => {
    const got = o.headers[name.toLowerCase()];
    if (got === undefined) return `no ${name} header`;
    return (typeof value === 'string' ? got === value : value.test(got)) ? null : `got ${name}: ${got}`;
  });
}

/** The reply carries no such header (a handler that builds a fresh response drops the one Werkzeug set). */
export function noHeader(name: string, level: Level): Facet {
  return onHttp(level, `no ${name} header`, (o) => {
    const got = o.headers[name.toLowerCase()];
    return got === undefined ? null : `got ${name}: ${got}`;
  });
}

export function contentType(pattern: RegExp, level: Level): Facet {
  return onHttp(level, `Content-Type matching ${pattern}`, (o) =>
    pattern.test(o.headers['content-type'] ?? '') ? null : `got ${o.headers['content-type'] ?? 'none'}`,
  );
}

/** A Flask JSON error body with exactly this description. */
export function errorIs(text: string, level: Level, explain?: Explain): Facet {
  return facet(
    level,
    `error "${clip(text, 90)}"`,
    (o) => {
      const got = errorTextOf(o);
      if (got !== undefined) return got === text ? null : `got error ${show(got)}`;
      const b = bodyOf(o);
      return b.ok ? `got body ${show(b.value)}` : b.why;
    },
    explain,
  );
}

/** The body is a JSON object with a string `error`: OctoPrint 1.6+'s error envelope. */
export function errorEnvelope(level: Level): Facet {
  return facet(level, 'a JSON body {"error": "..."}', (o) => {
    if (errorTextOf(o) !== undefined) return null;
    const b = bodyOf(o);
    return b.ok ? `got body ${show(b.value)}` : b.why;
  });
}

export function bodyText(text: string, level: Level): Facet {
  return onHttp(level, `body "${clip(text, 90)}"`, (o) => (o.text === text ? null : `got body ${show(clip(o.text))}`));
}

export function bodyIncludes(text: string, level: Level): Facet {
  return onHttp(level, `body containing "${clip(text, 90)}"`, (o) =>
    o.text.includes(text) ? null : `got body ${show(clip(o.text))}`,
  );
}

export function bodyEquals(value: unknown, level: Level, explain?: Explain): Facet {
  return facet(
    level,
    `body ${show(value)}`,
    (o) => {
      const b = bodyOf(o);
      if (!b.ok) return b.why;
      return JSON.stringify(b.value) === JSON.stringify(value) ? null : `got body ${show(b.value)}`;
    },
    explain,
  );
}

export function bodySatisfies(level: Level, says: string, test: (body: unknown) => string | null): Facet {
  return facet(level, says, (o) => {
    const b = bodyOf(o);
    return b.ok ? test(b.value) : b.why;
  });
}

/** Every object in the body lists its keys in sorted order, as Flask's JSON provider writes them. */
export function keysSorted(level: Level): Facet {
  return onHttp(level, 'object keys in sorted order', (o) => {
    let parsed: unknown;
    try {
      parsed = parseOrdered(o.text);
    } catch {
      return `body is not JSON: ${clip(o.text) || 'empty'}`;
    }
    const unsorted = firstUnsorted(parsed);
    return unsorted ? `keys ${unsorted.join(', ')} are not sorted` : null;
  });
}

function firstUnsorted(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const u = firstUnsorted(v);
      if (u) return u;
    }
    return undefined;
  }
  if (!(value instanceof Map)) return undefined;
  const keys = [...value.keys()] as string[];
  for (let i = 1; i < keys.length; i++)
    if ((keys[i - 1] as string) > (keys[i] as string)) return keys.slice(Math.max(0, i - 1), i + 1);
  for (const v of value.values()) {
    const u = firstUnsorted(v);
    if (u) return u;
  }
  return undefined;
}

/**
 * A reply in a Flask app's repertoire, whatever was sent: a status it uses, a 3xx with a Location, a JSON
 * body on a success, and on an error either Flask's `{"error": text}` (json) or any body (json-or-text,
 * for apps that still answer errors as text or HTML pages).
 */
export function flaskReply(statuses: readonly number[], errors: 'json' | 'json-or-text', level: Level = 'must'): Facet {
  return onHttp(
    level,
    `a status in ${statuses.join(', ')} with ${errors === 'json' ? 'a JSON body' : 'JSON on success'}`,
    (o) => {
      if (!statuses.includes(o.status)) return `got HTTP ${o.status}: ${clip(o.text, 80)}`;
      if (o.status >= 300 && o.status < 400)
        return o.headers['location'] ? null : `HTTP ${o.status} without a Location`;
      if (o.status < 300) return o.json === NOT_JSON ? `HTTP ${o.status}, body is not JSON: ${clip(o.text, 80)}` : null;
      if (errors === 'json-or-text') return null;
      return errorTextOf(o) === undefined
        ? `HTTP ${o.status} without a {"error": text} body: ${clip(o.text, 80)}`
        : null;
    },
  );
}
