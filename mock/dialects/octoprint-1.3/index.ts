import type { TSchema } from 'typebox';
import { routesOf } from '../../../src/protocols/octoprint/define.js';
import { methods13 } from '../../../src/protocols/octoprint-1.3/methods/users.js';
import type { HttpRequestData, HttpResponseData } from '../../../src/wire/http.js';
import { flaskJson, flaskText, werkzeugHtmlError } from '../../../src/wire/rest.js';
import { decodePath, pathTemplate, RestRouter, splitUrl } from '../../../src/wire/rest-routes.js';
import { parsePythonJson } from '../../../src/wire/python-json.js';
import { pythonUtf8Error, sameSecret } from '../../../src/wire/text.js';
import type { DialectOptions, HttpDialect } from '../../dialect.js';
import { diagnoseBody, strictBodySchema, withDiagnostics } from '../../diagnostics.js';
import { applyFaults } from '../../faults/index.js';
import { ReplayBook, replayRest } from '../../replay.js';
import { secureRandom, seededRandom } from '../../../src/wire/text.js';
import { isDict, isTrueValue, pyGet, pyIn, PyError } from '../octoprint/python.js';
import { hashPassword } from '../octoprint/state.js';
import { FRESH_INSTALL_13, newKey13, State13, type Seed13, type User13State } from './state.js';

/**
 * OctoPrint 1.3.12's /api/users (octoprint.md §2.4, §4.4): Flask 0.10 and Werkzeug 0.15. Every route needs
 * a login (an anonymous caller gets Flask-Login's HTML 403); errors are text or Werkzeug's HTML pages;
 * JSON is indented unless the request is XHR. No CSRF, no Bearer, no current password, no self-delete
 * protection. A fresh install: admin/admin (admin role) and operator/operator, both with keys.
 */
export interface Options13 extends DialectOptions {
  readonly seed?: Seed13;
  readonly adminKey?: string;
  readonly userKey?: string;
  readonly globalKey?: string;
}

type Caller13 = { readonly kind: 'anonymous' } | { readonly kind: 'user'; readonly user: User13State } | { readonly kind: 'api' };

interface Ctx13 {
  readonly request: HttpRequestData;
  readonly name: string;
  readonly caller: Caller13;
  readonly json: () => unknown;
  readonly reply: (status: number, value: unknown) => HttpResponseData;
}

export interface Stages13 {
  readonly state: State13;
  authenticate(request: HttpRequestData): Caller13;
  readonly handlers: Record<string, (ctx: Ctx13) => HttpResponseData>;
  respond(response: HttpResponseData): HttpResponseData;
}

/** Raised to answer with this response at once (Flask's `abort` or an early `return make_response(...)`). */
class Respond extends Error {
  constructor(readonly response: HttpResponseData) {
    super(`HTTP ${response.status}`);
  }
}

const html = (status: number) => werkzeugHtmlError(status, 'legacy');
const fail = (response: HttpResponseData): never => {
  throw new Respond(response);
};

function record(u: User13State): Record<string, unknown> {
  return { name: u.name, active: u.active, admin: u.admin, user: true, apikey: u.apikey, settings: u.settings };
}

const BODY_SCHEMAS: ReadonlyMap<string, TSchema> = new Map(
  methods13
    .filter((m) => m.route && m.route.verb !== 'GET' && m.route.verb !== 'DELETE' && m.name !== 'users.saveSettings' && m.name !== 'users.generateApiKey')
    .map((m): [string, TSchema] => [m.name, strictBodySchema(m.params, pathTemplate(m.route?.path ?? '').names)]),
);

/** The API keys an OctoPrint 1.3 mock accepts (a seed may leave a user without one). */
export interface Given13 {
  readonly adminKey: string | undefined;
  readonly userKey: string | undefined;
  readonly globalKey: string;
}

