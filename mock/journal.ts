import { parseBasicAuthorization, type HttpRequestData, type HttpResponseData } from '../src/wire/http.js';
import { leaveParsed, NOT_LEFT, takeBodyParse } from '../src/wire/parsed-once.js';
import { DIAGNOSTIC_HEADER } from './diagnostics.js';
import type { Dialect, DialectInfo, StreamConnection, StreamPeer } from './dialect.js';

/**
 * The request journal: what an app sent to the mock and what came back, one entry per HTTP request or
 * per stream message (a nymea call, a notification), with the diagnostics of each. A bounded ring buffer:
 * the mock a developer keeps running all day holds the last `limit` exchanges, never more.
 * Generic: it reads the HTTP method and path, an RPC body's `method`, and the credential presented
 * (Basic user, Bearer, X-Api-Key, apikey, a body's auth_token or token); the dialect names who holds a
 * secret (`holderOf`), since only it knows its users.
 */
export interface JournalEntry {
  /** Increasing from 1: `GET /__accord/journal?after=N` gives the entries after N. */
  readonly id: number;
  /** ISO time the request arrived. */
  readonly at: string;
  readonly transport: 'http' | 'tcp' | 'ws';
  /** HTTP: the verb; stream: `call` or `notification` (sent by the mock). */
  readonly method: string;
  /** HTTP: the path, plus the RPC method when the body names one; stream: the RPC method. */
  readonly call: string;
  /** Who the request was made as, in words: `admin (Basic)`, `X-Api-Key of operator`, `anonymous`. */
  readonly identity: string;
  /** HTTP status, or a stream reply's status (nymea: success, error, unauthorized). */
  readonly status: string;
  readonly ms: number;
  readonly diagnostics: readonly string[];
  readonly request: string;
  readonly response: string;
}

/** Bodies kept per entry, at most: the journal stays bounded whatever an app sends. */
const BODY_LIMIT = 4096;
const clip = (text: string) =>
  text.length > BODY_LIMIT ? `${detached(text.slice(0, cut(text)))}… (${text.length} characters)` : text;
/** Where to cut: never between the halves of a surrogate pair. */
const cut = (text: string) => (/[\ud800-\udbff]/.test(text[BODY_LIMIT - 1] ?? '') ? BODY_LIMIT - 1 : BODY_LIMIT);
/**
 * A copy that does not hold on to the string it was cut from: V8's slice keeps the whole parent alive,
 * and 200 entries cut from 6 MB answers kept 1.2 GB (issue 16). Encoding it again makes a string of its own
 * (TextEncoder: the journal also runs in a browser, under msw).
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const detached = (text: string) => decoder.decode(encoder.encode(text));
const SECRET_PREFIX = 6;
/** Diagnostics of an entry that has none: one shared empty list. */
const NONE: readonly string[] = Object.freeze([]);
/** What `text.trim() !== ''` says, without making the trimmed copy. */
const NOT_BLANK = /\S/;

export class Journal {
  /** A ring: the oldest entry is overwritten in place (a shift of the whole list per request cost more). */
  readonly #entries: JournalEntry[] = [];
  #oldest = 0;
  readonly #listeners = new Set<(entry: JournalEntry) => void>();
  #next = 1;

  constructor(readonly limit = 200) {}

