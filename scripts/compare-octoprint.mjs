#!/usr/bin/env node
// Send the same requests to a real OctoPrint and to accord's OctoPrint mock, one at a time, and print where
// their answers differ (status, Content-Type, Allow, Location, cookie names, the body with sets sorted and
// secrets replaced by placeholders).
//
//   node scripts/compare-octoprint.mjs --url http://127.0.0.1:5180 --admin-key A --user-key U --global-key G
//
// The mock is started here (`accord serve octoprint` from dist/bundle, with the same keys), so both sides hold
// the same users and keys. The run makes users and groups named cmp_*, and removes them again.
// Exit status: 0 no difference, 1 differences, 2 could not run. Needs a running real server (see
// ../shared/real/octoprint); `npm test` does not run this.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    'admin-key': { type: 'string' },
    'user-key': { type: 'string' },
    'global-key': { type: 'string' },
    only: { type: 'string' },
    verbose: { type: 'boolean' },
  },
});
if (!args.url || !args['admin-key'] || !args['user-key'] || !args['global-key']) {
  console.error(
    'usage: compare-octoprint.mjs --url URL --admin-key K --user-key K --global-key K [--only TEXT] [--verbose]',
  );
  process.exit(2);
}
const KEYS = { admin: args['admin-key'], user: args['user-key'], global: args['global-key'] };
const WRONG_KEY = 'cmpWrongKeyThatMatchesNothing0000000000000';
const PASSWORD = 'Cmp-Password-1';

// ---- transport ------------------------------------------------------------------------------------------

/** One request; `raw` sends the bytes as they are (verbs node's client refuses, such as CONNECT). */
function send(base, req) {
  const url = new URL(base);
  if (req.raw) return sendRaw(url, req);
  return new Promise((resolve) => {
    const headers = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const r = http.request({ host: url.hostname, port: url.port, method: req.verb, path: req.path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    r.on('error', (e) => resolve({ status: 0, headers: {}, body: `transport error: ${e.code ?? e.message}` }));
    r.setTimeout(20_000, () => r.destroy(new Error('timeout')));
    r.end(req.body);
  });
}

function sendRaw(url, req) {
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(parseRaw(Buffer.concat(chunks).toString('utf8')));
    };
    socket.on('connect', () =>
      socket.write(`${req.verb} ${req.path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`),
    );
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
    socket.setTimeout(5000, finish);
  });
}

function parseRaw(text) {
  if (text === '') return { status: 0, headers: {}, body: 'connection closed with no bytes' };
  const [head, ...rest] = text.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = rest.join('\r\n\r\n');
  // Chunked framing: keep only the data.
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = unchunk(body);
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body };
}

function unchunk(body) {
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, eol), 16);
    if (!(size > 0)) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 4 + size);
  }
}

// ---- callers and sessions -------------------------------------------------------------------------------

