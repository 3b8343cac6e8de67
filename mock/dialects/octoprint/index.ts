import { routesOf } from '../../../src/protocols/octoprint/define.js';
import { formOfEra, missingCorePermissions, variants } from '../../../src/protocols/octoprint/variants.js';
import { INVALID_API_KEY_TEXT } from '../../../src/protocols/octoprint/access.js';
import { eraError, eraGetJson } from './era.js';
import { methods } from '../../../src/protocols/octoprint/methods/index.js';
import type { HttpRequestData, HttpResponseData } from '../../../src/wire/http.js';
import { tornadoErrorPage, werkzeugHtmlError } from '../../../src/wire/rest.js';
import { decodePath, pathOf, pathTemplate, RestRouter, type Verb } from '../../../src/wire/rest-routes.js';
import { DialectOptionError, type DialectOptions, type HttpDialect } from '../../dialect.js';
import { diagnoseBody, strictBodySchema, withDiagnostics } from '../../diagnostics.js';
import { applyFaults } from '../../faults/index.js';
import { ReplayBook, replayRest } from '../../replay.js';
import { secureRandom, seededRandom } from '../../../src/wire/text.js';
import {
  authenticate,
  cookiesOf,
  cookieSuffix,
  credentialsRecent,
  csrfPasses,
  hasAdmin,
  hasSettings,
  type Caller,
} from './auth.js';
import { corsPreflight, withAllowOrigin } from './cors.js';
import { accessHandlers } from './handlers/access.js';
import { accountHandlers } from './handlers/account.js';
import { sessionHandlers, withSessionCookie } from './handlers/session.js';
import { PyError, pySecret } from './python.js';
import { userRecord } from './records.js';
import { Abort, type HandlerContext, type OctoPrintStages } from './stages.js';
import { FRESH_INSTALL, hashPassword, OctoPrintState, type OctoPrintSeed } from './state.js';
import type { TSchema } from 'typebox';

/**
 * The OctoPrint 1.11 dialect: /api/access/{permissions,groups,users}, the 307s of the legacy /api/users
 * routes, and the browser login of §2.3, through the gates of §2.2 in order. A fresh install: user
 * `admin` (groups admins and users) and user `operator` (users), both with API keys, and a global key.
 */
export interface OctoPrintOptions extends DialectOptions {
  readonly seed?: OctoPrintSeed;
  /** API key of the seeded admin user (default: a new random key). */
  readonly adminKey?: string;
  /** API key of the seeded plain user. */
  readonly userKey?: string;
  readonly globalKey?: string;
  /** config.yaml's `api.allowCrossOrigin` (default false, as OctoPrint): see cors.ts. */
  readonly cors?: boolean;
}

const SERVER = 'OctoPrint';

/** Tornado's RequestHandler.SUPPORTED_METHODS: every other verb is refused before Flask sees it. */
const TORNADO_VERBS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'DELETE', 'PATCH', 'PUT', 'OPTIONS']);

/** The decorators of each endpoint (§4 "requires"). */
const GATES: Readonly<Record<string, { recent: boolean; admin: boolean }>> = {
  'access.permissions.list': { recent: false, admin: false },
  'access.groups.list': { recent: false, admin: true },
  'access.groups.add': { recent: true, admin: true },
  'access.groups.get': { recent: false, admin: true },
  'access.groups.update': { recent: true, admin: true },
  'access.groups.delete': { recent: true, admin: true },
  'access.users.list': { recent: false, admin: true },
  'access.users.add': { recent: true, admin: true },
  'access.users.get': { recent: false, admin: false },
  'access.users.update': { recent: true, admin: true },
  'access.users.delete': { recent: true, admin: true },
  'access.users.changePassword': { recent: false, admin: false },
  'access.users.getSettings': { recent: false, admin: false },
  'access.users.saveSettings': { recent: false, admin: false },
  'access.users.generateApiKey': { recent: true, admin: false },
  'access.users.resetApiKey': { recent: true, admin: false },
};

const LEGACY: readonly [Verb, string][] = [
  ['GET', '/api/users'],
  ['POST', '/api/users'],
  ['GET', '/api/users/{name}'],
  ['PUT', '/api/users/{name}'],
  ['DELETE', '/api/users/{name}'],
  ['PUT', '/api/users/{name}/password'],
  ['GET', '/api/users/{name}/settings'],
  ['PATCH', '/api/users/{name}/settings'],
  ['POST', '/api/users/{name}/apikey'],
  ['DELETE', '/api/users/{name}/apikey'],
];

