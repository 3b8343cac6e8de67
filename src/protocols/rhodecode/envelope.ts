import { facet, type Expectation } from '../../spec/expectation.js';
import type { Level } from '../../spec/levels.js';
import type { EnvelopeCase } from '../../spec/protocol.js';
import { bodyIs, envelope, errorIs, errorMatches, failed, idIs, status, succeeded } from '../../wire/rhodecode.js';
import { refusal } from './access.js';
import { ENDPOINT, type RhodeCodeRawRequest } from './binding.js';
import { identities } from './identities.js';
import { methods } from './methods/index.js';

/** Hand-written requests: transport, JSON, envelope keys and their order, unknown methods, tokens, ids (rhodecode.md §1). */
const S1 = 'rhodecode.md §1';
const S11 = 'rhodecode.md §1.1';

const post = (
  envelopeBody: Record<string, unknown>,
  tokenKey: RhodeCodeRawRequest['tokenKey'] = 'auth_token',
): RhodeCodeRawRequest => ({
  verb: 'POST',
  path: ENDPOINT,
  headers: { 'content-type': 'application/json' },
  envelope: envelopeBody,
  tokenKey,
});
const raw = (
  verb: string,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): RhodeCodeRawRequest => ({ verb, path: ENDPOINT, headers, body });
const call = (method: string, extra: Record<string, unknown> = {}) => ({ id: 7, method, args: {}, ...extra });

const answered = (id: unknown, level: Level = 'must'): Expectation => [
  status(200, level),
  envelope(level),
  idIs(id, level),
  succeeded(level),
];
const refusedWith = (error: string, id: unknown, level: Level = 'quirk'): Expectation => [
  status(200),
  failed('must'),
  errorIs(error, level),
  idIs(id, level),
];
const noCrash = facet('should', 'an HTTP answer below 500', (o) =>
  o.transport === 'http' ? (o.status < 500 ? null : `got HTTP ${o.status}`) : o.transport === 'none' ? o.error : null,
);
const html500: Expectation = [
  status(500, 'quirk'),
  facet('quirk', 'an HTML error page', (o) =>
    o.transport === 'http' && /html/.test(o.headers['content-type'] ?? '') ? null : 'not HTML',
  ),
];

/** Every declared method containing "revoke" must be among the similar ones; every listed one must contain a part. */
const revokeNames = methods.map((m) => m.name).filter((n) => n.includes('revoke'));
const similarRule = errorMatches(
  /^No such method: revoke_accordx\. Similar methods: (.+)$/,
  'similar methods: the registered names matching *revoke* or *accordx*',
  'quirk',
);

