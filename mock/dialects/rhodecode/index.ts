import { methods } from '../../../src/protocols/rhodecode/methods/index.js';
import { signatureOf, type ParamSignature } from '../../../src/spec/method.js';
import type { HttpRequestData, HttpResponseData } from '../../../src/wire/http.js';
import { answer, noSuchMethod, type RhodecodeCall, type RhodecodeReply } from '../../../src/wire/rhodecode.js';
import type { DialectOptions, HttpDialect } from '../../dialect.js';
import { applyFaults } from '../../faults/index.js';
import { ReplayBook } from '../../replay.js';
import { userApi } from './api-data.js';
import { effectivePermission } from './permissions.js';
import { RpcError, type Procedure, type ProcedureContext } from './handler.js';
import { lockProcedure, repoProcedures } from './handlers/repos.js';
import { userGroupProcedures } from './handlers/user-groups.js';
import { userProcedures } from './handlers/users.js';
import {
  FRESH_INSTALL,
  newToken,
  RhodeCodeState,
  ROLE,
  type ObjectKind,
  type RhodeCodeSaved,
  type RhodeCodeSeed,
  type UserRow,
} from './state.js';

/**
 * The RhodeCode dialect: one endpoint, processed in the real server's order (rhodecode.md §1.1): request
 * method, body, JSON, envelope keys and method lookup (the wire) → authentication → required arguments →
 * the method body (which checks rights itself and hides what the caller may not see). Each stage is a
 * replaceable function so that faults (mock/faults/rhodecode.ts) can break one of them.
 */
export type AuthOutcome = { readonly user: UserRow } | { readonly error: string };

export interface RhodeCodeStages {
  readonly state: RhodeCodeState;
  /** The registered name for a requested method, or undefined (answered before authentication). */
  lookup(method: unknown): string | undefined;
  authenticate(token: unknown): AuthOutcome;
  /** The first required argument not sent, or undefined. */
  missingArgument(method: string, args: Readonly<Record<string, unknown>>): string | undefined;
  permission(user: UserRow, kind: ObjectKind, id: number): string;
  userApi: typeof userApi;
  readonly procedures: Record<string, Procedure>;
  /** The last look at a whole HTTP response before it leaves. */
  respond(response: HttpResponseData): HttpResponseData;
}

export interface RhodeCodeOptions extends DialectOptions {
  readonly seed?: RhodeCodeSeed | RhodeCodeSaved;
  /** Token of the super-admin `admin` (default: random). */
  readonly adminToken?: string;
  /** Token of the plain user `developer` (default: random). */
  readonly userToken?: string;
  readonly now?: () => Date;
}

/** The fixed clock: 2023-11-14T22:13:20Z. */
const FIXED_NOW = 1_700_000_000_000;

const SIGNATURES: Readonly<Record<string, ParamSignature>> = Object.fromEntries(
  methods.map((m) => [m.name, signatureOf(m.params)]),
);
const API_ROLES: readonly string[] = [ROLE.api, ROLE.all];

/** The API tokens a RhodeCode mock accepts: the super-admin's and the plain user's (a seed may lack either). */
export interface RhodeCodeGiven {
  readonly adminToken: string | undefined;
  readonly userToken: string | undefined;
}