/** The body each method reads, for request diagnostics: its params without the path ones, strict. */
const BODY_SCHEMAS: ReadonlyMap<string, TSchema> = new Map(
  Object.entries(routesOf(methods)).flatMap(([name, route]): [string, TSchema][] => {
    const method = methods.find((m) => m.name === name);
    if (!method || route.verb === 'GET' || route.verb === 'DELETE') return [];
    if (typeof route.body === 'object') {
      const param = (method.params.properties as Record<string, TSchema>)[route.body.param];
      return param ? [[name, param]] : [];
    }
    return [[name, strictBodySchema(method.params, pathTemplate(route.path).names)]];
  }),
);

function buildRouter(): RestRouter<string> {
  const router = new RestRouter<string>();
  for (const [name, route] of Object.entries(routesOf(methods))) router.add(route.verb, route.path, name);
  for (const [verb, path] of LEGACY) router.add(verb, path, 'legacy.redirect');
  router.add('POST', '/api/login', 'session.login');
  router.add('POST', '/api/logout', 'session.logout');
  router.add('GET', '/api/currentuser', 'session.currentUser');
  router.add('GET', '/api/version', 'server.version');
  return router;
}

function anonymousNote(caller: Caller, write: boolean): string | undefined {
  if (caller.kind !== 'anonymous') return undefined;
  const who =
    caller.key === 'unknown'
      ? 'the API key matches no user and is not the global key, so the request is anonymous'
      : 'no API key (X-Api-Key header, apikey parameter or Bearer token), so the request is anonymous';
  return write
    ? `${who}; OctoPrint refuses a write without a valid API key (or a browser session's CSRF token) with 400 CSRF validation failed`
    : `${who}; guests hold no permissions`;
}

/** The API keys an OctoPrint mock accepts (a seed may leave a user without one). */
export interface OctoPrintGiven {
  readonly adminKey: string | undefined;
  readonly userKey: string | undefined;
  readonly globalKey: string;
}

