import { kanboard } from '../../../src/protocols/kanboard/index.js';
import { APP_RANK, rankOf } from '../../../src/protocols/kanboard/records.js';
import { bindingError } from '../../../src/protocols/kanboard/params-policy.js';
import { signatureOf, type ParamSignature } from '../../../src/spec/method.js';
import { parseBasicAuthorization, type HttpRequestData, type HttpResponseData } from '../../../src/wire/http.js';
import { sameSecret } from '../../../src/wire/text.js';
import {
  answer,
  invalidParams,
  METHOD_NOT_FOUND,
  PHP_JSON_DEPTH,
  type Jsonrpc2Call,
  type Jsonrpc2Reply,
} from '../../../src/wire/jsonrpc2.js';
import { DialectOptionError, type DialectOptions, type HttpDialect } from '../../dialect.js';
import { databaseOf, variants } from '../../../src/protocols/kanboard/variants.js';
import { ReplayBook } from '../../replay.js';
import { applyFaults } from '../../faults/index.js';
import { AccessDenied, Fatal, ProcedureError, type Caller, type Procedure } from './handler.js';
import { groupMemberProcedures } from './handlers/group-members.js';
import { groupProcedures } from './handlers/groups.js';
import { meProcedures } from './handlers/me.js';
import { projectPermissionProcedures } from './handlers/project-permissions.js';
import { projectProcedures } from './handlers/projects.js';
import { userProcedures } from './handlers/users.js';
import { FRESH_INSTALL, isStoredHash, KanboardState, newUserRow, verifyPassword, type KanboardSeed } from './state.js';

/**
 * The Kanboard dialect: one JSON-RPC endpoint, processed in the real server's order (kanboard.md §3):
 * parse and envelope (wire) → authentication → method lookup → procedure authorization → parameter
 * binding → the procedure body (which checks project roles itself).
 * Each stage is a replaceable function so that faults (mock/faults/kanboard.ts) can break one of them.
 */
export interface KanboardStages {
  readonly state: KanboardState;
  authenticate(request: HttpRequestData): Caller | undefined;
  /** The canonical procedure name for a requested one (case-insensitive), or undefined. */
  lookup(method: string): string | undefined;
  /** `requested`: the name as the client spelled it (the user-specific list is matched case-sensitively). */
  authorize(caller: Caller, procedure: string, className: string, requested?: string): boolean;
  bind(procedure: string, params: unknown): { args: Record<string, unknown> } | { error: string };
  readonly procedures: Record<string, Procedure>;
  /** The last look at a whole HTTP response before it leaves. */
  respond(response: HttpResponseData, request: HttpRequestData): HttpResponseData;
}

export interface KanboardOptions extends DialectOptions {
  readonly seed?: KanboardSeed;
  /** Overrides the seed's application token. */
  readonly appToken?: string;
  /** An app-admin login the mock accepts: the seed's user of that name gets this password, or is made. */
  readonly admin?: { readonly username: string; readonly password: string };
  /** Unix seconds; tests move time to expire lockouts. */
  readonly now?: () => number;
}

/** With the `fixed` option: no random token, a fixed clock (fixtures are recorded this way). */
const FIXED_APP_TOKEN = 'f1xed0app0token0f1xed0app0token0f1xed0app0token0f1xed0app0t';
const FIXED_NOW = 1_700_000_000;

/** Lockout (kanboard.md §2): the 7th failure in a row locks the account for 15 minutes. */
const LOCK_AFTER = 6;
const LOCK_SECONDS = 15 * 60;

/** Procedures the user API refuses to the application credentials (ProcedureAuthorization). */
const USER_SPECIFIC = new Set([
  'getMe',
  'getMyDashboard',
  'getMyActivityStream',
  'createMyPrivateProject',
  'getMyProjectsList',
  'getMyProjects',
  'getMyOverdueTasks',
]);

/** The minimum application role per class, and per procedure where it differs (getApiAccessMap). */
const CLASS_ROLE: Readonly<Record<string, string>> = {
  UserProcedure: 'app-admin',
  GroupProcedure: 'app-admin',
  GroupMemberProcedure: 'app-admin',
};
const PROCEDURE_ROLE: Readonly<Record<string, string>> = { getAllProjects: 'app-admin', createProject: 'app-manager' };

