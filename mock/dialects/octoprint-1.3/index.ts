import type { TSchema } from 'typebox';
import { routesOf } from '../../../src/protocols/octoprint-1.3/define.js';
import { methods13 } from '../../../src/protocols/octoprint-1.3/methods/index.js';
import type { HttpRequestData, HttpResponseData } from '../../../src/wire/http.js';
import { flaskJson, flaskText } from '../../../src/wire/rest.js';
import { decodePath, pathOf, pathTemplate, RestRouter } from '../../../src/wire/rest-routes.js';
import { parsePythonJson } from '../../../src/wire/python-json.js';
import { pythonUtf8Error, secureRandom, seededRandom } from '../../../src/wire/text.js';
import type { DialectOptions, HttpDialect } from '../../dialect.js';
import { diagnoseBody, strictBodySchema, withDiagnostics } from '../../diagnostics.js';
import { applyFaults } from '../../faults/index.js';
import { ReplayBook, replayRest } from '../../replay.js';
import { PyError } from '../octoprint/python.js';
import { authenticate } from './auth.js';
import { accountHandlers13 } from './handlers/account.js';
import { usersHandlers13 } from './handlers/users.js';
import { fail, html, Respond, type HandlerContext13, type Stages13 } from './stages.js';
import { FRESH_INSTALL_13, State13, type Seed13 } from './state.js';

/**
 * OctoPrint 1.3.12's /api/users (octoprint.md §2.4, §4.4): Flask 0.10 and Werkzeug 0.15. Every route needs
 * a login (the blueprint refuses a request without a key, or with one that logs nobody in, first: 403 text); errors are text or Werkzeug's HTML pages;
 * JSON is indented unless the request is XHR. No CSRF, no Bearer, no current password, no self-delete
 * protection. A fresh install: admin/admin (admin role) and operator/operator, both with keys.
 */
export interface Options13 extends DialectOptions {
  readonly seed?: Seed13;
  readonly adminKey?: string;
  readonly userKey?: string;
  readonly globalKey?: string;
}

/** The API keys an OctoPrint 1.3 mock accepts (a seed may leave a user without one). */
export interface Given13 {
  readonly adminKey: string | undefined;
  readonly userKey: string | undefined;
  readonly globalKey: string;
}

/**
 * The body each method reads, for request diagnostics: the parameter its route declares as the whole body
 * (`body: { param }`), else its params without the path ones, strict. GET and DELETE read none.
 */
const BODY_SCHEMAS: ReadonlyMap<string, TSchema> = new Map(
  methods13.flatMap((m): [string, TSchema][] => {
    const route = m.wire.route;
    if (route.verb === 'GET' || route.verb === 'DELETE' || route.body === 'none') return [];
    if (typeof route.body === 'object') {
      const param = (m.params.properties as Record<string, TSchema>)[route.body.param];
      return param ? [[m.name, param]] : [];
    }
    return [[m.name, strictBodySchema(m.params, pathTemplate(route.path).names)]];
  }),
);

export function createOctoPrint13Dialect(
  options: Options13 = {},
): HttpDialect & { readonly given: Given13; readonly state: State13; readonly stages: Stages13 } {
  const userKeys: Record<string, string> = {};
  if (options.adminKey) userKeys['admin'] = options.adminKey;
  if (options.userKey) userKeys['operator'] = options.userKey;
  // With `fixed` (fixtures): keys from a seeded generator, the same on every start.
  const keys = { ...(options.globalKey ? { globalKey: options.globalKey } : {}), userKeys };
  const state = new State13(options.seed ?? FRESH_INSTALL_13, keys, options.fixed ? seededRandom(1) : secureRandom);
  const replay = options.mode === 'replay' ? new ReplayBook(options.fixtures ?? []) : undefined;
  const router = new RestRouter<string>();
  for (const [name, route] of Object.entries(routesOf(methods13))) router.add(route.verb, route.path, name);

  const stages: Stages13 = {
    state,
    authenticate: (request) => authenticate(state, request),
    handlers: { ...usersHandlers13, ...accountHandlers13 },
    respond: (response) => response,
  };
  applyFaults('octoprint-1.3', options.faults ?? [], stages);

  function answer(request: HttpRequestData, path: string, notes: string[]): HttpResponseData {
    const decoded = decodePath(path);
    const match = decoded === undefined ? ({ kind: 'not-found' } as const) : router.resolve(request.method, decoded);
    if (match.kind === 'not-found') return html(404);
    if (match.kind === 'method-not-allowed')
      return { ...html(405), headers: { ...html(405).headers, allow: match.allowed.join(', ') } };
    const handler = stages.handlers[match.handler];
    if (!handler) return html(404);
    // Replay mode: the recorded reply for this call; no state, no authentication.
    if (replay) return replayRest(replay, match.handler, match.params, request.body) ?? html(404);
    const caller = stages.authenticate(request);
    // The API blueprint's before-request hooks (1.3.x server/util/__init__.py): enforceApiKeyRequestHandler
    // wants a key, loginFromApiKeyRequestHandler one that logs an active user in.
    if (caller.kind === 'anonymous') {
      const none = caller.key !== 'unknown';
      notes.push(
        none
          ? 'no API key (X-Api-Key header or apikey parameter): OctoPrint 1.3 wants one on every API request'
          : 'the API key matches no active user and is not the global key: OctoPrint 1.3 refuses it',
      );
      return flaskText(403, none ? 'No API key provided' : 'Invalid API key');
    }
    const style = request.headers['x-requested-with'] === 'XMLHttpRequest' ? 'legacy-compact' : 'legacy-pretty';
    const ctx: HandlerContext13 = {
      request,
      name: match.params['name'] ?? '',
      caller,
      stages,
      style,
      reply: (status, value) => flaskJson(status, value, { style }),
      json() {
        const parsed = request.notUtf8
          ? ({ ok: false, message: pythonUtf8Error(request.notUtf8) } as const)
          : parsePythonJson(request.body);
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
  const seedPassword = (name: string) =>
    seedUser(name)?.password ?? (seedUser(name) ? '(as saved: only its hash is known)' : '(not seeded)');
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
      const path = pathOf(request.url);
      const response = answer(request, path, notes);
      return stages.respond(
        withDiagnostics(response, notes, { verb: request.method, path, server: 'OctoPrint 1.3' }, options.log),
      );
    },
  };
}
