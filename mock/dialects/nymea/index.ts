import { EMBEDDED_MOCK } from '../../../src/protocols/nymea/embedded-mock.js';
import { qtFormOf, variants } from '../../../src/protocols/nymea/variants.js';
import { ControlError, DialectOptionError, type DialectOptions, type StreamDialect } from '../../dialect.js';
import { applyFaults } from '../../faults/index.js';
import { NymeaCore, type NymeaStages } from './core.js';
import { jsonrpcHandlers } from './handlers/jsonrpc.js';
import { usersHandlers } from './handlers/users.js';
import { pressButton } from './push-button.js';
import { replayHandlers } from './replay.js';
import { routedConnection } from './transport.js';
import { ReplayBook } from '../../replay.js';
import { FRESH_INSTALL, NymeaState, type NymeaSeed } from './state.js';
import { UserManager } from './user-manager.js';

/**
 * The nymea dialect: one server state behind every connection, TCP and WebSocket alike (nymea.md).
 * Authentication is on. It starts like a fresh install (no users: the initial setup is required) unless
 * it is given an admin or a seed. The lockdown (3 s) and the handshake limit (10 s) are the real
 * server's unless configured shorter for tests. The push button is pressed with the control action
 * `press-button` (POST /__accord/control/press-button on the control endpoint).
 */
export interface NymeaOptions extends DialectOptions {
  readonly seed?: NymeaSeed;
  /** An admin to start with (`{ username, password }` or `"user:pass"`), instead of the initial setup. */
  readonly admin?: { readonly username: string; readonly password: string } | string;
  /** Length of the lockdown after a failed login, in ms (default 3000, as nymea). */
  readonly lockdownMs?: number | string;
  /** How long a new connection may wait before saying Hello, in ms (default 10000, as nymea). */
  readonly handshakeTimeoutMs?: number | string;
  /** Hello's pushButtonAuthAvailable (default: the seed's `pushButton`, else true: this mock has a button, pressed through the control endpoint). */
  readonly pushButton?: boolean;
}

export const DEFAULT_LOCKDOWN_MS = 3000;
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

function milliseconds(value: number | string | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new DialectOptionError(`${what} must be a number of milliseconds, not "${value}"`);
  return n;
}

function adminOf(option: NymeaOptions['admin']): { username: string; password: string } | undefined {
  if (option === undefined) return undefined;
  if (typeof option !== 'string') return { username: option.username, password: option.password };
  const colon = option.indexOf(':');
  if (colon <= 0) throw new DialectOptionError('admin expects USER:PASS');
  return { username: option.slice(0, colon), password: option.slice(colon + 1) };
}

/** What a nymea mock accepts: its admin login (given or seeded, none before the initial setup) and its timings. */
export interface NymeaGiven {
  readonly admin?: { readonly username: string; readonly password: string };
  readonly lockdownMs: number;
  readonly handshakeTimeoutMs: number;
}

