#!/usr/bin/env node
// Send the same JSON-RPC requests to a real Kanboard and to accord's Kanboard mock, one at a time, and print
// where their answers differ (HTTP status, Content-Type, WWW-Authenticate, the body: parsed JSON in its key
// order, plus whether "/" and non-ASCII are escaped).
//
//   node scripts/compare-kanboard.mjs --url http://127.0.0.1:8770 --app-token T [--admin admin:admin]
//     [--variant sqlite|postgres|mysql] [--only TEXT] [--verbose]
//
// The mock is started here (`accord serve kanboard` from dist/bundle, with the same app token, admin login and
// variant), so both sides hold the same users. The run makes users, groups and projects named cmp_* (an
// app-manager cmp_manager and an app-user cmp_user log in as callers), and removes them again.
// Normalised, and only these: ids this run allocated (in id fields, in the keys of user maps, and as the result
// of create*) become <id:NAME>, since a real server that ran before hands out other ids; `password` hashes
// become <hash>; project `last_modified` and users' `lock_expiration_date` when it is a time become <time>.
// Exit status: 0 no difference, 1 differences, 2 could not run. Needs a running real server (see
// ../shared/real/kanboard); `npm test` does not run this.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    'app-token': { type: 'string' },
    admin: { type: 'string', default: 'admin:admin' },
    variant: { type: 'string', default: 'sqlite' },
    only: { type: 'string' },
    verbose: { type: 'boolean' },
  },
});
if (!args.url || !args['app-token']) {
  console.error(
    'usage: compare-kanboard.mjs --url URL --app-token T [--admin USER:PASS] [--variant V] [--only TEXT] [--verbose]',
  );
  process.exit(2);
}
const PASSWORD = 'Cmp-Password-1';
const [ADMIN_NAME, ADMIN_PASS] = args.admin.split(/:(.*)/s);
const CREDENTIALS = {
  app: ['jsonrpc', args['app-token']],
  admin: [ADMIN_NAME, ADMIN_PASS],
  manager: ['cmp_manager', PASSWORD],
  user: ['cmp_user', PASSWORD],
  // A wrong token for the app user; a wrong password for cmp_user counts as a failed login (7 lock it), so once.
  wrong: ['jsonrpc', 'cmpWrongTokenThatMatchesNothing000000000000000000000000'],
};

// ---- transport ------------------------------------------------------------------------------------------

