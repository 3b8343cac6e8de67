import { API, namespaceOf, NAMESPACES } from '../../../src/protocols/nymea/api.js';
import type { QtForm } from '../../../src/protocols/nymea/variants.js';
import { ADMIN, holds, SCOPE_BITS } from '../../../src/protocols/nymea/scopes.js';
import {
  decodePacket,
  failure,
  frame,
  MISSING_ID,
  PARSE_ERROR_ID,
  success,
  TEXT,
  unauthorized,
  type Decoded,
  type NymeaNotification,
  type NymeaReply,
  type NymeaRequest,
} from '../../../src/wire/nymea.js';
import type { StreamPeer } from '../../dialect.js';
import { Connection } from './connection.js';
import type { RoutedProtocol } from './router.js';
import type { NymeaState, UserRow } from './state.js';
import { validateParams } from './validate.js';

/** What a method handler sees. */
export interface HandlerContext {
  readonly core: NymeaCore;
  readonly conn: Connection;
  readonly request: NymeaRequest;
  readonly params: Readonly<Record<string, unknown>>;
  /** The user of the request's token, when it has a valid one. */
  readonly caller: UserRow | undefined;
}

/** The client is dropped before any reply (a second failure during a lockdown, nymea.md §4). */
export const DROP = Symbol('drop');

export type Handler = (ctx: HandlerContext) => Record<string, unknown> | typeof DROP;

export type GateVerdict =
  | { readonly pass: true }
  | { readonly pass: false; readonly unauthorized: string }
  | { readonly pass: false; readonly denied: true };

/**
 * The server's processing, one replaceable function per step of nymea.md §3, so that a fault
 * (mock/faults/nymea.ts) can break exactly one of them.
 */
export interface NymeaStages {
  /** The transport router (nymea 1.15): the protocol a connection's first method selects; undefined closes it. */
  selectProtocol(method: string): RoutedProtocol | undefined;
  /** §1: the packets this text completes; overflow closes the connection. */
  reframe(conn: Connection, text: string): { packets: string[]; overflow: boolean };
  /** §3 steps 1–3. */
  decode(packet: string): Decoded;
  /** §3 step 4: every request but Hello carries the connection's token. */
  tokenMatches(conn: Connection, request: NymeaRequest): boolean;
  /** §3 step 5: the authentication gate, with the scope check for valid tokens. */
  gate(request: NymeaRequest): GateVerdict;
  /** §5: may this user call this method? */
  permits(user: UserRow, method: string): boolean;
  /** §3 steps 6–7. */
  lookup(request: NymeaRequest): Handler | 'no-namespace' | 'no-method';
  /** §3 step 8: the error text, or undefined. */
  validate(request: NymeaRequest): string | undefined;
  /** §3 step 9. */
  handshakeRequired(conn: Connection, request: NymeaRequest): boolean;
  /** After an `unauthorized` reply: disconnect and lock down. */
  afterUnauthorized(conn: Connection): void;
  /** Does this connection get a broadcast notification of this namespace (§7)? */
  subscribed(conn: Connection, namespace: string): boolean;
  /** The id of the next broadcast notification for this connection (§2: one server-wide counter). */
  notificationId(conn: Connection, counter: number): number;
  /** Every message on its way out. */
  write(conn: Connection, message: NymeaReply | NymeaNotification): void;
  /** How a username is stored and compared where nymea lower-cases it (§6). */
  canonicalName(name: string): string;
  /** The length of a lockdown about to start (§4). */
  lockdownMs(): number;
  /** How long a connection may wait before selecting a protocol, and then before Hello; undefined: forever (§4). */
  handshakeLimitMs(): number | undefined;
  readonly handlers: Record<string, Handler>;
}

export interface CoreOptions {
  /** The Qt build the mock answers as (its variant, src/protocols/nymea/variants.ts). */
  readonly qt: QtForm;
  readonly lockdownMs: number;
  readonly handshakeTimeoutMs: number;
  readonly pushButtonAvailable: boolean;
  readonly log?: (line: string) => void;
}

