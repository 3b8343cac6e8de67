import type { Expectation } from '../../spec/expectation.js';
import type { Level } from '../../spec/levels.js';
import type { EnvelopeCase } from '../../spec/protocol.js';
import { TEXT } from '../../wire/nymea.js';
import {
  closed,
  errorText,
  idIs,
  noMessage,
  rawWhere,
  repliesWhere,
  stayedOpen,
  statusIs,
} from '../../wire/nymea-facets.js';
import { show } from '../../spec/show.js';
import { keysSorted } from '../../wire/qt-json.js';
import { unauthorizedReply } from './access.js';
import { BAD_TOKEN } from './identities.js';
import type { NymeaRawRequest } from './session.js';

/**
 * Hand-written exchanges (nymea.md §1–§3): framing, the first checks of every packet with their exact
 * texts, the order of checks around the gate, and the output format. Without `as` the request goes on a
 * bare connection (no Hello yet).
 */
const S1 = 'nymea.md §1';
const S2 = 'nymea.md §2';
const S3 = 'nymea.md §3';

const ROUTER = 'nymea 1.15 transport router (../shared/real/nymea/README.md)';

const HELLO = '{"id":100,"method":"JSONRPC.Hello"}\n';
/** A Hello that fails validation: it routes the connection to JSON-RPC but does not count as the handshake. */
const HELLO_EXTRA = { id: 1, method: 'JSONRPC.Hello', params: { accord_extra: 1 } };
const AUTHENTICATE = {
  id: 20,
  method: 'JSONRPC.Authenticate',
  params: { username: 'accord-nobody', password: 'x', deviceName: 'accord' },
};
const line = (o: Record<string, unknown>) => `${JSON.stringify(o)}\n`;
const raw = (send: NymeaRawRequest['send'], options: Omit<NymeaRawRequest, 'send'> = {}): NymeaRawRequest => ({
  send,
  ...options,
});

function parseError(qtMessage: string, level: Level = 'quirk'): Expectation {
  return [
    statusIs('error', 'must'),
    errorText(/^Failed to parse JSON data: /, 'should'),
    idIs(-1, 'quirk'),
    errorText(TEXT.parseError(qtMessage), level),
  ];
}

/** A piece sent once a Hello has routed the connection (and been answered); its reply is the last one. */
const afterHello = (piece: string): NymeaRawRequest => raw([HELLO, piece], { replies: 2, lockstep: true });

/**
 * nymea 1.15's transport router closes a connection whose first message is not exactly JSONRPC.Hello (or
 * Transfer.Connect), a parse error included, without a reply. Older nymea had no router: its JSON-RPC server
 * answered that message with the error it gives after a Hello (the cases without `first-`); must holds for both.
 */
function routerCloses(): Expectation {
  return [
    repliesWhere('must', 'no success reply', (replies) =>
      replies.some((r) => r['status'] === 'success') ? `got ${show(replies)}` : null,
    ),
    closed('quirk', 'the transport router closes the connection'),
    noMessage('quirk', 'without a reply'),
  ];
}

const answered = (id: number, level: Level = 'must'): Expectation => [statusIs('success', level), idIs(id, level)];

/** The replies of one exchange, in order: `['success', 1]` or `['error', -1, text]`. */
function repliesAre(level: Level, expected: readonly (readonly [string, number, string?])[]): Expectation {
  const says = expected.map(([s, id, text]) => `${s} ${id}${text ? ` "${text}"` : ''}`).join(', ');
  return [
    repliesWhere(level, `exactly these replies: ${says}`, (replies) => {
      if (replies.length !== expected.length) return `got ${replies.length} replies: ${show(replies)}`;
      for (const [i, [status, id, text]] of expected.entries()) {
        const r = replies[i] ?? {};
        if (r['status'] !== status || r['id'] !== id || (text !== undefined && r['error'] !== text))
          return `reply ${i + 1}: got ${show(r)}`;
      }
      return null;
    }),
  ];
}

const HUGE = `{"id":10,"method":"JSONRPC.Hello","params":{"locale":"${'x'.repeat(1024 * 1024 + 1024)}`;
const DEEP = `{"id":16,"method":"JSONRPC.Hello","params":{"nested":${'['.repeat(1100)}${']'.repeat(1100)}}}\n`;

