import { isUtf8 } from 'node:buffer';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HttpRequestData, HttpResponseData } from '../src/wire/http.js';
import { utf8Problem } from '../src/wire/text.js';
import {
  AnswerBudget,
  ByteBudget,
  DEFAULT_MAX_HELD_BODY_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES_IN_FLIGHT,
  DEFAULT_MAX_RESPONSES_IN_FLIGHT,
} from './backpressure.js';
import { handleControl, isControlRequest } from './control.js';
import type { Dialect, HttpDialect, StreamDialect } from './dialect.js';
import { hostDialect } from './hosted.js';
import type { Journal } from './journal.js';
import { Utf8Stream } from './utf8-stream.js';

/**
 * The mock as real servers on 127.0.0.1: node:http for request-response dialects; TCP (net) and
 * WebSocket (ws) listeners for stream dialects, plus an HTTP control endpoint. A host never interprets a
 * request; it moves bytes, enforces the body limit, and turns anything unexpected into a 500 or a closed
 * connection instead of a crash.
 */
export const MOCK_HOST = '127.0.0.1';
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
const LISTEN_BACKLOG = 4096;
/** Stream dialects: a connection whose client reads less than this behind is no longer read from. */
const MAX_UNSENT_STREAM_BYTES = 16 * 1024 * 1024;

export interface MockServerOptions {
  /** HTTP dialects: the port. Stream dialects: the TCP port. 0 or absent: any free port. */
  readonly port?: number;
  /** Stream dialects: the WebSocket port. */
  readonly wsPort?: number;
  /** Stream dialects: the port of the HTTP control endpoint (/__accord/...). */
  readonly controlPort?: number;
  /** Request bodies larger than this are not read; the dialect answers as its real server would. */
  readonly maxBodyBytes?: number;
  /** HTTP: bytes of answers being built or still buffered; later requests wait their turn (mock/backpressure.ts). */
  readonly maxResponseBytesInFlight?: number;
  /** HTTP: answers being built or still buffered at once, however small. */
  readonly maxResponsesInFlight?: number;
  /** HTTP: request body bytes held across requests before reading pauses. */
  readonly maxHeldBodyBytes?: number;
  /** Options for the dialect: seed, faults, tokens... */
  readonly dialect?: Readonly<Record<string, unknown>>;
  readonly log?: (line: string) => void;
  /** The address to listen on (default 127.0.0.1; 0.0.0.0 to be reached from the LAN). */
  readonly host?: string;
}

export interface MockServer {
  readonly protocol: string;
  /** The main endpoint: the HTTP base URL, or the first stream endpoint. */
  readonly url: string;
  /** Every endpoint a client can use (a stream dialect has tcp:// and ws://). */
  readonly urls: readonly string[];
  /** Where /__accord/state and /__accord/control/<action> are served. */
  readonly controlUrl: string;
  readonly dialect: Dialect;
  /** Every request it answered lately (GET /__accord/journal, the page at /__accord/). */
  readonly journal: Journal;
  close(): Promise<void>;
}

export async function startMock(protocol: string, options: MockServerOptions = {}): Promise<MockServer> {
  const { dialect, journal } = hostDialect(protocol, options.dialect ?? {}, options.log);
  return dialect.kind === 'http'
    ? startHttpMock(dialect, journal, options)
    : startStreamMock(dialect, journal, options);
}

/** How a URL names the address listened on (an IPv6 address in brackets). */
function hostOf(options: MockServerOptions): string {
  const host = options.host ?? MOCK_HOST;
  return host.includes(':') ? `[${host}]` : host;
}

async function startHttpMock(dialect: HttpDialect, journal: Journal, options: MockServerOptions): Promise<MockServer> {
  const server = await listenHttp((request) => dialect.handle(request), dialect, journal, options, options.port);
  const url = `http://${hostOf(options)}:${(server.address() as AddressInfo).port}`;
  return {
    protocol: dialect.protocol,
    url,
    urls: [url],
    controlUrl: url,
    dialect,
    journal,
    close: () => closeHttp(server),
  };
}

