import type { Expectation } from '../../../spec/expectation.js';
import type { Observed } from '../../../spec/observed.js';
import type { Level } from '../../../spec/levels.js';
import type { ScenarioContext, ScenarioSpec } from '../../../spec/protocol.js';
import { bodySatisfies, status, statusClass, statusIn } from '../../../wire/rest.js';
import { errorSays } from '../era-facets.js';
import { show } from '../../../spec/show.js';
import { FORBIDDEN, FORBIDDEN_TEXT, unknownKeyRead } from '../access.js';
import { atQuirk, entryOf, fails, fieldsAre, isRow, listEntry, OK } from '../define.js';
import { sessionLoginScenario } from './session.js';
import { formOfEra } from '../variants.js';
import { password, type OctoPrintWorld } from '../world.js';

/** Multi-step checks: read-after-write, cascades, keys that stop working, rules that need a particular caller. */
type Scenario = ScenarioSpec<OctoPrintWorld>;
type S = ScenarioContext<OctoPrintWorld>;

const where = (level: Level, says: string, test: (body: unknown) => string | null): Expectation => [
  ...OK,
  bodySatisfies(level, says, test),
];
const keyOf = (apikey: string) => ({ credentials: { apikey } });

/** A user made by the scenario, with a password and (optionally) a key; tracked for teardown. */
async function madeUser(
  s: S,
  groups: string[],
  withKey = true,
): Promise<{ name: string; password: string; apikey: string }> {
  const name = s.name('user');
  const pw = password();
  await s.check('create a user', 'access.users.add', { name, password: pw, active: true, groups, permissions: [] }, OK);
  s.track('user', { id: name, name });
  if (!withKey) return { name, password: pw, apikey: '' };
  const reply = await s.check('give it a key', 'access.users.generateApiKey', { name }, OK);
  const apikey =
    reply.ok && isRow(reply.value) && typeof reply.value['apikey'] === 'string' ? reply.value['apikey'] : '';
  return { name, password: pw, apikey };
}

