import type { OpenStream, StreamLink } from '../../spec/codec.js';
import type { Params } from '../../spec/method.js';
import type { ConnectOptions } from '../../spec/protocol.js';
import { SessionFailed, type CallOptions, type Exchange, type Session } from '../../spec/session.js';
import { encodeCall, isNotification, isReply } from '../../wire/nymea.js';
import { anyServerMessage, paramsOf, replyOf } from '../../wire/nymea-facets.js';
import { lockdownMsOf, lockdownPassed, noteLockdown } from './lockdown.js';

/**
 * How a nymea session identifies itself (nymea.md §4):
 * - `null`: a bare connection, no handshake (hand-written envelope cases);
 * - `{ probe: true }`: a bare connection opened at once, even while a lockdown runs (lockdown checks);
 * - `{ token }`: Hello with this token (`''`: none), and every call carries it;
 * - `{ username, password }`: Hello, then JSONRPC.Authenticate; the token it returns is used from then on
 *   and revoked again when the session closes (so a run leaves no token behind on a live server).
 */
export type NymeaCredentials =
  | null
  | { readonly probe: true }
  | { readonly token: string }
  | { readonly username: string; readonly password: string };

/** A hand-written exchange: pieces of text, or objects written as one JSON line each. */
export interface NymeaRawRequest {
  readonly send: readonly (string | Readonly<Record<string, unknown>>)[];
  /** Add the session's token as the top-level `token` of every object. */
  readonly withToken?: boolean;
  /** Send all pieces in one write / frame (pipelined). */
  readonly together?: boolean;
  readonly binary?: boolean;
  readonly gapMs?: number;
  /** Send each piece only after the previous one was answered. */
  readonly lockstep?: boolean;
  /** Replies to wait for (default 1). */
  readonly replies?: number;
  readonly settleMs?: number;
  /** Send on the connection as it is, without first saying Hello again with the session's token. */
  readonly asIs?: boolean;
}

const isUnauthorized = (m: unknown) => isReply(m) && m['status'] === 'unauthorized';

/** nymea closes right after an unauthorized reply; a server that has not closed within this did not. */
const CLOSE_GRACE_MS = 1000;