/** The gate's verdict for a request it lets through: one object for all of them. */
const PASS: GateVerdict = Object.freeze({ pass: true });

/** Methods the gate lets through without a valid token (nymea.md §3 step 5). */
const EXEMPT_DURING_SETUP = new Set(['JSONRPC.Hello', 'JSONRPC.RequestPushButtonAuth', 'JSONRPC.CreateUser']);
const EXEMPT_WITH_USERS = new Set(['JSONRPC.Hello', 'JSONRPC.Authenticate', 'JSONRPC.RequestPushButtonAuth']);

/** A method's required scope; an unregistered one resolves to a scope only a full admin holds (§3). */
export function requiredScope(method: string): number {
  const scope = API.methods[method]?.permissionScope;
  return scope === undefined ? ADMIN : (SCOPE_BITS[scope] ?? ADMIN);
}

export class NymeaCore {
  readonly connections = new Set<Connection>();
  #nextConnection = 1;
  #lockdownUntil = 0;
  /** The pending push-button request: who asked, under which transaction. */
  pushButton: { readonly transactionId: number; readonly conn: Connection; readonly deviceName: string } | undefined;
  readonly stages: NymeaStages;

  constructor(
    readonly state: NymeaState,
    readonly options: CoreOptions,
    handlers: Record<string, Handler>,
  ) {
    this.stages = {
      selectProtocol: (method) =>
        method === 'JSONRPC.Hello' ? 'json-rpc' : method === 'Transfer.Connect' ? 'transfer' : undefined,
      reframe: (conn, text) => conn.reframer.push(text),
      decode: decodePacket,
      tokenMatches: (conn, request) => request.token === conn.token,
      gate: (request) => this.#gate(request),
      permits: (user, method) => {
        const scope = requiredScope(method);
        return scope === 0 || holds(user.scopes, scope) || holds(user.scopes, ADMIN);
      },
      lookup: (request) => {
        if (!NAMESPACES.includes(request.namespace)) return 'no-namespace';
        return this.stages.handlers[request.name] ?? 'no-method';
      },
      validate: (request) => validateParams(request.name, request.params, this.options.qt),
      handshakeRequired: (conn, request) => !conn.handshaken && request.name !== 'JSONRPC.Hello',
      afterUnauthorized: (conn) => {
        conn.close();
        this.lockdown();
      },
      subscribed: (conn, namespace) => conn.namespaces.has(namespace),
      notificationId: (_conn, counter) => counter,
      write: (conn, message) => {
        if (conn.open) conn.peer.send(frame(message), message);
      },
      canonicalName: (name) => name.toLowerCase(),
      lockdownMs: () => this.options.lockdownMs,
      handshakeLimitMs: () => this.options.handshakeTimeoutMs,
      handlers,
    };
  }

  // ------------------------------------------------------------ lockdown (§4)

  lockdown(): void {
    this.#lockdownUntil = Date.now() + this.stages.lockdownMs();
  }

  get lockedDown(): boolean {
    return Date.now() < this.#lockdownUntil;
  }

  // ------------------------------------------------------------ connections

