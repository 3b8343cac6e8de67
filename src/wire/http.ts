import { base64FromUtf8, utf8FromBase64, type Utf8Problem } from './text.js';

/** HTTP messages as plain data, so that node:http, msw and the client all speak the same shape. */
export interface HttpRequestData {
  readonly method: string;
  /** Path plus query string, e.g. `/api/access/users?apikey=x`. */
  readonly url: string;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Set when the body's bytes are not UTF-8 (`body` then holds them with U+FFFD): every server here refuses such JSON. */
  readonly notUtf8?: Utf8Problem;
}

export interface HttpResponseData {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  204: 'No Content',
  307: 'Temporary Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

export function json(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponseData {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** The request as an HTTP/1.1 message, for reports. */
export function renderRequest(r: HttpRequestData): string {
  const head = Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`);
  return [`${r.method} ${r.url} HTTP/1.1`, ...head, '', r.body].join('\n');
}

export function renderResponse(r: {
  status: number;
  statusText?: string;
  headers: Readonly<Record<string, string>>;
  body: string;
}): string {
  const head = Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`);
  return [`HTTP/1.1 ${r.status} ${r.statusText ?? STATUS_TEXT[r.status] ?? ''}`.trimEnd(), ...head, '', r.body].join(
    '\n',
  );
}

/** A curl line a person can paste; secrets stay in as sent, since the person sent them. */
export function curlLine(baseUrl: string, r: HttpRequestData): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const parts = ['curl', '-sS', '-i', '-X', r.method, quote(baseUrl.replace(/\/$/, '') + r.url)];
  for (const [k, v] of Object.entries(r.headers))
    if (k !== 'content-length' && k !== 'host') parts.push('-H', quote(`${k}: ${v}`));
  if (r.body !== '') parts.push('--data-binary', quote(r.body));
  return parts.join(' ');
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${base64FromUtf8(`${username}:${password}`)}`;
}

/** Decode `Authorization: Basic ...`; undefined when absent or malformed (as PHP's PHP_AUTH_USER would be). */
type BasicCredentials = { readonly username: string; readonly password: string };

/** The last header read and what it gave: a client sends the same one each time, read by the dialect and the journal. */
let lastBasic: { readonly header: string; readonly credentials: BasicCredentials | undefined } | undefined;

export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  if (!header) return undefined;
  if (lastBasic?.header === header) return lastBasic.credentials;
  const credentials = readBasic(header);
  lastBasic = { header, credentials: credentials && Object.freeze(credentials) };
  return credentials;
}

function readBasic(header: string): BasicCredentials | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m || !m[1]) return undefined;
  const decoded = utf8FromBase64(m[1]);
  if (decoded === undefined) return undefined;
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Read back a request rendered by renderRequest (fixtures and exchanges keep requests as text). */
export function parseRequestText(text: string): HttpRequestData {
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 2);
  const [first, ...lines] = head.split('\n');
  const [method, url] = (first ?? 'GET /').split(' ') as [string, string];
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { method, url, headers, body };
}
