import net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import { describeNetworkError } from './http-transport.js';

/**
 * A message stream to a server, over TCP (newline-framed: each line is one message) or WebSocket (each
 * text frame is one message). URLs: `tcp://` (also `nymea://`), `tls://` (also `nymeas://`), `ws://`, `wss://`.
 * TLS certificates are not verified: the servers this speaks to (nymea) use self-signed ones by default.
 */
export interface StreamSocket {
  readonly transport: 'tcp' | 'ws';
  /** host:port, for reproduction lines. */
  readonly address: string;
  readonly url: string;
  send(text: string): void;
  /** WebSocket only: a binary frame. */
  sendBinary(bytes: Uint8Array): void;
  close(): void;
  readonly isClosed: boolean;
  /** Each message as received (TCP: the line with its `\n`; WebSocket: the frame's text). */
  onMessage(listener: (raw: string) => void): void;
  onClose(listener: () => void): void;
}

const TCP = new Set(['tcp:', 'nymea:']);
const TLS = new Set(['tls:', 'nymeas:']);
const WS = new Set(['ws:', 'wss:']);

export function openStream(url: string, timeoutMs: number): Promise<StreamSocket> {
  const u = new URL(url);
  if (WS.has(u.protocol)) return openWebSocket(u, timeoutMs);
  if (TCP.has(u.protocol) || TLS.has(u.protocol)) return openTcp(u, TLS.has(u.protocol), timeoutMs);
  return Promise.reject(new Error(`not a stream URL (tcp://, tls://, ws://, wss://): ${url}`));
}

/** Listeners, and what arrived before there were any (so nothing is lost between connect and attach). */
class Listeners {
  readonly #message: ((raw: string) => void)[] = [];
  readonly #close: (() => void)[] = [];
  readonly #early: string[] = [];
  closed = false;
  emitMessage(raw: string): void {
    if (this.#message.length === 0) this.#early.push(raw);
    for (const l of this.#message) l(raw);
  }
  emitClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.#close) l();
  }
  addMessage(l: (raw: string) => void): void {
    this.#message.push(l);
    for (const raw of this.#early.splice(0)) l(raw);
  }
  addClose(l: () => void): void {
    this.#close.push(l);
    if (this.closed) l();
  }
}

function openTcp(u: URL, secure: boolean, timeoutMs: number): Promise<StreamSocket> {
  const host = u.hostname;
  const port = Number(u.port || 2222);
  return new Promise((resolve, reject) => {
    const listeners = new Listeners();
    const socket = secure ? tls.connect({ host, port, rejectUnauthorized: false }) : net.connect({ host, port });
    // A plain port takes the TCP connection and then waits for a line, so the TLS handshake never ends.
    // Or it drops a connection whose first line is not JSON.
    let connected = false;
    if (secure) socket.once('connect', () => (connected = true));
    const plain = `if it is a plain port, use ${u.protocol === 'nymeas:' ? 'nymea' : 'tcp'}://`;
    const timer = setTimeout(() => {
      socket.destroy(
        new Error(
          connected
            ? `${u.toString()} took the connection but no TLS handshake within ${timeoutMs} ms; ${plain}`
            : `no connection within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl + 1);
        buffer = buffer.slice(nl + 1);
        if (line.trim() !== '') listeners.emitMessage(line);
        nl = buffer.indexOf('\n');
      }
    });
    socket.on('close', () => {
      if (buffer.trim() !== '') listeners.emitMessage(buffer);
      buffer = '';
      listeners.emitClose();
    });
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      resolve({
        transport: 'tcp',
        address: `${host}:${port}`,
        url: u.toString(),
        send: (text) => void (!listeners.closed && socket.write(text)),
        sendBinary: () => {
          throw new Error('binary frames exist only on WebSocket');
        },
        close: () => socket.destroy(),
        get isClosed() {
          return listeners.closed;
        },
        onMessage: (l) => listeners.addMessage(l),
        onClose: (l) => listeners.addClose(l),
      });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const dropped = connected && ['ECONNRESET', 'EPIPE'].includes(error.code ?? '');
      reject(
        new Error(
          dropped
            ? `${u.toString()} closed the connection during the TLS handshake; ${plain}`
            : describeNetworkError(error, u.toString()),
        ),
      );
    });
  });
}

function openWebSocket(u: URL, timeoutMs: number): Promise<StreamSocket> {
  return new Promise((resolve, reject) => {
    const listeners = new Listeners();
    const socket = new WebSocket(u, { rejectUnauthorized: false, handshakeTimeout: timeoutMs });
    socket.on('message', (data, isBinary) => {
      if (!isBinary) listeners.emitMessage(data.toString());
    });
    socket.on('close', () => listeners.emitClose());
    socket.once('open', () =>
      resolve({
        transport: 'ws',
        address: u.host,
        url: u.toString(),
        send: (text) => void (socket.readyState === WebSocket.OPEN && socket.send(text)),
        sendBinary: (bytes) => void (socket.readyState === WebSocket.OPEN && socket.send(bytes, { binary: true })),
        close: () => socket.terminate(),
        get isClosed() {
          return listeners.closed;
        },
        onMessage: (l) => listeners.addMessage(l),
        onClose: (l) => listeners.addClose(l),
      }),
    );
    socket.on('error', (error) => reject(new Error(describeNetworkError(error, u.toString()))));
  });
}