  /** A client the transport router hands on; undefined while a lockdown runs (it is then closed without a word). */
  connect(peer: StreamPeer, transport: 'tcp' | 'ws'): Connection | undefined {
    if (this.lockedDown) return undefined;
    const conn = new Connection(this.#nextConnection++, transport, peer);
    this.connections.add(conn);
    const limit = this.stages.handshakeLimitMs();
    if (limit !== undefined) {
      conn.handshakeTimer = setTimeout(() => {
        if (!conn.handshaken) this.disconnect(conn);
      }, limit);
    }
    return conn;
  }

  disconnect(conn: Connection): void {
    conn.close();
    this.gone(conn);
  }

  /** Whatever closed it: forget everything of this connection, cancel its push-button request (§4). */
  gone(conn: Connection): void {
    conn.open = false;
    conn.stopHandshakeTimer();
    this.connections.delete(conn);
    if (this.pushButton?.conn === conn) this.pushButton = undefined;
  }

  receive(conn: Connection, text: string): void {
    if (!conn.open) return;
    const { packets, overflow } = this.stages.reframe(conn, text);
    for (const packet of packets) {
      if (!conn.open) return;
      this.#process(conn, packet);
    }
    if (overflow && conn.open) {
      this.options.log?.(`nymea: connection ${conn.id}: more than 1 MiB without a message; closing it`);
      this.disconnect(conn);
    }
  }

  // ------------------------------------------------------------ the order of checks (§3)

  #process(conn: Connection, packet: string): void {
    const s = this.stages;
    const decoded = s.decode(packet);
    if (decoded.kind === 'parse-error') return s.write(conn, failure(PARSE_ERROR_ID, TEXT.parseError(decoded.error)));
    if (decoded.kind === 'no-id') return s.write(conn, failure(MISSING_ID, TEXT.missingId));
    if (decoded.kind === 'bad-method') return s.write(conn, failure(decoded.id, TEXT.badMethod(decoded.method)));
    const request = decoded.request;
    if (request.name !== 'JSONRPC.Hello' && !s.tokenMatches(conn, request))
      return this.#refuse(conn, request.id, TEXT.tokenChange);
    const gate = s.gate(request);
    if (!gate.pass) {
      if ('unauthorized' in gate) return this.#refuse(conn, request.id, gate.unauthorized);
      return s.write(conn, failure(request.id, TEXT.permissionDenied));
    }
    const handler = s.lookup(request);
    if (handler === 'no-namespace') return s.write(conn, failure(request.id, TEXT.noNamespace));
    if (handler === 'no-method') return s.write(conn, failure(request.id, TEXT.noMethod));
    const invalid = s.validate(request);
    if (invalid) return s.write(conn, failure(request.id, invalid));
    if (s.handshakeRequired(conn, request)) {
      s.write(conn, failure(request.id, TEXT.handshakeRequired));
      return this.disconnect(conn);
    }
    const caller = this.state.userOfToken(request.token);
    const result = handler({ core: this, conn, request, params: request.params, caller });
    if (result === DROP) return this.disconnect(conn);
    s.write(conn, success(request.id, result));
  }

  #refuse(conn: Connection, id: number, text: string): void {
    this.stages.write(conn, unauthorized(id, text));
    this.stages.afterUnauthorized(conn);
    if (!conn.open) this.gone(conn);
  }

  #gate(request: NymeaRequest): GateVerdict {
    const user = this.state.userOfToken(request.token);
    if (this.state.initRequired) {
      if (!EXEMPT_DURING_SETUP.has(request.name) && !user) return { pass: false, unauthorized: TEXT.initialSetup };
    } else if (!EXEMPT_WITH_USERS.has(request.name) && !user) {
      return { pass: false, unauthorized: TEXT.invalidToken };
    }
    if (user && !this.stages.permits(user, request.name)) return { pass: false, denied: true };
    return PASS;
  }

  // ------------------------------------------------------------ notifications (§7)

  /** A broadcast: the counter goes up once per event, whoever listens. */
  broadcast(name: string, params: Record<string, unknown>): void {
    const counter = this.state.notificationId++;
    const namespace = namespaceOf(name);
    for (const conn of this.connections) {
      if (this.stages.subscribed(conn, namespace))
        this.stages.write(conn, { id: this.stages.notificationId(conn, counter), notification: name, params });
    }
  }

  /**
   * JSONRPC.PushButtonAuthFinished: to the requester only, whatever its settings. Its id comes from the one
   * server-wide notification counter, as a broadcast's does (a real nymead 1.15.2: UserAdded 919, this 920,
   * UserRemoved 921), not from the transaction.
   */
  pushButtonFinished(conn: Connection, transactionId: number, token?: string): void {
    const params: Record<string, unknown> = { success: token !== undefined, transactionId };
    if (token !== undefined) params['token'] = token;
    const counter = this.state.notificationId++;
    this.stages.write(conn, {
      id: this.stages.notificationId(conn, counter),
      notification: 'JSONRPC.PushButtonAuthFinished',
      params,
    });
  }
}
