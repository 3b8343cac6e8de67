import net from 'node:net';
import WebSocket from 'ws';
import type { LoadResult } from './load.js';

/**
 * A load generator for stream protocols (autocannon speaks HTTP only): `connections` clients, each sends
 * its setup lines (a Hello with its token), then one request at a time for `seconds`, the next as soon as
 * the previous one's reply arrived. A `seq` token in the request is replaced by a fresh number each time.
 * Every message back counts as the reply (no notifications are switched on).
 */
/** Numbers go on from one load to the next (a load in rounds must not create the same object twice). */
let n = 0;

export async function streamLoad(
  url: string,
  setup: readonly string[],
  request: string,
  seconds: number,
  seq?: string,
  connections = 20,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const next = () => {
    n += 1;
    return seq ? request.split(seq).join(String(n)) : request;
  };
  const client = async () => {
    let conn: Connection;
    try {
      conn = await connect(url);
    } catch {
      errors += 1;
      return;
    }
    try {
      for (const line of setup) await conn.ask(line);
      while (performance.now() < deadline) {
        const sent = performance.now();
        await conn.ask(next());
        latencies.push(performance.now() - sent);
      }
    } catch {
      errors += 1;
    } finally {
      conn.close();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, client));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(2));
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), non2xx: 0, errors };
}

interface Connection {
  /** Send one message and wait for the next message back. */
  ask(text: string): Promise<string>;
  close(): void;
}

function connect(url: string): Promise<Connection> {
  const u = new URL(url);
  return u.protocol === 'ws:' ? connectWs(url) : connectTcp(Number(u.port), u.hostname);
}

/** Replies in order: one waiter per request, one request in flight per connection. */
class Replies {
  #waiting: ((text: string) => void) | undefined;
  #failed: ((error: Error) => void) | undefined;
  arrive(text: string): void {
    const w = this.#waiting;
    this.#waiting = undefined;
    w?.(text);
  }
  fail(error: Error): void {
    this.#failed?.(error);
  }
  next(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#waiting = resolve;
      this.#failed = reject;
    });
  }
}

function connectTcp(port: number, host: string): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    socket.setNoDelay(true);
    const replies = new Replies();
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      let at = buffered.indexOf('\n');
      while (at >= 0) {
        replies.arrive(buffered.slice(0, at));
        buffered = buffered.slice(at + 1);
        at = buffered.indexOf('\n');
      }
    });
    socket.on('close', () => replies.fail(new Error('closed')));
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        ask: (text) => {
          const reply = replies.next();
          socket.write(text.endsWith('\n') ? text : `${text}\n`);
          return reply;
        },
        close: () => socket.destroy(),
      }),
    );
  });
}

function connectWs(url: string): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const replies = new Replies();
    socket.on('message', (data) => replies.arrive(String(data)));
    socket.on('close', () => replies.fail(new Error('closed')));
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        ask: (text) => {
          const reply = replies.next();
          socket.send(text.replace(/\n$/, ''));
          return reply;
        },
        close: () => socket.terminate(),
      }),
    );
  });
}
