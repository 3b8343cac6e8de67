import type { ScenarioSpec } from '../../../spec/protocol.js';
import { SkipCheck } from '../../../spec/skip.js';
import { facet } from '../../../spec/expectation.js';
import { notified, notifiedMatching, notNotified, statusIs } from '../../../wire/nymea-facets.js';
import type { Facet } from '../../../spec/expectation.js';
import { notifications as declaredNotifications } from '../notifications.js';
import { show } from '../../../spec/show.js';
import { answersError, paramsSay } from '../define.js';
import { newPassword } from '../rules.js';
import { ADMIN_SCOPES, maskOf, userInfoScopes } from '../scopes.js';
import type { NymeaWorld } from '../world.js';
import { as, expectSeen, listener, notifications, rawStep, step, waitFor, type S } from './support.js';

/**
 * Who receives which notification (nymea.md §7): Users notifications go to every connection that enabled
 * the Users namespace, whoever it is, with one server-wide id per event, and to nobody else; the push-button
 * result goes only to the requester, whatever its settings.
 */
type Scenario = ScenarioSpec<NymeaWorld>;
const S7 = 'nymea.md §7';
type Rec = Record<string, unknown>;

const infoOf = (p: Rec) => (p['userInfo'] ?? {}) as Rec;
const named = (username: string) => (p: Rec) =>
  infoOf(p)['username'] === username ? null : `userInfo ${show(p['userInfo'])}`;

/** The params of a notification as the introspection data declares them (more keys allowed), and exactly (quirk). */
function asDeclared(name: string): Facet[] {
  const spec = declaredNotifications.find((n) => n.name === name);
  if (!spec) throw new Error(`${name} is not a declared notification`);
  return [
    notifiedMatching('must', name, spec.params, 'as the introspection data declares'),
    notifiedMatching('quirk', name, spec.paramsStrict, 'exactly as declared'),
  ];
}

/** Three listeners beside the acting (arranging) session: admin and no-permission user subscribed, admin not subscribed, admin on another namespace. */
async function audience(s: S) {
  return {
    admin: await listener(s, 'admin', ['Users']),
    guest: await listener(s, 'scope-none', ['Users']),
    deaf: await s.open('admin'),
    elsewhere: await listener(s, 'admin', ['Rules']),
  };
}