/** Per server: the cookies of its browser session (made by `login`). */
class Side {
  constructor(name, base) {
    this.name = name;
    this.base = base;
    this.jar = new Map();
  }
  headersFor(as) {
    if (as === 'admin' || as === 'user' || as === 'global') return { 'x-api-key': KEYS[as] };
    if (as === 'wrong') return { 'x-api-key': WRONG_KEY };
    if (as === 'session' || as === 'session-no-csrf') {
      const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const csrf = [...this.jar].find(([k]) => k.startsWith('csrf_token'))?.[1];
      return { cookie, ...(as === 'session' && csrf ? { 'x-csrf-token': csrf } : {}) };
    }
    return {};
  }
  async call(step) {
    const headers = { ...this.headersFor(step.as ?? 'anonymous'), ...(step.headers ?? {}) };
    if (step.json !== undefined) headers['content-type'] ??= 'application/json';
    const body =
      step.json !== undefined ? (typeof step.json === 'string' ? step.json : JSON.stringify(step.json)) : step.body;
    const res = await send(this.base, { ...step, headers, body });
    for (const [name, value] of setCookies(res.headers)) {
      if (value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }
}

function setCookies(headers) {
  const raw = headers['set-cookie'];
  const list = (Array.isArray(raw) ? raw : raw ? [raw] : []).flatMap((c) => c.split(/,\s*(?=[A-Za-z0-9_.-]+=)/));
  return list.map((c) => {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    return [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
  });
}

// ---- normalising ----------------------------------------------------------------------------------------

// Python sets on the wire: needs, and a user's groups after an update (list(set(...)), in hash order).
const SET_KEYS = new Set(['role', 'group', 'groups']);
const SECRET_FIELDS = new Set(['session', '_credentials_seen']);

function normalise(res) {
  const out = { status: res.status };
  const type = res.headers['content-type'];
  if (type) out.contentType = type;
  if (res.headers['allow'] !== undefined) out.allow = res.headers['allow'].split(/,\s*/).sort().join(', ');
  if (res.headers['location'] !== undefined) out.location = res.headers['location'].replace(/^https?:\/\/[^/]+/, '');
  const cookies = setCookies(res.headers).map(
    ([name, value]) => `${name.replace(/_P\d+$/, '_P<port>')}${value === '' ? '=(cleared)' : ''}`,
  );
  if (cookies.length > 0) out.cookies = cookies.sort();
  if (/json/.test(type ?? '')) {
    // The layout too: Flask's indent (2, a newline at the end) or compact.
    out.layout = /^[[{]\n  \S/.test(res.body) ? 'indented' : /^[[{][^\n]*\n?$/.test(res.body) ? 'one line' : 'other';
    if (res.body.endsWith('\n')) out.layout += ', newline at the end';
    try {
      out.json = tidy(JSON.parse(res.body), '');
    } catch {
      out.body = res.body;
    }
  } else out.body = res.body.length > 300 ? `${res.body.slice(0, 300)}…(${res.body.length} chars)` : res.body;
  return out;
}

function tidy(value, key) {
  if (Array.isArray(value)) {
    const items = value.map((v) => tidy(v, ''));
    return SET_KEYS.has(key) ? items.sort() : items;
  }
  if (value && typeof value === 'object') {
    const out = {};
    for (const k of Object.keys(value).sort()) out[k] = tidy(value[k], k);
    return out;
  }
  if (key === 'apikey' && typeof value === 'string') {
    const known = Object.entries(KEYS).find(([, v]) => v === value);
    return known ? `<${known[0]}-key>` : '<new-key>';
  }
  if (SECRET_FIELDS.has(key) && typeof value === 'string') return `<${key}>`;
  return value;
}

function differences(a, b, path = '', out = []) {
  if (out.length >= 8) return out;
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a)
      ? [...Array(Math.max(a.length, b.length)).keys()]
      : [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) differences(a[k], b[k], `${path}/${k}`, out);
    return out;
  }
  out.push(`${path || '/'}: real ${short(a)}  mock ${short(b)}`);
  return out;
}

const short = (v) => {
  const s = v === undefined ? '(absent)' : JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
};

// ---- the requests ---------------------------------------------------------------------------------------

const CALLERS = ['admin', 'user', 'global', 'anonymous', 'wrong', 'session', 'session-no-csrf'];
const U = 'cmp_user';
const G = 'cmp_group';
const newUser = (name) => ({ name, password: PASSWORD, active: true, groups: ['users'], permissions: [] });
const newGroup = (key) => ({
  key,
  name: key,
  description: 'cmp',
  permissions: ['STATUS'],
  subgroups: [],
  default: false,
});

/** Every route, with a body that succeeds for a caller allowed to use it. */
const ROUTES = [
  { verb: 'GET', path: '/api/access/permissions' },
  { verb: 'GET', path: '/api/access/groups' },
  { verb: 'POST', path: '/api/access/groups', json: newGroup('cmp_group2') },
  { verb: 'GET', path: `/api/access/groups/${G}` },
  {
    verb: 'PUT',
    path: `/api/access/groups/${G}`,
    json: { description: 'changed', permissions: ['STATUS', 'CONNECTION'], subgroups: [] },
  },
  { verb: 'DELETE', path: `/api/access/groups/${G}` },
  { verb: 'GET', path: '/api/access/users' },
  { verb: 'POST', path: '/api/access/users', json: newUser('cmp_user2') },
  { verb: 'GET', path: `/api/access/users/${U}` },
  {
    verb: 'PUT',
    path: `/api/access/users/${U}`,
    json: { active: false, groups: ['users', G], permissions: ['STATUS'] },
  },
  { verb: 'DELETE', path: `/api/access/users/${U}` },
  { verb: 'PUT', path: `/api/access/users/${U}/password`, json: { password: 'Cmp-Password-2', current: PASSWORD } },
  { verb: 'GET', path: `/api/access/users/${U}/settings` },
  { verb: 'PATCH', path: `/api/access/users/${U}/settings`, json: { cmp: 1 } },
  { verb: 'POST', path: `/api/access/users/${U}/apikey` },
  { verb: 'DELETE', path: `/api/access/users/${U}/apikey` },
  // The caller's own records (the session user is cmp_sess).
  { verb: 'GET', path: '/api/access/users/operator' },
  { verb: 'GET', path: '/api/access/users/cmp_sess' },
  { verb: 'PATCH', path: '/api/access/users/cmp_sess/settings', json: { own: true } },
  { verb: 'GET', path: '/api/access/users/cmp_sess/settings' },
  { verb: 'GET', path: '/api/currentuser' },
  { verb: 'GET', path: '/api/version' },
  { verb: 'POST', path: '/api/login', json: { passive: true } },
  { verb: 'GET', path: '/api/users' },
  { verb: 'PUT', path: `/api/users/${U}`, json: {} },
  { verb: 'GET', path: '/api/access/nothing' },
  { verb: 'DELETE', path: '/api/access/permissions' },
  { verb: 'PUT', path: '/api/access/users' },
  { verb: 'GET', path: '/api/access/users/' },
];

/** Bad bodies and odd requests, as admin, each on fresh cmp_user and cmp_group. */
const BAD = [
  ...[
    'POST /api/access/groups',
    `PUT /api/access/groups/${G}`,
    'POST /api/access/users',
    `PUT /api/access/users/${U}`,
    `PUT /api/access/users/${U}/password`,
    `PATCH /api/access/users/${U}/settings`,
    'POST /api/login',
  ].flatMap((route) => {
    const [verb, path] = route.split(' ');
    return [
      { verb, path, json: '{' },
      { verb, path, json: '' },
      { verb, path, json: 'null' },
      { verb, path, json: '[]' },
      { verb, path, json: '"text"' },
      { verb, path, json: '5' },
      { verb, path, json: '{}' },
      { verb, path, body: '{}', headers: { 'content-type': 'text/plain' } },
      { verb, path, body: '' },
      { verb, path, json: '{"a":1,"a":2}' },
      { verb, path, json: `${'['.repeat(2000)}${']'.repeat(2000)}` },
    ];
  }),
  { verb: 'POST', path: '/api/access/users', json: { ...newUser('cmp_user3'), password: 12345 } },
  { verb: 'POST', path: '/api/access/users', json: { ...newUser('cmp_user3'), permissions: 5 } },
  { verb: 'POST', path: '/api/access/users', json: { ...newUser('cmp_user3'), groups: 'users' } },
  { verb: 'POST', path: '/api/access/users', json: { ...newUser('cmp_user3'), groups: ['nosuchgroup'] } },
  { verb: 'POST', path: '/api/access/users', json: { ...newUser('cmp_user3'), name: 5 } },
  { verb: 'POST', path: '/api/access/users', json: { ...newUser(U) } },
  { verb: 'POST', path: '/api/access/users', json: { name: 'cmp_user3', password: PASSWORD } },
  { verb: 'POST', path: '/api/access/users', json: { name: 'cmp_user3', active: true } },
  { verb: 'POST', path: '/api/access/users', json: { ...newUser('cmp_user3'), active: 'false' } },
  { verb: 'PUT', path: `/api/access/users/${U}`, json: { password: 12345 } },
  { verb: 'PUT', path: `/api/access/users/${U}`, json: { password: 'x' } },
  { verb: 'PUT', path: `/api/access/users/${U}`, json: { active: 'false' } },
  { verb: 'PUT', path: `/api/access/users/${U}`, json: { active: 0 } },
  { verb: 'PUT', path: `/api/access/users/${U}`, json: { groups: 'users' } },
  { verb: 'PUT', path: `/api/access/users/${U}`, json: { groups: null } },
  { verb: 'PUT', path: `/api/access/users/${U}`, json: { groups: ['nosuchgroup'] } },
  { verb: 'PUT', path: `/api/access/users/${U}`, json: { permissions: 5 } },
  { verb: 'PUT', path: `/api/access/users/${U}`, json: { permissions: ['NOSUCH'] } },
  { verb: 'PUT', path: '/api/access/users/cmp_nobody', json: { active: true } },
  { verb: 'PUT', path: `/api/access/users/${U}/password`, json: { password: 12345 } },
  { verb: 'PUT', path: `/api/access/users/${U}/password`, json: { password: '' } },
  { verb: 'PUT', path: `/api/access/users/${U}/password`, json: { current: PASSWORD } },
  { verb: 'PUT', path: '/api/access/users/cmp_nobody/password', json: { password: 'x' } },
  { verb: 'PATCH', path: `/api/access/users/${U}/settings`, json: '[1]' },
  { verb: 'PATCH', path: `/api/access/users/${U}/settings`, json: { a: { b: 1 } } },
  { verb: 'PATCH', path: '/api/access/users/cmp_nobody/settings', json: { a: 1 } },
  { verb: 'GET', path: '/api/access/users/cmp_nobody/settings' },
  { verb: 'POST', path: '/api/access/users/cmp_nobody/apikey' },
  { verb: 'DELETE', path: '/api/access/users/cmp_nobody/apikey' },
  { verb: 'DELETE', path: '/api/access/users/cmp_nobody' },
  { verb: 'GET', path: '/api/access/users/cmp_nobody' },
  { verb: 'POST', path: '/api/access/groups', json: { ...newGroup('cmp_group3'), permissions: ['NOSUCH'] } },
  { verb: 'POST', path: '/api/access/groups', json: { ...newGroup('cmp_group3'), subgroups: ['nosuch'] } },
  { verb: 'POST', path: '/api/access/groups', json: { ...newGroup('cmp_group3'), key: 5 } },
  { verb: 'POST', path: '/api/access/groups', json: { ...newGroup(G) } },
  { verb: 'POST', path: '/api/access/groups', json: { key: 'cmp_group3', name: 'x' } },
  { verb: 'POST', path: '/api/access/groups', json: { key: 'cmp_group3', permissions: [] } },
  { verb: 'POST', path: '/api/access/groups', json: { name: 'x', permissions: [] } },
  { verb: 'POST', path: '/api/access/groups', json: { ...newGroup('cmp_group3'), permissions: 'STATUS' } },
  { verb: 'POST', path: '/api/access/groups', json: { ...newGroup('cmp_group3'), subgroups: [G] } },
  { verb: 'PUT', path: `/api/access/groups/${G}`, json: { permissions: ['NOSUCH'] } },
  { verb: 'PUT', path: `/api/access/groups/${G}`, json: { subgroups: [G] } },
  { verb: 'PUT', path: `/api/access/groups/${G}`, json: { default: 'yes' } },
  { verb: 'PUT', path: '/api/access/groups/admins', json: { description: 'x' } },
  { verb: 'PUT', path: '/api/access/groups/readonly', json: { permissions: [] } },
  { verb: 'PUT', path: '/api/access/groups/cmp_nobody', json: {} },
  { verb: 'DELETE', path: '/api/access/groups/admins' },
  { verb: 'DELETE', path: '/api/access/groups/cmp_nobody' },
  { verb: 'GET', path: '/api/access/groups/cmp_nobody' },
  { verb: 'POST', path: '/api/login', json: { user: 'cmp_sess', pass: 'wrong' } },
  { verb: 'POST', path: '/api/login', json: { user: 'cmp_nobody', pass: 'x' } },
  { verb: 'POST', path: '/api/login', json: { user: 'cmp_sess' } },
  { verb: 'GET', path: '/api/access/users?apikey=' + WRONG_KEY },
  { verb: 'GET', path: '/api/access/users', headers: { authorization: `Bearer ${KEYS.admin}` } },
  { verb: 'GET', path: '/api/access/users', headers: { 'x-api-key': '' } },
  { verb: 'HEAD', path: '/api/access/permissions' },
  { verb: 'OPTIONS', path: '/api/access/permissions' },
  { verb: 'OPTIONS', path: `/api/access/users/${U}` },
  { verb: 'TRACE', path: '/api/access/permissions', raw: true },
  { verb: 'CONNECT', path: '127.0.0.1:80', raw: true },
  { verb: 'FOO', path: '/api/access/permissions', raw: true },
  { verb: 'PROPFIND', path: '/api/access/permissions', raw: true },
  { verb: 'GET', path: '/api/users?apikey=x&a=1' },
  { verb: 'GET', path: '/api/access/users/cmp%2Fnobody' },
  { verb: 'GET', path: '/api/nothing' },
  { verb: 'GET', path: '/nothing' },
];

// ---- the run --------------------------------------------------------------------------------------------

async function startMock() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const child = spawn(
    process.execPath,
    [
      join(root, 'dist/bundle/accord.js'),
      'serve',
      'octoprint',
      '--admin-key',
      KEYS.admin,
      '--user-key',
      KEYS.user,
      '--global-key',
      KEYS.global,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`accord serve exited (${code})`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

async function main() {
  const mock = await startMock();
  const sides = [new Side('real', args.url), new Side('mock', mock.url)];
  let differing = 0;
  let compared = 0;

  async function both(label, step, { compare = true } = {}) {
    const answers = [];
    for (const side of sides) answers.push(normalise(await side.call(step)));
    if (!compare) return answers;
    compared += 1;
    const diff = differences(answers[0], answers[1]);
    if (diff.length > 0 || args.verbose) {
      if (diff.length > 0) differing += 1;
      const shown =
        step.json !== undefined
          ? ` ${typeof step.json === 'string' ? step.json.slice(0, 60) : JSON.stringify(step.json)}`
          : '';
      console.log(`${diff.length > 0 ? 'DIFF' : 'same'} ${label}: ${step.verb} ${step.path}${shown}`);
      for (const d of diff) console.log(`    ${d}`);
    }
    return answers;
  }

  const admin = (verb, path, json) => ({ verb, path, as: 'admin', ...(json !== undefined ? { json } : {}) });
  async function reset() {
    for (const name of [U, 'cmp_user2', 'cmp_user3'])
      await both('reset', admin('DELETE', `/api/access/users/${name}`), { compare: false });
    for (const key of [G, 'cmp_group2', 'cmp_group3'])
      await both('reset', admin('DELETE', `/api/access/groups/${key}`), { compare: false });
    await both('reset: make group', admin('POST', '/api/access/groups', newGroup(G)));
    await both('reset: make user', admin('POST', '/api/access/users', newUser(U)));
  }

  // The browser session: a user of our own (the real admin's password is random), logged in with a password.
  await both('setup', admin('DELETE', '/api/access/users/cmp_sess'), { compare: false });
  await both('setup: session user', admin('POST', '/api/access/users', newUser('cmp_sess')));
  await both('login page', { verb: 'GET', path: '/login' }, { compare: false });
  await both('login', {
    verb: 'POST',
    path: '/api/login',
    as: 'session',
    json: { user: 'cmp_sess', pass: PASSWORD, remember: false },
  });

  const [realVersion, mockVersion] = await both(
    'version',
    { verb: 'GET', path: '/api/version', as: 'admin' },
    { compare: false },
  );
  console.log(
    `real: OctoPrint ${realVersion.json?.server ?? '(unknown)'}, mock: OctoPrint ${mockVersion.json?.server ?? '(unknown)'} (GET /api/version)`,
  );
  const wanted = (label) => !args.only || label.includes(args.only);
  for (const as of CALLERS) {
    for (const route of ROUTES) {
      const label = `${as}`;
      if (!wanted(`${label} ${route.verb} ${route.path}`)) continue;
      if (route.verb !== 'GET') await reset();
      await both(label, { ...route, as });
    }
  }
  await reset();
  for (const step of BAD) {
    if (!wanted(`bad ${step.verb} ${step.path}`)) continue;
    if (step.verb !== 'GET') await reset();
    await both('bad', { as: 'admin', ...step });
  }
  await both('logout', { verb: 'POST', path: '/api/logout', as: 'session' });

  // Clean up what this run made (on both sides).
  for (const name of [U, 'cmp_user2', 'cmp_user3', 'cmp_sess'])
    await both('cleanup', admin('DELETE', `/api/access/users/${name}`), { compare: false });
  for (const key of [G, 'cmp_group2', 'cmp_group3', 5])
    await both('cleanup', admin('DELETE', `/api/access/groups/${key}`), { compare: false });
  mock.stop();
  console.log(`${compared} requests compared, ${differing} differ`);
  process.exit(differing > 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(`compare-octoprint: ${error.message}`);
  process.exit(2);
});