export const envelopeCases: readonly EnvelopeCase[] = [
  // The transport router (nymea 1.15): the first message of a connection must be exactly JSONRPC.Hello.
  {
    id: 'first-bad-json',
    says: 'malformed JSON as the first message: closed without a reply (the transport router)',
    see: ROUTER,
    level: 'must',
    request: raw(['{"id":1,"method":x}\n']),
    expect: routerCloses(),
  },
  {
    id: 'first-unterminated',
    says: 'a first message left open that ends in }: closed without a reply',
    see: ROUTER,
    level: 'must',
    request: raw(['{"id":1,"params":{}\n']),
    expect: routerCloses(),
  },
  {
    id: 'first-array',
    says: 'a top-level array as the first message: no method, closed without a reply',
    see: ROUTER,
    level: 'must',
    request: raw(['[{"id":8,"method":"JSONRPC.Hello"}]\n']),
    expect: routerCloses(),
  },
  {
    id: 'first-method-one-part',
    says: 'a first method without a namespace ("Hello"): closed without a reply',
    see: ROUTER,
    level: 'must',
    request: raw(['{"id":3,"method":"Hello"}\n']),
    expect: routerCloses(),
  },
  {
    id: 'first-method-three-parts',
    says: 'a first method "JSONRPC.Hello.Again" is not exactly JSONRPC.Hello: closed without a reply',
    see: ROUTER,
    level: 'must',
    request: raw(['{"id":3,"method":"JSONRPC.Hello.Again"}\n']),
    expect: routerCloses(),
  },
  {
    id: 'first-no-method',
    says: 'a first message without a method: closed without a reply',
    see: ROUTER,
    level: 'must',
    request: raw(['{"id":3}\n']),
    expect: routerCloses(),
  },
  {
    id: 'first-authenticate',
    says: 'JSONRPC.Authenticate as the first message: closed without a reply (no "Handshake required")',
    see: ROUTER,
    level: 'must',
    request: raw([line(AUTHENTICATE)]),
    expect: routerCloses(),
  },
  {
    id: 'first-non-hello',
    says: 'a first call of another namespace (Users.GetUsers, no token): closed without a reply, no lockdown reply',
    see: ROUTER,
    level: 'must',
    request: raw([line({ id: 21, method: 'Users.GetUsers' })]),
    expect: routerCloses(),
  },
  {
    id: 'first-unknown-namespace',
    says: 'a first call of an unknown namespace: closed without a reply',
    see: ROUTER,
    level: 'must',
    request: raw([line({ id: 12, method: 'Accord.Nothing' })]),
    expect: routerCloses(),
  },
  {
    id: 'first-fragment-ending-in-brace',
    says: 'a first piece that happens to end in } is parsed at once by the router: closed without a reply',
    see: ROUTER,
    level: 'quirk',
    request: raw(['{"id":7,"method":"JSONRPC.Hello","params":{"locale":"en_US"}', '}\n'], { gapMs: 300 }),
    expect: routerCloses(),
  },
  {
    id: 'first-pipelined-crlf',
    says: 'two Hellos joined by \\r\\n in the first bytes: the router splits them, both are answered',
    see: ROUTER,
    level: 'quirk',
    request: raw(['{"id":1,"method":"JSONRPC.Hello"}\r\n{"id":2,"method":"JSONRPC.Hello"}\r\n'], {
      replies: 2,
      settleMs: 150,
    }),
    expect: [
      ...repliesAre('quirk', [
        ['success', 1],
        ['success', 2],
      ]),
      stayedOpen('quirk'),
    ],
  },
  {
    id: 'transfer-connect-first',
    says: 'Transfer.Connect as the first message selects the transfer protocol: without a transfer token, "Invalid transfer token", then closed',
    see: ROUTER,
    level: 'quirk',
    request: raw(['{"id":1,"method":"Transfer.Connect"}\n'], { settleMs: 500 }),
    expect: [
      statusIs('error', 'quirk'),
      idIs(1, 'quirk'),
      errorText('Invalid transfer token', 'quirk'),
      closed('quirk'),
    ],
  },
  // §3 step 1: JSON, once a Hello has routed the connection to JSON-RPC.
  {
    id: 'bad-json',
    says: 'malformed JSON after Hello: status error, id -1, "Failed to parse JSON data: <Qt message>"',
    see: S3,
    level: 'must',
    request: afterHello('{"id":1,"method":x}\n'),
    expect: parseError('illegal number'),
  },
  {
    id: 'comma-before-brace',
    says: 'a comma before } is "object is missing after a comma"',
    see: S3,
    level: 'quirk',
    request: afterHello('{"id":1,"method":"JSONRPC.Hello",}\n'),
    expect: parseError('object is missing after a comma'),
  },
  {
    id: 'unterminated-object',
    says: 'an object left open is "unterminated object"',
    see: S3,
    level: 'quirk',
    request: afterHello('{"id":1,"params":{}\n'),
    expect: parseError('unterminated object'),
  },
  {
    id: 'too-deep',
    says: 'more than 1024 levels of nesting is "too deeply nested document"',
    see: S3,
    level: 'quirk',
    request: afterHello(DEEP),
    expect: parseError('too deeply nested document'),
  },
  {
    id: 'open-after-bad-json',
    says: 'the connection stays open after a parse error',
    see: S3,
    level: 'must',
    request: raw([HELLO, '{"id":1,"method":x}\n', HELLO], { replies: 3, lockstep: true }),
    expect: [
      ...repliesAre('must', [
        ['success', 100],
        ['error', -1],
        ['success', 100],
      ]),
      stayedOpen('must'),
    ],
  },
  // §3 steps 2–3: id and method.
  {
    id: 'missing-id',
    says: 'no id: status error, id 0, "Error parsing command. Missing \'id\'"',
    see: S3,
    level: 'must',
    request: raw(['{"method":"JSONRPC.Hello"}\n']),
    expect: [statusIs('error'), idIs(0, 'quirk'), errorText(TEXT.missingId, 'quirk')],
  },
  {
    id: 'string-id',
    says: 'an id "42" is read as the number 42',
    see: S2,
    level: 'quirk',
    request: raw(['{"id":"42","method":"JSONRPC.Hello"}\n']),
    expect: [statusIs('success', 'quirk'), idIs(42, 'quirk')],
  },
  {
    id: 'non-numeric-id',
    says: 'an id "abc" counts as missing',
    see: S3,
    level: 'quirk',
    request: raw(['{"id":"abc","method":"JSONRPC.Hello"}\n']),
    expect: [statusIs('error', 'quirk'), idIs(0, 'quirk'), errorText(TEXT.missingId, 'quirk')],
  },
  {
    id: 'method-one-part',
    says: 'a method without a namespace, after Hello: the doubled-quote error text',
    see: S3,
    level: 'must',
    request: afterHello('{"id":3,"method":"Hello"}\n'),
    expect: [statusIs('error'), idIs(3), errorText(TEXT.badMethod('Hello'), 'quirk')],
  },
  {
    id: 'method-three-parts',
    says: 'a method of three parts is refused the same way',
    see: S3,
    level: 'quirk',
    request: afterHello('{"id":3,"method":"JSONRPC.Hello.Again"}\n'),
    expect: [statusIs('error', 'quirk'), errorText(TEXT.badMethod('JSONRPC.Hello.Again'), 'quirk')],
  },
  {
    id: 'no-method',
    says: "no method: Got: '''",
    see: S3,
    level: 'quirk',
    request: afterHello('{"id":3}\n'),
    expect: [statusIs('error', 'quirk'), errorText(TEXT.badMethod(''), 'quirk')],
  },
  // §1: framing.
  {
    id: 'no-newline',
    says: 'a request without a trailing newline is processed',
    see: S1,
    level: 'must',
    request: raw(['{"id":5,"method":"JSONRPC.Hello"}']),
    expect: answered(5),
  },
  {
    id: 'trailing-blank-lines',
    says: 'extra blank lines after a request are fine',
    see: S1,
    level: 'must',
    request: raw(['{"id":9,"method":"JSONRPC.Hello"}\n\n\n']),
    expect: answered(9),
  },
  {
    id: 'pipelined',
    says: 'two requests separated by exactly one \\n get two replies, in order',
    see: S1,
    level: 'must',
    request: raw(['{"id":1,"method":"JSONRPC.Hello"}\n{"id":2,"method":"JSONRPC.Hello"}\n'], { replies: 2 }),
    expect: repliesAre('must', [
      ['success', 1],
      ['success', 2],
    ]),
  },
  {
    id: 'pipelined-crlf',
    says: 'after Hello, requests separated by \\r\\n are one document: one parse error, both lost',
    see: S1,
    level: 'quirk',
    request: raw([HELLO, '{"id":1,"method":"JSONRPC.Hello"}\r\n{"id":2,"method":"JSONRPC.Hello"}\r\n'], {
      replies: 2,
      lockstep: true,
      settleMs: 150,
    }),
    expect: repliesAre('quirk', [
      ['success', 100],
      ['error', -1, TEXT.parseError('garbage at the end of the document')],
    ]),
  },
  {
    id: 'fragmented',
    says: 'a request split in two pieces is put back together',
    see: S1,
    level: 'must',
    request: raw(['{"id":6,"method":"JSON', 'RPC.Hello"}\n'], { gapMs: 25 }),
    expect: answered(6),
  },
  {
    id: 'fragment-ending-in-brace',
    says: 'after Hello, a piece that happens to end in } is parsed too early: two parse errors',
    see: S1,
    level: 'quirk',
    request: raw([HELLO, '{"id":7,"method":"JSONRPC.Hello","params":{"locale":"en_US"}', '}\n'], {
      lockstep: true,
      replies: 3,
    }),
    expect: repliesAre('quirk', [
      ['success', 100],
      ['error', -1, TEXT.parseError('unterminated object')],
      ['error', -1, TEXT.parseError('illegal value')],
    ]),
  },
  {
    id: 'array-kept',
    says: 'after Hello, a top-level array never ends in }: it stays in the buffer, and spoils the next request (garbage at the end)',
    see: S1,
    level: 'quirk',
    request: raw([HELLO, '[{"id":8,"method":"JSONRPC.Hello"}]\n', HELLO], { gapMs: 50, replies: 2 }),
    expect: repliesAre('quirk', [
      ['success', 100],
      ['error', -1, TEXT.parseError('garbage at the end of the document')],
    ]),
  },
  {
    id: 'binary-ignored',
    says: 'a binary WebSocket frame is ignored',
    see: S1,
    level: 'quirk',
    request: raw([HELLO], { binary: true, replies: 0, settleMs: 150 }),
    expect: [noMessage('quirk'), stayedOpen('quirk')],
  },
  {
    id: 'over-1-mib',
    says: 'more than 1 MiB without a complete message closes the connection, without a message',
    see: S1,
    level: 'should',
    request: raw([HUGE], { replies: 0, settleMs: 3000 }),
    expect: [closed('should'), noMessage('quirk')],
  },
  // §3 steps 4, 5 and 9: token, gate, handshake, in that order.
  {
    id: 'handshake-required',
    says: 'a call the gate lets through before a successful Hello: "Handshake required", then the connection is closed',
    see: 'nymea.md §3 step 9',
    level: 'must',
    request: raw([line(HELLO_EXTRA), line(AUTHENTICATE)], { replies: 2, lockstep: true, settleMs: 500 }),
    expect: [
      statusIs('error'),
      closed('should'),
      errorText(TEXT.handshakeRequired, 'quirk'),
      ...repliesAre('quirk', [
        ['error', 1, TEXT.invalidKey('accord_extra', 'JSONRPC.Hello')],
        ['error', 20, TEXT.handshakeRequired],
      ]),
    ],
  },
  {
    id: 'gate-before-handshake',
    says: 'a call without a token before a successful Hello: unauthorized (the gate comes first)',
    see: S3,
    level: 'must',
    request: raw([line(HELLO_EXTRA), line({ id: 21, method: 'Users.GetUsers' })], { replies: 2, lockstep: true }),
    expect: unauthorizedReply(),
  },
  {
    id: 'unauthorized-keeps-id',
    says: 'an unauthorized reply carries the request id',
    see: S2,
    level: 'must',
    request: raw([HELLO, line({ id: 77, method: 'Users.GetUsers' })], { replies: 2, gapMs: 20 }),
    expect: [
      ...repliesAre('must', [
        ['success', 100],
        ['unauthorized', 77],
      ]),
      closed('must'),
    ],
  },
  {
    id: 'unknown-namespace-no-token',
    says: 'an unknown namespace without a token: unauthorized, not "No such namespace"',
    see: S3,
    level: 'must',
    request: afterHello(line({ id: 12, method: 'Accord.Nothing' })),
    expect: unauthorizedReply(),
  },
  {
    id: 'no-such-namespace',
    says: 'an unknown namespace, as admin: "No such namespace"',
    see: S3,
    level: 'must',
    as: 'admin',
    request: raw([{ id: 11, method: 'Accord.Nothing' }], { withToken: true }),
    expect: [statusIs('error'), idIs(11), errorText(TEXT.noNamespace, 'quirk'), stayedOpen('should')],
  },
  {
    id: 'no-such-method',
    says: 'an unknown method, as admin: "No such method"',
    see: S3,
    level: 'must',
    as: 'admin',
    request: raw([{ id: 11, method: 'Users.AccordNothing' }], { withToken: true }),
    expect: [statusIs('error'), errorText(TEXT.noMethod, 'quirk')],
  },
  {
    id: 'unknown-method-non-admin',
    says: 'an unknown method, as a user without Admin: "Permission denied."',
    see: S3,
    level: 'quirk',
    as: 'scope-none',
    request: raw([{ id: 11, method: 'Users.AccordNothing' }], { withToken: true }),
    expect: [statusIs('error', 'quirk'), errorText(TEXT.permissionDenied, 'quirk')],
  },
  {
    id: 'denied-stays-open',
    says: 'after "Permission denied." the connection stays open',
    see: S3,
    level: 'must',
    as: 'scope-none',
    request: raw(
      [
        { id: 30, method: 'Users.GetUsers' },
        { id: 31, method: 'Users.GetUserInfo' },
      ],
      { withToken: true, together: true, replies: 2 },
    ),
    expect: [
      ...repliesAre('must', [
        ['error', 30],
        ['success', 31],
      ]),
      stayedOpen('must'),
    ],
  },
  {
    id: 'token-change',
    says: 'a different token than the connection said Hello with: unauthorized, closed',
    see: 'nymea.md §3 step 4',
    level: 'must',
    as: 'admin',
    request: raw([{ id: 40, method: 'JSONRPC.KeepAlive', params: { sessionId: 'x' }, token: BAD_TOKEN }]),
    expect: unauthorizedReply(TEXT.tokenChange),
  },
  {
    id: 'token-left-out',
    says: 'no token after a Hello with one: unauthorized (a token change), closed',
    see: 'nymea.md §4',
    level: 'must',
    as: 'admin',
    request: raw([{ id: 41, method: 'JSONRPC.KeepAlive', params: { sessionId: 'x' } }]),
    expect: unauthorizedReply(TEXT.tokenChange),
  },
  // §2, §8: params.
  {
    id: 'params-not-object',
    says: 'params that are not an object read as {}',
    see: S2,
    level: 'quirk',
    as: 'admin',
    request: raw([{ id: 13, method: 'JSONRPC.KeepAlive', params: 5 }], { withToken: true }),
    expect: [statusIs('error', 'quirk'), errorText(TEXT.missingKey('sessionId', 'JSONRPC.KeepAlive'), 'quirk')],
  },
  {
    id: 'extra-top-level-key',
    says: 'other top-level keys ("jsonrpc") are ignored',
    see: S2,
    level: 'must',
    as: 'admin',
    request: raw([{ jsonrpc: '2.0', id: 14, method: 'JSONRPC.KeepAlive', params: { sessionId: 'x' } }], {
      withToken: true,
    }),
    expect: answered(14),
  },
  {
    id: 'token-inside-params',
    says: 'a token inside params is an unknown key',
    see: 'nymea.md §8',
    level: 'must',
    as: 'admin',
    request: raw([{ id: 15, method: 'JSONRPC.KeepAlive', params: { sessionId: 'x', token: BAD_TOKEN } }], {
      withToken: true,
    }),
    expect: [statusIs('error'), errorText(TEXT.invalidKey('token', 'JSONRPC.KeepAlive'), 'quirk')],
  },
  // §1: output.
  {
    id: 'output-format',
    says: 'replies are compact JSON with keys in alphabetical order, one line each',
    see: S1,
    level: 'quirk',
    as: 'admin',
    request: raw([{ id: 50, method: 'JSONRPC.KeepAlive', params: { sessionId: 'x' } }], { withToken: true }),
    expect: [
      rawWhere(
        'quirk',
        'exactly {"id":50,"params":{"sessionId":"x","success":true},"status":"success"} and a newline',
        (r) =>
          r.at(-1) === '{"id":50,"params":{"sessionId":"x","success":true},"status":"success"}\n'
            ? null
            : `got ${show(r.at(-1))}`,
      ),
      rawWhere('quirk', 'keys in alphabetical order at every level', (r) =>
        r.every((t) => keysSorted(t)) ? null : `got ${show(r)}`,
      ),
    ],
  },
];
