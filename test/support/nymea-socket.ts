import net from 'node:net';
import WebSocket from 'ws';

/** A nymea message as a test reads it. */
export type NymeaMessage = Record<string, unknown> & {
  id?: number;
  status?: string;
  params?: Record<string, unknown>;
  notification?: string;
  error?: string;
};

/** A real TCP or WebSocket connection to a nymea server; what arrives goes to `received` as it comes. */
export interface NymeaSocket {
  /** TCP: the bytes as they are; WebSocket: one text frame. */
  write(text: string): void;
  close(): void;
  readonly closed: Promise<void>;
}

/** TCP hands `received` chunks as they arrive, a WebSocket one frame each. */
export function openNymeaSocket(
  transport: 'tcp' | 'ws',
  url: string,
  received: (text: string) => void,
  options: { readonly origin?: string } = {},
): Promise<NymeaSocket> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    if (transport === 'tcp') {
      const socket = net.connect({ host: u.hostname, port: Number(u.port) });
      const closed = new Promise<void>((r) => socket.on('close', () => r()));
      socket.setEncoding('utf8');
      socket.on('data', received);
      socket.on('error', reject);
      socket.on('connect', () => resolve({ write: (t) => socket.write(t), close: () => socket.destroy(), closed }));
      return;
    }
    const socket = new WebSocket(url, options.origin === undefined ? {} : { origin: options.origin });
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('message', (data) => received(data.toString()));
    socket.on('error', reject);
    socket.on('open', () => resolve({ write: (t) => socket.send(t), close: () => socket.terminate(), closed }));
  });
}

/** Messages kept until a test reads them, in any order. */
export class NymeaInbox {
  readonly #messages: NymeaMessage[] = [];
  #wake: () => void = () => undefined;

  push(message: NymeaMessage): void {
    this.#messages.push(message);
    this.#wake();
  }

  /** The next message that passes the test; fails after `timeoutMs` naming what did arrive. */
  async next(test: (m: NymeaMessage) => boolean, timeoutMs = 2000): Promise<NymeaMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.#messages.findIndex(test);
      if (i >= 0) return this.#messages.splice(i, 1)[0] as NymeaMessage;
      if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(this.#messages)}`);
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 25);
      });
    }
  }
}

/** `received` for newline-framed text: each whole line, as it completes. */
export function byLine(line: (text: string) => void): (chunk: string) => void {
  let buffer = '';
  return (chunk) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      line(buffer.slice(0, nl + 1));
      buffer = buffer.slice(nl + 1);
    }
  };
}