async function startStreamMock(
  dialect: StreamDialect,
  journal: Journal,
  options: MockServerOptions,
): Promise<MockServer> {
  const tcp = net.createServer((socket) => hostTcp(dialect, socket, options));
  await listen(tcp, options.port, options.host);
  const wsHttp = http.createServer((_req, res) =>
    res.writeHead(426, { 'content-type': 'text/plain' }).end('Upgrade Required'),
  );
  const wss = new WebSocketServer({ server: wsHttp, maxPayload: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES });
  wss.on('connection', (socket) => hostWebSocket(dialect, socket, options));
  await listen(wsHttp, options.wsPort, options.host);
  const control = await listenHttp(
    async () => ({ status: 404, headers: {}, body: '' }),
    dialect,
    journal,
    options,
    options.controlPort,
  );
  const tcpUrl = `tcp://${hostOf(options)}:${(tcp.address() as AddressInfo).port}`;
  const wsUrl = `ws://${hostOf(options)}:${(wsHttp.address() as AddressInfo).port}`;
  return {
    protocol: dialect.protocol,
    url: tcpUrl,
    urls: [tcpUrl, wsUrl],
    controlUrl: `http://${hostOf(options)}:${(control.address() as AddressInfo).port}`,
    dialect,
    journal,
    async close() {
      for (const client of wss.clients) client.terminate();
      await Promise.all([
        closeNet(tcp),
        new Promise<void>((resolve) => wss.close(() => resolve())),
        closeHttp(wsHttp),
        closeHttp(control),
      ]);
    },
  };
}

const sockets = new WeakMap<net.Server, Set<net.Socket>>();

function hostTcp(dialect: StreamDialect, socket: net.Socket, options: MockServerOptions): void {
  socket.setNoDelay(true);
  let open = true;
  // A client that sends but does not read: stop reading its requests until its answers drain.
  socket.on('drain', () => socket.resume());
  const connection = dialect.connect(
    {
      send: (text) => {
        if (open && !socket.write(text) && socket.writableLength > MAX_UNSENT_STREAM_BYTES) socket.pause();
      },
      close: () => {
        open = false;
        socket.end();
        socket.destroySoon();
      },
    },
    'tcp',
  );
  if (!connection) {
    socket.destroy();
    return;
  }
  const decoder = new Utf8Stream();
  socket.on('data', (chunk: Buffer) =>
    guard(
      options,
      dialect,
      () => connection.receive(decoder.push(chunk)),
      () => socket.destroy(),
    ),
  );
  socket.on('error', () => undefined);
  socket.on('close', () => {
    open = false;
    guard(
      options,
      dialect,
      () => connection.closed(),
      () => undefined,
    );
  });
}

function hostWebSocket(dialect: StreamDialect, socket: WebSocket, options: MockServerOptions): void {
  let open = true;
  // As over TCP: past the limit of unsent bytes, the client's messages wait until its answers went out.
  let unsent = 0;
  const sent = (bytes: number) => () => {
    unsent -= bytes;
    if (unsent <= MAX_UNSENT_STREAM_BYTES && socket.isPaused) socket.resume();
  };
  const connection = dialect.connect(
    {
      send: (text) => {
        if (!open) return;
        const bytes = text.length;
        unsent += bytes;
        socket.send(text, sent(bytes));
        if (unsent > MAX_UNSENT_STREAM_BYTES) socket.pause();
      },
      close: (code) => {
        open = false;
        socket.close(code ?? 1000);
      },
    },
    'ws',
  );
  if (!connection) {
    socket.close(1000);
    return;
  }
  socket.on('message', (data, isBinary) => {
    // Stream dialects speak text; binary frames are ignored, as nymea does.
    if (!isBinary)
      guard(
        options,
        dialect,
        () => connection.receive(data.toString()),
        () => socket.terminate(),
      );
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    open = false;
    guard(
      options,
      dialect,
      () => connection.closed(),
      () => undefined,
    );
  });
}

/** Run dialect code; a bug in it closes this one connection and is logged, the server keeps serving. */
function guard(options: MockServerOptions, dialect: StreamDialect, run: () => void, onError: () => void): void {
  try {
    run();
  } catch (error) {
    options.log?.(`${dialect.protocol}: unexpected error: ${(error as Error).stack ?? String(error)}`);
    onError();
  }
}

