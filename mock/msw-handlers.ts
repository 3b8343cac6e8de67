import { http, HttpResponse, ws, type RequestHandler, type WebSocketHandler } from 'msw';
import type { HttpRequestData } from '../src/wire/http.js';
import { utf8Problem } from '../src/wire/text.js';
import type { Dialect, HttpDialect, StreamDialect } from './dialect.js';
import { withJournal, type Journal } from './journal.js';

/**
 * msw handlers for any dialect factory, with no registry behind them: what a browser bundle imports when
 * it wants one protocol's mock without the others (mock/msw.ts is the convenience over the registry).
 * Each URL is its own instance with its own state. HTTP dialects answer `http.all` routes; stream dialects
 * (nymea) get a WebSocket link: each text frame a client sends goes to the dialect, whatever it answers
 * goes back as a text frame; binary frames are ignored, as the real server does.
 */
export interface HandlerOptions<O = Readonly<Record<string, unknown>>> {
  /** HTTP protocols: one base URL, or several: one independent instance each. */
  readonly baseUrl?: string | readonly string[];
  /** Stream protocols: the WebSocket URL (`ws://` or `wss://`), or several: one independent instance each. */
  readonly url?: string | readonly string[];
  /** Options for every instance's dialect (seed, faults, tokens...); see each protocol's mock. */
  readonly dialect?: Omit<O, 'log'>;
  /** Log lines the dialect writes (request diagnostics...). */
  readonly log?: (line: string) => void;
}

export interface MockInstance<D extends Dialect = Dialect> {
  /** The base URL (HTTP) or the WebSocket URL (stream protocols) this instance answers. */
  readonly baseUrl: string;
  readonly dialect: D;
  /** The requests this instance answered lately, with their diagnostics (as `GET /__accord/journal`). */
  readonly journal: Journal;
}

export type MockHandlers<D extends Dialect = Dialect> = (RequestHandler | WebSocketHandler)[] & {
  readonly instances: readonly MockInstance<D>[];
};

export async function toRequestData(request: Request, baseUrl: string): Promise<HttpRequestData> {
  const url = new URL(request.url);
  const basePath = new URL(baseUrl).pathname.replace(/\/$/, '');
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => (headers[key] = value));
  // A browser's fetch leaves the Host header to the network layer; dialects read the port from it.
  if (headers['host'] === undefined) headers['host'] = url.host;
  const bytes = new Uint8Array(await request.arrayBuffer());
  const notUtf8 = utf8Problem(bytes);
  return {
    method: request.method,
    url: url.pathname.slice(basePath.length) + url.search,
    headers,
    body: new TextDecoder().decode(bytes),
    ...(notUtf8 ? { notUtf8 } : {}),
  };
}

function httpHandlers(baseUrl: string, dialect: HttpDialect): RequestHandler[] {
  const base = baseUrl.replace(/\/$/, '');
  return dialect.routes.map((route) =>
    http.all(`${base}${route}`, async ({ request }) => {
      const response = await dialect.handle(await toRequestData(request, base));
      // HttpResponse refuses a body on 204/304; an empty body is sent as none.
      return new HttpResponse(response.body === '' ? null : response.body, {
        status: response.status,
        headers: response.headers,
      });
    }),
  );
}

/**
 * msw intercepts the global WebSocket class. Node 20 has none unless started with --experimental-websocket
 * (Node 22 and later have it): without one, no client can connect, so say so once instead of leaving the
 * test to fail with "WebSocket is not defined".
 */
let warnedNoWebSocket = false;
function warnWithoutGlobalWebSocket(): void {
  if (warnedNoWebSocket || 'WebSocket' in globalThis) return;
  warnedNoWebSocket = true;
  console.warn(
    'accord: msw WebSocket handlers intercept the global WebSocket, and this runtime has none: on Node 20 run node ' +
      'with --experimental-websocket (NODE_OPTIONS=--experimental-websocket), or set globalThis.WebSocket ' +
      "(e.g. the ws package's class) before creating the handlers",
  );
}

/** One WebSocket link: every client connection is a connection of the dialect. */
function webSocketHandler(url: string, dialect: StreamDialect): WebSocketHandler {
  warnWithoutGlobalWebSocket();
  return ws.link(url).addEventListener('connection', ({ client }) => {
    let open = true;
    const connection = dialect.connect(
      {
        send: (text) => void (open && client.send(text)),
        close: (code) => {
          open = false;
          // msw delivers sent frames in a microtask and drops them once closing: close after them.
          queueMicrotask(() => client.close(code ?? 1000));
        },
      },
      'ws',
    );
    if (!connection) {
      client.close(1000);
      return;
    }
    client.addEventListener('message', (event) => {
      // Text frames only, as the real server reads them.
      if (typeof event.data === 'string') connection.receive(event.data);
    });
    client.addEventListener('close', () => {
      open = false;
      connection.closed();
    });
  });
}

const listOf = (value: string | readonly string[] | undefined): string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : [...value];

/** Handlers for one dialect per URL, each made by `create` with the given options. */
export function handlersFor<O, D extends Dialect>(
  create: (options: O) => D,
  options: HandlerOptions<O>,
): MockHandlers<D> {
  const urls = [...listOf(options.baseUrl), ...listOf(options.url)];
  if (urls.length === 0) throw new Error('msw handlers need a baseUrl (HTTP protocols) or a url (WebSocket protocols)');
  const instances: MockInstance<D>[] = [];
  const all: (RequestHandler | WebSocketHandler)[] = [];
  for (const url of urls) {
    const { dialect, journal } = withJournal(
      create({ ...options.dialect, ...(options.log ? { log: options.log } : {}) } as O),
    );
    instances.push({ baseUrl: url, dialect, journal });
    if (dialect.kind === 'http') all.push(...httpHandlers(url, dialect));
    else if (/^wss?:/.test(url)) all.push(webSocketHandler(url, dialect));
    else throw new Error(`${dialect.protocol} speaks over WebSocket in msw: give a ws:// or wss:// url, not ${url}`);
  }
  return Object.assign(all, { instances });
}