export function createOctoPrint13Dialect(options: Options13 = {}): HttpDialect & { readonly given: Given13; readonly state: State13; readonly stages: Stages13 } {
  const userKeys: Record<string, string> = {};
  if (options.adminKey) userKeys['admin'] = options.adminKey;
  if (options.userKey) userKeys['operator'] = options.userKey;
  // With `fixed` (fixtures): keys from a seeded generator, the same on every start.
  const state = new State13(options.seed ?? FRESH_INSTALL_13, { ...(options.globalKey ? { globalKey: options.globalKey } : {}), userKeys }, options.fixed ? seededRandom(1) : secureRandom);
  const replay = options.mode === 'replay' ? new ReplayBook(options.fixtures ?? []) : undefined;
  const router = new RestRouter<string>();
  for (const [name, route] of Object.entries(routesOf(methods13))) router.add(route.verb, route.path, name);

  const isAdmin = (c: Caller13) => c.kind === 'api' || (c.kind === 'user' && c.user.admin);
  const callerName = (c: Caller13) => (c.kind === 'user' ? c.user.name : c.kind === 'api' ? '_api' : undefined);
  const loggedIn = (ctx: Ctx13) => ctx.caller.kind !== 'anonymous' || fail(html(403));
  const adminOnly = (ctx: Ctx13) => (loggedIn(ctx) && isAdmin(ctx.caller)) || fail(html(403));
  const selfOrAdmin = (ctx: Ctx13, denial: HttpResponseData) => (loggedIn(ctx) && (isAdmin(ctx.caller) || callerName(ctx.caller) === ctx.name)) || fail(denial);
  const find = (ctx: Ctx13, missing: HttpResponseData) => state.users.get(ctx.name) ?? fail(missing);
  const unknown = (ctx: Ctx13) => flaskText(404, `Unknown user: ${ctx.name}`);
  const expectJsonType = (ctx: Ctx13) => {
    const type = ctx.request.headers['content-type'];
    if (type === undefined) throw new PyError("KeyError: 'Content-Type'");
    if (!type.includes('application/json')) fail(flaskText(400, 'Expected content-type JSON'));
  };
  const list = (ctx: Ctx13) => ctx.reply(200, { users: [...state.users.values()].map(record) });

  const stages: Stages13 = {
    state,
    authenticate(request) {
      const { query } = splitUrl(request.url);
      const key = query.has('apikey') ? query.get('apikey') : request.headers['x-api-key'];
      if (!key) return { kind: 'anonymous' };
      if (sameSecret(key, state.globalKey)) return { kind: 'api' };
      const user = state.userByKey(key);
      return user?.active ? { kind: 'user', user } : { kind: 'anonymous' };
    },
    handlers: {
      'users.list': (ctx) => (adminOnly(ctx), list(ctx)),
      'users.add': (ctx) => {
        adminOnly(ctx);
        expectJsonType(ctx);
        const data = ctx.json();
        for (const field of ['name', 'password', 'active']) if (!pyIn(field, data)) fail(flaskText(400, `Missing mandatory ${field} field`));
        const name = String(pyGet(data, 'name'));
        if (state.users.has(name)) fail(html(409));
        const body = data as Record<string, unknown>;
        state.users.set(name, { name, passwordHash: hashPassword(String(body['password'])), active: isTrueValue(body['active']), admin: 'admin' in body && isTrueValue(body['admin']), apikey: null, settings: {} });
        return list(ctx);
      },
      'users.get': (ctx) => (selfOrAdmin(ctx, html(403)), ctx.reply(200, record(find(ctx, html(404))))),
      'users.update': (ctx) => {
        adminOnly(ctx);
        const user = find(ctx, html(404));
        expectJsonType(ctx);
        const data = ctx.json();
        // The roles are always rewritten: no admin in the body means no admin role (§6.7).
        user.admin = pyIn('admin', data) && isTrueValue(pyGet(data, 'admin'));
        if (pyIn('active', data)) user.active = isTrueValue(pyGet(data, 'active'));
        return list(ctx);
      },
      'users.delete': (ctx) => {
        adminOnly(ctx);
        find(ctx, html(404));
        state.users.delete(ctx.name);
        return list(ctx);
      },
      'users.changePassword': (ctx) => {
        selfOrAdmin(ctx, flaskText(403, 'Forbidden'));
        expectJsonType(ctx);
        const data = ctx.json();
        if (!pyIn('password', data) || !pyGet(data, 'password')) fail(flaskText(400, 'password is missing from request'));
        find(ctx, unknown(ctx)).passwordHash = hashPassword(String(pyGet(data, 'password')));
        return ctx.reply(200, {});
      },
      'users.getSettings': (ctx) => (selfOrAdmin(ctx, flaskText(403, 'Forbidden')), ctx.reply(200, find(ctx, unknown(ctx)).settings)),
      'users.saveSettings': (ctx) => {
        selfOrAdmin(ctx, flaskText(403, 'Forbidden'));
        // Flask 0.10's request.json: None unless the body is sent as JSON.
        const data = /^application\/json\b/i.test(ctx.request.headers['content-type'] ?? '') ? ctx.json() : null;
        const user = find(ctx, unknown(ctx));
        if (!isDict(data)) throw new PyError("'NoneType' object has no attribute 'items'");
        user.settings = { ...user.settings, ...data };
        return ctx.reply(200, {});
      },
      'users.generateApiKey': (ctx) => {
        selfOrAdmin(ctx, flaskText(403, 'Forbidden'));
        const user = find(ctx, unknown(ctx));
        user.apikey = newKey13(state.random);
        return ctx.reply(200, { apikey: user.apikey });
      },
      'users.resetApiKey': (ctx) => {
        selfOrAdmin(ctx, flaskText(403, 'Forbidden'));
        find(ctx, unknown(ctx)).apikey = null;
        return ctx.reply(200, {});
      },
    },
    respond: (response) => response,
  };
  applyFaults('octoprint-1.3', options.faults ?? [], stages);

  function answer(request: HttpRequestData, notes: string[]): HttpResponseData {
    const { path } = splitUrl(request.url);
    const decoded = decodePath(path);
    const match = decoded === undefined ? ({ kind: 'not-found' } as const) : router.resolve(request.method, decoded);
    if (match.kind === 'not-found') return html(404);
    if (match.kind === 'method-not-allowed') return { ...html(405), headers: { ...html(405).headers, allow: match.allowed.join(', ') } };
    const handler = stages.handlers[match.handler];
    if (!handler) return html(404);
    // Replay mode: the recorded reply for this call; no state, no authentication.
    if (replay) return replayRest(replay, match.handler, match.params, request.body) ?? html(404);
    const caller = stages.authenticate(request);
    if (caller.kind === 'anonymous') notes.push('no valid API key (X-Api-Key header or apikey parameter): OctoPrint 1.3 answers every users route with its login page 403');
    const xhr = request.headers['x-requested-with'] === 'XMLHttpRequest';
    const ctx: Ctx13 = {
      request,
      name: match.params['name'] ?? '',
      caller,
      reply: (status, value) => flaskJson(status, value, { style: xhr ? 'legacy-compact' : 'legacy-pretty' }),
      json() {
        const parsed = request.notUtf8 ? ({ ok: false, message: pythonUtf8Error(request.notUtf8) } as const) : parsePythonJson(request.body);
        if (!parsed.ok) {
          notes.push(`the body is not JSON: ${parsed.message}`);
          return fail(flaskText(400, 'Malformed JSON body in request'));
        }
        const schema = BODY_SCHEMAS.get(match.handler);
        if (schema) notes.push(...diagnoseBody(schema, parsed.value));
        return parsed.value;
      },
    };
    try {
      return handler(ctx);
    } catch (error) {
      if (error instanceof Respond) return error.response;
      if (error instanceof PyError) {
        notes.push(`OctoPrint 1.3's handler fails on this input (${error.message})`);
        return html(500);
      }
      throw error;
    }
  }

  const seeded = (name: string) => state.users.get(name)?.apikey ?? undefined;
  const seedUser = (name: string) => (options.seed ?? FRESH_INSTALL_13).users?.find((u) => u.name === name);
  const seedPassword = (name: string) => seedUser(name)?.password ?? (seedUser(name) ? '(as saved: only its hash is known)' : '(not seeded)');
  return {
    kind: 'http',
    protocol: 'octoprint-1.3',
    routes: ['/api/*'],
    state,
    stages,
    get given() {
      return { adminKey: seeded('admin'), userKey: seeded('operator'), globalKey: state.globalKey };
    },
    banner: () => [
      'API           /api/users (OctoPrint 1.3.12)',
      `admin         user admin / password ${seedPassword('admin')}, API key ${seeded('admin') ?? '(none)'} (admin role)`,
      `plain user    user operator / password ${seedPassword('operator')}, API key ${seeded('operator') ?? '(none)'}`,
      `global key    ${state.globalKey} (acts as the admin pseudo-user _api)`,
      'keys travel   X-Api-Key header or ?apikey=',
    ],
    // 1.3 keeps users only: nothing can point at a row that is gone.
    consistency: () => [],
    snapshot: () => state.snapshot(),
    holderOf: (secret) => (secret === state.globalKey ? 'the global key (_api)' : state.userByKey(secret)?.name),
    async handle(request) {
      const notes: string[] = [];
      const response = answer(request, notes);
      return stages.respond(withDiagnostics(response, notes, { verb: request.method, path: splitUrl(request.url).path, server: 'OctoPrint 1.3' }, options.log));
    },
  };
}