export function createOctoPrintDialect(
  options: OctoPrintOptions = {},
): HttpDialect & { readonly given: OctoPrintGiven; readonly state: OctoPrintState; readonly stages: OctoPrintStages } {
  const seed = options.seed ?? FRESH_INSTALL;
  const variant = options.variant ?? variants.default;
  if (!variants.list.some((v) => v.id === variant))
    throw new DialectOptionError(
      `octoprint has no variant "${variant}"; known: ${variants.list.map((v) => v.id).join(', ')}`,
    );
  const form = formOfEra(variant);
  const fail = (status: number, description?: string, headers?: Readonly<Record<string, string>>) =>
    eraError(form, status, description, headers);
  const userKeys: Record<string, string> = {};
  if (options.adminKey) userKeys['admin'] = options.adminKey;
  if (options.userKey) userKeys['operator'] = options.userKey;
  // With `fixed` (fixtures): keys and session tokens from a seeded generator, the same on every start.
  const state = new OctoPrintState(
    seed,
    { ...(options.globalKey ? { globalKey: options.globalKey } : {}), userKeys },
    options.fixed ? seededRandom(1) : secureRandom,
    missingCorePermissions(form),
  );
  const router = buildRouter();
  const replay = options.mode === 'replay' ? new ReplayBook(options.fixtures ?? []) : undefined;

  const stages: OctoPrintStages = {
    state,
    form,
    authenticate: (request) => authenticate(state, request, form.bearerKeys),
    csrfPasses: (request, caller) => csrfPasses(state, request, caller),
    recent: (caller) => credentialsRecent(caller),
    isAdmin: (caller) => hasAdmin(state, caller),
    checkPassword: (user, password) => user.passwordHash === hashPassword(pySecret(password)),
    mergeSettings: (old, patch) => ({ ...old, ...patch }),
    readJson: (request) => eraGetJson(form, request),
    userRecord: (user, recent) => userRecord(state, user, recent || !form.hidesApikeys),
    gates: Object.fromEntries(Object.entries(GATES).map(([k, v]) => [k, { ...v }])),
    handlers: { ...accessHandlers, ...accountHandlers, ...sessionHandlers },
    respond: (response) => response,
  };
  applyFaults('octoprint', options.faults ?? [], stages);

  function answer(request: HttpRequestData, path: string, notes: string[]): HttpResponseData {
    if (!TORNADO_VERBS.has(request.method)) {
      notes.push(`Tornado serves only ${[...TORNADO_VERBS].join(', ')}; any other verb gets its own HTML 405 page`);
      return tornadoErrorPage(405);
    }
    if (request.method === 'GET' && path === '/login')
      return run('session.loginPage', request, {}, stages.authenticate(request), notes);
    const decoded = decodePath(path);
    const api = decoded !== undefined && (decoded === '/api' || decoded.startsWith('/api/'));
    const match = decoded === undefined ? ({ kind: 'not-found' } as const) : router.resolve(request.method, decoded);
    // With api.allowCrossOrigin, the API blueprint answers a preflight itself (before the CSRF check).
    if (options.cors && api && request.method === 'OPTIONS' && match.kind === 'method-not-allowed')
      return corsPreflight(request, match.allowed);
    // Flask answers OPTIONS itself for every rule of the path (no route declares OPTIONS).
    if (request.method === 'OPTIONS' && match.kind === 'method-not-allowed') {
      return {
        status: 200,
        headers: { allow: match.allowed.join(', '), 'content-type': 'text/html; charset=utf-8' },
        body: '',
      };
    }
    if (match.kind !== 'found') {
      const status = match.kind === 'not-found' ? 404 : 405;
      if (status === 404) notes.push(`no OctoPrint route ${path}`);
      const headers: Record<string, string> =
        match.kind === 'method-not-allowed' ? { allow: match.allowed.join(', ') } : {};
      // The API's error handler (1.6+) answers with a fresh response: Werkzeug's Allow header does not survive
      // it; 1.4–1.5 send Werkzeug's own page, Allow and all.
      if (api) return form.jsonErrors ? fail(status) : fail(status, undefined, headers);
      const page = werkzeugHtmlError(status);
      return { ...page, headers: { ...page.headers, ...headers } };
    }
    // The API blueprint's after-request hook: with api.allowCrossOrigin, every answer of a matched route.
    const response = matched(request, match.handler, match.params, notes);
    return options.cors && api ? withAllowOrigin(request, response) : response;
  }

  function matched(
    request: HttpRequestData,
    handler: string,
    params: Readonly<Record<string, string>>,
    notes: string[],
  ): HttpResponseData {
    const match = { handler, params };
    // Replay mode: the recorded reply for this call; no state, no authentication.
    if (replay) return replayRest(replay, match.handler, match.params, request.body) ?? fail(404);
    const caller = stages.authenticate(request);
    // The blueprint's before-request hooks, in order (server/api/__init__.py): 1.4–1.10's
    // loginFromApiKeyRequestHandler refuses a key that matches nothing, before the CSRF check (1.8.3+).
    if (form.refusesUnknownKeys && caller.kind === 'anonymous' && caller.key === 'unknown') {
      notes.push(
        `the API key matches no user and is not the global key (OctoPrint ${form.served} refuses it; 1.11 treats it as no key)`,
      );
      return fail(403, INVALID_API_KEY_TEXT);
    }
    if (form.csrf && !stages.csrfPasses(request, caller)) {
      notes.push(
        anonymousNote(caller, true) ??
          'a write from a browser session needs the csrf_token cookie and the same value in X-CSRF-Token',
      );
      return fail(400, 'CSRF validation failed');
    }
    const gates = stages.gates[match.handler];
    if (form.recentCredentials && gates?.recent && !stages.recent(caller)) {
      notes.push(
        'credentials not recent (a remember-me session, or a login older than 5 minutes): log in again with the password',
      );
      return fail(403, 'Please reauthenticate with your credentials');
    }
    // 1.8.3+ @Permissions.ADMIN.require(403); before, @Permissions.SETTINGS.require(403) (access.py).
    if (gates?.admin && !(form.needsAdmin ? stages.isAdmin(caller) : hasSettings(state, caller))) {
      notes.push(
        anonymousNote(caller, false) ??
          (form.needsAdmin
            ? 'this endpoint needs the ADMIN permission (the admins group); the caller does not have it'
            : 'this endpoint needs the SETTINGS permission (before 1.8.3); the caller does not have it'),
      );
      return fail(403);
    }
    const response = run(match.handler, request, match.params, caller, notes);
    if (response.status === 403 && caller.kind === 'anonymous') notes.push(anonymousNote(caller, false) ?? '');
    return response;
  }

  function run(
    name: string,
    request: HttpRequestData,
    params: Readonly<Record<string, string>>,
    caller: Caller,
    notes: string[],
  ): HttpResponseData {
    const handler = stages.handlers[name];
    if (!handler) return fail(404);
    const ctx: HandlerContext = {
      request,
      params,
      caller,
      stages,
      note: (finding) => void notes.push(finding),
      json() {
        const body = stages.readJson(request);
        if (!body.ok) {
          notes.push(
            body.problem === 'content-type'
              ? `Content-Type is ${request.headers['content-type'] ? `"${request.headers['content-type']}"` : 'missing'}: OctoPrint reads a body only when it is sent as application/json`
              : `the body is not JSON OctoPrint can decode: ${body.reason ?? JSON.parse(body.response.body).error}`,
          );
          throw new Abort(body.response.status, JSON.parse(body.response.body).error);
        }
        const schema = BODY_SCHEMAS.get(name);
        if (schema) notes.push(...diagnoseBody(schema, body.value));
        return body.value;
      },
    };
    try {
      return handler(ctx);
    } catch (error) {
      if (error instanceof Abort) return fail(error.status, error.description);
      if (error instanceof PyError) {
        notes.push(`OctoPrint's handler fails on this input (${error.message})`);
        return fail(500);
      }
      throw error;
    }
  }

  /** The id of the live browser session the request's cookie names, if any. */
  function liveSession(request: HttpRequestData): string | undefined {
    const sid = cookiesOf(request).get(`session${cookieSuffix(request)}`);
    return sid !== undefined && state.sessions.has(sid) ? sid : undefined;
  }

  const seeded = (name: string) => seed.users?.find((u) => u.name === name);
  const seedPassword = (name: string) =>
    seeded(name)?.password ?? (seeded(name) ? '(as saved: only its hash is known)' : '(not seeded)');
  const admin = () => state.users.get('admin');
  const operator = () => state.users.get('operator');
  return {
    kind: 'http',
    protocol: 'octoprint',
    routes: ['/api/*', '/login'],
    state,
    stages,
    get given() {
      return {
        adminKey: admin()?.apikey ?? undefined,
        userKey: operator()?.apikey ?? undefined,
        globalKey: state.globalKey,
      };
    },
    banner() {
      return [
        'API           /api/access/{permissions,groups,users} (OctoPrint 1.11); /api/users/* answers 307',
        `variant       ${variant} (answers as ${variants.list.find((v) => v.id === variant)?.title} does; GET /api/version says ${form.served})`,
        `admin         user admin / password ${seedPassword('admin')}, API key ${admin()?.apikey ?? '(none)'} (groups admins, users)`,
        `plain user    user operator / password ${seedPassword('operator')}, API key ${operator()?.apikey ?? '(none)'} (group users)`,
        `global key    ${state.globalKey} (acts as the admin pseudo-user _api)`,
        'keys travel   X-Api-Key header, ?apikey= or Authorization: Bearer; browsers: GET /login, POST /api/login',
      ];
    },
    consistency: () => state.consistency(),
    snapshot: () => state.snapshot(),
    unparsedRequest: () => tornadoErrorPage(405),
    holderOf: (secret) => (secret === state.globalKey ? 'the global key (_api)' : state.userByKey(secret)?.name),
    async handle(request) {
      const notes: string[] = [];
      const sid = liveSession(request);
      const path = pathOf(request.url);
      let response = answer(request, path, notes);
      if (sid !== undefined) response = withSessionCookie(request, response, sid);
      if (request.method === 'HEAD') response = { ...response, body: '' };
      const findings = notes.length === 0 ? notes : notes.filter((n) => n !== '');
      return stages.respond(
        withDiagnostics(response, findings, { verb: request.method, path, server: SERVER }, options.log),
      );
    },
  };
}
