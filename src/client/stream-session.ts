import { NOT_JSON, type StreamObserved } from '../spec/observed.js';
import type { StreamLink, StreamOpenOptions, StreamRawRequest } from '../spec/codec.js';
import type { Exchange } from '../spec/session.js';
import { SkipCheck } from '../spec/skip.js';
import { openStream, type StreamSocket } from './stream-transport.js';

interface Received {
  readonly raw: string;
  readonly message: unknown;
}

interface Waiter {
  readonly collected: Received[];
  replies: number;
  onChange(): void;
}

const INBOX_LIMIT = 1000;

/**
 * One connection to a stream server (TCP or WebSocket), protocol-agnostic: send text, collect the
 * messages that come back, wait for a reply (what counts as one is the protocol's say), keep what the
 * server sent unasked (notifications), notice when the server closes. Every wait ends at the timeout;
 * requests never overlap (each waits for the previous one).
 */
export class StreamSession implements StreamLink {
  readonly #socket: StreamSocket;
  readonly #options: StreamOpenOptions;
  readonly #inbox: Received[] = [];
  #waiters = new Set<Waiter>();
  #chain: Promise<unknown> = Promise.resolve();
  /** Lines sent to bring this connection into its state (handshake, login): reproduction lines start with them. */
  readonly setup: string[] = [];