export function createRhodeCodeDialect(
  options: RhodeCodeOptions = {},
): HttpDialect & { readonly given: RhodeCodeGiven; readonly state: RhodeCodeState; readonly stages: RhodeCodeStages } {
  let counter = 0;
  // With `fixed` (fixtures): tokens from a counter, a fixed clock, so that every start gives the same answers.
  const makeToken = options.fixed ? () => (++counter).toString(16).padStart(40, 'f') : newToken;
  const state = new RhodeCodeState(
    options.seed ?? FRESH_INSTALL,
    {
      ...(options.adminToken ? { admin: options.adminToken } : {}),
      ...(options.userToken ? { user: options.userToken } : {}),
    },
    makeToken,
  );
  const now = options.now ?? (options.fixed ? () => new Date(FIXED_NOW) : () => new Date());
  const replay = options.mode === 'replay' ? new ReplayBook(options.fixtures ?? []) : undefined;
  const procedures: Record<string, Procedure> = {
    ...userProcedures,
    ...userGroupProcedures,
    ...repoProcedures,
    lock: lockProcedure,
  };
  // Registration order decides the order of "similar methods": the declaration order.
  const registered = methods.map((m) => m.name).filter((name) => name in procedures);

  const stages: RhodeCodeStages = {
    state,
    procedures,
    lookup: (method) =>
      typeof method === 'string' && Object.prototype.hasOwnProperty.call(stages.procedures, method)
        ? method
        : undefined,
    authenticate(token) {
      const row = typeof token === 'string' ? state.tokens.by('token', token) : undefined;
      const user =
        row && (row.expires === -1 || row.expires * 1000 >= now().getTime()) ? state.users.get(row.userId) : undefined;
      if (!row || !user) return { error: 'Invalid API KEY' };
      if (!user.active) return { error: 'Request from this user not allowed' };
      if (!API_ROLES.includes(row.role)) return { error: 'API KEY invalid or, has bad role for an API call' };
      return { user };
    },
    missingArgument(method, args) {
      return SIGNATURES[method]?.required.find((name) => !Object.prototype.hasOwnProperty.call(args, name));
    },
    permission: (user, kind, id) => effectivePermission(state, user, kind, id),
    userApi,
    respond: (response) => response,
  };
  applyFaults('rhodecode', options.faults ?? [], stages);

  /** Replay mode: the recorded reply for this method and these arguments; no state, no authentication. */
  function replayed(call: RhodecodeCall): RhodecodeReply {
    const recorded = stages.lookup(call.method) === undefined ? undefined : replay?.find(call.method, call.args);
    if (!recorded) return { error: noSuchMethod(call.method, registered) };
    const body = (recorded.reply as { body: { result?: unknown; error?: unknown } }).body;
    return body.error !== null && body.error !== undefined ? { error: body.error as string } : { result: body.result };
  }

  // Through the stages on each call (a fault may replace one), made once.
  const permissionStage: ProcedureContext['permission'] = (u, k, id) => stages.permission(u, k, id);
  const userApiStage: ProcedureContext['userApi'] = (s, u, secrets) => stages.userApi(s, u, secrets);
  const server = { methods: registered, lookup: (m: unknown) => stages.lookup(m), handle };

  function handle(call: RhodecodeCall): RhodecodeReply {
    if (replay) return replayed(call);
    const auth = stages.authenticate(call.token);
    if ('error' in auth) return { error: auth.error };
    const procedure = stages.procedures[call.method];
    if (!procedure) return { error: noSuchMethod(call.method, registered) };
    const missing = stages.missingArgument(call.method, call.args);
    if (missing !== undefined) return { error: `Missing non optional \`${missing}\` arg in JSON DATA` };
    try {
      const result = procedure.run(
        { state, caller: auth.user, permission: permissionStage, userApi: userApiStage, now },
        knownArgs(call),
      );
      return procedure.deprecatedFor
        ? { result, deprecation: `DEPRECATED METHOD Please use method \`${procedure.deprecatedFor}\` instead.` }
        : { result };
    } catch (error) {
      if (error instanceof RpcError) return { error: error.error };
      options.log?.(`rhodecode: ${call.method} failed: ${(error as Error).stack ?? String(error)}`);
      return {
        error: 'Internal server error',
        headers: { 'rhodecode-exception-id': String(Date.now()), 'rhodecode-exception-type': (error as Error).name },
      };
    }
  }

  return {
    kind: 'http',
    protocol: 'rhodecode',
    routes: ['/_admin/api'],
    state,
    stages,
    get given() {
      return { adminToken: tokenOf(state, 'admin'), userToken: tokenOf(state, 'developer') };
    },
    banner() {
      return [
        `endpoint      POST /_admin/api ({id, auth_token, method, args})`,
        `super-admin   admin, token ${tokenOf(state, 'admin') ?? '(none)'}`,
        `plain user    developer, token ${tokenOf(state, 'developer') ?? '(none)'}`,
        `users         ${state.users.size} (with default), user groups ${state.userGroups.size}, repositories ${state.repos.size}, repository groups ${state.repoGroups.size}`,
      ];
    },
    snapshot: () => state.snapshot(),
    consistency: () => state.consistency(),
    holderOf: (secret) => {
      const token = state.tokens.by('token', secret);
      return token ? state.users.get(token.userId)?.username : undefined;
    },
    async handle(request: HttpRequestData) {
      const query = request.url.indexOf('?');
      if ((query < 0 ? request.url : request.url.slice(0, query)) !== '/_admin/api')
        return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<h1>404 Not Found</h1>' };
      return stages.respond(await answer(request, server));
    },
  };
}

/** The arguments the method declares: unknown ones are dropped; apiuser and request cannot be sent. */
function knownArgs(call: RhodecodeCall): Readonly<Record<string, unknown>> {
  const names = SIGNATURES[call.method]?.names;
  if (names === undefined) return call.args;
  const sent = Object.keys(call.args);
  if (sent.every((k) => names.includes(k))) return call.args;
  return Object.fromEntries(sent.filter((k) => names.includes(k)).map((k) => [k, call.args[k]]));
}

/** The first token of a user with the API role (what the banner prints and `given` hands to the suites). */
function tokenOf(state: RhodeCodeState, username: string): string | undefined {
  const user = state.users.by('username', username);
  return user ? state.tokensOf(user.id).find((t) => API_ROLES.includes(t.role))?.token : undefined;
}