export class NymeaSession implements Session {
  readonly #url: string;
  readonly #credentials: NymeaCredentials;
  readonly #timeoutMs: number;
  readonly #lockdownMs: number;
  readonly #host: string;
  readonly #openStream: OpenStream;
  #stream: StreamLink | undefined;
  /** The token this session's calls carry. */
  #token = '';
  /** Seen accepted by the server (Hello said authenticated, or Authenticate issued it). */
  #tokenValid = false;
  /** The connection said Hello since it was opened. */
  #handshaken = false;
  /** The server's idea of this connection's token is #token (nymea.md §4 connection token). */
  #inSync = false;
  /** This session logged in with a password: the token is its own, revoked at close. */
  #deviceName: string | undefined;
  readonly #prefix: string;
  #n = 0;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(url: string, credentials: NymeaCredentials, options: ConnectOptions, open: OpenStream) {
    this.#url = url;
    this.#openStream = open;
    this.#credentials = credentials;
    this.#timeoutMs = options.timeoutMs;
    this.#lockdownMs = lockdownMsOf(options.given);
    this.#prefix = options.prefix ?? 'accord';
    this.#host = new URL(url).hostname;
    if (credentials && 'token' in credentials) this.#token = credentials.token;
  }

  get token(): string {
    return this.#token;
  }

  get #bare(): boolean {
    return this.#credentials === null || 'probe' in this.#credentials;
  }

  #serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(run, run);
    this.#chain = next.catch(() => undefined);
    return next;
  }

  async #open(): Promise<StreamLink> {
    const probe = this.#credentials !== null && 'probe' in this.#credentials;
    if (!probe) await lockdownPassed(this.#host, this.#lockdownMs);
    const stream = await this.#openStream(this.#url, {
      timeoutMs: this.#timeoutMs,
      isReply,
      closesAfter: isUnauthorized,
      closeGraceMs: CLOSE_GRACE_MS,
    }).catch((error: Error) => {
      // An HTTP server that does not upgrade to WebSocket answers, but not as nymea.
      const answered = /Unexpected server response/.test(error.message);
      throw new SessionFailed(
        answered ? 'not-the-protocol' : 'unreachable',
        answered ? `${this.#url}: ${error.message}` : error.message,
      );
    });
    this.#stream = stream;
    this.#handshaken = false;
    this.#inSync = false;
    return stream;
  }

  /** An open connection in this session's state: connected, handshaken, logged in, token in sync. */
  async #ready(resync: boolean): Promise<StreamLink> {
    for (let attempt = 1; ; attempt++) {
      let stream = this.#stream;
      if (!stream || stream.closed) stream = await this.#open();
      if (this.#bare) return stream;
      if (!this.#handshaken || (!this.#inSync && resync)) await this.#handshake(stream);
      if (!stream.closed) return stream;
      // Closed during the handshake: a lockdown we did not see start (another client). Wait and retry.
      noteLockdown(this.#host);
      if (attempt >= 3)
        throw new SessionFailed(
          'unreachable',
          `${this.#url} keeps closing the connection during the handshake (a lockdown, nymea.md §4)`,
        );
    }
  }

  async #send(
    stream: StreamLink,
    method: string,
    params: unknown,
    token: string,
    id?: unknown,
    omitId = false,
  ): Promise<Exchange> {
    this.#n += 1;
    // An id of undefined leaves the key out altogether.
    const text = encodeCall({ id: omitId ? undefined : id === undefined ? this.#n : id, method, params, token });
    const exchange = await stream.request(text);
    this.#observe(exchange, method);
    return exchange;
  }

  async #handshake(stream: StreamLink): Promise<void> {
    const login = this.#credentials !== null && 'username' in this.#credentials ? this.#credentials : undefined;
    if (login && !this.#tokenValid) {
      const hello = await this.#send(stream, 'JSONRPC.Hello', {}, '');
      notNymea(hello, this.#url);
      const helloParams = replyOfParams(hello);
      if (helloParams?.['initialSetupRequired'] === true) {
        throw new SessionFailed(
          'refused',
          `${this.#url} has no users yet (initialSetupRequired): accord does not run the initial setup on a server it did not start; create an admin first (JSONRPC.CreateUser) and pass it with --admin`,
        );
      }
      await lockdownPassed(this.#host, this.#lockdownMs);
      this.#deviceName = nextDeviceName(this.#url, this.#prefix);
      const auth = await this.#send(
        stream,
        'JSONRPC.Authenticate',
        { username: login.username, password: login.password, deviceName: this.#deviceName },
        '',
      );
      const p = replyOfParams(auth);
      if (p?.['success'] !== true || typeof p['token'] !== 'string') {
        this.#deviceName = undefined;
        throw new SessionFailed(
          'refused',
          `could not log in as ${login.username} on ${this.#url}: JSONRPC.Authenticate answered ${auth.response}`,
        );
      }
      this.#token = p['token'];
      this.#tokenValid = true;
    } else {
      if (this.#token !== '' && !this.#tokenValid) await lockdownPassed(this.#host, this.#lockdownMs);
      const hello = await this.#send(stream, 'JSONRPC.Hello', {}, this.#token);
      notNymea(hello, this.#url);
      if (replyOfParams(hello)?.['authenticated'] === true) this.#tokenValid = true;
    }
    this.#handshaken = !stream.closed;
    this.#inSync = !stream.closed;
    stream.setup.splice(0, stream.setup.length, encodeCall({ id: 0, method: 'JSONRPC.Hello', token: this.#token }));
  }

  /** Keep the lockdown clock and the connection-token bookkeeping true to what the server did. */
  #observe(exchange: Exchange, method?: string): void {
    const o = exchange.observed;
    if (o.transport !== 'tcp' && o.transport !== 'ws') return;
    for (const m of o.messages) {
      if (isUnauthorized(m)) noteLockdown(this.#host);
      if (
        isNotification(m) &&
        m['notification'] === 'JSONRPC.PushButtonAuthFinished' &&
        paramsOf(m)?.['success'] === true
      )
        this.#inSync = false;
      if (!isReply(m)) continue;
      const p = paramsOf(m);
      if (p?.['authenticated'] === false) noteLockdown(this.#host);
      if (method === 'JSONRPC.Authenticate' && p?.['success'] === false) noteLockdown(this.#host);
    }
    if (
      method === undefined &&
      o.messages.some((m) => isReply(m) && JSON.stringify(paramsOf(m)) === '{"success":false}')
    )
      noteLockdown(this.#host);
    // A connection closed without a reply may have been dropped by a lockdown.
    if (o.closed && !o.messages.some(isReply)) noteLockdown(this.#host);
    // Authenticate sets the connection's token to the new one (or to none): the next call says Hello again.
    if (method === 'JSONRPC.Authenticate') this.#inSync = false;
  }

  /** Connect, say Hello and log in now (identities), or just connect (bare sessions). */
  connect(): Promise<void> {
    return this.#serial(async () => void (await this.#ready(true)));
  }

  call(method: string, params: Params | undefined, options: CallOptions = {}): Promise<Exchange> {
    return this.#serial(async () => {
      const stream = await this.#ready(true);
      const unverifiedHello = method === 'JSONRPC.Hello' && this.#token !== '' && !this.#tokenValid;
      if (method === 'JSONRPC.Authenticate' || unverifiedHello) await lockdownPassed(this.#host, this.#lockdownMs);
      return this.#send(stream, method, params, this.#token, options.id, options.omitId ?? false);
    });
  }

  raw(request: unknown): Promise<Exchange> {
    const r = request as NymeaRawRequest;
    return this.#serial(async () => {
      const stream = await this.#ready(!r.asIs);
      const pieces = r.send.map((p) =>
        typeof p === 'string'
          ? p
          : `${JSON.stringify(r.withToken && this.#token ? { ...p, token: this.#token } : p)}\n`,
      );
      const exchange = await stream.raw({
        send: r.together ? [pieces.join('')] : pieces,
        ...(r.binary ? { binary: true } : {}),
        ...(r.gapMs ? { gapMs: r.gapMs } : {}),
        ...(r.lockstep ? { lockstep: true } : {}),
        ...(r.replies !== undefined ? { replies: r.replies } : {}),
        ...(r.settleMs ? { settleMs: r.settleMs } : {}),
      });
      this.#observe(exchange);
      // The text may have changed the connection's token: say Hello again before the next call.
      this.#inSync = false;
      return exchange;
    });
  }

  unasked(): Exchange {
    return (
      this.#stream?.unasked() ?? {
        observed: { transport: 'none', error: 'not connected' },
        request: '(listening)',
        response: '(not connected)',
        reproduce: '',
        ms: 0,
      }
    );
  }

  waitFor(match: (message: unknown) => boolean, timeoutMs: number): Promise<Exchange> {
    if (!this.#stream) return Promise.resolve(this.unasked());
    return this.#stream.waitFor(match, timeoutMs);
  }

  /** Close; a session that logged in with a password first revokes the token it was issued. */
  close(): Promise<void> {
    return this.#serial(async () => {
      if (this.#deviceName && this.#tokenValid) {
        try {
          await this.#revokeOwnToken();
        } catch {
          // best effort: a revoked or removed token is already gone
        }
      }
      await this.#stream?.close();
      this.#stream = undefined;
    });
  }

  async #revokeOwnToken(): Promise<void> {
    const stream = await this.#ready(true);
    const list = replyOfParams(await this.#send(stream, 'Users.GetTokens', {}, this.#token))?.['tokenInfoList'];
    const mine = Array.isArray(list)
      ? list.find((t: { deviceName?: unknown }) => t.deviceName === this.#deviceName)
      : undefined;
    const id = (mine as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string') await this.#send(stream, 'Users.RemoveToken', { tokenId: id }, this.#token);
    this.#tokenValid = false;
  }
}

/** A Hello answered by something that is not nymea (an HTTP server, say): stop, the URL is wrong. */
function notNymea(hello: Exchange, url: string): void {
  if (hello.observed.transport === 'none') throw new SessionFailed('unreachable', `${url}: ${hello.observed.error}`);
  const problem = anyServerMessage.verify(hello.observed);
  if (problem) throw new SessionFailed('not-the-protocol', `${url} answered JSONRPC.Hello with ${problem}`);
}

function replyOfParams(exchange: Exchange): Record<string, unknown> | undefined {
  const r = replyOf(exchange.observed);
  return r.ok ? paramsOf(r.reply) : undefined;
}

/**
 * Logins per server: each session's device name is its own (close revokes the token by it), tells which
 * run logged in, and is the same every recording. `-login`, not `_`: no run-prefixed name, so `accord
 * clean` (which runs logged in itself) never revokes a session's token.
 */
const logins = new Map<string, number>();

function nextDeviceName(url: string, prefix: string): string {
  const n = (logins.get(url) ?? 0) + 1;
  logins.set(url, n);
  return `${prefix}-login${n}`;
}

/** A logged-in session over connections `open` makes (src/client opens the socket; nymea keeps the state). */
export async function connectNymea(
  url: string,
  credentials: NymeaCredentials,
  options: ConnectOptions,
  open: OpenStream,
): Promise<NymeaSession> {
  const session = new NymeaSession(url, credentials, options, open);
  // At once, so that a wrong password or an unreachable server shows where it was given.
  try {
    await session.connect();
  } catch (error) {
    // Nobody else holds this session: close its connection, or the process would stay alive for it.
    await session.close().catch(() => undefined);
    throw error;
  }
  return session;
}
