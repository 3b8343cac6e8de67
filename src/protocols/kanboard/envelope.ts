import type { RawHttpRequest } from '../../spec/codec.js';
import { facet, type Expectation } from '../../spec/expectation.js';
import type { Level } from '../../spec/levels.js';
import type { EnvelopeCase } from '../../spec/protocol.js';
import {
  batchReply,
  emptyBody,
  envelope,
  errorCode,
  replyOf,
  errorIs,
  idIs,
  resultSatisfies,
  rpcError,
  status,
} from '../../wire/jsonrpc2.js';
import { show } from '../../spec/show.js';
import { parseBasicAuthorization } from '../../wire/http.js';
import { FORBIDDEN, UNAUTHORIZED } from './access.js';
import { ENDPOINT } from './binding.js';
import { perDatabase } from './records.js';

/**
 * Hand-written requests for the envelope suite: bad JSON, bad envelopes, unknown methods, notifications,
 * batches, credentials in the wrong place (kanboard.md §1, §3, §5).
 */
const post = (body: string, headers: Record<string, string> = {}): RawHttpRequest => ({
  verb: 'POST',
  path: ENDPOINT,
  headers: { 'content-type': 'application/json', ...headers },
  body,
});
const call = (method: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ jsonrpc: '2.0', method, id: 7, ...extra });

const S1 = 'kanboard.md §1';
const S3 = 'kanboard.md §3';
const S5 = 'kanboard.md §5';

/** A successful reply with an id (the procedure ran). */
const answered = (id: unknown, level: Level = 'must'): Expectation => [
  status(200, level),
  envelope(level),
  idIs(id, level),
  resultSatisfies(level, 'a result', () => null),
];

/** Batch members, in order: each either `{ error: code }` or `{ id }` of a result. */
function batchOf(level: Level, members: readonly ({ error: number } | { id: unknown })[]): Expectation {
  const says = `a batch reply of ${members.length}: ${members.map((m) => ('error' in m ? `error ${m.error}` : `result id ${show(m.id)}`)).join(', ')}`;
  return [
    status(200, level),
    batchReply(level, says, (got) => {
      if (got.length !== members.length) return `got ${got.length} members: ${show(got)}`;
      for (const [i, m] of members.entries()) {
        const g = got[i] as { error?: { code?: unknown }; result?: unknown; id?: unknown };
        if (
          'error' in m
            ? g?.error?.code !== m.error
            : !('result' in (g ?? {})) || JSON.stringify(g.id) !== JSON.stringify(m.id)
        )
          return `member ${i}: got ${show(g)}`;
      }
      return null;
    }),
  ];
}

const noCrash = facet('should', 'an HTTP answer below 500', (o) =>
  o.transport === 'http' ? (o.status < 500 ? null : `got HTTP ${o.status}`) : o.transport === 'none' ? o.error : null,
);