  private constructor(socket: StreamSocket, options: StreamOpenOptions) {
    this.#socket = socket;
    this.#options = options;
    socket.onMessage((raw) => this.#receive(raw));
    socket.onClose(() => {
      for (const w of this.#waiters) w.onChange();
    });
  }

  static async open(url: string, options: StreamOpenOptions): Promise<StreamSession> {
    return new StreamSession(await openStream(url, options.timeoutMs), options);
  }

  get transport(): 'tcp' | 'ws' {
    return this.#socket.transport;
  }

  get closed(): boolean {
    return this.#socket.isClosed;
  }

  #receive(raw: string): void {
    let message: unknown = NOT_JSON;
    try {
      message = JSON.parse(raw);
    } catch {
      // kept as NOT_JSON: a facet will say so
    }
    const r = { raw, message };
    const reply = this.#options.isReply(message);
    if (!reply) {
      this.#inbox.push(r);
      if (this.#inbox.length > INBOX_LIMIT) this.#inbox.splice(0, this.#inbox.length - INBOX_LIMIT);
    }
    for (const w of this.#waiters) {
      w.collected.push(r);
      if (reply) w.replies += 1;
      w.onChange();
    }
  }

  /** Run one exchange at a time. */
  #serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(run, run);
    this.#chain = next.catch(() => undefined);
    return next;
  }

  /** Collect messages until `done` says so, the server closes, or the timeout passes. */
  #collect(start: () => void, done: (w: Waiter) => boolean, timeoutMs: number): Promise<Received[]> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        collected: [],
        replies: 0,
        onChange: () => {
          if (done(waiter) || this.closed) finish();
        },
      };
      const finish = () => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve(waiter.collected);
      };
      const timer = setTimeout(finish, timeoutMs);
      this.#waiters.add(waiter);
      start();
      waiter.onChange();
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /**
   * How long to wait for a close announced by a reply: a server that closes sends it right behind the
   * reply, so a few times the reply's own latency (at least 150 ms), up to closeGraceMs.
   */
  #closeGrace(replyMs: number): number {
    return Math.min(this.#options.closeGraceMs ?? 500, Math.max(150, 4 * replyMs));
  }

  /** Send one request and wait for its reply (and for the close, when the reply announces one). */
  request(text: string): Promise<Exchange> {
    return this.#serial(async () => {
      const started = performance.now();
      const collected = await this.#collect(
        () => this.#socket.send(text),
        (w) => w.replies >= 1,
        this.#options.timeoutMs,
      );
      const reply = collected.find((r) => this.#options.isReply(r.message));
      if (reply && this.#options.closesAfter?.(reply.message) && !this.closed) {
        collected.push(
          ...(await this.#collect(
            () => undefined,
            () => false,
            this.#closeGrace(performance.now() - started),
          )),
        );
      }
      return this.#exchange(
        [text],
        collected,
        started,
        reply ? undefined : `no reply within ${this.#options.timeoutMs} ms`,
      );
    });
  }

  raw(request: StreamRawRequest): Promise<Exchange> {
    if (request.binary && this.transport !== 'ws')
      return Promise.reject(new SkipCheck('binary frames exist only on WebSocket; this target is TCP'));
    return this.#serial(async () => {
      const started = performance.now();
      const wanted = request.replies ?? 1;
      const send = async () => {
        for (const [i, piece] of request.send.entries()) {
          if (i > 0 && request.gapMs) await this.#sleep(request.gapMs);
          if (request.binary) this.#socket.sendBinary(new TextEncoder().encode(piece));
          else this.#socket.send(piece);
          // Registered in the same tick as the send, so the reply cannot slip past (every waiter sees every message).
          if (request.lockstep && i < request.send.length - 1)
            await this.#collect(
              () => undefined,
              (w) => w.replies >= 1,
              this.#options.timeoutMs,
            );
        }
      };
      const collected: Received[] = [];
      let sending: Promise<void> = Promise.resolve();
      if (wanted > 0)
        collected.push(
          ...(await this.#collect(
            () => void (sending = send()),
            (w) => w.replies >= wanted,
            this.#options.timeoutMs,
          )),
        );
      else await send();
      await sending;
      const closing = collected.some((r) => this.#options.isReply(r.message) && this.#options.closesAfter?.(r.message));
      const settle = Math.max(request.settleMs ?? 0, closing ? (this.#options.closeGraceMs ?? 500) : 0);
      if (settle > 0 && !this.closed)
        collected.push(
          ...(await this.#collect(
            () => undefined,
            () => false,
            settle,
          )),
        );
      return this.#exchange(request.send, collected, started);
    });
  }

  /** What the server sent unasked since the last look. */
  unasked(): Exchange {
    return this.#exchange([], this.#inbox.splice(0), performance.now(), undefined, '(listening)');
  }

  /** Wait for an unasked message that matches; returns everything unasked up to it. */
  waitFor(match: (message: unknown) => boolean, timeoutMs: number): Promise<Exchange> {
    const started = performance.now();
    const found = () => this.#inbox.findIndex((r) => match(r.message));
    return this.#collect(
      () => undefined,
      () => found() >= 0,
      timeoutMs,
    ).then(() => {
      const at = found();
      const taken = this.#inbox.splice(0, at >= 0 ? at + 1 : this.#inbox.length);
      return this.#exchange(
        [],
        taken,
        started,
        at >= 0 ? undefined : `nothing matching within ${timeoutMs} ms`,
        '(listening)',
      );
    });
  }

  async close(): Promise<void> {
    this.#socket.close();
  }

  #exchange(
    sent: readonly string[],
    collected: readonly Received[],
    started: number,
    problem?: string,
    request?: string,
  ): Exchange {
    const observed: StreamObserved = {
      transport: this.transport,
      messages: collected.map((r) => r.message),
      raw: collected.map((r) => r.raw),
      closed: this.closed,
    };
    const lines = collected.map((r) => r.raw.replace(/\n$/, ''));
    if (this.closed) lines.push('(the server closed the connection)');
    if (problem) lines.push(`(${problem})`);
    return {
      observed,
      request: request ?? sent.map((t) => t.replace(/\n$/, '')).join('\n'),
      response: lines.length > 0 ? lines.join('\n') : '(nothing)',
      reproduce: this.reproduce(sent),
      ms: performance.now() - started,
      setup: [...this.setup],
    };
  }

  /** A shell line that sends the setup lines and then these, with nc (TCP) or websocat (WebSocket). */
  reproduce(sent: readonly string[]): string {
    const quote = (s: string) => `'${s.replace(/\n$/, '').replace(/'/g, `'\\''`)}'`;
    const lines = [...this.setup, ...sent].filter((l) => l !== '');
    const printf = lines.length > 0 ? `printf '%s\\n' ${lines.map(quote).join(' ')}; ` : '';
    const tool =
      this.transport === 'tcp' ? `nc ${this.#socket.address.replace(':', ' ')}` : `websocat -t ${this.#socket.url}`;
    return `{ ${printf}sleep 2; } | ${tool}`;
  }
}
