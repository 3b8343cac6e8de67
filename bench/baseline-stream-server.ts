import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * The baseline for stream protocols: a bare TCP server and a bare WebSocket server (the `ws` library, as
 * the mock's host uses) that answer every message with fixed bytes (the reply the mock sent for the
 * measured call), in their own process like the mock. TCP messages are newline-terminated lines.
 * Argument: that reply's text.
 */
const reply = (process.argv[2] ?? '{}').replace(/\n$/, '');
const line = `${reply}\n`;

const tcp = net.createServer((socket) => {
  let buffered = '';
  socket.setNoDelay(true);
  socket.on('data', (chunk) => {
    buffered += chunk.toString('utf8');
    let at = buffered.indexOf('\n');
    while (at >= 0) {
      socket.write(line);
      buffered = buffered.slice(at + 1);
      at = buffered.indexOf('\n');
    }
  });
  socket.on('error', () => undefined);
});
const ws = new WebSocketServer({ host: '127.0.0.1', port: 0 });
ws.on('connection', (socket) => socket.on('message', () => socket.send(reply)));

tcp.listen(0, '127.0.0.1', () => {
  const wsPort = (ws.address() as AddressInfo).port;
  process.stdout.write(
    `listening on tcp://127.0.0.1:${(tcp.address() as AddressInfo).port} and ws://127.0.0.1:${wsPort}\n`,
  );
});