function send(base, req) {
  const url = new URL(base);
  return new Promise((resolve) => {
    const headers = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const r = http.request(
      { host: url.hostname, port: url.port, method: req.verb ?? 'POST', path: req.path ?? '/jsonrpc.php', headers },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    r.on('error', (e) => resolve({ status: 0, headers: {}, body: `transport error: ${e.code ?? e.message}` }));
    r.setTimeout(20_000, () => r.destroy(new Error('timeout')));
    r.end(req.body);
  });
}

// ---- the two sides --------------------------------------------------------------------------------------

/** Per server: the ids this run allocated, by name (so that a request names "the user cmp_victim"). */
class Side {
  constructor(name, base) {
    this.name = name;
    this.base = base;
    this.ids = new Map();
    /** [kind, id] of every row this run made. */
    this.made = [];
  }
  /** Placeholders in params: "$user:cmp_user" is that user's id on this side, "$suser:..." as a string (an unknown name: 999999). */
  /** Placeholders in params: "$user:cmp_user" is that user's id on this side, "$suser:..." it as a string. */
  resolve(value) {
    if (typeof value === 'string' && /^\$s?(user|group|project):/.test(value)) {
      const [kind, name] = value.slice(1).split(/:(.*)/s);
      const id = this.ids.get(`${kind.replace(/^s/, '')}:${name}`) ?? 999999;
      return kind.startsWith('s') ? String(id) : id;
    }
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
    return value;
  }
  /** The name of a `kind` id this run allocated on this side, if any. */
  nameOf(kind, value) {
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !kind) return undefined;
    for (const [key, id] of this.ids) if (id === n && key.startsWith(`${kind}:`)) return key.slice(kind.length + 1);
    return undefined;
  }
  async call(step) {
    const headers = { ...(step.headers ?? {}) };
    const as = step.as ?? 'app';
    if (CREDENTIALS[as]) {
      const [u, p] = CREDENTIALS[as];
      headers.authorization = `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
    } else if (as === 'user-wrong-password')
      headers.authorization = `Basic ${Buffer.from('cmp_user:not-the-password').toString('base64')}`;
    let body = step.body;
    if (step.rpc !== undefined) body = JSON.stringify(this.resolve(step.rpc));
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    return send(this.base, { ...step, headers, body });
  }
}

// ---- normalising ----------------------------------------------------------------------------------------

function normalise(res, side, step) {
  const out = { status: res.status };
  if (res.headers['content-type'] !== undefined) out.contentType = res.headers['content-type'];
  if (res.headers['www-authenticate'] !== undefined) out.wwwAuthenticate = res.headers['www-authenticate'];
  if (res.body === '') out.body = '(empty)';
  else {
    try {
      const parsed = JSON.parse(res.body);
      out.json = tidy(parsed, '', side, step);
      out.escapes = [
        /\\\//.test(res.body) ? '\\/' : '',
        /\\u[0-9a-fA-F]{4}/.test(res.body) ? '\\uXXXX' : '',
        /\n$/.test(res.body) ? 'newline at the end' : '',
      ]
        .filter(Boolean)
        .join(' ');
    } catch {
      out.body = res.body.length > 300 ? `${res.body.slice(0, 300)}…(${res.body.length} chars)` : res.body;
    }
  }
  return out;
}

/** What kind of row a method's `id` fields name (getGroupMembers: users; getMemberGroups: groups). */
function kindOf(method) {
  const m = String(method ?? '').toLowerCase();
  if (/group/.test(m) && m !== 'getgroupmembers') return 'group';
  if (/project/.test(m)) return 'project';
  return 'user';
}
const FIELD_KIND = {
  user_id: 'user',
  owner_id: 'user',
  group_id: 'group',
  project_id: 'project',
  default_project_id: 'project',
};

/** The request a step sends: its rpc, or its raw body parsed (an envelope case's method names the ids' kind). */
function sentOf(step) {
  if (step.rpc !== undefined) return step.rpc;
  try {
    return JSON.parse(step.body);
  } catch {
    return undefined;
  }
}

function tidy(value, key, side, step) {
  const sent = sentOf(step);
  // A batch: each reply with its request's method (matched by id, else by position).
  if (key === '' && Array.isArray(value) && Array.isArray(sent))
    return value.map((v, i) =>
      tidy(v, '', side, { rpc: sent.find((r) => r?.id !== undefined && r.id === v?.id) ?? sent[i] }),
    );
  const method = typeof sent?.method === 'string' ? sent.method : '';
  return tidyIn(value, key, side, kindOf(method), /^create/i.test(method));
}

function tidyIn(value, key, side, kind, create) {
  if (Array.isArray(value)) return value.map((v) => tidyIn(v, '', side, kind, false));
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      // A user map (getProjectUsers...) is keyed by user id.
      const named = /^\d+$/.test(k) ? side.nameOf('user', k) : undefined;
      const nk = named ? `<id:${named}>` : k;
      if (create && k === 'result' && typeof v === 'number') {
        out[nk] = side.nameOf(kind, v) !== undefined ? `<id:${side.nameOf(kind, v)}>` : '<new id>';
        continue;
      }
      out[nk] = tidyIn(v, k, side, kind, create);
    }
    return out;
  }
  const fieldKind = key === 'id' ? kind : FIELD_KIND[key];
  if (fieldKind && side.nameOf(fieldKind, value) !== undefined) return `<id:${side.nameOf(fieldKind, value)}>`;
  if (key === 'password' && typeof value === 'string' && /^\$2y\$/.test(value)) return '<hash>';
  if (key === 'last_modified' && Number(value) > 1_000_000_000) return '<time>';
  if (key === 'lock_expiration_date' && Number(value) > 1_000_000_000) return '<time>';
  return value;
}

function differences(a, b, path = '', out = []) {
  if (out.length >= 8) return out;
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const before = out.length;
    const keys = Array.isArray(a)
      ? [...Array(Math.max(a.length, b.length)).keys()]
      : [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) differences(a[k], b[k], `${path}/${k}`, out);
    // Same members, another order: PHP keeps its arrays' order, so the order is part of the answer.
    if (out.length === before && !Array.isArray(a))
      out.push(`${path || '/'}: key order: real ${Object.keys(a).join(',')}  mock ${Object.keys(b).join(',')}`);
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

let nextId = 1;
const rpc = (method, params) => ({
  jsonrpc: '2.0',
  method,
  id: nextId++,
  ...(params !== undefined ? { params } : {}),
});

const USER = '$user:cmp_user';
const VICTIM = '$user:cmp_victim';
const GROUP = '$group:cmp_group';
const GROUP2 = '$group:cmp_group2';
const PROJECT = '$project:cmp_project';

/** Every declared method with params that succeed for a caller allowed to call it. */
const VALID = [
  ['getMe', {}],
  ['getUser', { user_id: USER }],
  ['getUserByName', { username: 'cmp_user' }],
  ['getAllUsers', undefined],
  ['createUser', { username: 'cmp_new', password: PASSWORD, name: 'Cmp New', email: 'cmp@example.com' }],
  ['createLdapUser', { username: 'cmp_ldap' }],
  ['updateUser', { id: VICTIM, name: 'Cmp Renamed', email: 'cmp2@example.com', role: 'app-manager' }],
  ['removeUser', { user_id: VICTIM }],
  ['disableUser', { user_id: VICTIM }],
  ['enableUser', { user_id: VICTIM }],
  ['isActiveUser', { user_id: VICTIM }],
  ['createGroup', { name: 'cmp_group3', external_id: 'cmp-ext' }],
  ['updateGroup', { group_id: GROUP2, name: 'cmp_group2b', external_id: 'x' }],
  ['removeGroup', { group_id: GROUP2 }],
  ['getGroup', { group_id: GROUP }],
  ['getAllGroups', undefined],
  ['getMemberGroups', { user_id: VICTIM }],
  ['getGroupMembers', { group_id: GROUP }],
  ['addGroupMember', { group_id: GROUP2, user_id: VICTIM }],
  ['removeGroupMember', { group_id: GROUP, user_id: VICTIM }],
  ['isGroupMember', { group_id: GROUP, user_id: VICTIM }],
  ['getProjectUsers', { project_id: PROJECT }],
  ['getAssignableUsers', { project_id: PROJECT, prepend_unassigned: true }],
  ['addProjectUser', { project_id: PROJECT, user_id: 1, role: 'project-viewer' }],
  ['addProjectGroup', { project_id: PROJECT, group_id: GROUP2, role: 'project-member' }],
  ['removeProjectUser', { project_id: PROJECT, user_id: VICTIM }],
  ['removeProjectGroup', { project_id: PROJECT, group_id: GROUP }],
  ['changeProjectUserRole', { project_id: PROJECT, user_id: VICTIM, role: 'project-manager' }],
  ['changeProjectGroupRole', { project_id: PROJECT, group_id: GROUP, role: 'project-member' }],
  ['getProjectUserRole', { project_id: PROJECT, user_id: USER }],
  ['createProject', { name: 'cmp_project2', description: 'cmp' }],
  ['getProjectById', { project_id: PROJECT }],
  ['removeProject', { project_id: '$project:cmp_project2' }],
];
const READS = new Set([
  'getMe',
  'getUser',
  'getUserByName',
  'getAllUsers',
  'isActiveUser',
  'getGroup',
  'getAllGroups',
  'getMemberGroups',
  'getGroupMembers',
  'isGroupMember',
  'getProjectUsers',
  'getAssignableUsers',
  'getProjectUserRole',
  'getProjectById',
]);

const ID_PARAMS = ['user_id', 'group_id', 'project_id', 'id'];
/** Wrong values for an id parameter. */
const BAD_IDS = [999999, 0, -1, '$suser:cmp_victim', 'abc', '', null, true, false, 1.5, [1], { a: 1 }];

/** Per method: its valid params changed one way at a time (missing, wrong type, unknown id...). */
function badParamsOf(method, params) {
  const out = [];
  if (params === undefined) return [{ x: 1 }, [1], 'text'];
  const keys = Object.keys(params);
  out.push({}, [], null, 'text', 5, { ...params, cmp_unknown: 1 });
  for (const k of keys) {
    const { [k]: _, ...rest } = params;
    out.push(rest);
    // true is id 1 (the admin, the first project): only reads get it.
    if (ID_PARAMS.includes(k)) {
      for (const bad of BAD_IDS) if (bad !== true || READS.has(method)) out.push({ ...params, [k]: bad });
    } else {
      for (const bad of [null, 5, true, ['x'], { a: 1 }, '', '   ', 'ÉTÉ/é'])
        if (JSON.stringify(bad) !== JSON.stringify(params[k])) out.push({ ...params, [k]: bad });
    }
  }
  // Positional: in order, one too many, one too few.
  const values = Object.values(params);
  out.push(values, [...values, 'extra'], values.slice(0, -1));
  return out;
}

/** Cases beyond one parameter at a time: duplicates, case, lengths, roles. */
const SPECIAL = [
  ['createUser', { username: 'cmp_user', password: PASSWORD }],
  ['createUser', { username: 'CMP_USER', password: PASSWORD }],
  ['createUser', { username: ' cmp_sp ', password: PASSWORD }],
  ['createUser', { username: 'cmp_new', password: '12345' }],
  ['createUser', { username: 'cmp_new', password: '123456' }],
  ['createUser', { username: 'cmp_new', password: PASSWORD, role: 'app-admin' }],
  ['createUser', { username: 'cmp_new', password: PASSWORD, role: 'nosuch' }],
  ['createUser', { username: 'cmp_new', password: PASSWORD, email: 'not-an-email' }],
  ['createUser', { username: `cmp_${'x'.repeat(187)}`, password: PASSWORD }],
  ['createUser', { username: `cmp_${'x'.repeat(188)}`, password: PASSWORD }],
  ['createUser', { username: 'cmp_new', password: 123456 }],
  ['updateUser', { id: VICTIM, username: 'cmp_user' }],
  ['updateUser', { id: VICTIM, username: 'CMP_USER' }],
  ['updateUser', { id: VICTIM, username: '' }],
  ['updateUser', { id: VICTIM, role: 'nosuch' }],
  ['updateUser', { id: VICTIM, email: 'bad' }],
  ['updateUser', { id: VICTIM }],
  ['updateUser', { id: 999999, name: 'x' }],
  ['updateUser', { id: VICTIM, name: null }],
  ['updateUser', { id: VICTIM, is_active: 0 }],
  ['createGroup', { name: 'cmp_group' }],
  ['createGroup', { name: 'CMP_GROUP' }],
  ['createGroup', { name: '' }],
  ['createGroup', { name: 'cmp_group3', external_id: 5 }],
  ['updateGroup', { group_id: GROUP2, name: 'cmp_group' }],
  ['updateGroup', { group_id: GROUP2 }],
  ['updateGroup', { group_id: 999999, name: 'cmp_x' }],
  ['addGroupMember', { group_id: GROUP, user_id: VICTIM }],
  ['addGroupMember', { group_id: 999999, user_id: VICTIM }],
  ['addGroupMember', { group_id: GROUP2, user_id: 999999 }],
  ['removeGroupMember', { group_id: GROUP2, user_id: VICTIM }],
  ['addProjectUser', { project_id: PROJECT, user_id: VICTIM }],
  ['addProjectUser', { project_id: PROJECT, user_id: 1 }],
  ['addProjectUser', { project_id: PROJECT, user_id: 1, role: 'nosuch' }],
  ['addProjectUser', { project_id: 999999, user_id: 1 }],
  ['addProjectGroup', { project_id: PROJECT, group_id: GROUP }],
  ['addProjectGroup', { project_id: PROJECT, group_id: GROUP2 }],
  ['removeProjectUser', { project_id: PROJECT, user_id: 1 }],
  ['changeProjectUserRole', { project_id: PROJECT, user_id: 1, role: 'project-manager' }],
  ['changeProjectUserRole', { project_id: PROJECT, user_id: VICTIM, role: 'nosuch' }],
  ['changeProjectGroupRole', { project_id: PROJECT, group_id: GROUP2, role: 'project-member' }],
  ['getProjectUserRole', { project_id: PROJECT, user_id: VICTIM }],
  ['getProjectUserRole', { project_id: PROJECT, user_id: 1 }],
  ['getAssignableUsers', { project_id: PROJECT }],
  ['getAssignableUsers', { project_id: PROJECT, prepend_unassigned: 'yes' }],
  ['getUserByName', { username: 'CMP_USER' }],
  ['getUserByName', { username: 'cmp_nobody' }],
  ['createProject', { name: '' }],
  ['createProject', { name: 'cmp_project2', owner_id: USER }],
  ['disableUser', { user_id: 999999 }],
  ['getme', {}],
  ['GETALLGROUPS', undefined],
  ['getClassName', undefined],
  ['beforeProcedure', { procedure: 'getMe' }],
  ['cmpNoSuchMethod', {}],
  ['getAllProjects', undefined],
];

/** Envelopes and transport: each a raw body (or a request) sent as the app (unless `as` says otherwise). */
const ENVELOPES = [
  { body: '{' },
  { body: '' },
  { body: 'null' },
  { body: '5' },
  { body: '"text"' },
  { body: '[]' },
  { body: '[1]' },
  { body: '[1,2]' },
  { body: '{}' },
  { body: '{"jsonrpc":"2.0","method":"getAllGroups"}' },
  { body: '{"jsonrpc":"2.0","method":"getAllGroups","id":null}' },
  { body: '{"jsonrpc":"2.0","method":"getAllGroups","id":"abc"}' },
  { body: '{"jsonrpc":"2.0","method":"getAllGroups","id":1.5}' },
  { body: '{"jsonrpc":"2.0","method":"getAllGroups","id":[1]}' },
  { body: '{"jsonrpc":"2.0","method":"getAllGroups","id":{"a":1}}' },
  { body: '{"jsonrpc":"1.0","method":"getAllGroups","id":1}' },
  { body: '{"method":"getAllGroups","id":1}' },
  { body: '{"jsonrpc":"2.0","id":1}' },
  { body: '{"jsonrpc":"2.0","method":5,"id":1}' },
  { body: '{"jsonrpc":"2.0","method":"","id":1}' },
  { body: '{"jsonrpc":"2.0","method":"getAllGroups","params":"x","id":1}' },
  { body: '{"jsonrpc":"2.0","method":"getAllGroups","params":5,"id":1}' },
  { body: '{"jsonrpc":"2.0","method":"getAllGroups","params":null,"id":1}' },
  { body: '{"jsonrpc":"2.0","method":"getGroup","params":{"0":1},"id":1}' },
  { body: '{"jsonrpc":"2.0","method":"getGroup","params":{"group_id":1,"group_id":2},"id":1}' },
  { body: '{"jsonrpc":"2.0","method":"getAllGroups","id":1} ' },
  { body: '\ufeff{"jsonrpc":"2.0","method":"getAllGroups","id":1}' },
  { body: `${'['.repeat(600)}${']'.repeat(600)}` },
  {
    rpc: [rpc('getAllGroups'), rpc('getUserByName', { username: 'cmp_user' }), rpc('cmpNoSuchMethod')],
  },
  { rpc: [rpc('getAllGroups'), { jsonrpc: '2.0', method: 'getAllGroups' }] },
  { rpc: [{ jsonrpc: '2.0', method: 'getAllGroups' }] },
  { rpc: [rpc('getAllGroups'), 5, rpc('getMe')] },
  { as: 'user', rpc: [rpc('getMe'), rpc('getAllUsers'), rpc('getMe')] },
  { as: 'user', rpc: [rpc('getMe'), rpc('getProjectUsers', { project_id: 999999 }), rpc('getMe')] },
  { as: 'user', rpc: [rpc('getMe'), rpc('cmpNoSuchMethod')] },
  { as: 'wrong', rpc: [rpc('getMe')] },
  { as: 'anonymous', rpc: rpc('getAllGroups') },
  { as: 'wrong', rpc: rpc('getAllGroups') },
  { as: 'wrong', rpc: rpc('cmpNoSuchMethod') },
  { as: 'anonymous', body: '{' },
  { as: 'user-wrong-password', rpc: rpc('getMe') },
  { as: 'anonymous', rpc: rpc('getMe'), headers: { authorization: 'Basic !!!' } },
  { as: 'anonymous', rpc: rpc('getMe'), headers: { authorization: `Bearer ${args['app-token']}` } },
  {
    as: 'anonymous',
    rpc: rpc('getMe'),
    headers: { authorization: `Basic ${Buffer.from('jsonrpc').toString('base64')}` },
  },
  {
    as: 'anonymous',
    rpc: rpc('getAllGroups'),
    headers: { 'x-api-auth': Buffer.from(`jsonrpc:${args['app-token']}`).toString('base64') },
  },
  { rpc: rpc('getAllGroups'), headers: { 'content-type': 'text/plain' } },
  { verb: 'GET' },
  { verb: 'GET', as: 'anonymous' },
  { verb: 'PUT', rpc: rpc('getAllGroups') },
  { verb: 'OPTIONS', as: 'anonymous' },
  { path: '/jsonrpc.php?x=1', rpc: rpc('getAllGroups') },
];

// ---- the run --------------------------------------------------------------------------------------------

async function startMock() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const child = spawn(
    process.execPath,
    [
      join(root, 'dist/bundle/accord.js'),
      'serve',
      'kanboard',
      '--quiet',
      '--app-token',
      args['app-token'],
      '--admin',
      args.admin,
      '--variant',
      args.variant,
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
    const raw = [];
    for (const side of sides) {
      const res = await side.call(step);
      raw.push(res);
      answers.push(normalise(res, side, step));
    }
    if (!compare) return raw;
    compared += 1;
    const diff = differences(answers[0], answers[1]);
    if (diff.length > 0 || args.verbose) {
      if (diff.length > 0) differing += 1;
      const shown = step.rpc !== undefined ? JSON.stringify(step.rpc) : (step.body ?? '');
      console.log(
        `${diff.length > 0 ? 'DIFF' : 'same'} ${label}: ${step.verb ?? 'POST'} ${step.path ?? ''}${shown.slice(0, 160)}`,
      );
      for (const d of diff) console.log(`    ${d}`);
    }
    return raw;
  }

  /** One call as the app on both sides, not compared; remembers the id a create* gave as `kind:name`. */
  async function arrange(method, params, name) {
    const raw = await both('arrange', { rpc: rpc(method, params) }, { compare: false });
    if (name) remember(raw, kindOf(method), name);
  }
  /** After a create*: its new id, as `kind:name`, and in the list of what the run made (removed by reset). */
  function remember(raw, kind, name) {
    raw.forEach((res, i) => {
      let result;
      try {
        result = JSON.parse(res.body)?.result;
      } catch {}
      if (typeof result !== 'number') return;
      if (name !== undefined) sides[i].ids.set(`${kind}:${name}`, result);
      sides[i].made.push([kind, result]);
    });
  }
  const FIXED = new Set(['user:cmp_manager', 'user:cmp_user', 'group:cmp_group', 'project:cmp_project']);
  const REMOVE = { user: 'removeUser', group: 'removeGroup', project: 'removeProject' };
  /** Removes what the run made (all of it with `all`, else all but the fixed cast), by id and by name. */
  async function removeMade(all) {
    for (const side of sides) {
      const keep = new Set([...FIXED].map((k) => `${k.split(':')[0]}:${side.ids.get(k)}`));
      const rest = [];
      for (const [kind, id] of side.made) {
        if (!all && keep.has(`${kind}:${id}`)) rest.push([kind, id]);
        else await side.call({ rpc: rpc(REMOVE[kind], { [`${kind}_id`]: id }) });
      }
      side.made = rest;
      for (const key of [...side.ids.keys()]) if (all || !FIXED.has(key)) side.ids.delete(key);
    }
    // Left from an earlier run: by name.
    for (const side of sides) {
      const users = JSON.parse((await side.call({ rpc: rpc('getAllUsers') })).body).result ?? [];
      for (const u of users)
        if (/^cmp_|^CMP_/.test(u.username) && (all || !['cmp_manager', 'cmp_user'].includes(u.username)))
          await side.call({ rpc: rpc('removeUser', { user_id: Number(u.id) }) });
      const groups = JSON.parse((await side.call({ rpc: rpc('getAllGroups') })).body).result ?? [];
      for (const g of groups)
        if (/^cmp_|^CMP_/i.test(g.name) && (all || g.name !== 'cmp_group'))
          await side.call({ rpc: rpc('removeGroup', { group_id: Number(g.id) }) });
      const projects = JSON.parse((await side.call({ rpc: rpc('getAllProjects') })).body).result ?? [];
      for (const p of projects)
        if (/^cmp_/.test(p.name) && (all || p.name !== 'cmp_project'))
          await side.call({ rpc: rpc('removeProject', { project_id: Number(p.id) }) });
    }
  }

  /** Scratch objects back to their start: cmp_victim (in cmp_group and cmp_project), cmp_group2 (in neither). */
  async function reset() {
    await removeMade(false);
    await arrange('createUser', { username: 'cmp_victim', password: PASSWORD, role: 'app-user' }, 'cmp_victim');
    await arrange('createGroup', { name: 'cmp_group2' }, 'cmp_group2');
    await arrange('addGroupMember', { group_id: GROUP, user_id: VICTIM });
    await arrange('addProjectUser', { project_id: PROJECT, user_id: VICTIM, role: 'project-member' });
    await arrange('removeProjectUser', { project_id: PROJECT, user_id: 1 });
    await arrange('addProjectGroup', { project_id: PROJECT, group_id: GROUP, role: 'project-viewer' });
    await arrange('changeProjectGroupRole', { project_id: PROJECT, group_id: GROUP, role: 'project-viewer' });
  }

  // Fixed cast: a manager and a user that log in, a group with cmp_user, a project where cmp_manager manages.
  await removeMade(true);
  await arrange('createUser', { username: 'cmp_manager', password: PASSWORD, role: 'app-manager' }, 'cmp_manager');
  await arrange('createUser', { username: 'cmp_user', password: PASSWORD, role: 'app-user' }, 'cmp_user');
  await arrange('createGroup', { name: 'cmp_group' }, 'cmp_group');
  await arrange('addGroupMember', { group_id: GROUP, user_id: USER });
  await arrange('createProject', { name: 'cmp_project' }, 'cmp_project');
  await arrange('addProjectUser', { project_id: PROJECT, user_id: '$user:cmp_manager', role: 'project-manager' });
  await arrange('addProjectUser', { project_id: PROJECT, user_id: USER, role: 'project-member' });
  const [realMe, mockMe] = await both('version', { as: 'admin', rpc: rpc('getVersion') }, { compare: false });
  console.log(
    `real: Kanboard ${JSON.parse(realMe.body || 'null')?.result ?? '(unknown)'}, mock: variant ${args.variant}`,
  );

  const wanted = (label) => !args.only || label.includes(args.only);
  // Remember what create* made, so that reset() removes it.
  const track = async (label, step, method, params) => {
    const raw = await both(label, step);
    if (/^create/i.test(method)) {
      const name = Array.isArray(params) ? params[0] : method === 'createUser' ? params?.username : params?.name;
      remember(raw, kindOf(method), typeof name === 'string' ? name.trim() : undefined);
    }
  };

  await reset();
  for (const as of ['app', 'admin', 'manager', 'user']) {
    for (const [method, params] of VALID) {
      const label = `${as} ${method}`;
      if (!wanted(label)) continue;
      if (!READS.has(method)) await reset();
      await track(label, { as, rpc: rpc(method, params) }, method, params);
    }
  }
  for (const [method, params] of VALID) {
    for (const bad of badParamsOf(method, params)) {
      const label = `bad ${method}`;
      if (!wanted(label)) continue;
      if (!READS.has(method)) await reset();
      await track(label, { rpc: rpc(method, bad) }, method, bad);
    }
  }
  for (const [method, params] of SPECIAL) {
    const label = `special ${method}`;
    if (!wanted(label)) continue;
    await reset();
    await track(label, { rpc: rpc(method, params) }, method, params);
    // And the state it left, as both sides list it.
    if (!READS.has(method)) {
      await both(`${label} (users after)`, { rpc: rpc('getAllUsers') });
      await both(`${label} (groups after)`, { rpc: rpc('getAllGroups') });
      await both(`${label} (project users after)`, { rpc: rpc('getProjectUsers', { project_id: PROJECT }) });
    }
  }
  for (const step of ENVELOPES) {
    const label = `envelope${step.as ? ` as ${step.as}` : ''}`;
    if (!wanted(label)) continue;
    await both(label, step);
  }

  // Clean up what this run made (on both sides).
  await removeMade(true);
  mock.stop();
  console.log(`${compared} requests compared, ${differing} differ`);
  process.exit(differing > 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(`compare-kanboard: ${error.stack ?? error.message}`);
  process.exit(2);
});
