import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

/** Servers on 127.0.0.1 that misbehave the ways real deployments do, for resilience tests. */
export interface Faulty {
  readonly url: string;
  close(): Promise<void>;
}

function listening(server: net.Server, scheme: string): Promise<Faulty> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}

/** Accepts connections and never answers. */
export function hangingServer(scheme = 'http'): Promise<Faulty> {
  return listening(
    net.createServer(() => undefined),
    scheme,
  );
}

/** Accepts connections and closes them at once. */
export function droppingServer(scheme = 'http'): Promise<Faulty> {
  return listening(
    net.createServer((s) => s.destroy()),
    scheme,
  );
}

/** Answers every request with an HTML page, as a misconfigured proxy or the wrong app would. */
export function htmlServer(): Promise<Faulty> {
  return listening(
    http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to nginx!</body></html>'),
    ),
    'http',
  );
}

/** Answers with bytes that are not JSON. */
export function garbageServer(): Promise<Faulty> {
  return listening(
    http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('\u0000\u0001garbage{'),
    ),
    'http',
  );
}

/**
 * A reverse proxy to a real target that starts hanging (never answering) after `after` requests: a target
 * that goes away in the middle of a run.
 */
export function proxyThatHangsAfter(target: string, after: number): Promise<Faulty> {
  let count = 0;
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    count += 1;
    if (count > after) return;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  return listening(server, 'http');
}