/** Methods every procedure class has, callable like procedures (kanboard.md §3 step 5). */
const internalProcedures: Record<string, Procedure> = {
  // The first registered class answers: MeProcedure. The method is protected: before PHP 8.1 ReflectionMethod
  // refuses to invoke it (variants.ts phpBefore81), an exception answered as error code 0.
  getClassName: {
    className: 'MeProcedure',
    run: (ctx) => {
      if (ctx.state.db.phpBefore81)
        throw new ProcedureError(
          'Trying to invoke protected method Kanboard\\Api\\Procedure\\MeProcedure::getClassName() from scope ReflectionMethod',
        );
      return 'MeProcedure';
    },
  },
  // AppProcedure::getVersion: APP_VERSION, a release number (`1.2.27`) or `main.<commit>` (a build from git).
  getVersion: { className: 'AppProcedure', run: (ctx) => ctx.state.db.release.served },
};
const INTERNAL_SIGNATURES: Readonly<Record<string, ParamSignature>> = {
  getClassName: { names: [], required: [], defaults: {} },
  getVersion: { names: [], required: [], defaults: {} },
  beforeProcedure: { names: ['procedure'], required: ['procedure'], defaults: {} },
  getAllProjects: { names: [], required: [], defaults: {} },
  getMyProjects: { names: [], required: [], defaults: {} },
  getMyProjectsList: { names: [], required: [], defaults: {} },
};

const SIGNATURES: Readonly<Record<string, ParamSignature>> = {
  ...Object.fromEntries(kanboard.methods.map((m) => [m.name, signatureOf(m.params)])),
  ...INTERNAL_SIGNATURES,
};

/** The credentials a Kanboard mock accepts: the application token, and the seed's admin login when it has one. */
export interface KanboardGiven {
  readonly appToken: string;
  readonly admin?: { readonly username: string; readonly password: string };
}