export const envelopeCases: readonly EnvelopeCase[] = [
  // Parse errors come before authentication: no credentials still gets HTTP 200.
  {
    id: 'bad-json',
    says: 'malformed JSON gives -32700 with id null',
    see: S3,
    level: 'must',
    as: 'app-admin',
    request: post('{"jsonrpc":'),
    expect: rpcError(-32700, 'Parse error', { id: null }),
  },
  {
    id: 'bad-json-anonymous',
    says: 'malformed JSON is answered before authentication',
    see: S3,
    level: 'quirk',
    request: post('{"jsonrpc":'),
    expect: rpcError(-32700, 'Parse error', { id: null, level: 'quirk' }),
  },
  {
    id: 'empty-body',
    says: 'a GET with no body gives -32700',
    see: S1,
    level: 'quirk',
    as: 'app-admin',
    request: { verb: 'GET', path: ENDPOINT },
    expect: rpcError(-32700, 'Parse error', { id: null, level: 'quirk' }),
  },
  {
    id: 'scalar-body',
    says: 'a JSON scalar gives -32700',
    see: S3,
    level: 'quirk',
    as: 'app-admin',
    request: post('42'),
    expect: rpcError(-32700, 'Parse error', { id: null, level: 'quirk' }),
  },
  {
    id: 'null-body',
    says: 'the JSON literal null gives -32700',
    see: S3,
    level: 'quirk',
    as: 'app-admin',
    request: post('null'),
    expect: rpcError(-32700, 'Parse error', { id: null, level: 'quirk' }),
  },
  // Envelope checks, also before authentication.
  {
    id: 'empty-object',
    says: '{} gives -32600 with id null',
    see: S3,
    level: 'must',
    as: 'app-admin',
    request: post('{}'),
    expect: rpcError(-32600, 'Invalid Request', { id: null }),
  },
  {
    id: 'empty-array',
    says: '[] gives -32600 (an empty batch)',
    see: S3,
    level: 'must',
    as: 'app-admin',
    request: post('[]'),
    expect: rpcError(-32600, 'Invalid Request', { id: null }),
  },
  {
    id: 'no-jsonrpc',
    says: 'a request without "jsonrpc" gives -32600',
    see: S3,
    level: 'must',
    as: 'app-admin',
    request: post('{"method":"getAllGroups","id":1}'),
    expect: rpcError(-32600, 'Invalid Request', { id: null }),
  },
  {
    id: 'wrong-version',
    says: '"jsonrpc": "1.0" gives -32600',
    see: S3,
    level: 'must',
    as: 'app-admin',
    request: post('{"jsonrpc":"1.0","method":"getAllGroups","id":1}'),
    expect: rpcError(-32600, 'Invalid Request', { id: null }),
  },
  {
    id: 'method-not-string',
    says: 'a method that is not a string gives -32600',
    see: S3,
    level: 'must',
    as: 'app-admin',
    request: post('{"jsonrpc":"2.0","method":42,"id":1}'),
    expect: rpcError(-32600, 'Invalid Request', { id: null }),
  },
  {
    id: 'params-scalar',
    says: 'params that are a string give -32600',
    see: S3,
    level: 'must',
    as: 'app-admin',
    request: post('{"jsonrpc":"2.0","method":"getAllGroups","params":"x","id":1}'),
    expect: rpcError(-32600, 'Invalid Request', { id: null }),
  },
  {
    id: 'invalid-before-auth',
    says: 'an invalid envelope is answered before authentication',
    see: S3,
    level: 'quirk',
    request: post('{}'),
    expect: rpcError(-32600, 'Invalid Request', { id: null, level: 'quirk' }),
  },
  // Authentication.
  {
    id: 'no-credentials',
    says: 'no credentials give 401',
    see: 'kanboard.md §2',
    level: 'must',
    request: post(call('getAllGroups')),
    expect: UNAUTHORIZED,
  },
  // The real application token, where Kanboard does not look for it: a server that does must fail these.
  {
    id: 'bearer',
    says: 'the application token as a Bearer token is not accepted: 401',
    see: 'kanboard.md §2',
    level: 'must',
    as: 'app-api',
    request: {
      ...post(call('getAllGroups')),
      credentialsAs: (own: Readonly<Record<string, string>>) => ({
        authorization: `Bearer ${parseBasicAuthorization(own['authorization'])?.password ?? ''}`,
      }),
    },
    expect: UNAUTHORIZED,
  },
  {
    id: 'app-user-exact-case',
    says: 'the application user is "jsonrpc" exactly: JSONRPC with the right token gives 401',
    see: 'kanboard.md §2',
    level: 'must',
    as: 'app-api',
    request: {
      ...post(call('getAllGroups')),
      credentialsAs: (own: Readonly<Record<string, string>>) => ({
        authorization: `Basic ${Buffer.from(`JSONRPC:${parseBasicAuthorization(own['authorization'])?.password ?? ''}`).toString('base64')}`,
      }),
    },
    expect: UNAUTHORIZED,
  },
  {
    id: 'malformed-basic',
    says: 'a malformed Basic header gives 401',
    see: 'kanboard.md §2',
    level: 'must',
    request: post(call('getAllGroups'), { authorization: 'Basic %%%' }),
    expect: UNAUTHORIZED,
  },
  {
    id: 'custom-header-ignored',
    says: 'X-API-Auth is ignored unless configured: 401',
    see: 'kanboard.md §2',
    level: 'quirk',
    as: 'app-api',
    request: {
      ...post(call('getAllGroups')),
      credentialsAs: (own: Readonly<Record<string, string>>) => ({
        'x-api-auth': (own['authorization'] ?? '').replace(/^Basic /, ''),
      }),
    },
    expect: [status(401, 'quirk')],
  },
  {
    id: 'unknown-method-anonymous',
    says: 'authentication comes before method lookup: 401',
    see: S3,
    level: 'must',
    request: post(call('accordNoSuchProcedure')),
    expect: UNAUTHORIZED,
  },
  // Method lookup.
  {
    id: 'unknown-method',
    says: 'an unknown method gives -32601 and echoes the id',
    see: S3,
    level: 'must',
    as: 'app-admin',
    request: post(call('accordNoSuchProcedure')),
    expect: rpcError(-32601, 'Method not found', { id: 7 }),
  },
  {
    id: 'case-insensitive',
    says: 'method names match case-insensitively',
    see: S3,
    level: 'quirk',
    as: 'app-admin',
    request: post(call('GETALLGROUPS')),
    expect: answered(7, 'quirk'),
  },
  {
    id: 'internal-method',
    says: 'internal methods of procedure classes can be called (getClassName answers "MeProcedure"; PHP before 8.1: an error)',
    see: S3,
    level: 'quirk',
    as: 'app-api',
    request: post(call('getClassName')),
    // BaseProcedure::getClassName is protected: ReflectionMethod invokes it from PHP 8.1 on; before, it throws
    // ReflectionException "Trying to invoke protected method …", error code 0 (variants.ts phpBefore81).
    expect: perDatabase((db) =>
      db.phpBefore81
        ? [
            status(200, 'quirk'),
            errorCode(0, 'quirk'),
            facet('quirk', 'message "Trying to invoke protected method …getClassName()…"', (o) => {
              const r = replyOf(o);
              if (!r.ok) return r.why;
              const m = (r.reply['error'] as { message?: unknown } | undefined)?.message;
              return typeof m === 'string' && /protected method .*getClassName\(\)/.test(m) ? null : `got ${show(m)}`;
            }),
          ]
        : [
            status(200, 'quirk'),
            resultSatisfies('quirk', 'result "MeProcedure"', (r) => (r === 'MeProcedure' ? null : `got ${show(r)}`)),
          ],
    ),
  },
  // Authorization after lookup, before parameters.
  {
    id: 'forbidden-before-params',
    says: 'a forbidden call with bad params gets 403, not -32602',
    see: S3,
    level: 'must',
    as: 'app-user',
    request: post(call('createUser', { params: {} })),
    expect: FORBIDDEN,
  },
  {
    id: 'app-token-get-me',
    says: 'getMe with the application API gives 403',
    see: 'kanboard.md §4',
    level: 'must',
    as: 'app-api',
    request: post(call('getMe')),
    expect: FORBIDDEN,
  },
  // Ids and notifications.
  {
    id: 'positional-params',
    says: 'params given as a list are bound by position',
    see: S3,
    level: 'must',
    as: 'app-admin',
    request: post(call('getUser', { params: [1999999999] })),
    expect: [
      ...answered(7),
      resultSatisfies('must', 'null (no such user)', (r) => (r === null ? null : `got ${show(r)}`)),
    ],
  },
  {
    id: 'string-id',
    says: 'a string id is echoed',
    see: S5,
    level: 'must',
    as: 'app-admin',
    request: post(call('getAllGroups', { id: 'abc' })),
    expect: answered('abc'),
  },
  {
    id: 'zero-id',
    says: 'id 0 is echoed',
    see: S5,
    level: 'must',
    as: 'app-admin',
    request: post(call('getAllGroups', { id: 0 })),
    expect: answered(0),
  },
  {
    id: 'object-id',
    says: 'even an object id is echoed as sent',
    see: S5,
    level: 'quirk',
    as: 'app-admin',
    request: post(call('getAllGroups', { id: { a: 1 } })),
    expect: answered({ a: 1 }, 'quirk'),
  },
  {
    id: 'notification',
    says: 'a notification (no id) gets HTTP 200 with an empty body',
    see: S5,
    level: 'must',
    as: 'app-admin',
    request: post('{"jsonrpc":"2.0","method":"getAllGroups"}'),
    expect: [status(200), emptyBody()],
  },
  {
    id: 'null-id-notification',
    says: 'id null is treated as a notification: empty body',
    see: S5,
    level: 'quirk',
    as: 'app-admin',
    request: post(call('getAllGroups', { id: null })),
    expect: [status(200, 'quirk'), emptyBody('quirk')],
  },
  {
    id: 'notification-unknown-method',
    says: 'a notification of an unknown method gets no reply',
    see: S5,
    level: 'must',
    as: 'app-admin',
    request: post('{"jsonrpc":"2.0","method":"accordNoSuchProcedure"}'),
    expect: [status(200), emptyBody()],
  },
  {
    id: 'notification-bad-params',
    says: 'a notification with bad params gets no reply',
    see: S5,
    level: 'must',
    as: 'app-admin',
    request: post('{"jsonrpc":"2.0","method":"getGroup","params":{}}'),
    expect: [status(200), emptyBody()],
  },
  {
    id: 'notification-unauthenticated',
    says: 'a notification without credentials still gets 401',
    see: S5,
    level: 'quirk',
    request: post('{"jsonrpc":"2.0","method":"getAllGroups"}'),
    expect: [status(401, 'quirk')],
  },
  {
    id: 'notification-forbidden',
    says: 'a forbidden notification still gets 403',
    see: S5,
    level: 'quirk',
    as: 'app-user',
    request: post('{"jsonrpc":"2.0","method":"getAllGroups"}'),
    expect: [status(403, 'quirk')],
  },
  // Batches.
  {
    id: 'batch',
    says: 'a batch of two calls gets two replies in order',
    see: S5,
    level: 'must',
    as: 'app-admin',
    request: post(`[${call('getAllGroups', { id: 1 })},${call('getAllUsers', { id: 2 })}]`),
    expect: batchOf('must', [{ id: 1 }, { id: 2 }]),
  },
  {
    id: 'batch-of-one',
    says: 'a batch of one call gets a list of one reply, not a bare reply',
    see: S5,
    level: 'must',
    as: 'app-admin',
    request: post(`[${call('getMe', { id: 4 })}]`),
    expect: batchOf('must', [{ id: 4 }]),
  },
  {
    id: 'batch-with-notification',
    says: 'notifications are left out of a batch reply',
    see: S5,
    level: 'must',
    as: 'app-admin',
    request: post(`[${call('getAllGroups', { id: 1 })},{"jsonrpc":"2.0","method":"getAllUsers"}]`),
    expect: batchOf('must', [{ id: 1 }]),
  },
  {
    id: 'batch-of-notifications',
    says: 'a batch of notifications gets an empty body',
    see: S5,
    level: 'must',
    as: 'app-admin',
    request: post('[{"jsonrpc":"2.0","method":"getAllGroups"}]'),
    expect: [status(200), emptyBody()],
  },
  {
    id: 'batch-invalid-member',
    says: 'an invalid member gets a -32600 entry, the others their replies',
    see: S5,
    level: 'must',
    as: 'app-admin',
    request: post(`[{"foo":1},${call('getAllGroups', { id: 3 })}]`),
    expect: batchOf('must', [{ error: -32600 }, { id: 3 }]),
  },
  {
    id: 'batch-scalar-member',
    says: 'a scalar member gets a -32700 entry (the spec says -32600)',
    see: S5,
    level: 'quirk',
    as: 'app-admin',
    request: post('[1]'),
    expect: batchOf('quirk', [{ error: -32700 }]),
  },
  {
    id: 'batch-nested-list',
    says: 'a nested list member gets a -32600 entry',
    see: S5,
    level: 'quirk',
    as: 'app-admin',
    request: post('[[1]]'),
    expect: batchOf('quirk', [{ error: -32600 }]),
  },
  {
    id: 'batch-forbidden-member',
    says: 'a forbidden member replaces the whole reply with 403',
    see: S5,
    level: 'quirk',
    as: 'app-user',
    request: post(
      `[${call('getProjectUsers', { id: 1, params: { project_id: 1999999999 } })},${call('getAllUsers', { id: 2 })}]`,
    ),
    expect: [status(403, 'quirk'), errorIs(403, 'Forbidden', 'quirk'), idIs(null, 'quirk')],
  },
  {
    id: 'batch-invalid-anonymous',
    says: 'a batch of invalid members without credentials gets 200 and -32600 entries (auth is never reached)',
    see: S5,
    level: 'quirk',
    request: post('[{"foo":1},{"bar":2}]'),
    expect: batchOf('quirk', [{ error: -32600 }, { error: -32600 }]),
  },
  {
    id: 'duplicate-ids',
    says: 'duplicate ids are answered twice',
    see: S5,
    level: 'quirk',
    as: 'app-admin',
    request: post(`[${call('getAllGroups', { id: 5 })},${call('getAllGroups', { id: 5 })}]`),
    expect: batchOf('quirk', [{ id: 5 }, { id: 5 }]),
  },
  // Transport.
  {
    id: 'any-verb',
    says: 'any HTTP verb with a body works: PUT',
    see: S1,
    level: 'quirk',
    as: 'app-admin',
    request: {
      verb: 'PUT',
      path: ENDPOINT,
      headers: { 'content-type': 'application/json' },
      body: call('getAllGroups'),
    },
    expect: answered(7, 'quirk'),
  },
  {
    id: 'content-type-ignored',
    says: 'the request Content-Type is ignored',
    see: S1,
    level: 'quirk',
    as: 'app-admin',
    request: post(call('getAllGroups'), { 'content-type': 'text/plain' }),
    expect: answered(7, 'quirk'),
  },
  {
    id: 'response-content-type',
    says: 'responses carry Content-Type: application/json',
    see: S1,
    level: 'must',
    as: 'app-admin',
    request: post(call('getAllGroups')),
    expect: [
      facet('must', 'Content-Type application/json', (o) =>
        o.transport === 'http' && /^application\/json/.test(o.headers['content-type'] ?? '')
          ? null
          : `got ${o.transport === 'http' ? o.headers['content-type'] : o.transport}`,
      ),
    ],
  },
  {
    id: 'key-order',
    says: 'reply keys come in the order jsonrpc, result, id',
    see: S1,
    level: 'quirk',
    as: 'app-admin',
    request: post(call('getAllGroups')),
    expect: [
      facet('quirk', 'keys jsonrpc, result, id', (o) =>
        o.transport === 'http' && /^\{"jsonrpc":"2\.0","result":.*,"id":7\}$/s.test(o.text)
          ? null
          : `got ${o.transport === 'http' ? o.text.slice(0, 60) : o.transport}`,
      ),
    ],
  },
  {
    id: 'deep-nesting',
    says: 'deeply nested params do not crash the server',
    see: S3,
    level: 'should',
    as: 'app-admin',
    request: post(call('getGroup', { params: { group_id: JSON.parse('['.repeat(500) + ']'.repeat(500)) } })),
    expect: [noCrash],
  },
  // A real Kanboard behind PHP's single-worker built-in server spends seconds of CPU reading 2 MiB (12 s seen
  // under load): the check gives it four times the call timeout, so it judges a crash, not a busy machine.
  {
    id: 'large-body',
    says: 'a 2 MiB body does not crash the server',
    see: S1,
    level: 'should',
    as: 'app-admin',
    request: { ...post(call('getGroup', { params: { group_id: 1, pad: 'x'.repeat(2 * 1024 * 1024) } })), slowness: 4 },
    expect: [noCrash],
  },
];
