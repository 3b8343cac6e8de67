import { http, HttpResponse, ws, type RequestHandler, type WebSocketHandler } from 'msw';
import type { HttpRequestData } from '../src/wire/http.js';
import type { Dialect, HttpDialect, StreamDialect } from './dialect.js';
import { createDialect } from './dialects/index.js';

/**
 * msw handlers built from the same dialects as `accord serve`, with the same state semantics: each base
 * URL is its own instance with its own state. Works in Node (msw/node's setupServer) and in the browser
 * (msw/browser's setupWorker), since dialects use no Node-only modules.
 *
 *   const h = handlers('kanboard', { baseUrl: 'http://localhost:8080' });
 *   setupServer(...h).listen();
 *   h.instances[0].dialect.given  // the credentials it accepts
 *
 * Stream protocols (nymea) get WebSocket handlers (msw's `ws.link`): each text frame a client sends goes
 * to the dialect, whatever it answers goes back as a text frame; binary frames are ignored.
 *
 *   const h = handlers('nymea', { url: 'ws://nymea.local:4444', dialect: { admin: 'admin:Secret123' } });
 */
export interface HandlerOptions {
  /** HTTP protocols: one base URL, or several: one independent instance each. */
  readonly baseUrl?: string | readonly string[];
  /** Stream protocols: the WebSocket URL (`ws://` or `wss://`), or several: one independent instance each. */
  readonly url?: string | readonly string[];
  /** Options for every instance's dialect (seed, faults, tokens...); see each protocol's mock. */
  readonly dialect?: Readonly<Record<string, unknown>>;
  /** Log lines the dialect writes (request diagnostics...). */
  readonly log?: (line: string) => void;
}

export interface MockInstance {
  /** The base URL (HTTP) or the WebSocket URL (stream protocols) this instance answers. */
  readonly baseUrl: string;
  readonly dialect: Dialect;
}

export type MockHandlers = (RequestHandler | WebSocketHandler)[] & { readonly instances: readonly MockInstance[] };

export async function toRequestData(request: Request, baseUrl: string): Promise<HttpRequestData> {
  const url = new URL(request.url);
  const basePath = new URL(baseUrl).pathname.replace(/\/$/, '');
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => (headers[key] = value));
  return { method: request.method, url: url.pathname.slice(basePath.length) + url.search, headers, body: await request.text() };
}

function httpHandlers(baseUrl: string, dialect: HttpDialect): RequestHandler[] {
  const base = baseUrl.replace(/\/$/, '');
  return dialect.routes.map((route) =>
    http.all(`${base}${route}`, async ({ request }) => {
      const response = await dialect.handle(await toRequestData(request, base));
      // HttpResponse refuses a body on 204/304; an empty body is sent as none.
      return new HttpResponse(response.body === '' ? null : response.body, { status: response.status, headers: response.headers });
    }),
  );
}

/** One WebSocket link: every client connection is a connection of the dialect. */
function webSocketHandler(url: string, dialect: StreamDialect): WebSocketHandler {
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

const list = (value: string | readonly string[] | undefined): string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : [...value]);

export function handlers(protocol: string, options: HandlerOptions): MockHandlers {
  const urls = [...list(options.baseUrl), ...list(options.url)];
  if (urls.length === 0) throw new Error('handlers() needs a baseUrl (HTTP protocols) or a url (WebSocket protocols)');
  const instances: MockInstance[] = [];
  const all: (RequestHandler | WebSocketHandler)[] = [];
  for (const url of urls) {
    const dialect = createDialect(protocol, { ...options.dialect, ...(options.log ? { log: options.log } : {}) });
    instances.push({ baseUrl: url, dialect });
    if (dialect.kind === 'http') all.push(...httpHandlers(url, dialect));
    else if (/^wss?:/.test(url)) all.push(webSocketHandler(url, dialect));
    else throw new Error(`${protocol} speaks over WebSocket in msw: give a ws:// or wss:// url, not ${url}`);
  }
  return Object.assign(all, { instances });
}