export const scenarios: readonly Scenario[] = [
  {
    id: 'user-lifecycle',
    kind: 'lifecycle',
    method: 'access.users.add',
    says: 'a user can be created, read, updated, listed, deleted, and is gone afterwards',
    see: 'octoprint.md §4.3',
    async run(s) {
      const name = s.name('user');
      // The update leaves users alone and drops readonly: 1.4.0's users group is not toggleable, so no
      // request can take a user out of it there (access/groups.py of 1.4.0, octoprint.md §3.4).
      await s.check(
        'create',
        'access.users.add',
        { name, password: password(), active: true, groups: ['users', 'readonly'], permissions: [] },
        OK,
      );
      s.track('user', { id: name, name });
      await s.check(
        'read',
        'access.users.get',
        { name },
        where('must', 'active, in users and readonly', (b) =>
          isRow(b) ? fieldsAre(b, { name, active: true, groups: ['users', 'readonly'] }) : 'not an object',
        ),
      );
      await s.check(
        'update',
        'access.users.update',
        { name, active: false, groups: ['users'], permissions: ['STATUS'] },
        OK,
      );
      await s.check(
        'read after write',
        'access.users.get',
        { name },
        where('must', 'inactive, in users only, with STATUS', (b) =>
          isRow(b) ? fieldsAre(b, { active: false, groups: ['users'], permissions: ['STATUS'] }) : 'not an object',
        ),
      );
      await s.check('list', 'access.users.list', {}, [
        ...OK,
        listEntry('must', 'users', 'name', name, `lists ${name}`),
      ]);
      await s.check('delete', 'access.users.delete', { name }, [
        ...OK,
        bodySatisfies('must', `the answer no longer lists ${name}`, (b) =>
          entryOf(b, 'users', 'name', name) ? 'still listed' : null,
        ),
      ]);
      s.untrack('user', { id: name, name });
      await s.check('gone', 'access.users.get', { name }, fails(404));
      await s.check('delete again', 'access.users.delete', { name }, fails(404));
    },
  },
  {
    id: 'group-lifecycle',
    kind: 'lifecycle',
    method: 'access.groups.add',
    says: 'a group can be created, read, updated, deleted; a deleted group leaves its members',
    see: 'octoprint.md §4.2',
    async run(s) {
      const key = s.name('group');
      await s.check(
        'create',
        'access.groups.add',
        { key, name: 'Accord lifecycle', description: 'd', permissions: ['STATUS'], subgroups: [], default: false },
        OK,
      );
      s.track('group', { id: key, name: key });
      await s.check(
        'read',
        'access.groups.get',
        { key },
        where('must', 'as created', (b) =>
          isRow(b)
            ? fieldsAre(b, { key, name: 'Accord lifecycle', description: 'd', permissions: ['STATUS'], subgroups: [] })
            : 'not an object',
        ),
      );
      await s.check('update', 'access.groups.update', { key, description: 'e', permissions: ['STATUS', 'WEBCAM'] }, OK);
      await s.check(
        'read after write',
        'access.groups.get',
        { key },
        where('must', 'description e, permissions STATUS and WEBCAM', (b) =>
          isRow(b) ? fieldsAre(b, { description: 'e', permissions: ['STATUS', 'WEBCAM'] }) : 'not an object',
        ),
      );
      const member = await madeUser(s, ['users', key], false);
      await s.check(
        'member',
        'access.users.get',
        { name: member.name },
        where('must', `in users and ${key}`, (b) =>
          isRow(b) ? fieldsAre(b, { groups: ['users', key] }) : 'not an object',
        ),
      );
      await s.check('delete', 'access.groups.delete', { key }, OK);
      s.untrack('group', { id: key, name: key });
      await s.check('gone', 'access.groups.get', { key }, fails(404));
      await s.check(
        'member left it',
        'access.users.get',
        { name: member.name },
        where('must', 'groups ["users"]', (b) => (isRow(b) ? fieldsAre(b, { groups: ['users'] }) : 'not an object')),
      );
    },
  },
  {
    id: 'deleted-user-key-stops',
    kind: 'lifecycle',
    method: 'access.users.delete',
    says: "a deleted user's API key stops working at once",
    see: 'octoprint.md §2.1',
    async run(s) {
      const u = await madeUser(s, ['users']);
      await s.check(
        'works',
        'access.users.get',
        { name: u.name },
        where('must', `answers ${u.name}`, (b) => (isRow(b) && b['name'] === u.name ? null : `got ${show(b)}`)),
        keyOf(u.apikey),
      );
      await s.check('delete', 'access.users.delete', { name: u.name }, OK);
      s.untrack('user', { id: u.name, name: u.name });
      await s.check(
        'key is anonymous now',
        'access.users.get',
        { name: u.name },
        unknownKeyRead(s.variant),
        keyOf(u.apikey),
      );
    },
  },
  {
    id: 'key-rotation',
    kind: 'lifecycle',
    method: 'access.users.generateApiKey',
    says: 'a user who generates a new key gets it, the old key stops working; after a reset no key is left',
    see: 'octoprint.md §4.3',
    async run(s) {
      const u = await madeUser(s, ['users']);
      const reply = await s.check(
        'generate my own',
        'access.users.generateApiKey',
        { name: u.name },
        OK,
        keyOf(u.apikey),
      );
      const next = reply.ok && isRow(reply.value) ? String(reply.value['apikey']) : '';
      await s.check(
        'new key works',
        'access.users.get',
        { name: u.name },
        where('must', 'the record shows the new key', (b) =>
          isRow(b) ? fieldsAre(b, { apikey: next }) : 'not an object',
        ),
        keyOf(next),
      );
      await s.check(
        'old key is anonymous',
        'access.users.get',
        { name: u.name },
        unknownKeyRead(s.variant),
        keyOf(u.apikey),
      );
      await s.check(
        'reset my own',
        'access.users.resetApiKey',
        { name: u.name },
        [statusClass(2, 'must', 'success')],
        keyOf(next),
      );
      await s.check(
        'no key left',
        'access.users.get',
        { name: u.name },
        where('must', 'apikey null', (b) => (isRow(b) ? fieldsAre(b, { apikey: null }) : 'not an object')),
      );
      await s.check(
        'reset key is anonymous',
        'access.users.get',
        { name: u.name },
        unknownKeyRead(s.variant),
        keyOf(next),
      );
    },
  },
  {
    id: 'password-change-takes-effect',
    kind: 'lifecycle',
    method: 'access.users.changePassword',
    says: "a password an admin sets is the user's current password from then on; the old one is not (1.8.3+)",
    see: 'octoprint.md §4.3',
    async run(s) {
      const u = await madeUser(s, ['users']);
      // Before 1.8.3 `current` is never read: the user's own change proves nothing there (variants.ts).
      if (!formOfEra(s.variant).checksCurrent)
        return s.skip('before 1.8.3 OctoPrint reads no current password, so nothing tells the passwords apart');
      const set = password();
      await s.check('an admin sets a new password', 'access.users.changePassword', { name: u.name, password: set }, OK);
      await s.check(
        'the old password is no longer current',
        'access.users.changePassword',
        { name: u.name, password: password(), current: u.password },
        [statusClass(4, 'must', 'refused'), status(403, 'should'), errorSays('Invalid current password', 'quirk')],
        keyOf(u.apikey),
      );
      await s.check(
        'the new password is',
        'access.users.changePassword',
        { name: u.name, password: password(), current: set },
        OK,
        keyOf(u.apikey),
      );
    },
  },
  {
    id: 'deactivated-admin-loses-rights',
    kind: 'lifecycle',
    method: 'access.users.update',
    says: "a deactivated admin's key gets guest rights; reactivated, it works again",
    see: 'octoprint.md §2.1',
    async run(s) {
      const u = await madeUser(s, ['users', 'admins']);
      await s.check('admin may list', 'access.users.list', {}, OK, keyOf(u.apikey));
      await s.check('deactivate', 'access.users.update', { name: u.name, active: false }, OK);
      await s.check('refused', 'access.users.list', {}, FORBIDDEN, keyOf(u.apikey));
      await s.check('reactivate', 'access.users.update', { name: u.name, active: true }, OK);
      await s.check('works again', 'access.users.list', {}, OK, keyOf(u.apikey));
    },
  },
  {
    id: 'promotion-through-group',
    kind: 'lifecycle',
    method: 'access.users.update',
    says: 'adding the admins group makes an admin on the next request (admin true, roles user and admin)',
    see: 'octoprint.md §2.2, §3.3',
    async run(s) {
      const u = await madeUser(s, ['users']);
      await s.check('not yet', 'access.users.list', {}, FORBIDDEN, keyOf(u.apikey));
      await s.check('promote', 'access.users.update', { name: u.name, groups: ['users', 'admins'] }, OK);
      await s.check(
        'admin now',
        'access.users.list',
        {},
        [...OK, listEntry('must', 'users', 'name', u.name, 'admin true', (r) => fieldsAre(r, { admin: true }))],
        keyOf(u.apikey),
      );
      await s.check(
        'roles',
        'access.users.get',
        { name: u.name },
        where('quirk', 'roles ["user", "admin"]', (b) =>
          isRow(b) ? fieldsAre(b, { roles: ['user', 'admin'] }) : 'not an object',
        ),
      );
      await s.check('demote', 'access.users.update', { name: u.name, groups: ['users'] }, OK);
      await s.check('not any more', 'access.users.list', {}, FORBIDDEN, keyOf(u.apikey));
    },
  },
  {
    id: 'admin-through-subgroup',
    kind: 'lifecycle',
    method: 'access.groups.add',
    says: 'a group whose subgroup is admins makes its members admins (permissions come through subgroups)',
    see: 'octoprint.md §2.2, §3.3',
    async run(s) {
      const key = s.name('group');
      await s.check(
        'create a group with admins as subgroup',
        'access.groups.add',
        { key, name: key, permissions: [], subgroups: ['admins'] },
        OK,
      );
      s.track('group', { id: key, name: key });
      const u = await madeUser(s, ['users', key]);
      await s.check('the member may list users', 'access.users.list', {}, OK, keyOf(u.apikey));
    },
  },
  {
    id: 'settings-permission-is-not-enough',
    kind: 'lifecycle',
    method: 'access.users.list',
    says: 'a user holding SETTINGS but not ADMIN is refused (the docs say SETTINGS; the code needs ADMIN since 1.8.3)',
    see: 'octoprint.md §2.2, §6.1',
    async run(s) {
      const name = s.name('user');
      await s.check(
        'create a user with SETTINGS only',
        'access.users.add',
        { name, password: password(), active: true, groups: [], permissions: ['SETTINGS'] },
        OK,
      );
      s.track('user', { id: name, name });
      const reply = await s.check('give it a key', 'access.users.generateApiKey', { name }, OK);
      const apikey = reply.ok && isRow(reply.value) ? String(reply.value['apikey']) : '';
      const note = (o: Observed) =>
        o.transport === 'http' && o.status === 200
          ? 'the docs of every 1.4–1.11 version say the SETTINGS permission is enough; the code requires ADMIN from 1.8.3 on (octoprint.md §6.1)'
          : undefined;
      // 1.4.0–1.8.2: @Permissions.SETTINGS.require(403) (access.py of that era), so SETTINGS is enough there.
      await s.check(
        'list users',
        'access.users.list',
        {},
        formOfEra(s.variant).needsAdmin
          ? [status(403, 'quirk', note), errorSays(FORBIDDEN_TEXT, 'quirk')]
          : [status(200, 'quirk')],
        keyOf(apikey),
      );
    },
  },
  {
    id: 'cannot-delete-yourself',
    kind: 'lifecycle',
    method: 'access.users.delete',
    says: 'an admin cannot delete their own user: 400 "You cannot delete yourself" (1.10+)',
    see: 'octoprint.md §4.3',
    async run(s) {
      const u = await madeUser(s, ['users', 'admins']);
      // Before 1.10 remove_user has no such test: the admin deletes itself (octoprint.md §0).
      if (!formOfEra(s.variant).refusesSelfDelete) {
        await s.check(
          'delete myself (allowed before 1.10)',
          'access.users.delete',
          { name: u.name },
          [status(200, 'quirk')],
          keyOf(u.apikey),
        );
        s.untrack('user', { id: u.name, name: u.name });
        return;
      }
      await s.check(
        'delete myself',
        'access.users.delete',
        { name: u.name },
        [statusClass(4, 'quirk', 'refused'), status(400, 'quirk'), errorSays('You cannot delete yourself', 'quirk')],
        keyOf(u.apikey),
      );
      await s.check(
        'still there',
        'access.users.get',
        { name: u.name },
        atQuirk(
          where('quirk', `${u.name} exists`, (b) => (isRow(b) && b['name'] === u.name ? null : `got ${show(b)}`)),
        ),
      );
    },
  },
  {
    id: 'settings-shallow-merge',
    kind: 'lifecycle',
    method: 'access.users.saveSettings',
    says: 'saved settings read back; a PATCH replaces each top-level key whole (the docs say "merged")',
    see: 'octoprint.md §4.3',
    async run(s) {
      const u = await madeUser(s, ['users']);
      const me = keyOf(u.apikey);
      await s.check(
        'save',
        'access.users.saveSettings',
        { name: u.name, settings: { accord: { a: 1, b: 2 }, other: 'kept' } },
        [statusClass(2, 'must', 'success')],
        me,
      );
      await s.check(
        'read back',
        'access.users.getSettings',
        { name: u.name },
        where('must', 'the saved keys', (b) =>
          isRow(b) ? fieldsAre(b, { accord: { a: 1, b: 2 }, other: 'kept' }) : 'not an object',
        ),
        me,
      );
      await s.check(
        'patch one nested key',
        'access.users.saveSettings',
        { name: u.name, settings: { accord: { a: 3 } } },
        [statusClass(2, 'must', 'success')],
        me,
      );
      await s.check(
        'top-level key replaced whole',
        'access.users.getSettings',
        { name: u.name },
        [
          ...OK,
          bodySatisfies('must', 'other top-level keys are kept', (b) =>
            isRow(b) ? fieldsAre(b, { other: 'kept' }) : 'not an object',
          ),
          bodySatisfies('quirk', 'accord is {"a": 3}: b is gone (a shallow merge; a deep merge would keep it)', (b) =>
            isRow(b) ? fieldsAre(b, { accord: { a: 3 } }) : 'not an object',
          ),
        ],
        me,
      );
    },
  },
  {
    id: 'write-with-query-key',
    kind: 'lifecycle',
    method: 'access.groups.add',
    says: 'an API key in the query string or as a Bearer token authenticates a write too (no CSRF token needed)',
    see: 'octoprint.md §2.1, §2.2',
    async run(s) {
      const u = await madeUser(s, ['users', 'admins']);
      for (const via of ['query', 'bearer'] as const) {
        const key = s.name('group');
        const made = await s.check(
          `create a group with the key as ${via}`,
          'access.groups.add',
          { key, name: key, permissions: [], subgroups: [] },
          // 1.4 reads no Bearer token (get_api_key, 1.5+): the write is anonymous there, and refused.
          via === 'query'
            ? OK
            : formOfEra(s.variant).bearerKeys
              ? [status(200, 'should')]
              : [statusIn([200, 403], 'should', 'answered, or refused as anonymous'), status(403, 'quirk')],
          {
            credentials: { apikey: u.apikey, via },
          },
        );
        if (made.ok) s.track('group', { id: key, name: key });
      }
    },
  },
  sessionLoginScenario,
];
