import { http, HttpResponse, type RequestHandler } from 'msw';
import type { HttpRequestData } from '../src/wire/http.js';
import type { Dialect, HttpDialect } from './dialect.js';

/**
 * msw handlers for any dialect factory, with no registry behind them: what a browser bundle imports when
 * it wants one protocol's mock without the others (mock/msw.ts is the convenience over the registry).
 * Each base URL is its own instance with its own state.
 */
export interface HandlerOptions {
  /** One base URL, or several: one independent instance each. */
  readonly baseUrl: string | readonly string[];
  /** Options for every instance's dialect (seed, faults, tokens...); see each protocol's mock. */
  readonly dialect?: Readonly<Record<string, unknown>>;
  /** Log lines the dialect writes (request diagnostics...). */
  readonly log?: (line: string) => void;
}

export interface MockInstance {
  readonly baseUrl: string;
  readonly dialect: Dialect;
}

export type MockHandlers = RequestHandler[] & { readonly instances: readonly MockInstance[] };

export async function toRequestData(request: Request, baseUrl: string): Promise<HttpRequestData> {
  const url = new URL(request.url);
  const basePath = new URL(baseUrl).pathname.replace(/\/$/, '');
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => (headers[key] = value));
  // A browser's fetch leaves the Host header to the network layer; dialects read the port from it.
  if (headers['host'] === undefined) headers['host'] = url.host;
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

/** Handlers for one dialect per base URL, each made by `create` with the given options. */
export function handlersFor(create: (options: Readonly<Record<string, unknown>>) => Dialect, options: HandlerOptions): MockHandlers {
  const bases = typeof options.baseUrl === 'string' ? [options.baseUrl] : [...options.baseUrl];
  const instances: MockInstance[] = [];
  const list: RequestHandler[] = [];
  for (const baseUrl of bases) {
    const dialect = create({ ...options.dialect, ...(options.log ? { log: options.log } : {}) });
    instances.push({ baseUrl, dialect });
    if (dialect.kind === 'http') list.push(...httpHandlers(baseUrl, dialect));
    else throw new Error(`${dialect.protocol} is a stream protocol: its msw handlers are WebSocket handlers (not built yet)`);
  }
  return Object.assign(list, { instances });
}