export const envelopeCases: readonly EnvelopeCase[] = [
  // Transport (§1.1 step 1): errors before the JSON is read carry id null.
  {
    id: 'get-with-body',
    says: 'GET with a body works like POST',
    see: S1,
    level: 'quirk',
    as: 'super-admin',
    request: { ...post(call('get_user_groups')), verb: 'GET' },
    expect: answered(7, 'quirk'),
  },
  {
    id: 'put',
    says: 'PUT is refused: unsupported request method "PUT". Please use POST',
    see: S11,
    level: 'quirk',
    as: 'super-admin',
    request: { ...post(call('get_user_groups')), verb: 'PUT' },
    expect: refusedWith('unsupported request method "PUT". Please use POST', null),
  },
  {
    id: 'get-without-body',
    says: 'a GET without a body: "Empty body, No Content-Length in request"',
    see: S11,
    level: 'quirk',
    as: 'super-admin',
    request: raw('GET', '', {}),
    expect: refusedWith('Empty body, No Content-Length in request', null),
  },
  {
    id: 'empty-body',
    says: 'an empty POST body is a JSON parse error',
    see: S11,
    level: 'quirk',
    as: 'super-admin',
    request: raw('POST', ''),
    expect: [
      status(200),
      failed('must'),
      errorMatches(/^JSON parse error ERR:/, 'error starts "JSON parse error ERR:"', 'quirk'),
      idIs(null, 'quirk'),
    ],
  },
  {
    id: 'bad-json',
    says: 'malformed JSON: "JSON parse error ERR:<message> RAW:<body>", id null',
    see: S11,
    level: 'must',
    as: 'super-admin',
    request: raw('POST', '{"id": 1,'),
    expect: [
      status(200),
      failed('must'),
      errorMatches(/^JSON parse error ERR:.* RAW:/s, 'error "JSON parse error ERR:… RAW:…"', 'quirk'),
      idIs(null, 'quirk'),
    ],
  },
  {
    id: 'json-list',
    says: 'a JSON list never reaches JSON-RPC: the HTML 500 page',
    see: S1,
    level: 'quirk',
    as: 'super-admin',
    request: raw('POST', '[]'),
    expect: html500,
  },
  {
    id: 'json-string',
    says: 'a JSON string: the HTML 500 page',
    see: S1,
    level: 'quirk',
    as: 'super-admin',
    request: raw('POST', '"x"'),
    expect: html500,
  },
  {
    id: 'content-type-ignored',
    says: 'the request Content-Type is not checked (the docs send text/plain)',
    see: S1,
    level: 'must',
    as: 'super-admin',
    request: { ...post(call('get_user_groups')), headers: { 'content-type': 'text/plain' } },
    expect: answered(7),
  },
  // Envelope keys, token first.
  {
    id: 'no-token',
    says: 'no token: "Incorrect JSON data. Missing \'api_key or auth_token\'", id echoed',
    see: S11,
    level: 'quirk',
    request: post(call('get_user_groups'), null),
    expect: refusedWith("Incorrect JSON data. Missing 'api_key or auth_token'", 7),
  },
  {
    id: 'empty-token',
    says: 'an empty token counts as none',
    see: S11,
    level: 'quirk',
    request: post({ ...call('get_user_groups'), auth_token: '' }, null),
    expect: refusedWith("Incorrect JSON data. Missing 'api_key or auth_token'", 7),
  },
  {
    id: 'token-checked-first',
    says: 'the token is checked before id, method and args',
    see: S11,
    level: 'quirk',
    request: post({ method: 'get_user_groups' }, null),
    expect: refusedWith("Incorrect JSON data. Missing 'api_key or auth_token'", null),
  },
  {
    id: 'no-id',
    says: 'no id: "Incorrect JSON data. Missing \'id\'"',
    see: S11,
    level: 'quirk',
    as: 'super-admin',
    request: post({ method: 'get_user_groups', args: {} }),
    expect: refusedWith("Incorrect JSON data. Missing 'id'", null),
  },
  {
    id: 'no-method',
    says: 'no method: "Incorrect JSON data. Missing \'method\'"',
    see: S11,
    level: 'quirk',
    as: 'super-admin',
    request: post({ id: 7, args: {} }),
    expect: refusedWith("Incorrect JSON data. Missing 'method'", 7),
  },
  {
    id: 'no-args',
    says: 'no args: "Incorrect JSON data. Missing \'args\'"',
    see: S11,
    level: 'quirk',
    as: 'super-admin',
    request: post({ id: 7, method: 'get_user_groups' }),
    expect: refusedWith("Incorrect JSON data. Missing 'args'", 7),
  },
  {
    id: 'args-null',
    says: 'args null is taken as no arguments',
    see: S1,
    level: 'quirk',
    as: 'super-admin',
    request: post(call('get_user_groups', { args: null })),
    expect: answered(7, 'quirk'),
  },
  {
    id: 'args-number',
    says: 'args 1 is taken as no arguments',
    see: S1,
    level: 'quirk',
    as: 'super-admin',
    request: post(call('get_user_groups', { args: 1 })),
    expect: answered(7, 'quirk'),
  },
  // Method lookup, before authentication.
  {
    id: 'unknown-method',
    says: 'an unknown method: "No such method: not_existing. Similar methods: none"',
    see: S11,
    level: 'must',
    as: 'super-admin',
    request: post(call('not_existing')),
    expect: [
      status(200),
      failed('must'),
      errorMatches(
        /^No such method: not_existing/,
        'error starts "No such method: not_existing" (4.3 and 4.27 alike)',
        'should',
      ),
      errorIs('No such method: not_existing. Similar methods: none', 'quirk', (got) =>
        got === 'No such method: not_existing'
          ? 'that is RhodeCode 4.3\'s form; since 4.7 the error goes on ". Similar methods: <names|none>" (rhodecode.md §5.8)'
          : undefined,
      ),
      idIs(7),
    ],
  },
  {
    id: 'unknown-method-before-auth',
    says: 'an unknown method is reported whatever the token (lookup comes before authentication)',
    see: S11,
    level: 'quirk',
    as: 'bad-token',
    request: post(call('not_existing')),
    expect: refusedWith('No such method: not_existing. Similar methods: none', 7),
  },
  {
    id: 'similar-methods',
    says: 'similar methods follow the glob *<part>* for each _-separated part',
    see: S11,
    level: 'quirk',
    as: 'super-admin',
    request: post(call('revoke_accordx')),
    expect: [
      status(200),
      similarRule,
      errorMatches(
        new RegExp(
          `^No such method: revoke_accordx\\. Similar methods: (?=.*\\b${revokeNames.join('\\b)(?=.*\\b')}\\b)`,
        ),
        `the list names ${revokeNames.join(', ')}`,
        'quirk',
      ),
      errorMatches(
        /^No such method: revoke_accordx\. Similar methods: ([a-z_]*(revoke|accordx)[a-z_]*)(, [a-z_]*(revoke|accordx)[a-z_]*)*$/,
        'every name listed contains "revoke" or "accordx"',
        'quirk',
      ),
    ],
  },
  // find_methods matches each part with fnmatch: `re?oke` is a glob (rhodecode/api/__init__.py).
  {
    id: 'similar-methods-glob',
    says: 'each part is a glob: "re?oke" finds the revoke methods',
    see: S11,
    level: 'quirk',
    as: 'super-admin',
    request: post(call('accordx_re?oke')),
    expect: [
      status(200),
      errorMatches(
        new RegExp(
          `^No such method: accordx_re\\?oke\\. Similar methods: (?=.*\\b${revokeNames.join('\\b)(?=.*\\b')}\\b)`,
        ),
        `the list names ${revokeNames.join(', ')}`,
        'quirk',
      ),
    ],
  },
  // Authentication.
  {
    id: 'invalid-token',
    says: 'a token that does not exist: "Invalid API KEY"',
    see: S11,
    level: 'must',
    as: 'bad-token',
    request: post(call('get_user_groups')),
    expect: [status(200), failed('must'), errorIs('Invalid API KEY', 'quirk'), idIs(7, 'quirk')],
  },
  {
    id: 'api-key-alias',
    says: 'api_key is accepted in place of auth_token',
    see: S1,
    level: 'quirk',
    as: 'super-admin',
    request: post(call('get_user_groups'), 'api_key'),
    expect: answered(7, 'quirk'),
  },
  {
    id: 'api-key-first',
    says: 'a truthy api_key wins over auth_token',
    see: S1,
    level: 'quirk',
    as: 'super-admin',
    request: post({ ...call('get_user_groups'), auth_token: 'accord-not-a-token' }, 'api_key'),
    expect: answered(7, 'quirk'),
  },
  {
    id: 'empty-api-key-falls-back',
    says: 'an empty api_key falls back to auth_token',
    see: S1,
    level: 'quirk',
    as: 'super-admin',
    request: post({ ...call('get_user_groups'), api_key: '' }),
    expect: answered(7, 'quirk'),
  },
  {
    id: 'missing-argument-after-auth',
    says: 'a missing argument is reported only after authentication',
    see: S11,
    level: 'quirk',
    as: 'bad-token',
    request: post(call('get_user_group')),
    expect: refusedWith('Invalid API KEY', 7),
  },
  // Ids and the reply body.
  {
    id: 'string-id',
    says: 'a string id is echoed',
    see: S1,
    level: 'must',
    as: 'super-admin',
    request: post(call('get_user_groups', { id: 'abc' })),
    expect: answered('abc'),
  },
  {
    id: 'object-id',
    says: 'an object id is echoed as sent',
    see: S1,
    level: 'quirk',
    as: 'super-admin',
    request: post(call('get_user_groups', { id: { a: 1 } })),
    expect: answered({ a: 1 }, 'quirk'),
  },
  {
    id: 'zero-id-success',
    says: 'a success with id 0 is the bare JSON string "" (no envelope)',
    see: S1,
    level: 'quirk',
    as: 'super-admin',
    request: post(call('get_user_groups', { id: 0 })),
    expect: [status(200, 'quirk'), bodyIs('""', 'the body ""', 'quirk')],
  },
  {
    id: 'null-id-success',
    says: 'a success with id null is the bare JSON string ""',
    see: S1,
    level: 'quirk',
    as: 'super-admin',
    request: post(call('get_user_groups', { id: null })),
    expect: [status(200, 'quirk'), bodyIs('""', 'the body ""', 'quirk')],
  },
  {
    id: 'zero-id-error',
    says: 'an error with id 0 keeps the envelope and id 0',
    see: S1,
    level: 'quirk',
    as: 'super-admin',
    request: post(call('get_user_group', { id: 0, args: { usergroupid: 1999999999 } })),
    expect: refusedWith('user group `1999999999` does not exist', 0),
  },
  {
    id: 'content-type',
    says: 'replies are application/json',
    see: S1,
    level: 'must',
    as: 'super-admin',
    request: post(call('get_user_groups')),
    expect: [
      facet('must', 'Content-Type application/json', (o) =>
        o.transport === 'http' && /^application\/json/.test(o.headers['content-type'] ?? '')
          ? null
          : `got ${o.transport === 'http' ? o.headers['content-type'] : o.transport}`,
      ),
    ],
  },
  {
    id: 'pretty-printed',
    says: 'the body is indented with 4 spaces',
    see: S1,
    level: 'quirk',
    as: 'super-admin',
    request: post(call('get_user_groups')),
    expect: [
      facet('quirk', 'indented with 4 spaces', (o) =>
        o.transport === 'http' && /\n {4}"/.test(o.text) ? null : 'not indented',
      ),
    ],
  },
  {
    id: 'non-ascii-escaped',
    says: 'non-ASCII text is sent as \\u escapes',
    see: S1,
    level: 'quirk',
    as: 'super-admin',
    request: post(call('get_user', { args: { userid: 'accord_ünknown' } })),
    expect: [
      ...refusal('user `accord_ünknown` does not exist'),
      facet('quirk', 'ü written as \\u00fc', (o) =>
        o.transport === 'http' && o.text.includes('\\u00fc') ? null : 'not escaped',
      ),
    ],
  },
  {
    id: 'deep-nesting',
    says: 'deeply nested args do not crash the server',
    see: S1,
    level: 'should',
    as: 'super-admin',
    request: post(call('get_user', { args: { userid: JSON.parse('['.repeat(200) + ']'.repeat(200)) } })),
    expect: [noCrash],
  },
];

// The identities referenced above exist (a typo would make a case silently anonymous).
for (const c of envelopeCases)
  if (c.as && !identities.some((i) => i.id === c.as)) throw new Error(`envelope case ${c.id}: no identity ${c.as}`);
