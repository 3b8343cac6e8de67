import { facet, type Expectation } from '../../spec/expectation.js';
import { EXPECTED_JSON_TEXT, perEra } from './variants.js';
import type { EnvelopeCase } from '../../spec/protocol.js';
import {
  bodyIncludes,
  bodyText,
  contentType,
  errorTextOf,
  FLASK_BAD_JSON_PREFIX,
  FLASK_NOT_JSON,
  header,
  keysSorted,
  noHeader,
  status,
  statusClass,
  statusIn,
  tornadoErrorPage,
  WERKZEUG_TEXT,
} from '../../wire/rest.js';
import { CSRF_FAILED, FORBIDDEN, INVALID_API_KEY_TEXT } from './access.js';
import { eraFacet, errorSays, errorTextTest } from './era-facets.js';
import { formOfEra } from './variants.js';
import type { RawRestRequest } from './binding.js';
import type { Observed } from '../../spec/observed.js';
import { atQuirk, crashes, fails } from './define.js';
import { NO_SUCH_USER } from './methods/users.js';
import { keyThatMatchesNothing } from './world.js';

/**
 * The text of a body that is not JSON: Werkzeug's "Failed to decode JSON object: <reason>" (`detail`: the
 * exact reason), which Flask 2.1+ keeps only in debug mode; a normal server sends BadRequest's own text.
 */
function badJsonText(detail?: string): Expectation {
  const plain = WERKZEUG_TEXT[400] as string;
  const says = `error "${FLASK_BAD_JSON_PREFIX}${detail ?? '…'}" (debug mode) or "${plain}"`;
  // 1.4–1.5: Werkzeug's HTML 400 page, or the handler's own "Malformed JSON body in request" text.
  const legacy = (o: Observed) => {
    const form = formOfEra('1.4');
    return errorTextTest(form, plain)(o) === null || errorTextTest(form, MALFORMED_TEXT)(o) === null
      ? null
      : 'neither Werkzeug\'s 400 page nor "Malformed JSON body in request"';
  };
  return [eraFacet('quirk', says, (form) => (form.jsonErrors ? (o) => modern(o) : legacy))];
  function modern(o: Observed): string | null {
    const text = errorTextOf(o);
    if (text === plain) return null;
    if (
      text !== undefined &&
      (detail === undefined ? text.startsWith(FLASK_BAD_JSON_PREFIX) : text === `${FLASK_BAD_JSON_PREFIX}${detail}`)
    )
      return null;
    return text === undefined ? 'no {"error": ...} body' : `got error "${text}"`;
  }
}

const MALFORMED_TEXT = 'Malformed JSON body in request';

/**
 * Hand-written requests (octoprint.md §1, §2.1, §4.4): how bodies are read, where keys may travel, what
 * routing answers, and the 307 redirects of the legacy /api/users routes. None of them changes anything
 * on a conforming server; the ones that could on a broken one name objects that do not exist.
 */
const S1 = 'octoprint.md §1';
const S21 = 'octoprint.md §2.1';
const S44 = 'octoprint.md §4.4';
const NO_SUCH_GROUP = 'accord_nosuchgroup_0000';
const TORNADO_405 = tornadoErrorPage(405).body;

const json = (
  verb: string,
  path: string,
  body: string,
  contentTypeHeader: string | null = 'application/json',
  extra: Partial<RawRestRequest> = {},
): RawRestRequest => ({
  verb,
  path,
  headers: contentTypeHeader === null ? {} : { 'content-type': contentTypeHeader },
  body,
  ...extra,
});
const get = (path: string, extra: Partial<RawRestRequest> = {}): RawRestRequest => ({ verb: 'GET', path, ...extra });

const NOT_JSON_ERAS =
  'OctoPrint 1.4–1.8 answered 400 "Expected content-type JSON"; from 1.9 on Flask answers 415 (octoprint.md §0, §1)';
