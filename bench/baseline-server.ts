import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The baseline: a bare node:http server answering fixed bytes (the same status, headers and body the mock
 * sent for the measured call), in its own process like the mock. Argument: that reply as JSON.
 */
const reply = JSON.parse(process.argv[2] ?? '{}') as { status: number; headers: Record<string, string>; body: string };
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`),
);