export function createNymeaDialect(
  options: NymeaOptions = {},
): StreamDialect & { readonly given: NymeaGiven; readonly core: NymeaCore; readonly stages: NymeaStages } {
  const admin = adminOf(options.admin);
  const seed: NymeaSeed = options.seed ?? FRESH_INSTALL;
  // The given admin's password, over a seed's for the same user (as the other protocols' flags do); a saved
  // state (--state) holds only a hash of it, and keeps it.
  const isAdmin = (u: { username: string }) =>
    admin !== undefined && u.username.toLowerCase() === admin.username.toLowerCase();
  const hasAdmin = (seed.users ?? []).some(isAdmin);
  const seedUsers = !admin
    ? seed.users
    : hasAdmin
      ? (seed.users ?? []).map((u) => (isAdmin(u) && u.password !== undefined ? { ...u, password: admin.password } : u))
      : [...(seed.users ?? []), { username: admin.username, password: admin.password }];
  const state = new NymeaState(
    { ...seed, ...(seedUsers ? { users: seedUsers } : {}) },
    { fixed: options.fixed === true },
  );
  const variant = options.variant ?? variants.default;
  if (!variants.list.some((v) => v.id === variant))
    throw new DialectOptionError(
      `nymea has no variant "${variant}"; known: ${variants.list.map((v) => v.id).join(', ')}`,
    );
  const core = new NymeaCore(
    state,
    {
      qt: qtFormOf(variant),
      lockdownMs: milliseconds(options.lockdownMs, DEFAULT_LOCKDOWN_MS, 'lockdownMs'),
      handshakeTimeoutMs: milliseconds(options.handshakeTimeoutMs, DEFAULT_HANDSHAKE_TIMEOUT_MS, 'handshakeTimeoutMs'),
      pushButtonAvailable: options.pushButton ?? seed.pushButton ?? true,
      ...(options.log ? { log: options.log } : {}),
    },
    {},
  );
  const users = new UserManager(core);
  Object.assign(core.stages.handlers, jsonrpcHandlers(users), usersHandlers(users));
  if (options.mode === 'replay') replayHandlers(core.stages, new ReplayBook(options.fixtures ?? []));
  applyFaults('nymea', options.faults ?? [], core.stages);

  // The given admin, or the first admin of the seed: the one credential `accord check` needs.
  // A saved user whose password is known only as a hash is no credential to hand out.
  const seedAdmin = seed.users?.find(
    (u) => u.password !== undefined && (u.scopes === undefined || u.scopes.includes('PermissionScopeAdmin')),
  );
  const seededAdmin =
    admin ?? (seedAdmin ? { username: seedAdmin.username, password: seedAdmin.password ?? '' } : undefined);

  return {
    kind: 'stream',
    protocol: 'nymea',
    core,
    stages: core.stages,
    get given() {
      return {
        ...(seededAdmin
          ? { admin: { username: seededAdmin.username.toLowerCase(), password: seededAdmin.password } }
          : {}),
        lockdownMs: core.options.lockdownMs,
        handshakeTimeoutMs: core.options.handshakeTimeoutMs,
      };
    },
    banner() {
      const lines = [
        'protocol      nymea JSON-RPC 9.0 (nymea 1.15.2), authentication on, no TLS',
        state.initRequired
          ? 'users         none: initial setup required (JSONRPC.Hello, then JSONRPC.CreateUser {"username","password"} makes the first admin)'
          : `users         ${state.users.size}${seededAdmin ? `; admin ${seededAdmin.username.toLowerCase()} / ${seededAdmin.password}` : ''}`,
        `variant       ${variant} (answers as nymea built with Qt ${core.options.qt.served} does)`,
        `lockdown      ${core.options.lockdownMs} ms after a failed login; Hello within ${core.options.handshakeTimeoutMs} ms`,
        core.options.pushButtonAvailable
          ? 'push button   POST /__accord/control/press-button on the control endpoint presses it'
          : 'push button   none (the seed says pushButton false): Hello says pushButtonAuthAvailable false; press-button still presses one',
        // How a run gets an admin: a fresh nymea has none, and accord never runs the initial setup on a server it checks.
        state.initRequired
          ? 'checking it   make the first admin, then: accord check nymea --url <tcp:// or ws:// URL above> --admin USER:PASS (or start with --admin USER:PASS)'
          : `checking it   accord check nymea --url <tcp:// or ws:// URL above>${seededAdmin ? ` --admin ${seededAdmin.username.toLowerCase()}:${seededAdmin.password}` : ' --admin USER:PASS'} --lockdown-ms ${core.options.lockdownMs}`,
        `              (accord check nymea without --url starts its own mock, seeded with an admin, with a ${EMBEDDED_MOCK.options.lockdownMs} ms lockdown)`,
      ];
      return lines;
    },
    consistency: () => state.consistency(),
    snapshot: () => state.snapshot(),
    holderOf: (secret) => state.tokens.by('token', secret)?.username,
    control(action) {
      if (action === 'press-button') return pressButton(core);
      throw new ControlError(`unknown control action "${action}"; the nymea mock has: press-button`);
    },
    connect: (peer, transport) => routedConnection(core, peer, transport),
  };
}
