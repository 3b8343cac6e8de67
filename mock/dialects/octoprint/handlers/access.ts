import type { HttpResponseData } from '../../../../src/wire/http.js';
import { dumpPythonJson } from '../../../../src/wire/python-json.js';
import { flaskJson } from '../../../../src/wire/rest.js';
import { SerialCache, stampOf, versionsOf } from '../../../serial-cache.js';
import { callerName } from '../auth.js';
import { hashable, isDict, isTrueValue, pyGet, pyIn, PyError, pyIter, pySecret, type Hashable } from '../python.js';
import { groupRecord, permissionRecord } from '../records.js';
import { Abort, type Handler, type HandlerContext, type OctoPrintStages } from '../stages.js';
import { hashPassword, type GroupState, type UserState } from '../state.js';

/**
 * The access API handlers (octoprint.md §4.1–4.3), each doing what OctoPrint 1.11's handler does, in its
 * order, with Python's semantics for whatever JSON arrived: the gates before them run in index.ts.
 */

/** Python truthiness, for `if not permissions`. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  return true;
}

/**
 * Answers written once per change (mock/serial-cache.ts), stamped with the versions of the tables they are
 * read from (state.ts keeps groups and users in mock/directory.ts's Keyed tables, whose versions move on
 * every write, whichever handler, fault or seed makes it). A user record depends on the user and on every
 * group (admin, needs): it is kept under the user's version, the groups' version and whether the key is
 * shown; the users list, joined from them, under the users' version instead of the user's. A group record
 * depends on every group (its subgroups' permissions make its needs and `dangerous`): the groups list and
 * each group are kept under the groups' version. The permissions list is kept under a stamp of the
 * permissions it is written from.
 */
interface Caches {
  readonly records: SerialCache<string>;
  readonly userLists: SerialCache<boolean>;
  readonly groupTexts: SerialCache<Hashable>;
  readonly groupLists: SerialCache<'all'>;
  readonly permissionLists: SerialCache<'all'>;
}

const caches = new WeakMap<OctoPrintStages, Caches>();

function cachesOf(ctx: HandlerContext): Caches {
  let kept = caches.get(ctx.stages);
  if (!kept) {
    kept = {
      records: new SerialCache(),
      userLists: new SerialCache(),
      groupTexts: new SerialCache(),
      groupLists: new SerialCache(),
      permissionLists: new SerialCache(),
    };
    caches.set(ctx.stages, kept);
  }
  return kept;
}

const JSON_TYPE = { 'content-type': 'application/json' } as const;

/** `jsonify({"groups": [...]})`, kept under the groups' version. */
function groups(ctx: HandlerContext): HttpResponseData {
  const state = ctx.stages.state;
  const body = cachesOf(ctx).groupLists.text(
    'all',
    versionsOf(state.groups),
    () =>
      flaskJson(200, {
        groups: [...state.groups.values()].map((g) => groupRecord(state, g, ctx.stages.form.groupsDangerous)),
      }).body,
  );
  return { status: 200, headers: { ...JSON_TYPE }, body };
}

/** Each user record as jsonify writes it inside the list (indented by 2, two levels deep), kept. */
function userText(ctx: HandlerContext, user: UserState, recent: boolean): string {
  const state = ctx.stages.state;
  return cachesOf(ctx).records.text(
    user.name,
    `${state.users.versionOf(user.name) ?? '-'}|${versionsOf(state.groups)}${recent}`,
    () => dumpPythonJson(ctx.stages.userRecord(user, recent), { indent: 2 }).replace(/\n/g, '\n    '),
  );
}

/** `jsonify({"users": [...]})` (indented by 2, a newline at the end), joined from the kept records: the same bytes as writing it whole. */
function users(ctx: HandlerContext): HttpResponseData {
  const state = ctx.stages.state;
  const recent = ctx.stages.recent(ctx.caller);
  const { records, userLists } = cachesOf(ctx);
  const body = userLists.text(recent, versionsOf(state.users, state.groups), () => {
    const texts = [...state.users.values()].map((user) => userText(ctx, user, recent));
    records.prune(state.users.size, (name) => state.users.has(name));
    return texts.length === 0 ? '{\n  "users": []\n}\n' : `{\n  "users": [\n    ${texts.join(',\n    ')}\n  ]\n}\n`;
  });
  return { status: 200, headers: { ...JSON_TYPE }, body };
}

