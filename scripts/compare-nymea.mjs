#!/usr/bin/env node
// Send the same JSON-RPC messages to a real nymea and to accord's nymea mock, one exchange at a time, and print
// where their answers differ: every line each server wrote on the calling connection (compared as the bytes it
// wrote, so key order, escapes and number forms count), whether it closed that connection, and the
// notifications two listening connections got meanwhile (one as the admin, one as a user with limited scopes,
// both with every namespace switched on).
//
//   node scripts/compare-nymea.mjs --url tcp://127.0.0.1:22322 --admin admin:Accord-Secret1
//     [--url-ws ws://127.0.0.1:24544] [--lockdown-ms 3000] [--only TEXT] [--verbose] [--fault NAME...]
//
// The real server is the one ../shared/real/nymea/start.sh starts, either `--fresh --admin USER:PASS` or
// `--fresh` alone (then the initial setup itself is compared: both sides start with no users). The mock is
// started here (`accord serve nymea` from dist/bundle) with the real server's state as read at the start: its
// name and server uuid, its users (the admin with the given password) and the admin's tokens with their ids,
// device names and creation times; the token this script logs in with is given to the mock too. Each exchange
// is a connection of its own: JSONRPC.Hello first (nymea's transport router closes a connection whose first
// message is anything else), then the call(s). After a failed login or an unauthorized call the run waits out
// the server-wide lockdown (--lockdown-ms plus 400 ms). The run makes users named cmp_* (and whatever a broken
// call creates), and tokens for the admin; it removes them again, and the real server ends as it started (after
// a `--fresh` start without an admin, with the admin the run's initial setup made).
// With --url-ws every exchange is run a second time over WebSocket (the mock's own WebSocket port). --fault NAME
// (repeatable) starts the mock with that deliberate bug: a way to see that the comparison catches it.
//
// Compared in the mock's scope: the real JSONRPC.Introspect is compared for the Users and JSONRPC namespaces
// only (see scopeIntrospection), both replies as JSON.stringify writes them; its other 14 namespaces, which accord
// does not mock, are counted, not compared.
// Normalised, and only these (each would differ between any two servers):
// - token texts (a "token" field of a reply or notification) become <token:N>, N counted per side in order of
//   first appearance; the token this script logged in with before starting the mock is the same on both sides;
// - token ids (UUIDs) a side issued during the run become <uuid:N> likewise (braces kept); the server uuid and
//   the ids of tokens that existed before are the same on both sides and stay;
// - `creationTime` of tokens issued during the run becomes <time>;
// - the namespaces SetNotificationStatus lists are sorted: nymea lists them in the order of a QHash, whose seed
//   Qt 5 draws anew in every process (two starts of the same nymead list them in two orders);
// - notification ids become <n+K>, K counted from the first notification a side sent in the run (nymea's counter
//   is server-wide and the real server may have sent notifications before), and push-button transaction ids
//   <t+K> likewise (the real server's count goes on from requests before the run).
// Exit status: 0 no difference, 1 differences, 2 could not run. `npm test` does not run this.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    'url-ws': { type: 'string' },
    admin: { type: 'string' },
    'lockdown-ms': { type: 'string', default: '3000' },
    only: { type: 'string' },
    verbose: { type: 'boolean' },
    fault: { type: 'string', multiple: true },
  },
});
if (!args.url || !args.admin || !/^tcp:\/\//.test(args.url) || (args['url-ws'] && !/^ws:\/\//.test(args['url-ws']))) {
  console.error(
    'usage: compare-nymea.mjs --url tcp://HOST:PORT --admin USER:PASS [--url-ws ws://HOST:PORT] [--lockdown-ms MS] [--only TEXT] [--verbose] [--fault NAME...]',
  );
  process.exit(2);
}
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const [ADMIN, ADMIN_PASS] = args.admin.split(/:(.*)/s);
const LOCKDOWN_WAIT = Number(args['lockdown-ms']) + 400;
const PASSWORD = 'Cmp-Password-1';
const PASSWORD2 = 'Cmp-Password-2';
const WRONG_TOKEN = 'cmpWrongTokenThatMatchesNothing0000000000A=';
const UNKNOWN_UUID = '{6b1f0a52-0000-4000-8000-00000000c0de}';
const API = JSON.parse(readFileSync(join(ROOT, 'src/protocols/nymea/nymea-users-api.json'), 'utf8'));
const RUN_START = Math.floor(Date.now() / 1000) - 5;
const SETTLE_MS = 80;
const UUID = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- transport ------------------------------------------------------------------------------------------

