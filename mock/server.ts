import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpRequestData } from '../src/wire/http.js';
import type { Dialect, HttpDialect } from './dialect.js';
import { createDialect } from './dialects/index.js';

/**
 * The mock as a real server on 127.0.0.1: node:http for request-response dialects (and for stream
 * dialects, their TCP and WebSocket listeners). A host never interprets a request; it only moves bytes,
 * enforces the body limit, and turns anything unexpected into a 500 instead of a crash.
 */
export const MOCK_HOST = '127.0.0.1';

export interface MockServerOptions {
  readonly port?: number;
  /** Request bodies larger than this are not read; the dialect answers as its real server would. */
  readonly maxBodyBytes?: number;
  /** Options for the dialect: seed, faults, tokens... */
  readonly dialect?: Readonly<Record<string, unknown>>;
  readonly log?: (line: string) => void;
}

export interface MockServer {
  readonly protocol: string;
  readonly url: string;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export async function startMock(protocol: string, options: MockServerOptions = {}): Promise<MockServer> {
  const dialect = createDialect(protocol, { ...options.dialect, log: options.log });
  if (dialect.kind !== 'http') throw new Error(`${protocol} is not served over HTTP`);
  const server = await listenHttp(dialect, options);
  const { port } = server.address() as AddressInfo;
  return {
    protocol,
    url: `http://${MOCK_HOST}:${port}`,
    dialect,
    close: () => closeServer(server),
  };
}

export function listenHttp(dialect: HttpDialect, options: MockServerOptions): Promise<http.Server> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const request: HttpRequestData = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers,
        body: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'),
      };
      dialect
        .handle(tooLarge ? { ...request, headers: { ...headers, 'x-accord-body-too-large': String(size) } } : request)
        .then((response) => {
          res.writeHead(response.status, response.headers);
          res.end(response.body);
        })
        .catch((error: unknown) => {
          options.log?.(`${dialect.protocol}: unexpected error: ${(error as Error).stack ?? String(error)}`);
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end();
        });
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, MOCK_HOST, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function closeServer(server: { close(cb: (err?: Error) => void): void; closeAllConnections?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