export const notificationScenarios: readonly Scenario[] = [
  {
    id: 'user-added',
    kind: 'notifications',
    method: 'Users.UserAdded',
    says: 'a user created on one connection is announced to every connection subscribed to Users, and to no other; a failed create to nobody',
    see: S7,
    async run(s) {
      const a = await audience(s);
      const username = s.name('user');
      await s.check(
        'create',
        'Users.CreateUser',
        {
          username,
          password: newPassword(),
          email: 'n@example.org',
          displayName: 'Notified',
          scopes: ['PermissionScopeControlThings'],
        },
        answersError('UserErrorNoError'),
      );
      s.track('user', { id: username, name: username });
      const expected = {
        allowedThingIds: [],
        displayName: 'Notified',
        email: 'n@example.org',
        scopes: ['PermissionScopeControlThings'],
        username,
      };
      const seenByAdmin = await expectSeen(s, a.admin, 'subscribed admin', [
        notified('must', 'Users.UserAdded', named(username), `Users.UserAdded for ${username}`),
        ...asDeclared('Users.UserAdded'),
        notified(
          'quirk',
          'Users.UserAdded',
          (p) =>
            JSON.stringify(Object.fromEntries(Object.entries(infoOf(p)).sort())) === JSON.stringify(expected)
              ? null
              : `userInfo ${show(p['userInfo'])}`,
          'with the whole UserInfo',
        ),
      ]);
      const seenByGuest = await expectSeen(s, a.guest, 'subscribed user without scopes', [
        notified('quirk', 'Users.UserAdded', named(username), 'Users.UserAdded too: no scope filtering'),
      ]);
      await expectSeen(s, a.deaf, 'admin not subscribed', [notNotified('must', 'Users.')]);
      await expectSeen(s, a.elsewhere, 'admin subscribed to Rules only', [notNotified('must', 'Users.')]);
      // A create that fails (the name exists now) announces nothing.
      await s.check(
        'create again',
        'Users.CreateUser',
        { username, password: newPassword(), scopes: [] },
        answersError('UserErrorDuplicateUserId'),
      );
      await expectSeen(s, a.admin, 'subscribed admin, after the failed create', [notNotified('must', 'Users.')]);
      const idOf = (list: Rec[]) => list.find((n) => n['notification'] === 'Users.UserAdded')?.['id'];
      const ids = [idOf(notifications(seenByAdmin)), idOf(notifications(seenByGuest))];
      s.expect('one id for everyone', seenByAdmin.observed, [
        facet('quirk', 'both listeners got the same notification id (one server-wide counter)', () =>
          ids[0] !== undefined && ids[0] === ids[1] ? null : `ids ${show(ids)}`,
        ),
      ]);
    },
  },
  {
    id: 'user-changed',
    kind: 'notifications',
    method: 'Users.UserChanged',
    says: 'scope and info changes are announced with the changed UserInfo; ids go up from one event to the next',
    see: S7,
    async run(s) {
      const listening = await listener(s, 'admin', ['Users']);
      const u = await s.create('user', { scopes: [] });
      await expectSeen(s, listening, 'created', [notified('must', 'Users.UserAdded', named(u.name))]);
      // Subscribed later: with one server-wide counter it still gets the same id as the first listener.
      const late = await listener(s, 'scope-none', ['Users']);
      const scopes = ['PermissionScopeConfigureThings', 'PermissionScopeAccessAllThings'];
      await s.check(
        'set scopes',
        'Users.SetUserScopes',
        { username: u.name, scopes },
        answersError('UserErrorNoError'),
      );
      const first = await expectSeen(s, listening, 'scopes changed', [
        notified('must', 'Users.UserChanged', named(u.name)),
        ...asDeclared('Users.UserChanged'),
        notified(
          'quirk',
          'Users.UserChanged',
          (p) =>
            JSON.stringify(infoOf(p)['scopes']) === JSON.stringify(userInfoScopes(maskOf(scopes)))
              ? null
              : `scopes ${show(infoOf(p)['scopes'])}`,
          'scopes written with their implied ones',
        ),
      ]);
      await s.check(
        'set info',
        'Users.SetUserInfo',
        { username: u.name, displayName: 'Changed', email: 'changed@example.org' },
        answersError('UserErrorNoError'),
      );
      const lateSeen = await expectSeen(s, late, 'a later listener', [
        notified('must', 'Users.UserChanged', named(u.name)),
      ]);
      const second = await expectSeen(s, listening, 'info changed', [
        notified(
          'must',
          'Users.UserChanged',
          (p) =>
            infoOf(p)['displayName'] === 'Changed' && infoOf(p)['email'] === 'changed@example.org'
              ? null
              : `userInfo ${show(p['userInfo'])}`,
          'Users.UserChanged with the new displayName and email',
        ),
      ]);
      const id = (e: typeof first) =>
        Number(notifications(e).find((n) => n['notification'] === 'Users.UserChanged')?.['id']);
      s.expect('ids', second.observed, [
        facet('must', 'the later event has the larger id', () =>
          id(second) > id(first) ? null : `ids ${id(first)} then ${id(second)}`,
        ),
        facet(
          'quirk',
          'a listener that subscribed later got the same id for the same event (one server-wide counter, not one per connection)',
          () => (id(lateSeen) === id(first) ? null : `ids ${id(first)} and ${id(lateSeen)}`),
        ),
      ]);
    },
  },
  {
    id: 'user-removed',
    kind: 'notifications',
    method: 'Users.UserRemoved',
    says: 'a removed user is announced by name, to the remover as well; a failed removal is not announced',
    see: S7,
    async run(s) {
      const listening = await listener(s, 'scope-none', ['Users']);
      // The remover listens too: a notification goes to every subscribed connection, the caller's included.
      const remover = await listener(s, 'admin', ['Users']);
      const u = await s.create('user', { scopes: [] });
      await step(s, remover, 'remove', 'Users.RemoveUser', { username: u.name }, answersError('UserErrorNoError'));
      s.untrack('user', u);
      await expectSeen(s, remover, 'removed, to the remover', [
        notified('must', 'Users.UserRemoved', (p) => (p['username'] === u.name ? null : `params ${show(p)}`)),
      ]);
      await expectSeen(s, listening, 'removed', [
        notified(
          'must',
          'Users.UserRemoved',
          (p) => (p['username'] === u.name ? null : `params ${show(p)}`),
          `Users.UserRemoved {"username":"${u.name}"}`,
        ),
        ...asDeclared('Users.UserRemoved'),
      ]);
      // Removing a user that no longer exists fails and announces nothing.
      await s.check('remove again', 'Users.RemoveUser', { username: u.name }, answersError('UserErrorInvalidUserId'));
      await expectSeen(s, listening, 'after the failed removal', [notNotified('must', 'Users.')]);
    },
  },
  {
    id: 'removed-as-written',
    kind: 'notifications',
    method: 'Users.UserRemoved',
    says: 'UserRemoved carries the name exactly as the caller wrote it',
    see: 'nymea.md §6 RemoveUser',
    async run(s) {
      const listening = await listener(s, 'admin', ['Users']);
      const u = await s.create('user', { scopes: [] });
      const written = u.name.toUpperCase();
      await s.check(
        'remove in upper case',
        'Users.RemoveUser',
        { username: written },
        answersError('UserErrorNoError', 'quirk'),
      );
      s.untrack('user', u);
      await expectSeen(s, listening, 'removed', [
        notified(
          'quirk',
          'Users.UserRemoved',
          (p) => (p['username'] === written ? null : `params ${show(p)}`),
          `Users.UserRemoved {"username":"${written}"}`,
        ),
      ]);
    },
  },
  {
    id: 'added-as-written',
    kind: 'notifications',
    method: 'Users.UserAdded',
    says: 'a mixed-case name is stored lower-cased, and UserAdded (looked up as written) carries an empty UserInfo',
    see: S7,
    async run(s) {
      const listening = await listener(s, 'admin', ['Users']);
      const stored = s.name('user');
      const written = `A${stored.slice(1)}`;
      await s.check(
        'create',
        'Users.CreateUser',
        { username: written, password: newPassword(), scopes: [] },
        answersError('UserErrorNoError'),
      );
      s.track('user', { id: stored, name: stored });
      await expectSeen(s, listening, 'announced', [
        notified('quirk', 'Users.UserAdded', named(''), 'Users.UserAdded with userInfo.username ""'),
      ]);
      await s.check('stored lower-cased', 'Users.GetUsers', {}, [
        paramsSay(
          'quirk',
          `the list has ${stored}`,
          (p) => Array.isArray(p['users']) && (p['users'] as Rec[]).some((x) => x['username'] === stored),
        ),
      ]);
    },
  },
  {
    id: 'password-change-silent',
    kind: 'notifications',
    method: 'Users.UserChanged',
    says: 'a password change is not announced',
    see: S7,
    async run(s) {
      const listening = await listener(s, 'admin', ['Users']);
      const u = await s.create('user', { scopes: [] });
      await expectSeen(s, listening, 'created', [notified('must', 'Users.UserAdded', named(u.name))]);
      await s.check(
        'change password',
        'Users.ChangeUserPassword',
        { username: u.name, newPassword: newPassword() },
        answersError('UserErrorNoError'),
      );
      await expectSeen(s, listening, 'after the change', [notNotified('quirk', 'Users.')]);
    },
  },
  {
    id: 'subscription-settings',
    kind: 'notifications',
    method: 'JSONRPC.SetNotificationStatus',
    says: 'nothing by default; enabled:true turns everything on; {} turns it off again',
    see: S7,
    async run(s) {
      const fresh = await s.open('admin');
      const all = await s.open('admin');
      await step(s, all, 'enable all', 'JSONRPC.SetNotificationStatus', { enabled: true }, [statusIs('success')]);
      const off = await listener(s, 'admin', ['Users']);
      await step(s, off, 'disable all', 'JSONRPC.SetNotificationStatus', {}, [statusIs('success')]);
      const u = await s.create('user', { scopes: [] });
      await expectSeen(s, fresh, 'a new connection', [
        notNotified('must', 'Users.', 'nothing: a new connection gets no notifications until it asks'),
      ]);
      await expectSeen(s, all, 'enabled:true', [notified('must', 'Users.UserAdded', named(u.name))]);
      await expectSeen(s, off, 'switched off', [notNotified('must', 'Users.')]);
    },
  },
  {
    id: 'push-button',
    kind: 'notifications',
    method: 'JSONRPC.PushButtonAuthFinished',
    says: 'a pressed button sends the requester, and only it, a token, whatever its notification settings',
    see: 'nymea.md §4 Push button',
    async run(s) {
      const control = pressable(s);
      const requester = await s.open(as({ token: '' }));
      const other = await listener(s, 'admin', ['JSONRPC', 'Users']);
      const request = await step(
        s,
        requester,
        'request',
        'JSONRPC.RequestPushButtonAuth',
        { deviceName: s.name('device') },
        [statusIs('success')],
      );
      const transactionId = request.ok ? (request.value as Rec)['transactionId'] : undefined;
      await press(control);
      s.track('user', { id: '', name: '' });
      const result = await waitFor(
        s,
        requester,
        'pressed',
        (m) => m['notification'] === 'JSONRPC.PushButtonAuthFinished',
        3000,
        [
          notified(
            'must',
            'JSONRPC.PushButtonAuthFinished',
            (p) =>
              p['success'] === true && typeof p['token'] === 'string' && p['transactionId'] === transactionId
                ? null
                : `params ${show(p)}`,
            'JSONRPC.PushButtonAuthFinished: success, a token, the transactionId',
          ),
          ...asDeclared('JSONRPC.PushButtonAuthFinished'),
          notNotified(
            'quirk',
            'Users.PushButtonAuthFinished',
            'not Users.PushButtonAuthFinished (declared, never sent)',
          ),
        ],
      );
      await expectSeen(s, other, 'another subscribed connection', [
        notNotified('must', 'JSONRPC.PushButtonAuthFinished'),
      ]);
      const finished = notifications(result).find((n) => n['notification'] === 'JSONRPC.PushButtonAuthFinished');
      const token = String((finished?.['params'] as Rec | undefined)?.['token'] ?? '');
      await rawStep(
        s,
        requester,
        'the connection now holds that token',
        { send: [{ id: 5, method: 'Users.GetUserInfo', token }], asIs: true },
        [
          statusIs('success', 'quirk'),
          paramsSay('quirk', 'userInfo of the push-button user ""', (p) => infoOf(p)['username'] === ''),
        ],
      );
      const withToken = await s.open(as({ token }));
      await step(s, withToken, 'a new connection with the token', 'JSONRPC.Hello', {}, [
        paramsSay('must', 'authenticated true', (p) => p['authenticated'] === true),
        paramsSay(
          'quirk',
          'username "" with every admin scope',
          (p) => p['username'] === '' && JSON.stringify(p['permissionScopes']) === JSON.stringify(ADMIN_SCOPES),
        ),
      ]);
    },
  },
  {
    id: 'push-button-takeover',
    kind: 'notifications',
    method: 'JSONRPC.PushButtonAuthFinished',
    says: 'a second request takes over: the first requester is told it failed, without a token',
    see: 'nymea.md §4 Push button',
    async run(s) {
      const control = pressable(s);
      const first = await s.open(as({ token: '' }));
      const second = await s.open(as({ token: '' }));
      const one = await step(
        s,
        first,
        'first request',
        'JSONRPC.RequestPushButtonAuth',
        { deviceName: s.name('device') },
        [statusIs('success')],
      );
      const t1 = one.ok ? (one.value as Rec)['transactionId'] : undefined;
      const two = await step(
        s,
        second,
        'second request',
        'JSONRPC.RequestPushButtonAuth',
        { deviceName: s.name('device') },
        [paramsSay('must', 'a larger transactionId', (p) => Number(p['transactionId']) > Number(t1))],
      );
      const t2 = two.ok ? (two.value as Rec)['transactionId'] : undefined;
      await waitFor(s, first, 'first requester', (m) => m['notification'] === 'JSONRPC.PushButtonAuthFinished', 3000, [
        notified(
          'must',
          'JSONRPC.PushButtonAuthFinished',
          (p) => (p['success'] === false && p['transactionId'] === t1 && !('token' in p) ? null : `params ${show(p)}`),
          'success false for the first transaction, no token',
        ),
      ]);
      await press(control);
      s.track('user', { id: '', name: '' });
      await waitFor(
        s,
        second,
        'second requester',
        (m) => m['notification'] === 'JSONRPC.PushButtonAuthFinished',
        3000,
        [
          notified(
            'must',
            'JSONRPC.PushButtonAuthFinished',
            (p) => (p['success'] === true && p['transactionId'] === t2 ? null : `params ${show(p)}`),
            'success for the second transaction',
          ),
        ],
      );
    },
  },
];

/** The control endpoint of the embedded mock: a live nymea's button needs a person. */
function pressable(s: S): string {
  const control = s.given['control'];
  if (typeof control !== 'string')
    throw new SkipCheck(
      'only the embedded mock has a button a check can press (its control endpoint); on a live nymea a person would have to press it',
    );
  return control;
}

async function press(control: string): Promise<void> {
  const response = await fetch(`${control}/__accord/control/press-button`, { method: 'POST' });
  if (!response.ok) throw new Error(`pressing the button: HTTP ${response.status} ${await response.text()}`);
}