/** Flask's get_json() with Werkzeug 2.2 (the pin of 1.9–1.10): a plain 400 outside debug mode. */
const WERKZEUG_22_NOT_JSON: Expectation = [status(400, 'quirk'), errorSays(WERKZEUG_TEXT[400] as string, 'quirk')];
const FLASK_415: Expectation = [status(415, 'quirk'), errorSays(FLASK_NOT_JSON, 'quirk')];
/** Either facet list holds (1.9–1.10: as the installed Werkzeug decides, variants.ts notJsonEither). */
function eitherOf(says: string, a: Expectation, b: Expectation): Expectation {
  const holds = (e: Expectation, o: Observed) => e.every((f) => f.verify(o) === null);
  return [
    facet('quirk', says, (o) =>
      holds(a, o) || holds(b, o) ? null : `got ${o.transport === 'http' ? `HTTP ${o.status}` : o.transport}`,
    ),
  ];
}
const notJson = perEra((form): Expectation => [
  statusClass(4, 'must', 'refused'),
  statusIn([400, 415], 'should', 'refused as not JSON'),
  ...(form.notJsonEither
    ? eitherOf('415 (Werkzeug 2.3+) or a plain 400 (Werkzeug 2.2)', FLASK_415, WERKZEUG_22_NOT_JSON)
    : form.notJson415
      ? [
          status(415, 'quirk', (o) => (o.transport === 'http' && o.status === 400 ? NOT_JSON_ERAS : undefined)),
          errorSays(FLASK_NOT_JSON, 'quirk'),
        ]
      : [
          status(400, 'quirk', (o) => (o.transport === 'http' && o.status === 415 ? NOT_JSON_ERAS : undefined)),
          errorSays(EXPECTED_JSON_TEXT, 'quirk'),
        ]),
]);
const OK200: Expectation = [status(200)];

/**
 * 307 to the matching /api/access URL, query dropped; no check of credentials. The Location is absolute
 * where Werkzeug corrected it (before 2.1: OctoPrint 1.4–1.5 for certain, 1.6–1.8 on the Werkzeug they
 * pinned, not established here), the path alone from 1.9 on.
 */
function redirectsTo(location: string): Expectation {
  const path = location.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const tail = new RegExp(`${path}$`);
  const exact = header('location', location, 'quirk');
  const absolute = header('location', new RegExp(`^https?://[^/]+${path}$`), 'quirk');
  const either = header('location', new RegExp(`^(https?://[^/]+)?${path}$`), 'quirk');
  return [
    status(307, 'should'),
    header('location', tail, 'should'),
    eraFacet(
      'quirk',
      `Location ${location} (absolute before Werkzeug 2.1)`,
      (form) => (form.notJson415 ? exact : form.jsonErrors ? either : absolute).verify,
    ),
  ];
}

export interface LegacyRoute {
  readonly verb: string;
  readonly legacy: string;
  readonly target: string;
}
export const LEGACY: readonly LegacyRoute[] = [
  { verb: 'GET', legacy: '/api/users', target: '/api/access/users' },
  { verb: 'POST', legacy: '/api/users', target: '/api/access/users' },
  { verb: 'GET', legacy: `/api/users/${NO_SUCH_USER}`, target: `/api/access/users/${NO_SUCH_USER}` },
  { verb: 'PUT', legacy: `/api/users/${NO_SUCH_USER}`, target: `/api/access/users/${NO_SUCH_USER}` },
  { verb: 'DELETE', legacy: `/api/users/${NO_SUCH_USER}`, target: `/api/access/users/${NO_SUCH_USER}` },
  { verb: 'PUT', legacy: `/api/users/${NO_SUCH_USER}/password`, target: `/api/access/users/${NO_SUCH_USER}/password` },
  { verb: 'GET', legacy: `/api/users/${NO_SUCH_USER}/settings`, target: `/api/access/users/${NO_SUCH_USER}/settings` },
  {
    verb: 'PATCH',
    legacy: `/api/users/${NO_SUCH_USER}/settings`,
    target: `/api/access/users/${NO_SUCH_USER}/settings`,
  },
  { verb: 'POST', legacy: `/api/users/${NO_SUCH_USER}/apikey`, target: `/api/access/users/${NO_SUCH_USER}/apikey` },
  { verb: 'DELETE', legacy: `/api/users/${NO_SUCH_USER}/apikey`, target: `/api/access/users/${NO_SUCH_USER}/apikey` },
];