function listenHttp(
  handle: (request: HttpRequestData) => Promise<HttpResponseData>,
  dialect: Dialect,
  journal: Journal,
  options: MockServerOptions,
  port: number | undefined,
): Promise<http.Server> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const inFlight = new AnswerBudget(
    options.maxResponseBytesInFlight ?? DEFAULT_MAX_RESPONSE_BYTES_IN_FLIGHT,
    options.maxResponsesInFlight ?? DEFAULT_MAX_RESPONSES_IN_FLIGHT,
  );
  const bodies = new ByteBudget(options.maxHeldBodyBytes ?? DEFAULT_MAX_HELD_BODY_BYTES);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let held = 0;
    let tooLarge = false;
    const resume = () => req.resume();
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else {
        chunks.push(chunk);
        held += chunk.length;
        if (bodies.take(chunk.length, resume)) req.pause();
      }
    });
    req.on('error', () => res.destroy());
    // However the exchange ends, its body bytes are given back once (a client may go away mid-body).
    const giveBack = () => {
      bodies.forget(resume);
      bodies.give(held);
      held = 0;
    };
    // 'close' comes once the answer's last byte went to the kernel (just after 'finish'), or when the client
    // went away. It may come while the request still waits for a slot: the slot is then given back as soon
    // as it is taken (the request is still carried out).
    let closed = false;
    let releaseSlot: (() => void) | undefined;
    res.on('close', () => {
      closed = true;
      giveBack();
      releaseSlot?.();
    });
    req.on('end', () => {
      // Node's header object, lower-cased already; only set-cookie comes as a list.
      const headers = req.headers as Record<string, string>;
      const cookies = req.headers['set-cookie'];
      if (cookies !== undefined) headers['set-cookie'] = cookies.join(', ');
      // An oversized body is not read: the dialect sees it empty and a header saying how large it was.
      if (tooLarge) headers['x-accord-body-too-large'] = String(size);
      // Answered in turn: the budget is given back once Node has handed the answer's last byte to the kernel.
      inFlight.acquire((ticket) => {
        releaseSlot = () => ticket.release();
        if (closed) ticket.release();
        const bytes =
          tooLarge || chunks.length === 0 ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        chunks.length = 0;
        const notUtf8 = bytes === undefined || isUtf8(bytes) ? undefined : utf8Problem(bytes);
        const request: HttpRequestData = {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers,
          body: bytes === undefined ? '' : bytes.toString('utf8'),
        };
        // Set only when there is one (no spread: an object literal with a spread is built the slow way).
        if (notUtf8) (request as { notUtf8?: typeof notUtf8 }).notUtf8 = notUtf8;
        giveBack();
        const answer = isControlRequest(request.url)
          ? Promise.resolve().then(() => handleControl(dialect, request, journal))
          : handle(request);
        answer
          .then((response) => {
            // A Content-Length, as the real servers send: with the headers set but not yet written, node counts
            // the body and sends head and body in one write (writeHead() first would frame it chunked: one
            // writev of four pieces per answer, a fifth of the mock's time on a read).
            ticket.built(response.body.length);
            res.statusCode = response.status;
            for (const [name, value] of Object.entries(withCookiesApart(response.headers))) res.setHeader(name, value!);
            res.end(response.body);
          })
          .catch((error: unknown) => {
            options.log?.(`${dialect.protocol}: unexpected error: ${(error as Error).stack ?? String(error)}`);
            if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
            res.end();
          });
      });
    });
  });
  // Idle keep-alive connections are closed after a minute, as nginx does (75 s), not node's 5 s: a client
  // that reuses one just as the server times it out gets a reset for a request the server never read,
  // and with a mock busy building large answers (a thousand parallel creates, each answered with every
  // user) its timers fire seconds late, so that race was lost for one request in a few hundred.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;
  const unparsed =
    dialect.kind === 'http' && dialect.unparsedRequest ? () => rawResponse(dialect.unparsedRequest!()) : undefined;
  server.on('connect', (_req: http.IncomingMessage, socket: net.Socket) => {
    socket.on('error', () => undefined);
    if (unparsed) socket.end(unparsed());
    else socket.destroy();
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return;
    if (err.code === 'HPE_INVALID_METHOD' && unparsed) socket.end(unparsed());
    else socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  return listen(server, port, options.host).then(() => server);
}

/**
 * Dialects join several Set-Cookie values with ", " (as node's client shows them); on the wire each cookie
 * needs a header line of its own, or a browser keeps only the first.
 */
function withCookiesApart(headers: Readonly<Record<string, string>>): http.OutgoingHttpHeaders {
  const cookies = headers['set-cookie'];
  if (cookies === undefined) return headers;
  // A comma starts a new cookie only where a name= follows (an Expires date has a comma too).
  return { ...headers, 'set-cookie': cookies.split(/,\s*(?=[A-Za-z0-9_.-]+=)/) };
}

/** A whole HTTP/1.1 response as bytes, for a socket node's HTTP machinery no longer serves. */
function rawResponse(response: HttpResponseData): string {
  const head = [`HTTP/1.1 ${response.status} ${http.STATUS_CODES[response.status] ?? 'Unknown'}`];
  for (const [name, value] of Object.entries(response.headers)) head.push(`${name}: ${value}`);
  head.push(`Content-Length: ${Buffer.byteLength(response.body)}`, 'Connection: close');
  return `${head.join('\r\n')}\r\n\r\n${response.body}`;
}

function listen(server: net.Server, port: number | undefined, host = MOCK_HOST): Promise<void> {
  sockets.set(server, new Set());
  server.on('connection', (s: net.Socket) => {
    const set = sockets.get(server);
    set?.add(s);
    s.on('close', () => set?.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // A deep accept queue: a thousand clients connecting at once wait to be accepted instead of retrying.
    server.listen({ port: port ?? 0, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeHttp(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function closeNet(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const s of sockets.get(server) ?? []) s.destroy();
  });
}