export function createKanboardDialect(
  options: KanboardOptions = {},
): HttpDialect & { readonly given: KanboardGiven; readonly state: KanboardState; readonly stages: KanboardStages } {
  const seed = options.seed ?? FRESH_INSTALL;
  const variant = options.variant ?? variants.default;
  if (!variants.list.some((v) => v.id === variant))
    throw new DialectOptionError(
      `kanboard has no variant "${variant}"; known: ${variants.list.map((v) => v.id).join(', ')}`,
    );
  const state = new KanboardState(
    seed,
    options.appToken ?? (options.fixed ? FIXED_APP_TOKEN : undefined),
    databaseOf(variant),
  );
  // The seed's first app-admin with a known password is the admin identity `accord check` uses.
  const admin = (seed.users ?? []).find(
    (u) => u.role === 'app-admin' && typeof u.password === 'string' && !isStoredHash(u.password),
  );
  const seedAdmin =
    options.admin ?? (admin ? { username: admin.username, password: String(admin.password) } : undefined);
  const savedAdmin = (seed.users ?? []).find((u) => u.role === 'app-admin' && isStoredHash(u.password));
  if (options.admin) {
    const { username, password } = options.admin;
    const row = state.users.by('username', username);
    if (!row) state.users.insert(newUserRow({ username, password, role: 'app-admin' }));
    else if (!verifyPassword(password, row.password))
      state.users.update(row.id, { password: newUserRow({ username, password, role: row.role }).password });
  }
  const now = options.now ?? (options.fixed ? () => FIXED_NOW : () => Math.floor(Date.now() / 1000));
  const replay = options.mode === 'replay' ? new ReplayBook(options.fixtures ?? [], (m) => m.toLowerCase()) : undefined;
  const procedures: Record<string, Procedure> = {
    ...meProcedures,
    ...userProcedures,
    ...groupProcedures,
    ...groupMemberProcedures,
    ...projectPermissionProcedures,
    ...projectProcedures,
    ...internalProcedures,
    // Called as a procedure, it runs its checks on the procedure named (in_array's loose ==: true is in any
    // list); the user check is made for its own class, MeProcedure.
    beforeProcedure: {
      className: 'MeProcedure',
      run: (ctx, { procedure }) => {
        const named = typeof procedure === 'string' ? procedure : procedure === true ? 'getMe' : '';
        if (!stages.authorize(ctx.caller, named, 'MeProcedure', named)) throw new AccessDenied();
        return null;
      },
    },
  };
  /** An object whose keys are exactly "0", "1", ... "n-1": json_decode makes it a PHP list (JsonRPC's isPositionalArguments). */
  const isListLike = (params: unknown): params is Record<string, unknown> => {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return false;
    const keys = Object.keys(params);
    return keys.length > 0 && keys.every((k, i) => k === String(i));
  };
  const byLowerCase = new Map(Object.keys(procedures).map((name) => [name.toLowerCase(), name]));

  const stages: KanboardStages = {
    state,
    procedures,
    authenticate(request) {
      const credentials = parseBasicAuthorization(request.headers['authorization']);
      if (!credentials) return undefined;
      const { username, password } = credentials;
      if (username === 'jsonrpc') return sameSecret(password, state.appToken) ? { kind: 'app' } : undefined;
      // MySQL finds the user case-insensitively: ADMIN:admin logs in as admin.
      const user = state.userNamed(username);
      if (!user) return undefined;
      if ((user.lock_expiration_date ?? 0) > now()) return undefined;
      const byPassword =
        user.is_ldap_user === 0 &&
        user.disable_login_form === 0 &&
        user.twofactor_activated === 0 &&
        verifyPassword(password, user.password);
      const byToken =
        user.api_access_token !== null && user.api_access_token !== '' && sameSecret(password, user.api_access_token);
      if (user.is_active === 1 && (byPassword || byToken)) {
        // A success clears the failure count and lock (most requests have nothing to clear).
        if (user.nb_failed_login === 0 && user.lock_expiration_date === 0) return { kind: 'user', user };
        return {
          kind: 'user',
          user: state.users.update(user.id, { nb_failed_login: 0, lock_expiration_date: 0 }) ?? user,
        };
      }
      const failures = user.nb_failed_login + 1;
      state.users.update(user.id, {
        nb_failed_login: failures,
        ...(failures > LOCK_AFTER ? { lock_expiration_date: now() + LOCK_SECONDS } : {}),
      });
      return undefined;
    },
    lookup: (method) => byLowerCase.get(method.toLowerCase()),
    authorize(caller, procedure, className, requested = procedure) {
      // Kanboard's own gate, written apart from src/protocols/kanboard/access.ts on purpose: the checks hold
      // this mock to those rules, so sharing the decision would let one mistake pass both. Only the role
      // names and ranks are shared (records.ts).
      // in_array($procedure, ...) with the name as sent: "getme" is not "getMe", so the app may call it.
      if (caller.kind === 'app') return !USER_SPECIFIC.has(requested);
      const min = PROCEDURE_ROLE[procedure] ?? CLASS_ROLE[className] ?? 'app-user';
      return (rankOf(APP_RANK, caller.user.role) ?? -1) >= (rankOf(APP_RANK, min) ?? 0);
    },
    bind(procedure, params) {
      const signature = SIGNATURES[procedure] ?? { names: [], required: [], defaults: {} };
      // PHP reads {"0": a, "1": b} as the list [a, b] (numeric keys become integers): positional too.
      if (isListLike(params)) params = Object.values(params);
      if (Array.isArray(params)) {
        // Positional: only the count is checked; missing trailing arguments take their defaults.
        if (params.length < signature.required.length) return { error: 'Wrong number of arguments' };
        if (params.length > signature.names.length) return { error: 'Too many arguments' };
        const args: Record<string, unknown> = { ...signature.defaults };
        signature.names.forEach((name, i) => i < params.length && (args[name] = params[i]));
        return { args };
      }
      const named = (params ?? {}) as Record<string, unknown>;
      const error = bindingError(signature, named);
      if (error) return { error };
      const args: Record<string, unknown> = {};
      for (const name of signature.names) args[name] = name in named ? named[name] : signature.defaults[name];
      return { args };
    },
    respond: (response) => response,
  };
  applyFaults('kanboard', options.faults ?? [], stages);

  /** Replay mode: the recorded reply for this procedure and these parameters; no state, no authentication. */
  function replayed(c: Jsonrpc2Call): Jsonrpc2Reply {
    const name = stages.lookup(c.method);
    const recorded = name === undefined ? undefined : replay?.find(name.toLowerCase(), c.params);
    if (!recorded) return { error: METHOD_NOT_FOUND };
    const reply = recorded.reply as {
      status: number;
      body: { result?: unknown; error?: { code: number; message: string; data?: unknown } };
    };
    if (reply.status === 401 || reply.status === 403) return { deny: reply.status };
    if (reply.status >= 500 || typeof reply.body !== 'object' || reply.body === null) return { fatal: true };
    return reply.body.error ? { error: reply.body.error } : { result: reply.body.result };
  }

  function call(request: HttpRequestData, c: Jsonrpc2Call): Jsonrpc2Reply {
    if (replay) return replayed(c);
    const caller = stages.authenticate(request);
    if (!caller) return { deny: 401 };
    const name = stages.lookup(c.method);
    const procedure = name === undefined ? undefined : stages.procedures[name];
    if (name === undefined || !procedure) return { error: METHOD_NOT_FOUND };
    if (!stages.authorize(caller, name, procedure.className, c.method)) return { deny: 403 };
    const bound = stages.bind(name, c.params);
    if ('error' in bound) return { error: invalidParams(bound.error) };
    try {
      return { result: procedure.run({ state, caller, now }, bound.args) };
    } catch (error) {
      if (error instanceof AccessDenied) return { deny: 403 };
      if (error instanceof ProcedureError) return { error: { code: 0, message: error.message } };
      if (!(error instanceof Fatal))
        options.log?.(`kanboard: ${name} failed: ${(error as Error).stack ?? String(error)}`);
      return { fatal: true };
    }
  }

  return {
    kind: 'http',
    protocol: 'kanboard',
    routes: ['/jsonrpc.php'],
    state,
    stages,
    get given() {
      return { appToken: state.appToken, ...(seedAdmin ? { admin: seedAdmin } : {}) };
    },
    banner() {
      return [
        `endpoint      POST /jsonrpc.php (JSON-RPC 2.0, HTTP Basic)`,
        `variant       ${variant} (answers as Kanboard on ${variants.list.find((v) => v.id === variant)?.title} does)`,
        `app API       user "jsonrpc", token ${state.appToken}`,
        ...(seedAdmin ? [`admin user    ${seedAdmin.username} / ${seedAdmin.password} (role app-admin)`] : []),
        // A saved state keeps hashes only: the password is the one set before.
        ...(!seedAdmin && savedAdmin
          ? [
              `admin user    ${savedAdmin.username} / its password as saved (role app-admin; --admin USER:PASS sets one)`,
            ]
          : []),
        replay
          ? `mode          replay: answers from ${replay.size} recorded fixtures, keeps no state`
          : `users         ${state.users.size}, groups ${state.groups.size}, projects ${state.projects.size}`,
      ];
    },
    snapshot: () => state.snapshot(),
    consistency: () => state.consistency(),
    holderOf: (secret) => (sameSecret(secret, state.appToken) ? 'the application token' : undefined),
    async handle(request) {
      const query = request.url.indexOf('?');
      if ((query < 0 ? request.url : request.url.slice(0, query)) !== '/jsonrpc.php') {
        return { status: 404, headers: { 'content-type': 'text/html; charset=UTF-8' }, body: '<h1>Not Found</h1>' };
      }
      return stages.respond(
        await answer(request.body, (c) => call(request, c), {
          maxDepth: options.maxDepth ?? PHP_JSON_DEPTH,
          notUtf8: request.notUtf8 !== undefined,
        }),
        request,
      );
    },
  };
}