/** One client connection (TCP, newline-framed, or WebSocket text frames): every line the server writes, in order. */
class Conn {
  constructor() {
    this.lines = [];
    this.closed = false;
    this.waiters = [];
    this.partial = '';
  }
  static open(url) {
    const conn = new Conn();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connection to ${url} in 5 s`)), 5000);
      const u = new URL(url);
      if (u.protocol === 'tcp:') {
        const socket = net.connect(Number(u.port), u.hostname);
        conn.socket = socket;
        socket.setEncoding('utf8');
        socket.on('connect', () => (clearTimeout(timer), resolve(conn)));
        socket.on('data', (text) => {
          conn.partial += text;
          let nl;
          while ((nl = conn.partial.indexOf('\n')) >= 0) {
            conn.push(conn.partial.slice(0, nl));
            conn.partial = conn.partial.slice(nl + 1);
          }
        });
        const gone = () => {
          if (conn.partial !== '') conn.push(`${conn.partial} (no newline at the end)`);
          conn.partial = '';
          conn.gone();
        };
        socket.on('close', gone);
        socket.on('error', (e) => (clearTimeout(timer), gone(), reject(e)));
        conn.write = (t) => socket.write(t);
        conn.end = () => socket.destroy();
      } else {
        const ws = new WebSocket(url);
        ws.on('open', () => (clearTimeout(timer), resolve(conn)));
        ws.on('message', (data, isBinary) => {
          const text = data.toString('utf8');
          const parts = text.endsWith('\n') ? text.slice(0, -1).split('\n') : [`${text} (no newline at the end)`];
          for (const p of parts) conn.push(isBinary ? `${p} (a binary frame)` : p);
        });
        ws.on('close', () => conn.gone());
        ws.on('error', (e) => (clearTimeout(timer), conn.gone(), reject(e)));
        conn.write = (t) => ws.readyState === WebSocket.OPEN && ws.send(t);
        conn.end = () => ws.terminate();
      }
    });
  }
  push(line) {
    this.lines.push(line);
    this.wake();
  }
  gone() {
    this.closed = true;
    this.wake();
  }
  wake() {
    for (const w of this.waiters.splice(0)) w();
  }
  /** Waits until `done()` or the connection closes or `ms` pass. */
  async until(done, ms) {
    const end = Date.now() + ms;
    while (!done() && !this.closed && Date.now() < end) {
      await new Promise((r) => {
        this.waiters.push(r);
        setTimeout(r, Math.max(1, end - Date.now()));
      });
    }
  }
  /** Lines that are replies (a status), of those received so far. */
  replies() {
    return this.lines.filter((l) => /"status":/.test(l) && !/"notification":/.test(l)).length;
  }
  /** Sends one message (TCP: a newline after it, as nymea's clients do) and waits for `replies` more replies. */
  async send(text, replies = 1, ms = 5000) {
    const before = this.replies();
    this.write(this.tcp === false ? text : `${text}\n`);
    if (replies === 0) await this.until(() => false, ms);
    else await this.until(() => this.replies() >= before + replies, ms);
  }
}

// ---- the two sides --------------------------------------------------------------------------------------

class Side {
  constructor(name, urls) {
    this.name = name;
    this.urls = urls;
    /** Identity → token. */
    this.tokens = new Map();
    /** Placeholder → value ($tokenid:scratch). */
    this.values = new Map();
    /** Token texts and token ids this side issued during the run → their labels. */
    this.labels = new Map();
    this.count = { token: 0, uuid: 0 };
    /** Token ids (lower case, no braces) both sides share: the server's and those of the tokens before the run. */
    this.shared = new Set();
    this.notificationBase = undefined;
    this.listeners = [];
  }
  url(transport) {
    return this.urls[transport];
  }
  resolve(value) {
    if (typeof value === 'string' && value.startsWith('$token:')) return this.tokens.get(value.slice(7)) ?? '';
    if (typeof value === 'string' && value.startsWith('$')) return this.values.get(value) ?? value;
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
    return value;
  }
  label(kind, value) {
    let l = this.labels.get(value);
    if (!l) {
      l = `<${kind}:${++this.count[kind]}>`;
      this.labels.set(value, l);
    }
    return l;
  }
  /** A line as this side wrote it, with the values of the header comment replaced in its text. */
  normalise(line) {
    let parsed;
    try {
      parsed = JSON.parse(line);
    } catch {
      return line;
    }
    const swaps = [];
    const walk = (v, key) => {
      if (Array.isArray(v)) return v.forEach((x) => walk(x, ''));
      if (v && typeof v === 'object') return Object.entries(v).forEach(([k, x]) => walk(x, k));
      if (typeof v !== 'string') return;
      if (key === 'token' && v !== '' && ![...this.tokens.values()].includes(v))
        swaps.push([JSON.stringify(v), JSON.stringify(this.label('token', v))]);
      else if (key === 'token' && v !== '') {
        const who = [...this.tokens].find(([, t]) => t === v)?.[0];
        if (this.issued?.has(v)) swaps.push([JSON.stringify(v), JSON.stringify(this.label('token', v))]);
        else if (who) swaps.push([JSON.stringify(v), JSON.stringify(`<token of ${who}>`)]);
      } else if (UUID.test(v)) {
        const bare = v.replace(/[{}]/g, '').toLowerCase();
        if (!this.shared.has(bare)) {
          const l = this.label('uuid', bare);
          swaps.push([JSON.stringify(v), JSON.stringify(v.startsWith('{') ? `{${l}}` : l)]);
        }
      }
    };
    walk(parsed, '');
    let text = line;
    for (const [from, to] of swaps) text = text.split(from).join(to);
    // nymea lists namespaces in the order of a QHash, whose seed Qt 5 draws anew in every process.
    text = text.replace(/"namespaces":(\[[^\]]*\])/g, (m, list) => {
      try {
        return `"namespaces":${JSON.stringify(JSON.parse(list).sort())}`;
      } catch {
        return m;
      }
    });
    text = text.replace(/"creationTime":(\d+)/g, (m, n) => (Number(n) >= RUN_START ? '"creationTime":"<time>"' : m));
    text = text.replace(/"transactionId":(-?\d+)/g, (m, n) => {
      this.transactionBase ??= Number(n);
      return `"transactionId":"<t+${Number(n) - this.transactionBase}>"`;
    });
    if (parsed && typeof parsed === 'object' && 'notification' in parsed && typeof parsed.id === 'number') {
      this.notificationBase ??= parsed.id;
      text = text.replace(/^\{"id":-?\d+,/, `{"id":"<n+${parsed.id - this.notificationBase}>",`);
    }
    return text;
  }
}

// ---- normalising and comparing --------------------------------------------------------------------------

function differences(a, b, path = '', out = []) {
  if (out.length >= 8) return out;
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const before = out.length;
    const keys = Array.isArray(a)
      ? [...Array(Math.max(a.length, b.length)).keys()]
      : [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) differences(a[k], b[k], `${path}/${k}`, out);
    // Same members, another order: Qt writes its keys in its own order, so the order is part of the answer.
    if (out.length === before && !Array.isArray(a))
      out.push(`${path || '/'}: key order: real ${Object.keys(a).join(',')}  mock ${Object.keys(b).join(',')}`);
    return out;
  }
  out.push(`${path || '/'}: real ${short(a)}  mock ${short(b)}`);
  return out;
}

const short = (v) => {
  const s = v === undefined ? '(absent)' : JSON.stringify(v);
  return s.length > 240 ? `${s.slice(0, 240)}…` : s;
};

/** Where two lists of lines differ, line by line (parsed where both parse, else as text). */
function lineDifferences(where, a, b) {
  const out = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    let px;
    let py;
    try {
      px = x === undefined ? undefined : JSON.parse(x);
      py = y === undefined ? undefined : JSON.parse(y);
    } catch {
      out.push(`${where}[${i}]: real ${short(x)}  mock ${short(y)}`);
      continue;
    }
    const d = differences(px, py);
    if (d.length === 0) out.push(`${where}[${i}]: the same JSON, other bytes: real ${short(x)}  mock ${short(y)}`);
    for (const line of d) out.push(`${where}[${i}]${line}`);
  }
  return out;
}

/**
 * The scope of accord's mock: it serves the Users and JSONRPC namespaces, and its JSONRPC.Introspect lists
 * those (with every enum, flag and type it keeps). In the real server's Introspect reply only those entries are
 * compared: its methods and notifications of the two namespaces, and its enums, flags and types of the names the
 * mock lists (so that a difference in any of them, or one the mock lists and the real server lacks, still shows).
 * The other namespaces are counted once, not compared. Both replies are compared as JSON.stringify writes them.
 */
let outOfScope;
function scopeIntrospection(real, mock) {
  for (let i = 0; i < Math.min(real.length, mock.length); i++) {
    let r;
    let m;
    try {
      r = JSON.parse(real[i]);
      m = JSON.parse(mock[i]);
    } catch {
      continue;
    }
    const rp = r?.params;
    const mp = m?.params;
    if (!rp?.methods || !rp?.types || !mp?.methods || !mp?.types) continue;
    const kept = { enums: {}, flags: {}, methods: {}, notifications: {}, types: {} };
    const left = {};
    for (const kind of Object.keys(rp)) {
      const inScope = (name) =>
        kind === 'methods' || kind === 'notifications' ? /^(Users|JSONRPC)\./.test(name) : name in (mp[kind] ?? {});
      kept[kind] = {};
      for (const [name, value] of Object.entries(rp[kind] ?? {})) {
        if (inScope(name)) kept[kind][name] = value;
        else left[kind] = (left[kind] ?? 0) + 1;
      }
    }
    outOfScope ??= Object.entries(left)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    r.params = Object.fromEntries(Object.keys(rp).map((k) => [k, kept[k]]));
    real[i] = JSON.stringify(r);
    mock[i] = JSON.stringify(m);
  }
}

// ---- the exchanges --------------------------------------------------------------------------------------

let nextId = 1;
/** A request; token '$token:NAME' is that identity's token on each side, undefined none. */
const rpc = (method, params, token, extra = {}) => ({
  id: nextId++,
  method,
  ...(params !== undefined ? { params } : {}),
  ...(token !== undefined ? { token } : {}),
  ...extra,
});
const TOKEN_OF = {
  admin: '$token:admin',
  user: '$token:user',
  none: '$token:none',
  anonymous: undefined,
  wrong: WRONG_TOKEN,
};
const hello = (as, params) => rpc('JSONRPC.Hello', params, TOKEN_OF[as]);

/** Every declared method with params that succeed for a caller allowed to call it. */
const VALID = {
  'JSONRPC.Hello': { locale: 'en_US' },
  'JSONRPC.Authenticate': { username: ADMIN, password: ADMIN_PASS, deviceName: 'cmp-auth' },
  'JSONRPC.CreateUser': {
    username: 'cmp_setup',
    password: PASSWORD,
    displayName: 'Cmp Setup',
    email: 'setup@example.org',
  },
  'JSONRPC.RequestPushButtonAuth': { deviceName: 'cmp-button' },
  'JSONRPC.SetNotificationStatus': { namespaces: ['Users'] },
  'JSONRPC.Introspect': {},
  'JSONRPC.Version': {},
  'JSONRPC.KeepAlive': { sessionId: 'cmp-session' },
  'Users.CreateUser': {
    username: 'cmp_new',
    password: PASSWORD,
    email: 'new@example.org',
    displayName: 'Cmp New',
    scopes: ['PermissionScopeExecuteRules', 'PermissionScopeAccessAllThings'],
  },
  'Users.ChangePassword': { newPassword: ADMIN_PASS },
  'Users.ChangeUserPassword': { username: 'cmp_victim', newPassword: PASSWORD2 },
  'Users.GetUserInfo': {},
  'Users.GetTokens': {},
  'Users.GetUserTokens': { username: 'cmp_user' },
  'Users.RemoveToken': { tokenId: '$tokenid:scratch' },
  'Users.GetUsers': {},
  'Users.RemoveUser': { username: 'cmp_victim' },
  'Users.SetUserScopes': { username: 'cmp_victim', scopes: ['PermissionScopeControlThings'], allowedThingIds: [] },
  'Users.SetUserInfo': { username: 'cmp_victim', displayName: 'Ada', email: 'ada@example.org' },
};
/** Methods that change nothing a later exchange reads (no reset before them). */
const READS = new Set([
  'JSONRPC.Hello',
  'JSONRPC.SetNotificationStatus',
  'JSONRPC.Introspect',
  'JSONRPC.Version',
  'JSONRPC.KeepAlive',
  'Users.GetUserInfo',
  'Users.GetTokens',
  'Users.GetUserTokens',
  'Users.GetUsers',
]);

/** Wrong values for a parameter of each declared type. */
function wrongValues(type) {
  if (Array.isArray(type)) return ['x', [5], ['not-a-uuid'], [UNKNOWN_UUID], { a: 1 }];
  switch (type) {
    case 'String':
      return [5, 1.5, true, null, [1], { a: 1 }, ''];
    case 'Bool':
      return ['yes', 'false', 0, null, [1]];
    case 'StringList':
      return ['Users', 5, [5], null, { a: 1 }];
    case 'Uuid':
      return ['not-a-uuid', 5, '', null, UNKNOWN_UUID.toUpperCase().replace(/[{}]/g, ''), [UNKNOWN_UUID]];
    case '$ref:PermissionScopes':
      return ['PermissionScopeAdmin', ['PermissionScopeNope'], [5], null, ['PermissionScopeNone'], { a: 1 }];
    default:
      return [null, 5, 'x'];
  }
}

/** Per method: its valid params broken one way at a time (missing, wrong type, extra), and params not a map. */
function brokenParamsOf(method) {
  const valid = VALID[method];
  const out = [{ params: undefined }, { params: [] }, { params: 'x' }, { params: null }, { params: 5 }];
  if (Object.keys(valid).length > 0) out.push({ params: {} });
  for (const [key, type] of Object.entries(API.methods[method].params)) {
    const name = key.replace(/^(?:[a-z]:)+/, '');
    const optional = /(^|:)o:/.test(key);
    if (name in valid) {
      const { [name]: _, ...rest } = valid;
      out.push({ params: rest, what: `without ${name}${optional ? ' (optional)' : ''}` });
    }
    for (const bad of wrongValues(type)) out.push({ params: { ...valid, [name]: bad }, what: `${name} ${short(bad)}` });
  }
  out.push({ params: { ...valid, cmpExtra: 1 }, what: 'an extra key' });
  out.push({ params: { ...valid, CMPEXTRA: 'x', aaa: null }, what: 'two extra keys' });
  return out;
}

/** Envelopes after the routing Hello (as the admin), each a raw text or a request, with the replies it gets. */
const T = '"token":"$token:admin"';
const ENVELOPES = [
  { send: '{"id":5,}' },
  { send: 'nonsense}' },
  { send: '[]' },
  { send: `[{"id":5,"method":"JSONRPC.Version",${T}}]` },
  { send: '"text"}' },
  { send: `{"method":"JSONRPC.Version",${T}}` },
  ...[
    'null',
    '"7"',
    '" 7 "',
    '"abc"',
    '1.5',
    '-2.5',
    'true',
    '-3',
    '2147483648',
    '1e10',
    '1e300',
    '"1.5"',
    '[1]',
    '{}',
  ].map((id) => ({ send: `{"id":${id},"method":"JSONRPC.Version",${T}}` })),
  { send: `{"id":5,${T}}` },
  { send: `{"id":5,"method":"",${T}}` },
  { send: `{"id":5,"method":"Version",${T}}` },
  { send: `{"id":5,"method":"JSONRPC.Version.Again",${T}}` },
  { send: `{"id":5,"method":5,${T}}` },
  { send: `{"id":5,"method":"JSONRPC.NoSuchMethod",${T}}` },
  { send: `{"id":5,"method":"NoSuch.Version",${T}}` },
  { send: `{"id":5,"method":"jsonrpc.version",${T}}` },
  { send: `{"id":5,"method":"Users.NoSuchMethod",${T}}` },
  { send: `{"id":5,"method":"JSONRPC.Version","params":{"a":1},${T}}` },
  { send: `{"id":5,"method":"JSONRPC.KeepAlive","params":{"sessionId":"a","sessionId":"b"},${T}}` },
  { send: `{"id":5,"method":"JSONRPC.KeepAlive","params":{"sessionId":"é/ü\\u0001\\t\\"<>&'"},${T}}` },
  { send: `{"id":5,"method":"JSONRPC.KeepAlive","params":{"sessionId":"\\ud83d\\ude00 \\u2028 \\u007f"},${T}}` },
  { send: `{"id":5,"method":"JSONRPC.KeepAlive","params":{"sessionId":1e400},${T}}` },
  { send: `{"id":5,"method":"JSONRPC.KeepAlive","params":{"sessionId":0.1},${T}}` },
  { send: `{"id":5,"method":"JSONRPC.KeepAlive","params":{"sessionId":123456789012},${T}}` },
  { send: `{"id":5,"method":"JSONRPC.KeepAlive","params":{"sessionId":-0.0},${T}}` },
  { send: `{"id":5,"method":"JSONRPC.Version",${T}}\n{"id":6,"method":"JSONRPC.Version",${T}}`, replies: 2 },
  { send: `{"id":5,"method":"JSONRPC.Version",${T}}\r\n{"id":6,"method":"JSONRPC.Version",${T}}` },
  { send: `{"id":5,"method":"JSONRPC.Version",${T}} {"id":6,"method":"JSONRPC.Version",${T}}` },
  { send: `   {"id":5,"method":"JSONRPC.Version",${T}}   ` },
  { send: `\ufeff{"id":5,"method":"JSONRPC.Version",${T}}` },
  { send: `{"id":5,"method":"JSONRPC.Version","token":5}`, lockdown: true },
  { send: `{"id":5,"method":"JSONRPC.Version","token":null}`, lockdown: true },
  { send: `{"id":5,"method":"JSONRPC.Version","token":["x"]}`, lockdown: true },
];

/** First messages on a new connection (the transport router's cases): most get no reply and are closed. */
const FIRSTS = [
  { send: '{"id":1,"method":"JSONRPC.Version"}', replies: 0 },
  { send: '{"id":1,"method":"Users.GetUsers","token":"$token:admin"}', replies: 0 },
  { send: '{"id":1,"method":"JSONRPC.Authenticate","params":{}}', replies: 0 },
  { send: '{"id":1,"method":"Hello"}', replies: 0 },
  { send: '{"id":1,"method":"JSONRPC.Hello.Again"}', replies: 0 },
  { send: '{"id":1}', replies: 0 },
  { send: '{"id":1,}', replies: 0 },
  { send: '[]', replies: 0, ms: 1500 },
  { send: '{"id":1,"method":"Transfer.Connect","params":{}}', replies: 1 },
  { send: '{"method":"JSONRPC.Hello"}' },
  { send: '{"id":"x","method":"JSONRPC.Hello"}' },
  { send: '{"id":1,"method":"JSONRPC.Hello","params":{"locale":5}}' },
  { send: '{"id":1,"method":"JSONRPC.Hello","params":{"nope":1}}' },
  { send: '{"id":1,"method":"JSONRPC.Hello"}\r\n{"id":2,"method":"JSONRPC.Hello"}', replies: 2 },
  { send: '{"id":1,"method":"JSONRPC.Hello"}\n{"id":2,"method":"JSONRPC.Version","token":"$token:admin"}', replies: 2 },
  { send: '  {"id":1,"method":"JSONRPC.Hello"}\n' },
];

// ---- the run --------------------------------------------------------------------------------------------

function declaredMethods() {
  const dir = join(ROOT, 'src/protocols/nymea/methods');
  const names = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts')))
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/\bmethod\('([A-Za-z]+\.[A-Za-z]+)'/g))
      names.push(m[1]);
  return names;
}

async function startMock(seed) {
  const dir = mkdtempSync(join(tmpdir(), 'compare-nymea-'));
  const seedFile = join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seed, null, 2));
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'dist/bundle/accord.js'),
      'serve',
      'nymea',
      '--quiet',
      '--seed',
      seedFile,
      ...(args.fault ?? []).flatMap((f) => ['--fault', f]),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const urls = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /(tcp:\/\/127\.0\.0\.1:\d+) and (ws:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ tcp: m[1], ws: m[2] });
    });
    child.on('exit', (code) => reject(new Error(`accord serve exited (${code})`)));
  });
  return {
    urls,
    stop: () => {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One call on its own connection, not compared: the reply's params (or undefined). */
async function quick(url, messages) {
  const conn = await Conn.open(url);
  conn.tcp = url.startsWith('tcp:');
  const out = [];
  for (const m of messages) {
    const before = conn.lines.length;
    await conn.send(JSON.stringify(m));
    const reply = conn.lines
      .slice(before)
      .map((l) => JSON.parse(l))
      .find((x) => x.id === m.id && 'status' in x);
    out.push(reply);
  }
  conn.end();
  return out;
}

async function main() {
  const declared = declaredMethods();
  const uncovered = declared.filter((m) => !VALID[m]);
  if (uncovered.length > 0 || declared.length === 0) {
    console.error(`compare-nymea: no exchanges for ${uncovered.join(', ') || '(no methods found)'}`);
    process.exit(2);
  }
  const realUrls = { tcp: args.url, ws: args['url-ws'] };

  // The real server's state: a fresh one (initial setup required) or one set up with the admin.
  const [realHello] = await quick(realUrls.tcp, [rpc('JSONRPC.Hello', {})]);
  if (!realHello?.params?.server) throw new Error(`${args.url} did not answer JSONRPC.Hello`);
  const setupRequired = realHello.params.initialSetupRequired === true;
  const seed = {
    name: realHello.params.name,
    uuid: realHello.params.uuid,
    pushButton: realHello.params.pushButtonAuthAvailable === true,
  };
  let setupToken;
  const baselineTokens = new Set();
  if (!setupRequired) {
    const [, auth] = await quick(realUrls.tcp, [
      rpc('JSONRPC.Hello', {}),
      rpc('JSONRPC.Authenticate', { username: ADMIN, password: ADMIN_PASS, deviceName: 'cmp-compare' }),
    ]);
    if (auth?.params?.success !== true) throw new Error(`${ADMIN} cannot log in to ${args.url}`);
    setupToken = auth.params.token;
    const t = setupToken;
    // What earlier runs left: users cmp_*, admin tokens cmp-* (but this one).
    let [users, tokens] = await quick(realUrls.tcp, [
      rpc('JSONRPC.Hello', {}, t),
      rpc('Users.GetUsers', {}, t),
      rpc('Users.GetTokens', {}, t),
    ]).then((r) => [r[1].params.users, r[2].params.tokenInfoList]);
    const stale = [
      ...users
        .filter((u) => u.username !== ADMIN.toLowerCase())
        .map((u) => rpc('Users.RemoveUser', { username: u.username }, t)),
      ...tokens
        .filter((k) => k.deviceName.startsWith('cmp-') && k.deviceName !== 'cmp-compare')
        .map((k) => rpc('Users.RemoveToken', { tokenId: k.id }, t)),
    ];
    if (stale.length > 0) {
      console.log(`real: removing ${stale.length} users and tokens an earlier run left`);
      await quick(realUrls.tcp, [rpc('JSONRPC.Hello', {}, t), ...stale]);
    }
    [users, tokens] = await quick(realUrls.tcp, [
      rpc('JSONRPC.Hello', {}, t),
      rpc('Users.GetUsers', {}, t),
      rpc('Users.GetTokens', {}, t),
    ]).then((r) => [r[1].params.users, r[2].params.tokenInfoList]);
    // The newest token of the pair with the same device name and time is ours: GetTokens shows no token text.
    const mine = tokens.filter((k) => k.deviceName === 'cmp-compare').at(-1);
    seed.users = users.map((u) => ({
      username: u.username,
      password: u.username === ADMIN.toLowerCase() ? ADMIN_PASS : 'Not-Known-1',
      email: u.email,
      displayName: u.displayName,
      scopes: u.scopes,
      allowedThingIds: u.allowedThingIds,
    }));
    seed.tokens = tokens.map((k) => ({
      username: k.username,
      deviceName: k.deviceName,
      uuid: k.id,
      creationTime: k.creationTime,
      ...(k === mine ? { token: setupToken } : {}),
    }));
    for (const k of tokens) baselineTokens.add(k.id);
  }
  const mock = await startMock(seed);
  const sides = [new Side('real', realUrls), new Side('mock', { tcp: mock.urls.tcp, ws: mock.urls.ws })];
  for (const side of sides) {
    side.shared.add(seed.uuid.replace(/[{}]/g, '').toLowerCase());
    for (const id of baselineTokens) side.shared.add(id);
    side.baseline = new Set(baselineTokens);
    side.issued = new Set();
    if (setupToken) side.tokens.set('admin', setupToken);
  }
  console.log(
    `real: ${realHello.params.server} ${realHello.params.version} "${realHello.params.name}" at ${args.url}${args['url-ws'] ? ` and ${args['url-ws']}` : ''}` +
      ` (${setupRequired ? 'initial setup required' : 'set up'}); mock: ${mock.urls.tcp} and ${mock.urls.ws}`,
  );

  let transport = 'tcp';
  let compared = 0;
  let differing = 0;
  const wanted = (label) => !args.only || label.includes(args.only);

  /** The admin's listener (cmp_user's follows once that user exists): every namespace on. */
  async function openListeners(compare) {
    await exchange(
      'listener admin',
      'admin',
      [rpc('JSONRPC.SetNotificationStatus', { enabled: true }, '$token:admin')],
      {
        keep: 'listener-admin',
        compare,
      },
    );
  }

  /**
   * One exchange on each side: a new connection (unless `keep` names a kept one), the Hello of `as` first (unless
   * hello: false), then each message in turn, each waiting for its replies. Compared: the lines of that connection,
   * whether the server closed it, and what the listeners got.
   */
  async function exchange(label, as, messages, options = {}) {
    const { hello: helloParams = {}, keep, compare = true } = options;
    const results = [];
    const list = helloParams === false ? messages : [{ send: hello(as, helloParams) }, ...messages];
    for (const side of sides) {
      const url = side.url(transport);
      let conn;
      try {
        conn = await Conn.open(url);
      } catch (e) {
        results.push({ lines: [`(could not connect: ${e.message})`], closed: true });
        continue;
      }
      conn.tcp = url.startsWith('tcp:');
      for (const m of list) {
        const item = m.send !== undefined ? m : { send: m };
        const text =
          typeof item.send === 'string'
            ? item.send.replaceAll('"$token:admin"', JSON.stringify(side.tokens.get('admin') ?? ''))
            : JSON.stringify(side.resolve(item.send));
        if (conn.closed) break;
        await conn.send(text, item.replies ?? 1, item.ms ?? (item.replies === 0 ? 1500 : 5000));
      }
      await conn.until(() => false, SETTLE_MS);
      // Tokens a login issued: this side's; a listener or an identity keeps its token.
      for (const line of conn.lines) {
        try {
          const p = JSON.parse(line)?.params;
          if (typeof p?.token === 'string' && p.token !== '') side.issued.add(p.token);
        } catch {}
      }
      const lines = conn.lines.map((l) => side.normalise(l));
      const listened = side.listeners.map((l) => {
        const got = l.conn.lines.splice(0).map((x) => side.normalise(x));
        if (l.conn.closed && !l.reported) {
          l.reported = true;
          got.push('(the server closed this listener)');
        }
        return got;
      });
      results.push({ lines, closed: conn.closed, listened, raw: conn.lines });
      if (keep) {
        side.listeners = side.listeners.filter((l) => l.name !== keep);
        side.listeners.push({ name: keep, conn });
        conn.lines = [];
      } else conn.end();
    }
    const failed = results.some((r) =>
      (r.raw ?? []).some((l) => /"status":"unauthorized"|"success":false|"authenticated":false/.test(l)),
    );
    if (compare) {
      compared += 1;
      const [a, b] = results;
      scopeIntrospection(a.lines, b.lines);
      const diff = [
        ...lineDifferences('lines', a.lines, b.lines),
        ...(a.closed !== b.closed ? [`closed by the server: real ${a.closed}  mock ${b.closed}`] : []),
      ];
      const names = ['admin listener', 'user listener'];
      for (let i = 0; i < Math.max(a.listened?.length ?? 0, b.listened?.length ?? 0); i++)
        diff.push(...lineDifferences(names[i] ?? `listener ${i}`, a.listened?.[i] ?? [], b.listened?.[i] ?? []));
      if (diff.length > 0) differing += 1;
      if (diff.length > 0 || args.verbose) {
        const shown = messages
          .map((m) => (typeof (m.send ?? m) === 'string' ? (m.send ?? m) : JSON.stringify(m.send ?? m)))
          .join(' | ');
        console.log(`${diff.length > 0 ? 'DIFF' : 'same'} [${transport}] ${label} (as ${as}): ${shown.slice(0, 200)}`);
        for (const d of diff.slice(0, 12)) console.log(`    ${d}`);
        if (args.verbose && diff.length === 0) for (const l of a.lines) console.log(`    ${l.slice(0, 300)}`);
      }
    }
    if ((failed || options.lockdown) && !options.noWait) await sleep(LOCKDOWN_WAIT);
    return results;
  }

  /** Calls on both sides as the admin, not compared; what the listeners get meanwhile is dropped. */
  async function arrange(...calls) {
    const out = [];
    const greeting = hello('admin', {});
    for (const side of sides) {
      const conn = await Conn.open(side.url(transport));
      conn.tcp = side.url(transport).startsWith('tcp:');
      const replies = [];
      for (const m of [greeting, ...calls]) {
        const before = conn.lines.length;
        await conn.send(JSON.stringify(side.resolve(m)));
        replies.push(
          conn.lines
            .slice(before)
            .map((l) => JSON.parse(l))
            .find((x) => x.id === m.id),
        );
      }
      conn.end();
      out.push(replies.slice(1));
    }
    await sleep(SETTLE_MS);
    for (const side of sides) for (const l of side.listeners) l.conn.lines.splice(0);
    return out;
  }

  const KEEP_USERS = new Set([ADMIN.toLowerCase(), 'cmp_user', 'cmp_none']);
  /** Back to the start: no users but the cast, no admin tokens but those before the run; cmp_victim and a scratch token. */
  async function reset() {
    const [real, mockSide] = await arrange(
      rpc('Users.GetUsers', {}, '$token:admin'),
      rpc('Users.GetTokens', {}, '$token:admin'),
    );
    const drop = [real, mockSide].map(([users, tokens], i) => [
      ...(users?.params?.users ?? [])
        .filter((u) => !KEEP_USERS.has(u.username) && !sides[i].baselineUsers?.has(u.username))
        .map((u) => ({ method: 'Users.RemoveUser', params: { username: u.username } })),
      ...(tokens?.params?.tokenInfoList ?? [])
        .filter((k) => !sides[i].baseline.has(k.id) && k.id !== sides[i].adminTokenId)
        .map((k) => ({ method: 'Users.RemoveToken', params: { tokenId: k.id } })),
    ]);
    for (const [i, side] of sides.entries()) {
      const conn = await Conn.open(side.url(transport));
      conn.tcp = side.url(transport).startsWith('tcp:');
      for (const m of [hello('admin', {}), ...drop[i].map((d) => rpc(d.method, d.params, '$token:admin'))])
        await conn.send(JSON.stringify(side.resolve(m)));
      await conn.send(
        JSON.stringify(
          side.resolve(
            rpc('Users.CreateUser', { username: 'cmp_victim', password: PASSWORD, scopes: [] }, '$token:admin'),
          ),
        ),
      );
      conn.end();
      // A scratch token of the admin's own, for RemoveToken.
      const [, auth] = await quick(side.url(transport), [
        rpc('JSONRPC.Hello', {}),
        rpc('JSONRPC.Authenticate', { username: ADMIN, password: ADMIN_PASS, deviceName: 'cmp-scratch' }),
      ]);
      side.issued.add(auth.params.token);
      const [, list] = await quick(side.url(transport), [
        rpc('JSONRPC.Hello', {}, side.tokens.get('admin')),
        rpc('Users.GetTokens', {}, side.tokens.get('admin')),
      ]);
      const scratch = list.params.tokenInfoList.filter((k) => k.deviceName === 'cmp-scratch').at(-1);
      side.values.set('$tokenid:scratch', scratch.id);
    }
    await sleep(SETTLE_MS);
    for (const side of sides) for (const l of side.listeners) l.conn.lines.splice(0);
  }

  /** The tokens a reply of each side gave: becomes that identity's. */
  function remember(results, identity) {
    results.forEach((r, i) => {
      for (const line of r.raw ?? []) {
        try {
          const p = JSON.parse(line)?.params;
          if (p?.success === true && typeof p.token === 'string') sides[i].tokens.set(identity, p.token);
        } catch {}
      }
    });
  }

  async function pass() {
    // ---- the initial setup (a fresh real server only), then the admin's login
    if (setupRequired && transport === 'tcp') {
      await exchange('setup: Hello', 'anonymous', []);
      await exchange('setup: a call before the setup', 'anonymous', [rpc('Users.GetUsers', {})]);
      await exchange('setup: Authenticate before the setup', 'anonymous', [
        rpc('JSONRPC.Authenticate', { username: ADMIN, password: ADMIN_PASS, deviceName: 'cmp-early' }),
      ]);
      await exchange('setup: Version before the setup', 'anonymous', [rpc('JSONRPC.Version', {})]);
      await exchange('setup: SetNotificationStatus before the setup', 'anonymous', [
        rpc('JSONRPC.SetNotificationStatus', { enabled: true }),
      ]);
      await exchange('setup: RequestPushButtonAuth before the setup', 'anonymous', [
        rpc('JSONRPC.RequestPushButtonAuth', { deviceName: 'cmp-early' }),
      ]);
      await exchange('setup: CreateUser, weak password', 'anonymous', [
        rpc('JSONRPC.CreateUser', { username: ADMIN, password: 'weak' }),
      ]);
      await exchange('setup: CreateUser, bad name', 'anonymous', [
        rpc('JSONRPC.CreateUser', { username: 'a b', password: ADMIN_PASS }),
      ]);
      await exchange('setup: CreateUser, no password', 'anonymous', [rpc('JSONRPC.CreateUser', { username: ADMIN })]);
      await exchange('setup: CreateUser', 'anonymous', [
        rpc('JSONRPC.CreateUser', { username: ADMIN, password: ADMIN_PASS, displayName: 'Accord admin' }),
      ]);
      await exchange('setup: Hello after the setup', 'anonymous', []);
      await exchange('setup: CreateUser again', 'anonymous', [
        rpc('JSONRPC.CreateUser', { username: 'cmp_second', password: PASSWORD }),
      ]);
      const r = await exchange('setup: the admin logs in', 'anonymous', [
        rpc('JSONRPC.Authenticate', { username: ADMIN, password: ADMIN_PASS, deviceName: 'cmp-compare' }),
      ]);
      remember(r, 'admin');
      for (const side of sides) side.baselineUsers = new Set();
    }
    for (const side of sides) {
      // The admin's own token stays through resets.
      const [, list] = await quick(side.url(transport), [
        rpc('JSONRPC.Hello', {}, side.tokens.get('admin')),
        rpc('Users.GetTokens', {}, side.tokens.get('admin')),
      ]);
      side.adminTokenId = list.params.tokenInfoList.filter((k) => k.deviceName === 'cmp-compare').at(-1)?.id;
    }

    // ---- the cast: listeners, a user with limited scopes and one without any
    await openListeners(true);
    await exchange('cast: cmp_user', 'admin', [
      rpc(
        'Users.CreateUser',
        { username: 'cmp_user', password: PASSWORD, scopes: ['PermissionScopeControlThings'] },
        '$token:admin',
      ),
    ]);
    await exchange('cast: cmp_none', 'admin', [
      rpc('Users.CreateUser', { username: 'cmp_none', password: PASSWORD, scopes: [] }, '$token:admin'),
    ]);
    for (const who of ['user', 'none']) {
      const r = await exchange(`cast: cmp_${who} logs in`, 'anonymous', [
        rpc('JSONRPC.Authenticate', { username: `cmp_${who}`, password: PASSWORD, deviceName: `cmp-${who}` }),
      ]);
      remember(r, who);
    }
    // The user listener needs cmp_user's token: opened again now.
    await exchange('listener user', 'user', [rpc('JSONRPC.SetNotificationStatus', { enabled: true }, '$token:user')], {
      keep: 'listener-user',
    });
    await exchange('cast: Hello as cmp_user', 'user', []);
    await exchange('cast: Hello as cmp_none', 'none', []);
    await exchange('cast: Hello as the admin', 'admin', []);
    await exchange('cast: Hello with a wrong token', 'wrong', []);

    // ---- every method, as every caller
    await reset();
    for (const as of ['admin', 'user', 'none', 'anonymous', 'wrong']) {
      for (const method of declared) {
        const label = `${method} as ${as}`;
        if (!wanted(label)) continue;
        if (!READS.has(method)) await reset();
        await exchange(label, as, [rpc(method, VALID[method], TOKEN_OF[as])]);
      }
    }
    // A wrong token after a good Hello: the token change.
    for (const method of ['Users.GetUsers', 'JSONRPC.Version', 'JSONRPC.Hello', 'JSONRPC.Authenticate']) {
      if (!wanted(`${method} token change`)) continue;
      await exchange(`${method} with another token than Hello's`, 'admin', [rpc(method, VALID[method], WRONG_TOKEN)]);
      await exchange(`${method} with cmp_user's token after the admin's Hello`, 'admin', [
        rpc(method, VALID[method], '$token:user'),
      ]);
      await exchange(`${method} without a token after the admin's Hello`, 'admin', [rpc(method, VALID[method])]);
    }

    // ---- each parameter broken in turn, as the admin
    for (const method of declared) {
      for (const { params, what } of brokenParamsOf(method)) {
        const label = `params ${method} ${what ?? `params ${short(params)}`}`;
        if (!wanted(label)) continue;
        if (!READS.has(method)) await reset();
        const message = rpc(method, undefined, '$token:admin');
        if (params !== undefined) message.params = params;
        await exchange(label, 'admin', [message]);
        // What a call that went through left: the users as the admin reads them.
        if (!READS.has(method) && method !== 'JSONRPC.Authenticate')
          await exchange(`${label} (users after)`, 'admin', [rpc('Users.GetUsers', {}, '$token:admin')]);
      }
    }

    // ---- special cases: names, scopes, tokens, the push button, notifications
    await reset();
    const SPECIAL = [
      ['Users.CreateUser', { username: 'CMP_Mixed', password: PASSWORD }],
      ['Users.CreateUser', { username: 'cmp_victim', password: PASSWORD }],
      ['Users.CreateUser', { username: 'CMP_VICTIM', password: PASSWORD }],
      ['Users.CreateUser', { username: 'ab', password: 'weak' }],
      ['Users.CreateUser', { username: 'cmp_new x', password: PASSWORD, scopes: [] }],
      ['Users.CreateUser', { username: 'cmp_new', password: 'weak', scopes: ['PermissionScopeExecuteRules'] }],
      ['Users.CreateUser', { username: 'cmp_victim', password: PASSWORD, scopes: ['PermissionScopeConfigureRules'] }],
      [
        'Users.CreateUser',
        {
          username: 'cmp_new',
          password: 'Blubb123',
          scopes: ['PermissionScopeConfigureThings', 'PermissionScopeAccessAllThings'],
        },
      ],
      ['Users.CreateUser', { username: 'cmp_new', password: PASSWORD, allowedThingIds: [UNKNOWN_UUID] }],
      ['Users.CreateUser', { username: 1234567890, password: PASSWORD, scopes: [] }],
      ['Users.CreateUser', { username: 'cmp_new', password: PASSWORD, scopes: ['PermissionScopeAdmin'] }],
      ['Users.CreateUser', { username: 'cmp_new', password: PASSWORD, scopes: ['PermissionScopeNone'] }],
      ['Users.CreateUser', { username: 'cmp_ünï', password: PASSWORD, displayName: 'Ünï "q" \\ /', email: 'x' }],
      ['Users.SetUserScopes', { username: 'CMP_VICTIM', scopes: ['PermissionScopeControlThings'] }],
      ['Users.SetUserScopes', { username: 'cmp_nobody', scopes: [] }],
      ['Users.SetUserScopes', { username: 'cmp_victim', scopes: ['PermissionScopeConfigureThings'] }],
      ['Users.SetUserScopes', { username: 'cmp_victim', scopes: ['PermissionScopeAdmin'] }],
      [
        'Users.SetUserScopes',
        { username: 'cmp_victim', scopes: ['PermissionScopeAccessAllThings', 'PermissionScopeConfigureRules'] },
      ],
      ['Users.SetUserScopes', { username: 'cmp_victim', scopes: [], allowedThingIds: [UNKNOWN_UUID] }],
      ['Users.SetUserScopes', { username: ADMIN, scopes: ['PermissionScopeAdmin'] }],
      ['Users.SetUserInfo', { displayName: 'Admin Renamed' }],
      ['Users.SetUserInfo', { username: 'CMP_VICTIM', displayName: 'x' }],
      ['Users.SetUserInfo', { username: 'cmp_nobody', displayName: 'x' }],
      ['Users.SetUserInfo', { username: 'cmp_victim' }],
      ['Users.SetUserInfo', { username: 'cmp_victim', email: '' }],
      ['Users.ChangeUserPassword', { username: 'CMP_VICTIM', newPassword: PASSWORD2 }],
      ['Users.ChangeUserPassword', { username: 'cmp_nobody', newPassword: PASSWORD2 }],
      ['Users.ChangeUserPassword', { username: 'cmp_nobody', newPassword: 'weak' }],
      ['Users.ChangeUserPassword', { username: 'ab', newPassword: PASSWORD2 }],
      ['Users.ChangePassword', { newPassword: 'weak' }],
      ['Users.RemoveUser', { username: 'CMP_VICTIM' }],
      ['Users.RemoveUser', { username: 'cmp_nobody' }],
      ['Users.RemoveUser', { username: '' }],
      ['Users.RemoveToken', { tokenId: UNKNOWN_UUID }],
      ['Users.RemoveToken', { tokenId: '$tokenid:scratch-braces' }],
      ['Users.GetUserTokens', { username: 'CMP_USER' }],
      ['Users.GetUserTokens', { username: 'cmp_nobody' }],
      ['Users.GetUserTokens', { username: ADMIN }],
      ['JSONRPC.Hello', { locale: 'de' }],
      ['JSONRPC.Hello', { locale: 'de_DE' }],
      ['JSONRPC.Hello', { locale: 'xx' }],
      ['JSONRPC.Hello', { locale: 'en-GB' }],
      ['JSONRPC.Hello', { locale: '' }],
      ['JSONRPC.SetNotificationStatus', { enabled: true }],
      ['JSONRPC.SetNotificationStatus', { enabled: false }],
      ['JSONRPC.SetNotificationStatus', { enabled: false, namespaces: ['Users'] }],
      ['JSONRPC.SetNotificationStatus', { namespaces: ['Users', 'NoSuch', 'JSONRPC', 'Users'] }],
      ['JSONRPC.SetNotificationStatus', { namespaces: ['users'] }],
      ['JSONRPC.SetNotificationStatus', { enabled: 'yes' }],
      ['JSONRPC.SetNotificationStatus', { enabled: 1 }],
      ['JSONRPC.KeepAlive', { sessionId: 42 }],
      ['JSONRPC.KeepAlive', { sessionId: '' }],
      ['JSONRPC.Authenticate', { username: ADMIN.toUpperCase(), password: ADMIN_PASS, deviceName: 'cmp-upper' }],
      ['JSONRPC.Authenticate', { username: 'cmp_user', password: PASSWORD, deviceName: '' }],
      ['JSONRPC.Authenticate', { username: 'cmp_none', password: PASSWORD, deviceName: 'cmp-none2' }],
      ['JSONRPC.Authenticate', { username: ADMIN, password: 'Wrong-Password-1', deviceName: 'cmp-wrong' }],
      ['JSONRPC.Authenticate', { username: 'cmp_nobody', password: 'Wrong-Password-1', deviceName: 'cmp-wrong' }],
      ['JSONRPC.CreateUser', { username: ADMIN, password: PASSWORD }],
      ['JSONRPC.CreateUser', { username: 'cmp_setup', password: 'weak' }],
      ['JSONRPC.RequestPushButtonAuth', { deviceName: '' }],
    ];
    for (const [method, params] of SPECIAL) {
      const label = `special ${method} ${short(params)}`;
      if (!wanted(label)) continue;
      await reset();
      if (params.tokenId === '$tokenid:scratch-braces')
        for (const side of sides)
          side.values.set('$tokenid:scratch-braces', `{${side.values.get('$tokenid:scratch')}}`);
      await exchange(label, 'admin', [rpc(method, params, '$token:admin')]);
      if (!READS.has(method) && !method.startsWith('JSONRPC.')) {
        await exchange(`${label} (users after)`, 'admin', [rpc('Users.GetUsers', {}, '$token:admin')]);
        await exchange(`${label} (tokens after)`, 'admin', [rpc('Users.GetTokens', {}, '$token:admin')]);
      }
    }
    // Two calls on one connection: the second sees what the first did; a second login on one connection.
    const PAIRS = [
      [
        rpc('JSONRPC.SetNotificationStatus', { namespaces: ['Users'] }, '$token:admin'),
        rpc('Users.CreateUser', { username: 'cmp_pair', password: PASSWORD }, '$token:admin'),
      ],
      [rpc('JSONRPC.Hello', { locale: 'de' }, '$token:admin'), rpc('JSONRPC.Hello', {}, '$token:admin')],
      [rpc('JSONRPC.Authenticate', VALID['JSONRPC.Authenticate']), rpc('Users.GetUserInfo', {}, '$token:admin')],
      [
        rpc('JSONRPC.RequestPushButtonAuth', { deviceName: 'cmp-b1' }),
        rpc('JSONRPC.RequestPushButtonAuth', { deviceName: 'cmp-b2' }),
      ],
      [
        rpc('JSONRPC.Authenticate', { username: ADMIN, password: 'Wrong-Password-1', deviceName: 'x' }),
        rpc('JSONRPC.Authenticate', { username: ADMIN, password: 'Wrong-Password-1', deviceName: 'x' }),
      ],
    ];
    for (const [i, pair] of PAIRS.entries()) {
      const label = `pair ${i + 1}: ${pair.map((m) => m.method).join(', ')}`;
      if (!wanted(label)) continue;
      await reset();
      await exchange(label, i >= 2 ? 'anonymous' : 'admin', pair);
    }
    // Lockdown: a failed login, then a new connection at once.
    if (wanted('lockdown')) {
      await exchange(
        'lockdown: a failed login',
        'anonymous',
        [rpc('JSONRPC.Authenticate', { username: ADMIN, password: 'Wrong-Password-1', deviceName: 'x' })],
        { noWait: true },
      );
      // During the lockdown a new connection is closed when its Hello arrives, without a reply.
      await exchange('lockdown: a new connection at once', 'anonymous', [], { lockdown: true });
    }

    // ---- envelopes and first messages
    for (const step of ENVELOPES) {
      const label = `envelope ${step.send.slice(0, 60)}`;
      if (!wanted(label)) continue;
      await exchange(label, 'admin', [step], { lockdown: step.lockdown });
    }
    for (const step of FIRSTS) {
      const label = `first message ${step.send.slice(0, 60)}`;
      if (!wanted(label)) continue;
      await exchange(label, 'anonymous', [step], { hello: false });
    }
  }

  try {
    await pass();
    if (args['url-ws']) {
      transport = 'ws';
      for (const side of sides) {
        for (const l of side.listeners) l.conn.end();
        side.listeners = [];
      }
      await arrange(
        rpc('Users.RemoveUser', { username: 'cmp_user' }, '$token:admin'),
        rpc('Users.RemoveUser', { username: 'cmp_none' }, '$token:admin'),
      );
      await pass();
    }
  } finally {
    // Clean up what this run made (on both sides): users but the admin, tokens of the admin's it issued.
    for (const side of sides) for (const l of side.listeners) l.conn.end();
    transport = 'tcp';
    try {
      for (const side of sides) {
        const t = side.tokens.get('admin');
        if (!t) continue;
        const [, users, tokens] = await quick(side.url('tcp'), [
          rpc('JSONRPC.Hello', {}, t),
          rpc('Users.GetUsers', {}, t),
          rpc('Users.GetTokens', {}, t),
        ]);
        const own = tokens?.params?.tokenInfoList?.find((k) => k.id === side.adminTokenId);
        await quick(side.url('tcp'), [
          rpc('JSONRPC.Hello', {}, t),
          ...(users?.params?.users ?? [])
            .filter((u) => u.username !== ADMIN.toLowerCase() && !side.baselineUsers?.has(u.username))
            .map((u) => rpc('Users.RemoveUser', { username: u.username }, t)),
          ...(tokens?.params?.tokenInfoList ?? [])
            .filter((k) => !side.baseline.has(k.id) && k !== own)
            .map((k) => rpc('Users.RemoveToken', { tokenId: k.id }, t)),
          ...(own ? [rpc('Users.RemoveToken', { tokenId: own.id }, t)] : []),
        ]);
      }
    } catch (e) {
      console.error(`compare-nymea: cleaning up: ${e.message}`);
    }
    mock.stop();
  }
  if (outOfScope)
    console.log(`not compared: the real JSONRPC.Introspect's ${outOfScope} of the namespaces accord does not mock`);
  console.log(`${compared} exchanges compared, ${differing} differ`);
  process.exit(differing > 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(`compare-nymea: ${error.stack ?? error.message}`);
  process.exit(2);
});
