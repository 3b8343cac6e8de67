import type { ScenarioContext, ScenarioSpec } from '../../../spec/protocol.js';
import { status, statusClass } from '../../../wire/rest.js';
import { password } from '../../octoprint/world.js';
import { BAD_KEY_13 } from '../access.js';
import { fieldsAre, html, isRow, listEntry, OK, where } from '../define.js';
import type { World13 } from '../world.js';

/** Multi-step checks against 1.3: read-after-write, keys that stop working, what 1.3 does not protect. */
type S = ScenarioContext<World13>;
const keyOf = (apikey: string) => ({ credentials: { apikey } });

async function madeUser(s: S, admin: boolean): Promise<{ name: string; password: string; apikey: string }> {
  const name = s.name('user');
  const pw = password();
  await s.check('create a user', 'users.add', { name, password: pw, active: true, admin }, OK);
  s.track('user', { id: name, name });
  const reply = await s.check('give it a key', 'users.generateApiKey', { name }, OK);
  return { name, password: pw, apikey: reply.ok && isRow(reply.value) ? String(reply.value['apikey']) : '' };
}

export const scenarios13: readonly ScenarioSpec<World13>[] = [
  {
    id: 'user-lifecycle',
    kind: 'lifecycle',
    method: 'users.add',
    says: 'a user can be created, read, updated, listed, deleted, and is gone afterwards',
    see: 'octoprint.md §4.4',
    async run(s) {
      const name = s.name('user');
      await s.check('create', 'users.add', { name, password: password(), active: true, admin: false }, OK);
      s.track('user', { id: name, name });
      await s.check('read', 'users.get', { name }, [
        where('must', 'active, not admin', (b) =>
          isRow(b) ? fieldsAre(b, { name, active: true, admin: false, user: true }) : 'not an object',
        ),
      ]);
      await s.check('update', 'users.update', { name, active: false, admin: true }, OK);
      await s.check('list', 'users.list', {}, [
        listEntry('must', 'users', 'name', name, 'inactive admin', (r) => fieldsAre(r, { active: false, admin: true })),
      ]);
      await s.check('delete', 'users.delete', { name }, OK);
      s.untrack('user', { id: name, name });
      await s.check('gone', 'users.get', { name }, html(404, 'Not Found'));
    },
  },
  {
    id: 'key-rotation',
    kind: 'lifecycle',
    method: 'users.generateApiKey',
    says: "a new key replaces the old one; a deleted user's key stops working",
    see: 'octoprint.md §2.4, §4.4',
    async run(s) {
      const u = await madeUser(s, false);
      await s.check('works', 'users.get', { name: u.name }, OK, keyOf(u.apikey));
      const reply = await s.check('generate my own', 'users.generateApiKey', { name: u.name }, OK, keyOf(u.apikey));
      const next = reply.ok && isRow(reply.value) ? String(reply.value['apikey']) : '';
      await s.check('old key refused', 'users.get', { name: u.name }, BAD_KEY_13, keyOf(u.apikey));
      await s.check('new key works', 'users.get', { name: u.name }, OK, keyOf(next));
      await s.check('delete', 'users.delete', { name: u.name }, OK);
      s.untrack('user', { id: u.name, name: u.name });
      await s.check('deleted key refused', 'users.get', { name: u.name }, BAD_KEY_13, keyOf(next));
    },
  },
  {
    id: 'key-reset',
    kind: 'lifecycle',
    method: 'users.resetApiKey',
    says: 'a removed key is gone from the record and stops working',
    see: 'octoprint.md §2.4, §4.4',
    async run(s) {
      const u = await madeUser(s, false);
      await s.check('remove it', 'users.resetApiKey', { name: u.name }, [statusClass(2, 'must', 'success')]);
      await s.check('the record has no key', 'users.get', { name: u.name }, [
        ...OK,
        where('must', 'apikey null', (b) => (isRow(b) ? fieldsAre(b, { apikey: null }) : 'not an object')),
      ]);
      await s.check('removed key refused', 'users.get', { name: u.name }, BAD_KEY_13, keyOf(u.apikey));
    },
  },
  {
    id: 'settings-read-back',
    kind: 'lifecycle',
    method: 'users.saveSettings',
    says: 'saved settings read back, the keys not sent are kept',
    see: 'octoprint.md §4.4',
    async run(s) {
      const u = await madeUser(s, false);
      const me = keyOf(u.apikey);
      // 1.3 answers 200 {} where its docs say 204: either is a success here.
      const saved = [statusClass(2, 'must', 'success')];
      await s.check('save', 'users.saveSettings', { name: u.name, settings: { accord: 1, other: 'kept' } }, saved, me);
      await s.check('patch one key', 'users.saveSettings', { name: u.name, settings: { accord: 2 } }, saved, me);
      await s.check(
        'read back',
        'users.getSettings',
        { name: u.name },
        [
          ...OK,
          where('must', 'accord 2, other kept', (b) =>
            isRow(b) ? fieldsAre(b, { accord: 2, other: 'kept' }) : 'not an object',
          ),
        ],
        me,
      );
    },
  },
  {
    id: 'inactive-key-ignored',
    kind: 'lifecycle',
    method: 'users.update',
    says: 'an inactive user\'s key logs nobody in: 403 "Invalid API key"',
    see: 'octoprint.md §2.4',
    async run(s) {
      const u = await madeUser(s, true);
      await s.check('works', 'users.list', {}, OK, keyOf(u.apikey));
      await s.check('deactivate', 'users.update', { name: u.name, active: false, admin: true }, OK);
      await s.check('refused', 'users.list', {}, BAD_KEY_13, keyOf(u.apikey));
    },
  },
  {
    id: 'delete-yourself-allowed',
    kind: 'lifecycle',
    method: 'users.delete',
    says: '1.3 lets an admin delete their own user',
    see: 'octoprint.md §4.4',
    async run(s) {
      const u = await madeUser(s, true);
      await s.check('delete myself', 'users.delete', { name: u.name }, [status(200, 'quirk')], keyOf(u.apikey));
      s.untrack('user', { id: u.name, name: u.name });
    },
  },
];