function findGroup(ctx: HandlerContext): GroupState {
  const g = ctx.stages.state.groups.get(ctx.params['key'] ?? '');
  if (!g) throw new Abort(404);
  return g;
}

function findUser(ctx: HandlerContext, name = ctx.params['name'] ?? ''): UserState {
  const u = ctx.stages.state.users.get(name);
  if (!u) throw new Abort(404);
  return u;
}

/** change_user_groups / update_group subgroups: non-toggleable groups are neither added nor removed. */
function toggleOnly(ctx: HandlerContext, old: readonly Hashable[], wanted: readonly Hashable[]): Hashable[] {
  const toggleable = (k: Hashable) => ctx.stages.state.groups.get(k)?.toggleable === true;
  const kept = old.filter((k) => wanted.includes(k) || !toggleable(k));
  return [...kept, ...wanted.filter((k) => !old.includes(k) && toggleable(k))];
}

export const accessHandlers: Readonly<Record<string, Handler>> = {
  'access.permissions.list': (ctx) => {
    const permissions = ctx.stages.state.permissions;
    const body = cachesOf(ctx).permissionLists.text(
      'all',
      stampOf(permissions),
      () => flaskJson(200, { permissions: permissions.map(permissionRecord) }).body,
    );
    return { status: 200, headers: { ...JSON_TYPE }, body };
  },

  'access.groups.list': groups,

  'access.groups.add': (ctx) => {
    const data = ctx.json();
    if (!pyIn('key', data)) throw new Abort(400, 'key is missing');
    if (!pyIn('name', data)) throw new Abort(400, 'name is missing');
    if (!pyIn('permissions', data)) throw new Abort(400, 'permissions are missing');
    // Before 1.11.7 the handler reads data["subgroups"] without testing for it: a KeyError, a 500.
    if (!pyIn('subgroups', data)) {
      if (ctx.stages.form.subgroupsRequired) throw new Abort(400, 'subgroups are missing');
      throw new PyError("KeyError: 'subgroups'");
    }
    const key = hashable(pyGet(data, 'key'), 'key');
    const body = data as Record<string, unknown>;
    const state = ctx.stages.state;
    if (state.groups.has(key)) throw new Abort(409);
    const permissions = pyTruthy(body['permissions'])
      ? state.knownPermissions(pyIter(body['permissions'], 'permissions'))
      : [];
    const subgroups = state.knownGroups(pyIter(body['subgroups'], 'subgroups'));
    state.groups.set(key, {
      key,
      name: body['name'],
      description: 'description' in body ? body['description'] : '',
      permissions,
      subgroups,
      default: 'default' in body ? body['default'] : false,
      removable: true,
      changeable: true,
      toggleable: true,
    });
    return groups(ctx);
  },

  'access.groups.get': (ctx) => {
    const group = findGroup(ctx);
    const state = ctx.stages.state;
    const { groupTexts } = cachesOf(ctx);
    const body = groupTexts.text(
      group.key,
      versionsOf(state.groups),
      () => flaskJson(200, groupRecord(state, group, ctx.stages.form.groupsDangerous)).body,
    );
    groupTexts.prune(state.groups.size, (key) => state.groups.has(key));
    return { status: 200, headers: { ...JSON_TYPE }, body };
  },

  'access.groups.update': (ctx) => {
    const data = ctx.json();
    const change: { permissions?: unknown; subgroups?: unknown; default?: boolean; description?: unknown } = {};
    if (pyIn('permissions', data)) change.permissions = pyGet(data, 'permissions');
    if (pyIn('subgroups', data)) change.subgroups = pyGet(data, 'subgroups');
    if (pyIn('default', data)) change.default = isTrueValue(pyGet(data, 'default'));
    if (pyIn('description', data)) change.description = pyGet(data, 'description');
    const group = findGroup(ctx);
    if (!group.changeable) throw new Abort(403);
    const state = ctx.stages.state;
    const patch: { -readonly [P in keyof GroupState]?: GroupState[P] } = {};
    if (change.description !== undefined && change.description !== null) patch.description = change.description;
    if (change.permissions !== undefined && change.permissions !== null)
      patch.permissions = state.knownPermissions(pyIter(change.permissions, 'permissions'));
    if (change.subgroups !== undefined && change.subgroups !== null)
      patch.subgroups = toggleOnly(ctx, group.subgroups, state.knownGroups(pyIter(change.subgroups, 'subgroups')));
    if (change.default !== undefined) patch.default = change.default;
    // Anyone who is not logged in is a guest: guests never get dangerous permissions or subgroups (§3.4).
    if (group.key === 'guests') {
      const permissions = patch.permissions ?? group.permissions;
      patch.permissions = permissions.filter((p) => state.permissionsByKey.get(p)?.dangerous !== true);
      patch.subgroups = [];
    }
    state.groups.update(group.key, patch);
    return groups(ctx);
  },

  'access.groups.delete': (ctx) => {
    const group = findGroup(ctx);
    if (!group.removable) throw new Abort(403);
    ctx.stages.state.removeGroup(group.key);
    return groups(ctx);
  },

  'access.users.list': users,

  'access.users.add': (ctx) => {
    const data = ctx.json();
    if (!pyIn('name', data)) throw new Abort(400, 'name is missing');
    if (!pyIn('password', data)) throw new Abort(400, 'password is missing');
    if (!pyIn('active', data)) throw new Abort(400, 'active is missing');
    const name = hashable(pyGet(data, 'name'), 'name');
    const body = data as Record<string, unknown>;
    const state = ctx.stages.state;
    if (typeof name === 'string' && state.users.has(name)) throw new Abort(409);
    if (typeof name !== 'string') throw new PyError(`name: '${typeof name}' object has no attribute 'strip'`);
    // 1.9+: InvalidUsername (after the 409 test); 1.4–1.8 store any name.
    if (ctx.stages.form.checksUsername && (name === '' || name.trim() !== name))
      throw new Abort(400, 'Username invalid');
    const permissions = pyTruthy(body['permissions'])
      ? state.knownPermissions(pyIter(body['permissions'], 'permissions'))
      : [];
    const groupsSent = body['groups'];
    const groupKeys =
      groupsSent === undefined || groupsSent === null
        ? [...state.groups.values()].filter((g) => pyTruthy(g.default)).map((g) => g.key)
        : state.knownGroups(pyIter(groupsSent, 'groups'));
    state.users.set(name, {
      name,
      passwordHash: hashPassword(pySecret(body['password'])),
      active: isTrueValue(body['active']),
      apikey: null,
      groups: groupKeys,
      permissions,
      settings: {},
    });
    return users(ctx);
  },

  'access.users.get': (ctx) => {
    const name = ctx.params['name'] ?? '';
    if (ctx.caller.kind === 'anonymous' || (callerName(ctx.caller) !== name && !ctx.stages.isAdmin(ctx.caller)))
      throw new Abort(403);
    const user = findUser(ctx);
    // The kept record is indented for its place in the list; alone it is jsonify's own (2 spaces a level).
    return {
      status: 200,
      headers: { ...JSON_TYPE },
      body: `${userText(ctx, user, ctx.stages.recent(ctx.caller)).replace(/\n {4}/g, '\n')}\n`,
    };
  },

  'access.users.update': (ctx) => {
    const user = findUser(ctx);
    const data = ctx.json();
    const state = ctx.stages.state;
    const patch: { -readonly [P in keyof UserState]?: UserState[P] } = {};
    if (pyIn('groups', data))
      patch.groups = toggleOnly(ctx, user.groups, state.knownGroups(pyIter(pyGet(data, 'groups'), 'groups')));
    if (pyIn('permissions', data))
      patch.permissions = state.knownPermissions(pyIter(pyGet(data, 'permissions'), 'permissions'));
    if (pyIn('active', data)) patch.active = isTrueValue(pyGet(data, 'active'));
    state.users.update(user.name, patch);
    return users(ctx);
  },

  'access.users.delete': (ctx) => {
    const name = ctx.params['name'] ?? '';
    if (ctx.stages.form.refusesSelfDelete && callerName(ctx.caller) === name)
      throw new Abort(400, 'You cannot delete yourself');
    findUser(ctx);
    ctx.stages.state.removeUser(name);
    return users(ctx);
  },
};