  add(entry: Omit<JournalEntry, 'id'>): JournalEntry {
    // Field by field, not a spread: one entry per message, and a spread builds the object the slow way.
    const full: JournalEntry = {
      id: this.#next++,
      at: entry.at,
      transport: entry.transport,
      method: entry.method,
      call: entry.call,
      identity: entry.identity,
      status: entry.status,
      ms: entry.ms,
      diagnostics: entry.diagnostics,
      request: entry.request,
      response: entry.response,
    };
    if (this.#entries.length < this.limit) this.#entries.push(full);
    else {
      this.#entries[this.#oldest] = full;
      this.#oldest = (this.#oldest + 1) % this.limit;
    }
    for (const listener of this.#listeners) listener(full);
    return full;
  }

  /** The entries kept, oldest first; only those after id `after` when given. */
  recent(after = 0): JournalEntry[] {
    const inOrder = [...this.#entries.slice(this.#oldest), ...this.#entries.slice(0, this.#oldest)];
    return inOrder.filter((e) => e.id > after);
  }

  /** Called with each new entry (the `accord serve` terminal line); returns the unsubscribe. */
  onEntry(listener: (entry: JournalEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** One terminal line: `12:01:02 POST /jsonrpc.php createUser  admin (Basic)  200  3 ms`, then each diagnostic. */
export function journalLine(entry: JournalEntry): string {
  const time = entry.at.slice(11, 19);
  let line = `${time} ${entry.method === 'call' ? entry.transport : entry.method} ${entry.call}  ${entry.identity}  ${entry.status}  ${entry.ms} ms`;
  for (const d of entry.diagnostics) line += `\n    diagnostic: ${d}`;
  return line;
}

/** The ISO time of a moment in ms; the last one is kept (under load many requests arrive in the same millisecond). */
let lastTime = { ms: Number.NaN, iso: '' };
function isoTime(ms: number): string {
  if (ms !== lastTime.ms) lastTime = { ms, iso: new Date(ms).toISOString() };
  return lastTime.iso;
}

/** Messages larger than this are journaled without a look inside (no second parse of a huge body). */
const PARSE_LIMIT = 64 * 1024;

/** Text that may be a JSON object: one starting with `{` (after blanks). */
const OBJECT_START = /^[ \t\n\r]*\{/;

function parseJson(text: string, leave = false): Record<string, unknown> | undefined {
  // Only what may be an object is parsed: an empty body (a GET) or the empty line after a stream message's
  // newline would throw, and a thrown SyntaxError per request costs more than the rest of the journal entry.
  if (text.length > PARSE_LIMIT || !OBJECT_START.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    // A stream message the dialect reads next: it need not parse it again (src/wire/parsed-once.ts).
    if (leave) leaveParsed(text, value);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function describeSecret(dialect: DialectInfo, how: string, secret: string): string {
  const holder = dialect.holderOf?.(secret);
  return holder ? `${how} of ${holder}` : `${how} ${secret.slice(0, SECRET_PREFIX)}… (matches no one)`;
}

/** Who an HTTP request was made as, from the credential it presents. */
function httpIdentity(
  dialect: DialectInfo,
  request: HttpRequestData,
  body: Record<string, unknown> | undefined,
): string {
  const authorization = request.headers['authorization'];
  const basic = parseBasicAuthorization(authorization);
  if (basic) {
    const holder = dialect.holderOf?.(basic.password);
    return holder ? `${basic.username} (Basic, ${holder})` : `${basic.username} (Basic)`;
  }
  const bearer = /^Bearer\s+(\S+)/i.exec(authorization ?? '')?.[1];
  if (bearer) return describeSecret(dialect, 'Bearer', bearer);
  const query = request.url.indexOf('?');
  const apiKey =
    request.headers['x-api-key'] ??
    (query < 0 ? undefined : (new URLSearchParams(request.url.slice(query + 1)).get('apikey') ?? undefined));
  if (apiKey) return describeSecret(dialect, 'API key', apiKey);
  if (typeof body?.['auth_token'] === 'string') return describeSecret(dialect, 'auth_token', body['auth_token']);
  if (request.headers['cookie']?.includes('session')) return 'a browser session';
  return 'anonymous';
}

function diagnosticsOf(response: HttpResponseData): string[] {
  const header = response.headers[DIAGNOSTIC_HEADER];
  return header ? header.split(' | ') : [];
}

/** Record one HTTP exchange. */
/** An HTTP body as an object: the dialect's parse where it left one (src/wire/parsed-once.ts), else the journal's. */
function bodyOf(text: string): Record<string, unknown> | undefined {
  const left = takeBodyParse(text);
  if (left === NOT_LEFT) return parseJson(text);
  return typeof left === 'object' && left !== null && !Array.isArray(left)
    ? (left as Record<string, unknown>)
    : undefined;
}

export function recordHttp(
  journal: Journal,
  dialect: DialectInfo,
  request: HttpRequestData,
  response: HttpResponseData,
  started: number,
): void {
  const body = bodyOf(request.body);
  const query = request.url.indexOf('?');
  const path = query < 0 ? request.url : request.url.slice(0, query);
  const rpc = typeof body?.['method'] === 'string' ? ` ${body['method']}` : '';
  journal.add({
    at: isoTime(started),
    transport: 'http',
    method: request.method,
    call: `${path}${rpc}`,
    identity: httpIdentity(dialect, request, body),
    status: String(response.status),
    ms: Math.round(Date.now() - started),
    diagnostics: diagnosticsOf(response),
    request: clip(request.body),
    response: clip(response.body),
  });
}

/**
 * Journal one stream connection: each message the client sends is a pending call, completed by the
 * reply with the same `id`; a message from the mock without a pending id is a notification. Lines the
 * dialect logs while handling a message are that message's diagnostics.
 */
export function journalStream(
  journal: Journal,
  dialect: DialectInfo,
  transport: 'tcp' | 'ws',
  connect: (peer: StreamPeer) => StreamConnection | undefined,
  peer: StreamPeer,
  logged: { lines: string[] | undefined },
): StreamConnection | undefined {
  interface Pending {
    readonly started: number;
    readonly call: string;
    readonly identity: string;
    readonly request: string;
    readonly diagnostics: string[];
  }
  const pending = new Map<string, Pending>();
  let buffered = '';
  const record = (message: Record<string, unknown>, line: string) => {
    const id = message['id'] === undefined ? undefined : String(message['id']);
    const call = id === undefined ? undefined : pending.get(id);
    if (call && id !== undefined) pending.delete(id);
    const now = Date.now();
    const status = typeof message['status'] === 'string' ? message['status'] : message['error'] ? 'error' : 'sent';
    const name = typeof message['notification'] === 'string' ? message['notification'] : (call?.call ?? 'reply');
    const error = message['error'];
    const diagnostics = call?.diagnostics ?? [];
    journal.add({
      at: isoTime(call?.started ?? now),
      transport,
      method: call ? 'call' : 'notification',
      call: name,
      identity: call?.identity ?? '-',
      status: call ? status : 'sent',
      ms: call ? Math.round(now - call.started) : 0,
      diagnostics:
        typeof error === 'string' ? [...diagnostics, error] : diagnostics.length === 0 ? NONE : [...diagnostics],
      request: call?.request ?? '',
      response: clip(line),
    });
  };
  const connection = connect({
    ...peer,
    send(text, written) {
      peer.send(text);
      // A single message the dialect hands over as an object is read as it stands (parsing each answer again
      // cost a tenth of a stream read); other text is parsed, line by line.
      // One message handed over as the object it was written from (StreamPeer.send): no split, no parse.
      if (written) return record(written as Record<string, unknown>, text.endsWith('\n') ? text.slice(0, -1) : text);
      for (const line of text.split('\n')) {
        const message = parseJson(line);
        if (message) record(message, line);
      }
    },
  });
  if (!connection) return undefined;
  return {
    receive(text) {
      // TCP is newline framed and may split a message; a WebSocket frame is one message.
      let messages: readonly string[] = [text];
      // The text the dialect is handed is one message as it stands: its parse is left for the dialect.
      let whole = transport !== 'tcp';
      if (transport === 'tcp') {
        const joined = buffered === '' ? text : buffered + text;
        const newline = joined.indexOf('\n');
        // One whole line, as a client sends a request: no split.
        whole = buffered === '' && newline === joined.length - 1;
        const parts = whole ? [joined, ''] : joined.split('\n');
        buffered = (parts.pop() ?? '').slice(-BODY_LIMIT);
        messages = parts;
      }
      const diagnostics: string[] = [];
      for (const line of messages) {
        if (!NOT_BLANK.test(line)) continue;
        const message = parseJson(line, whole);
        // The line as journaled: without its newline.
        const raw = whole && transport === 'tcp' ? line.slice(0, -1) : line;
        const id = message?.['id'] === undefined ? `unparsed-${Date.now()}` : String(message['id']);
        const token = typeof message?.['token'] === 'string' ? message['token'] : undefined;
        pending.set(id, {
          started: Date.now(),
          call: typeof message?.['method'] === 'string' ? message['method'] : '(not a JSON-RPC message)',
          identity: token ? describeSecret(dialect, 'token', token) : 'no token',
          request: clip(raw),
          diagnostics,
        });
      }
      if (pending.size > 1000) pending.clear(); // requests never answered do not pile up
      logged.lines = diagnostics;
      try {
        connection.receive(text);
      } finally {
        logged.lines = undefined;
      }
    },
    closed: () => connection.closed(),
  };
}

/** A dialect whose every exchange goes to the journal (and whose log lines, while it handles one, too). */
export function journaled<D extends Dialect>(dialect: D, journal: Journal, logged: { lines: string[] | undefined }): D {
  const wrapped = Object.create(dialect) as D & { handle?: unknown; connect?: unknown };
  if (dialect.kind === 'http') {
    wrapped.handle = async (request: HttpRequestData) => {
      const started = Date.now();
      const response = await dialect.handle(request);
      recordHttp(journal, dialect, request, response, started);
      return response;
    };
  } else {
    wrapped.connect = (peer: StreamPeer, transport: 'tcp' | 'ws') =>
      journalStream(journal, dialect, transport, (p) => dialect.connect(p, transport), peer, logged);
  }
  return wrapped;
}

/** A dialect with a journal of its own (msw's handlersFor: no control endpoint, the journal is read in code). */
export function withJournal<D extends Dialect>(dialect: D): { readonly dialect: D; readonly journal: Journal } {
  const journal = new Journal();
  return { dialect: journaled(dialect, journal, { lines: undefined }), journal };
}