const legacyCases: EnvelopeCase[] = LEGACY.map((r) => {
  const write = r.verb !== 'GET';
  const slug = `${r.verb.toLowerCase()}-${
    r.legacy
      .replace(/^\/api\/users\/?/, '')
      .replace(NO_SUCH_USER, 'name')
      .replace(/\//g, '-') || 'list'
  }`;
  return {
    id: `legacy-${slug}`,
    says: `${r.verb} ${r.legacy.replace(NO_SUCH_USER, '<name>')} answers 307 to ${r.target.replace(NO_SUCH_USER, '<name>')}${write ? ' (with an API key, so CSRF passes)' : ', even without credentials'}`,
    see: S44,
    level: 'should',
    ...(write ? { as: 'admin' } : {}),
    request: write ? json(r.verb, r.legacy, '{}') : get(r.legacy),
    expect: redirectsTo(r.target),
  };
});

export const envelopeCases: readonly EnvelopeCase[] = [
  // Transport and framing.
  {
    id: 'response-json',
    says: 'replies are JSON with Content-Type application/json',
    see: S1,
    level: 'must',
    request: get('/api/access/permissions'),
    expect: [status(200), contentType(/^application\/json\b/, 'must')],
  },
  {
    id: 'sorted-keys',
    says: 'object keys come sorted, as Flask writes them',
    see: S1,
    level: 'quirk',
    as: 'admin',
    request: get('/api/access/users'),
    expect: [status(200), keysSorted('quirk')],
  },
  {
    id: 'head',
    says: 'HEAD on a GET route answers 200 without a body',
    see: S1,
    level: 'quirk',
    request: { verb: 'HEAD', path: '/api/access/permissions' },
    expect: [status(200, 'quirk')],
  },
  // Where the key may travel (§2.1).
  {
    id: 'key-in-query',
    says: 'the key may travel as the apikey query parameter',
    see: S21,
    level: 'must',
    as: 'admin',
    request: get('/api/access/users', { auth: 'query' }),
    expect: OK200,
  },
  {
    id: 'key-as-bearer',
    says: 'the key may travel as Authorization: Bearer (1.5+)',
    see: S21,
    level: 'should',
    as: 'admin',
    request: get('/api/access/users', { auth: 'bearer' }),
    // get_api_key reads Authorization: Bearer from 1.5 on; 1.4's request is anonymous, and refused.
    expect: perEra((form): Expectation =>
      form.bearerKeys
        ? [status(200, 'should')]
        : [statusIn([200, 403], 'should', 'answered, or refused as anonymous (1.4)'), status(403, 'quirk')],
    ),
  },
  {
    id: 'empty-key',
    says: 'an empty X-Api-Key counts as no key: 403',
    see: S21,
    level: 'must',
    request: get('/api/access/users', { headers: { 'x-api-key': '' } }),
    expect: FORBIDDEN,
  },
  {
    id: 'query-key-first',
    says: 'the apikey query parameter is taken before the header: a bad one there makes the request anonymous',
    see: S21,
    level: 'quirk',
    as: 'admin',
    request: get(`/api/access/users?apikey=${keyThatMatchesNothing()}`),
    expect: [status(403, 'quirk')],
  },
  {
    id: 'key-in-body-ignored',
    says: 'an apikey inside a JSON body is not read: the write is anonymous and fails the CSRF check',
    see: S21,
    level: 'quirk',
    request: json(
      'POST',
      '/api/access/groups',
      JSON.stringify({ apikey: keyThatMatchesNothing(), key: 'x', name: 'x', permissions: [], subgroups: [] }),
    ),
    expect: atQuirk(CSRF_FAILED),
  },
  {
    id: 'anonymous-permissions',
    says: 'the permission list needs no credentials',
    see: 'octoprint.md §4.1',
    level: 'must',
    request: get('/api/access/permissions'),
    expect: OK200,
  },
  // Bodies (Flask's get_json, §1).
  {
    id: 'text-plain',
    says: 'a body sent as text/plain is refused: 415',
    see: S1,
    level: 'should',
    as: 'admin',
    request: json('POST', '/api/access/groups', '{}', 'text/plain'),
    expect: notJson,
  },
  {
    id: 'no-content-type',
    says: 'an empty body without Content-Type is refused: 415',
    see: S1,
    level: 'quirk',
    as: 'admin',
    request: json('POST', '/api/access/users', '', null),
    // 1.6–1.8 test the header themselves (400); the exact text for a missing header is not established there.
    expect: perEra((form): Expectation =>
      form.notJsonEither
        ? eitherOf('415 (Werkzeug 2.3+) or a plain 400 (Werkzeug 2.2)', FLASK_415, WERKZEUG_22_NOT_JSON)
        : form.notJson415
          ? FLASK_415
          : [status(400, 'quirk')],
    ),
  },
  {
    id: 'malformed-json',
    says: 'malformed JSON gives 400 ("Failed to decode JSON object: …" in debug mode)',
    see: S1,
    level: 'must',
    as: 'admin',
    request: json('POST', '/api/access/groups', '{"key":'),
    expect: [status(400), ...badJsonText()],
  },
  {
    id: 'empty-json-body',
    says: 'an empty body sent as JSON gives 400',
    see: S1,
    level: 'quirk',
    as: 'admin',
    request: json('POST', '/api/access/groups', ''),
    expect: [status(400, 'quirk'), ...badJsonText('Expecting value: line 1 column 1 (char 0)')],
  },
  {
    id: 'null-body',
    says: 'the body null makes the handler fail: 500',
    see: S1,
    level: 'quirk',
    as: 'admin',
    request: json('POST', '/api/access/users', 'null'),
    expect: crashes('a null body'),
  },
  {
    id: 'array-body',
    says: 'a JSON array body passes the "in" tests of the handler as a list: 400 "key is missing"',
    see: 'octoprint.md §4.2',
    level: 'quirk',
    as: 'admin',
    request: json('POST', '/api/access/groups', '[]'),
    expect: fails(400, 'key is missing', 'quirk'),
  },
  {
    id: 'charset-accepted',
    says: 'application/json; charset=UTF-8 (what the JS client sends) is JSON: the unknown group gives 404',
    see: 'octoprint.md §5.1',
    level: 'must',
    as: 'admin',
    request: json('PUT', `/api/access/groups/${NO_SUCH_GROUP}`, '{}', 'application/json; charset=UTF-8'),
    expect: fails(404),
  },
  {
    id: 'plus-json-accepted',
    says: 'any application/*+json is JSON to Flask',
    see: S1,
    level: 'quirk',
    as: 'admin',
    request: json('PUT', `/api/access/groups/${NO_SUCH_GROUP}`, '{}', 'application/merge-patch+json'),
    expect: [status(404, 'quirk')],
  },
  {
    id: 'group-body-before-existence',
    says: 'PUT on an unknown group reads the body first: malformed JSON gives 400, not 404',
    see: 'octoprint.md §4.2',
    level: 'quirk',
    as: 'admin',
    request: json('PUT', `/api/access/groups/${NO_SUCH_GROUP}`, '{'),
    expect: [status(400, 'quirk')],
  },
  {
    id: 'user-existence-before-body',
    says: 'PUT on an unknown user checks existence first: malformed JSON gives 404',
    see: 'octoprint.md §4.3',
    level: 'quirk',
    as: 'admin',
    request: json('PUT', `/api/access/users/${NO_SUCH_USER}`, '{'),
    expect: [status(404, 'quirk')],
  },
  {
    id: 'deep-nesting',
    says: 'JSON nested 2000 deep gets an answer (OctoPrint: 500, Python runs out of recursion)',
    see: S1,
    level: 'should',
    as: 'admin',
    request: json('POST', '/api/access/groups', `${'['.repeat(2000)}${']'.repeat(2000)}`),
    expect: [
      facet('should', 'an HTTP answer', (o) =>
        o.transport === 'http' ? null : o.transport === 'none' ? o.error : 'not HTTP',
      ),
      status(500, 'quirk'),
    ],
  },
  // Routing.
  {
    id: 'unknown-route',
    says: 'an unknown path under /api gives 404',
    see: S1,
    level: 'must',
    as: 'admin',
    request: get('/api/access/accordnothing'),
    expect: fails(404),
  },
  {
    id: 'method-not-allowed',
    // Werkzeug's 405 carries Allow, but OctoPrint's API error handler (1.6+) answers with a fresh
    // make_response(jsonify(error=...)), which drops it: 1.11.8 sends no Allow (seen on the real server).
    says: 'DELETE on the permission list gives 405, as JSON, without the Allow header Werkzeug had set',
    see: S1,
    level: 'should',
    as: 'admin',
    request: { verb: 'DELETE', path: '/api/access/permissions' },
    // 1.4–1.5 have no JSON error handler: Werkzeug's own 405 page, which keeps Allow.
    expect: perEra((form): Expectation => [
      status(405, 'should'),
      form.jsonErrors ? noHeader('allow', 'quirk') : header('allow', /DELETE|GET/, 'quirk'),
      errorSays(WERKZEUG_TEXT[405] as string, 'quirk'),
    ]),
  },
  // Tornado serves GET HEAD POST DELETE PATCH PUT OPTIONS; any other verb gets its HTML page before Flask
  // runs (seen on a real 1.11.8; CONNECT too, which a node client cannot send as a plain request).
  ...(['TRACE', 'FOO'] as const).map((verb): EnvelopeCase => ({
    id: `verb-${verb.toLowerCase()}`,
    says: `${verb} is refused by Tornado with its own HTML 405 page, without Allow`,
    see: S1,
    level: 'should',
    as: 'admin',
    request: { verb, path: '/api/access/permissions' },
    expect: [
      status(405, 'should'),
      contentType(/^text\/html; charset=UTF-8$/, 'quirk'),
      bodyText(TORNADO_405, 'quirk'),
      noHeader('allow', 'quirk'),
    ],
  })),
  {
    id: 'trailing-slash',
    says: 'a trailing slash names no route: 404',
    see: S1,
    level: 'quirk',
    as: 'admin',
    request: get('/api/access/users/'),
    expect: [status(404, 'quirk')],
  },
  {
    id: 'slash-in-name',
    says: 'a name with an encoded slash cannot be addressed: 404 from routing',
    see: 'octoprint.md §4.3',
    level: 'quirk',
    as: 'admin',
    request: get(`/api/access/users/accord%2Fnobody`),
    expect: [status(404, 'quirk')],
  },
  // The legacy API (§4.4).
  ...legacyCases,
  {
    id: 'legacy-query-dropped',
    says: 'the redirect drops the query string (so ?apikey= does not survive it)',
    see: S44,
    level: 'quirk',
    request: get('/api/users?apikey=x&accord=1'),
    // 1.4–1.10 (derived from their code, not seen): the API's before-request key check refuses `apikey=x`
    // before the redirect handler runs.
    expect: perEra((form): Expectation =>
      form.refusesUnknownKeys
        ? [status(403, 'quirk'), errorSays(INVALID_API_KEY_TEXT, 'quirk')]
        : [status(307, 'quirk'), header('location', '/api/access/users', 'quirk')],
    ),
  },
  {
    id: 'legacy-write-anonymous',
    says: 'a legacy write without an API key fails the CSRF check before it is redirected (1.8.3+)',
    see: 'octoprint.md §2.2, §4.4',
    level: 'quirk',
    request: json('POST', '/api/users', '{}'),
    // Before 1.8.3 there is no CSRF check and the redirect itself asks for nothing (api/users.py).
    expect: perEra((form) => (form.csrf ? atQuirk(CSRF_FAILED) : atQuirk(redirectsTo('/api/access/users')))),
  },
  {
    id: 'legacy-redirect-page',
    says: 'the redirect body is Werkzeug\'s HTML "Redirecting..." page',
    see: S44,
    level: 'quirk',
    request: get('/api/users'),
    expect: [contentType(/^text\/html/, 'quirk'), bodyIncludes('<title>Redirecting...</title>', 'quirk')],
  },
];
