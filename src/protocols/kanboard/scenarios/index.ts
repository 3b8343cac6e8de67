import type { Expectation } from '../../../spec/expectation.js';
import type { Level } from '../../../spec/levels.js';
import type { ScenarioSpec } from '../../../spec/protocol.js';
import { resultSatisfies } from '../../../wire/jsonrpc2.js';
import { show } from '../../../spec/show.js';
import { FORBIDDEN, UNAUTHORIZED } from '../access.js';
import { ENDPOINT } from '../binding.js';
import { returns } from '../define.js';
import { password, type KanboardWorld } from '../world.js';
import { databaseOf } from '../variants.js';
import { variantFacets } from '../../../spec/variant.js';
import { booleanOf, intOf, perDatabase } from '../records.js';
import { noRole } from '../methods/project-permissions.js';

/** Multi-step checks: create → read → update → list → delete → gone, cascades, credentials that stop working. */
type Scenario = ScenarioSpec<KanboardWorld>;

const where = (level: Level, says: string, test: (r: unknown) => boolean): Expectation => [
  resultSatisfies(level, says, (r) => (test(r) ? null : `got ${show(r)}`)),
];
const field = (name: string, value: unknown) => (r: unknown) =>
  typeof r === 'object' && r !== null && (r as Record<string, unknown>)[name] === value;
const listHas = (name: string, value: unknown) => (r: unknown) =>
  Array.isArray(r) && r.some((x) => field(name, value)(x));
const asUser = (username: string, pw: string) => ({ credentials: { username, password: pw } });

function newId(r: unknown): number {
  if (typeof r !== 'number') throw new Error(`expected a new id, got ${show(r)}`);
  return r;
}

export const scenarios: readonly Scenario[] = [
  {
    id: 'user-lifecycle',
    kind: 'lifecycle',
    method: 'createUser',
    says: 'a user can be created, read, updated, listed, removed, and is gone afterwards',
    see: 'kanboard.md §6 Users',
    async run(s) {
      const username = s.name('user');
      const created = await s.check(
        'create',
        'createUser',
        { username, password: password(), name: 'Ada', email: 'ada@example.org' },
        [
          resultSatisfies('must', 'a new id', (r) =>
            typeof r === 'number' || (typeof r === 'string' && /^\d+$/.test(r)) ? null : `got ${show(r)}`,
          ),
        ],
      );
      const id = Number(created.ok ? created.value : NaN);
      s.track('user', { id, name: username });
      await s.check(
        'read',
        'getUser',
        { user_id: id },
        where(
          'must',
          'the stored username, name and email',
          (r) => field('username', username)(r) && field('name', 'Ada')(r) && field('email', 'ada@example.org')(r),
        ),
      );
      // MySQL's lock_expiration_date has no default: a user made after install has null (the admin has 0).
      const defaults = perDatabase((db) => {
        const active = booleanOf(db, true);
        const lock = db.newUserLockExpiration === null ? null : intOf(db, db.newUserLockExpiration);
        return where(
          'quirk',
          `role app-user, is_active ${show(active)}, lock_expiration_date ${show(lock)}`,
          (r) =>
            field('role', 'app-user')(r) && field('is_active', active)(r) && field('lock_expiration_date', lock)(r),
        );
      });
      await s.check('read defaults', 'getUser', { user_id: id }, variantFacets(defaults, s.variant));
      await s.check(
        'update',
        'updateUser',
        { id, name: 'Ada L.', email: 'ada.l@example.org', role: 'app-manager' },
        returns(true),
      );
      await s.check(
        'read after write',
        'getUser',
        { user_id: id },
        where(
          'must',
          'the updated name, email and role',
          (r) =>
            field('name', 'Ada L.')(r) && field('email', 'ada.l@example.org')(r) && field('role', 'app-manager')(r),
        ),
      );
      await s.check(
        'list',
        'getAllUsers',
        {},
        where('must', `the list includes ${username}`, listHas('username', username)),
      );
      await s.check('remove', 'removeUser', { user_id: id }, returns(true));
      s.untrack('user', { id, name: username });
      // SQLite reuses the highest id, so another client may already have a new user under it.
      await s.check(
        'gone',
        'getUser',
        { user_id: id },
        where(
          'must',
          `no user ${username} under id ${id} any more`,
          (r) => r === null || !field('username', username)(r),
        ),
      );
      await s.check(
        'gone from the list',
        'getAllUsers',
        {},
        where(
          'must',
          `the list no longer has ${username}`,
          (r) => Array.isArray(r) && !listHas('username', username)(r),
        ),
      );
    },
  },
  {
    id: 'group-lifecycle',
    kind: 'lifecycle',
    method: 'createGroup',
    says: 'a group can be created, read, renamed, listed, removed, and is gone afterwards',
    see: 'kanboard.md §6 Groups',
    async run(s) {
      const name = s.name('group');
      const created = await s.check(
        'create',
        'createGroup',
        { name, external_id: 'ext-1' },
        where('must', 'a new id', (r) => typeof r === 'number' && r > 0),
      );
      const id = newId(created.ok ? created.value : undefined);
      s.track('group', { id, name });
      await s.check(
        'read',
        'getGroup',
        { group_id: id },
        where(
          'must',
          'the stored name and external id',
          (r) => field('name', name)(r) && field('external_id', 'ext-1')(r),
        ),
      );
      const renamed = s.name('renamed');
      await s.check('rename', 'updateGroup', { group_id: id, name: renamed }, returns(true));
      await s.check(
        'read after write',
        'getGroup',
        { group_id: id },
        where('must', `the new name ${renamed}`, field('name', renamed)),
      );
      await s.check('list', 'getAllGroups', {}, [
        ...where(
          'must',
          `the list includes ${renamed}`,
          (r) => Array.isArray(r) && r.some((g) => field('name', renamed)(g)),
        ),
        ...variantFacets(
          perDatabase((db) =>
            where(
              'quirk',
              `with nb_users ${show(intOf(db, 0))} (a field the docs leave out)`,
              (r) => Array.isArray(r) && r.some((g) => field('name', renamed)(g) && field('nb_users', intOf(db, 0))(g)),
            ),
          ),
          s.variant,
        ),
      ]);
      await s.check('remove', 'removeGroup', { group_id: id }, returns(true));
      s.untrack('group', { id, name: renamed });
      await s.check(
        'gone',
        'getGroup',
        { group_id: id },
        where(
          'must',
          `no group ${renamed} under id ${id} any more`,
          (r) => r === null || r === false || !field('name', renamed)(r),
        ),
      );
    },
  },
  {
    id: 'removed-user-leaves-groups',
    kind: 'lifecycle',
    method: 'removeUser',
    says: 'a removed user leaves its groups and its projects',
    see: 'kanboard.md §6 Group members',
    async run(s) {
      const user = await s.create('user');
      const group = await s.create('group');
      await s.check('add to group', 'addGroupMember', { group_id: group.id, user_id: user.id }, returns(true));
      await s.check(
        'add to project',
        'addProjectUser',
        { project_id: s.world.project.id, user_id: user.id, role: 'project-member' },
        returns(true),
      );
      await s.check('member', 'isGroupMember', { group_id: group.id, user_id: user.id }, returns(true));
      await s.check('remove user', 'removeUser', { user_id: user.id }, returns(true));
      s.untrack('user', user);
      await s.check('not a member any more', 'getGroupMembers', { group_id: group.id }, returns([], 'must'));
      await s.check(
        'not on the project any more',
        'getProjectUsers',
        { project_id: s.world.project.id },
        where(
          'must',
          `no entry for id ${user.id}`,
          (r) => typeof r === 'object' && r !== null && !(String(user.id) in r),
        ),
      );
    },
  },
  {
    id: 'removed-group-leaves-members',
    kind: 'lifecycle',
    method: 'removeGroup',
    says: "a removed group disappears from its members' groups and from the projects it had a role on",
    see: 'kanboard.md §6 Group members',
    async run(s) {
      const user = await s.create('user');
      const group = await s.create('group');
      await s.check('add member', 'addGroupMember', { group_id: group.id, user_id: user.id }, returns(true));
      await s.check(
        'attach to project',
        'addProjectGroup',
        { project_id: s.world.project.id, group_id: group.id, role: 'project-manager' },
        returns(true),
      );
      await s.check(
        'role through the group',
        'getProjectUserRole',
        { project_id: s.world.project.id, user_id: user.id },
        returns('project-manager'),
      );
      await s.check('remove group', 'removeGroup', { group_id: group.id }, returns(true));
      s.untrack('group', group);
      await s.check("gone from the user's groups", 'getMemberGroups', { user_id: user.id }, returns([], 'must'));
      await s.check(
        'role gone with it',
        'getProjectUserRole',
        { project_id: s.world.project.id, user_id: user.id },
        variantFacets(noRole(), s.variant),
      );
    },
  },
  {
    id: 'project-role-read-after-write',
    kind: 'lifecycle',
    method: 'changeProjectUserRole',
    says: 'a project role reads back as written, changes, and goes away',
    see: 'kanboard.md §6 Project permissions',
    async run(s) {
      const user = await s.create('user');
      const project = s.world.project.id;
      await s.check(
        'add as viewer',
        'addProjectUser',
        { project_id: project, user_id: user.id, role: 'project-viewer' },
        returns(true),
      );
      await s.check(
        'reads viewer',
        'getProjectUserRole',
        { project_id: project, user_id: user.id },
        returns('project-viewer'),
      );
      await s.check(
        'listed',
        'getProjectUsers',
        { project_id: project },
        where(
          'must',
          `entry ${user.id}: ${user.name}`,
          (r) => typeof r === 'object' && r !== null && (r as Record<string, unknown>)[String(user.id)] === user.name,
        ),
      );
      await s.check(
        'not assignable as viewer',
        'getAssignableUsers',
        { project_id: project },
        where(
          'quirk',
          `no entry for ${user.id}`,
          (r) => typeof r === 'object' && r !== null && !(String(user.id) in r),
        ),
      );
      await s.check(
        'promote',
        'changeProjectUserRole',
        { project_id: project, user_id: user.id, role: 'project-manager' },
        returns(true),
      );
      await s.check(
        'reads manager',
        'getProjectUserRole',
        { project_id: project, user_id: user.id },
        returns('project-manager'),
      );
      await s.check('remove', 'removeProjectUser', { project_id: project, user_id: user.id }, returns(true));
      await s.check(
        'no role',
        'getProjectUserRole',
        { project_id: project, user_id: user.id },
        variantFacets(noRole(), s.variant),
      );
    },
  },
  {
    id: 'user-rename',
    kind: 'lifecycle',
    method: 'updateUser',
    says: 'a renamed user is found by its new username, and no longer by the old one',
    see: 'kanboard.md §6 Users',
    async run(s) {
      const user = await s.create('user');
      const renamed = s.name('renamed');
      await s.check('rename', 'updateUser', { id: user.id, username: renamed }, returns(true));
      s.untrack('user', user);
      s.track('user', { id: user.id, name: renamed });
      await s.check(
        'read by the new name',
        'getUserByName',
        { username: renamed },
        where(
          'must',
          `the user under id ${user.id}`,
          (r) => typeof r === 'object' && r !== null && Number((r as { id?: unknown }).id) === user.id,
        ),
      );
      await s.check('the old name finds nobody', 'getUserByName', { username: user.name }, returns(null));
    },
  },
  {
    id: 'group-membership-read-after-write',
    kind: 'lifecycle',
    method: 'removeGroupMember',
    says: 'a group membership reads back from both sides, and is gone from both once removed',
    see: 'kanboard.md §6 Group members',
    async run(s) {
      const user = await s.create('user');
      const group = await s.create('group');
      await s.check('add member', 'addGroupMember', { group_id: group.id, user_id: user.id }, returns(true));
      await s.check('member', 'isGroupMember', { group_id: group.id, user_id: user.id }, returns(true));
      await s.check(
        "in the group's members",
        'getGroupMembers',
        { group_id: group.id },
        where('must', `the members include ${user.name}`, listHas('username', user.name)),
      );
      await s.check(
        "in the user's groups",
        'getMemberGroups',
        { user_id: user.id },
        where('must', `the groups include ${group.name}`, listHas('name', group.name)),
      );
      await s.check('remove member', 'removeGroupMember', { group_id: group.id, user_id: user.id }, returns(true));
      await s.check('not a member', 'isGroupMember', { group_id: group.id, user_id: user.id }, returns(false));
      await s.check('no members left', 'getGroupMembers', { group_id: group.id }, returns([], 'must'));
      await s.check("gone from the user's groups", 'getMemberGroups', { user_id: user.id }, returns([], 'must'));
    },
  },
  {
    id: 'project-group-role-read-after-write',
    kind: 'lifecycle',
    method: 'changeProjectGroupRole',
    says: "a group's project role reaches its members, changes with the group's role, and goes when the group is removed",
    see: 'kanboard.md §6 Project permissions',
    async run(s) {
      const user = await s.create('user');
      const group = await s.create('group');
      const project = (await s.create('project')).id;
      const entry = (r: unknown) =>
        typeof r === 'object' && r !== null ? (r as Record<string, unknown>)[String(user.id)] : undefined;
      await s.check('add member', 'addGroupMember', { group_id: group.id, user_id: user.id }, returns(true));
      await s.check(
        'attach as viewer',
        'addProjectGroup',
        { project_id: project, group_id: group.id, role: 'project-viewer' },
        returns(true),
      );
      await s.check(
        'reads viewer',
        'getProjectUserRole',
        { project_id: project, user_id: user.id },
        returns('project-viewer'),
      );
      await s.check(
        'listed through the group',
        'getProjectUsers',
        { project_id: project },
        where('must', `entry ${user.id}: ${user.name}`, (r) => entry(r) === user.name),
      );
      await s.check(
        'make members',
        'changeProjectGroupRole',
        { project_id: project, group_id: group.id, role: 'project-member' },
        returns(true),
      );
      await s.check(
        'reads member',
        'getProjectUserRole',
        { project_id: project, user_id: user.id },
        returns('project-member'),
      );
      await s.check(
        'assignable as member',
        'getAssignableUsers',
        { project_id: project },
        where('must', `entry ${user.id}: ${user.name}`, (r) => entry(r) === user.name),
      );
      await s.check('detach', 'removeProjectGroup', { project_id: project, group_id: group.id }, returns(true));
      await s.check('no role', 'getProjectUserRole', { project_id: project, user_id: user.id }, [
        ...where('must', 'no role any more', (r) => r !== 'project-member'),
        ...variantFacets(noRole(), s.variant),
      ]);
      await s.check(
        'not listed any more',
        'getProjectUsers',
        { project_id: project },
        where(
          'must',
          `no entry for id ${user.id}`,
          (r) => typeof r === 'object' && r !== null && entry(r) === undefined,
        ),
      );
    },
  },
  {
    id: 'disabled-member-not-assignable',
    kind: 'lifecycle',
    method: 'getAssignableUsers',
    says: 'a disabled member stays on the project but cannot be assigned, and can again once enabled',
    see: 'kanboard.md §6 Project permissions',
    async run(s) {
      const user = await s.create('user');
      const project = (await s.create('project')).id;
      const entry = (r: unknown) =>
        typeof r === 'object' && r !== null ? (r as Record<string, unknown>)[String(user.id)] : undefined;
      await s.check(
        'add as member',
        'addProjectUser',
        { project_id: project, user_id: user.id, role: 'project-member' },
        returns(true),
      );
      await s.check(
        'assignable',
        'getAssignableUsers',
        { project_id: project },
        where('must', `entry ${user.id}: ${user.name}`, (r) => entry(r) === user.name),
      );
      await s.check('disable', 'disableUser', { user_id: user.id }, returns(true));
      await s.check(
        'not assignable while disabled',
        'getAssignableUsers',
        { project_id: project },
        where(
          'should',
          `no entry for id ${user.id}`,
          (r) => typeof r === 'object' && r !== null && entry(r) === undefined,
        ),
      );
      await s.check(
        'still a member',
        'getProjectUsers',
        { project_id: project },
        where('must', `entry ${user.id}: ${user.name}`, (r) => entry(r) === user.name),
      );
      await s.check('enable', 'enableUser', { user_id: user.id }, returns(true));
      await s.check(
        'assignable again',
        'getAssignableUsers',
        { project_id: project },
        where('must', `entry ${user.id}: ${user.name}`, (r) => entry(r) === user.name),
      );
    },
  },
  {
    id: 'disabled-user-locked-out',
    kind: 'lifecycle',
    method: 'disableUser',
    says: "a disabled user's credentials stop working, and work again once enabled",
    see: 'kanboard.md §2',
    async run(s) {
      const user = await s.create('user');
      const me = asUser(user.name, String(user['password']));
      await s.check(
        'works',
        'getMe',
        {},
        where('must', `getMe answers ${user.name}`, field('username', user.name)),
        me,
      );
      await s.check('disable', 'disableUser', { user_id: user.id }, returns(true));
      await s.check('inactive', 'isActiveUser', { user_id: user.id }, returns(false));
      await s.check('locked out', 'getMe', {}, UNAUTHORIZED, me);
      // Disabled is not gone: the user is still listed and found by name.
      await s.check(
        'still listed',
        'getAllUsers',
        {},
        where('must', `the list includes ${user.name}`, listHas('username', user.name)),
      );
      await s.check(
        'still found by name',
        'getUserByName',
        { username: user.name },
        where('must', `the user ${user.name}`, field('username', user.name)),
      );
      await s.check('enable', 'enableUser', { user_id: user.id }, returns(true));
      await s.check(
        'works again',
        'getMe',
        {},
        where('must', `getMe answers ${user.name}`, field('username', user.name)),
        me,
      );
    },
  },
  {
    id: 'login-name-case',
    kind: 'lifecycle',
    method: 'getMe',
    says: 'HTTP Basic login takes the username exactly as stored (MySQL: in any case, utf8mb4_unicode_ci)',
    see: 'issue 13 (real servers)',
    async run(s) {
      const user = await s.create('user');
      const upper = asUser(user.name.toUpperCase(), String(user['password']));
      const forms = perDatabase((db) =>
        db.caseInsensitiveNames
          ? where('quirk', `getMe answers ${user.name}`, field('username', user.name))
          : UNAUTHORIZED.map((f) => ({ ...f, level: 'quirk' as const })),
      );
      await s.check('log in with the upper-case name', 'getMe', {}, variantFacets(forms, s.variant), upper);
    },
  },
  {
    id: 'removed-user-locked-out',
    kind: 'lifecycle',
    method: 'removeUser',
    says: "a removed user's credentials stop working at once",
    see: 'kanboard.md §2',
    async run(s) {
      const user = await s.create('user');
      const me = asUser(user.name, String(user['password']));
      await s.check(
        'works',
        'getMe',
        {},
        where('must', `getMe answers ${user.name}`, field('username', user.name)),
        me,
      );
      await s.check('remove', 'removeUser', { user_id: user.id }, returns(true));
      s.untrack('user', user);
      await s.check('locked out', 'getMe', {}, UNAUTHORIZED, me);
    },
  },
  {
    id: 'demotion-next-call',
    kind: 'lifecycle',
    method: 'updateUser',
    says: 'a demotion takes effect on the very next call (no session)',
    see: 'kanboard.md §2',
    async run(s) {
      const user = await s.create('user', { role: 'app-admin' });
      const me = asUser(user.name, String(user['password']));
      await s.check('admin may list users', 'getAllUsers', {}, where('must', 'a list', Array.isArray), me);
      await s.check('demote', 'updateUser', { id: user.id, role: 'app-user' }, returns(true));
      await s.check('403 at once', 'getAllUsers', {}, FORBIDDEN, me);
    },
  },
  {
    id: 'creator-manages-project',
    kind: 'lifecycle',
    method: 'createProject',
    says: 'a user who creates a project becomes its project-manager',
    see: 'kanboard.md §4',
    async run(s) {
      const user = await s.create('user', { role: 'app-manager' });
      const me = asUser(user.name, String(user['password']));
      const name = s.name('project');
      const created = await s.check(
        'create as app-manager',
        'createProject',
        { name },
        where('must', 'a new id', (r) => typeof r === 'number' && r > 0),
        me,
      );
      const id = newId(created.ok ? created.value : undefined);
      s.track('project', { id, name, createdBy: me });
      // The docs do not say so; the real server adds the creator as project-manager (ProjectModel::create).
      await s.check(
        'creator is manager',
        'getProjectUserRole',
        { project_id: id, user_id: user.id },
        returns('project-manager', 'quirk'),
        me,
      );
      await s.check(
        'creator may manage it',
        'addProjectUser',
        { project_id: id, user_id: s.world.user.id },
        returns(true, 'quirk'),
        me,
      );
      // Its role is on its own project only: the world's project, where it has none, stays closed to it.
      await s.check(
        'no role on another project',
        'addProjectUser',
        { project_id: s.world.project.id, user_id: user.id, role: 'project-manager' },
        FORBIDDEN,
        me,
      );
      await s.check(
        'cannot read another project',
        'getProjectUsers',
        { project_id: s.world.project.id },
        FORBIDDEN,
        me,
      );
    },
  },
  {
    id: 'seed-is-admin-ignored',
    kind: 'lifecycle',
    method: 'createUser',
    says: "the seed's is_admin parameter is silently dropped: the user is an app-user",
    see: 'kanboard.md §7.6',
    async run(s) {
      const username = s.name('user');
      const created = await s.check(
        'create with is_admin',
        'createUser',
        { username, password: password(), is_admin: 1 },
        where('quirk', 'a new id', (r) => typeof r === 'number'),
      );
      if (!created.ok || typeof created.value !== 'number') return;
      s.track('user', { id: created.value, name: username });
      // PostgreSQL and MySQL have no is_admin column at all (their migrations drop it).
      const appUser = perDatabase((db) =>
        db.droppedUserColumns.includes('is_admin')
          ? where(
              'quirk',
              'role app-user, no is_admin column',
              (r) => field('role', 'app-user')(r) && typeof r === 'object' && r !== null && !('is_admin' in r),
            )
          : where(
              'quirk',
              `role app-user, is_admin ${show(intOf(db, 0))}`,
              (r) => field('role', 'app-user')(r) && field('is_admin', intOf(db, 0))(r),
            ),
      );
      await s.check('role', 'getUser', { user_id: created.value }, variantFacets(appUser, s.variant));
    },
  },
  {
    id: 'username-trimmed',
    kind: 'lifecycle',
    method: 'createUser',
    says: 'a username is trimmed before it is stored (before 1.2.27: stored as sent)',
    see: 'kanboard.md §8',
    async run(s) {
      const username = s.name('user');
      const sent = `  ${username} `;
      const created = await s.check(
        'create with spaces',
        'createUser',
        { username: sent, password: password() },
        where('quirk', 'a new id', (r) => typeof r === 'number'),
      );
      if (!created.ok || typeof created.value !== 'number') return;
      // UserModel::prepare trims from 1.2.27 on (variants.ts ReleaseForm.trimsUsername).
      const trims = databaseOf(s.variant).release.trimsUsername;
      s.track('user', { id: created.value, name: trims ? username : sent });
      const stored = perDatabase((db) =>
        db.release.trimsUsername
          ? where('quirk', `username "${username}"`, field('username', username))
          : returns(null, 'quirk'),
      );
      await s.check('found trimmed', 'getUserByName', { username }, variantFacets(stored, s.variant));
      if (!trims)
        await s.check(
          'found as sent',
          'getUserByName',
          { username: sent },
          where('quirk', `username "${sent}"`, field('username', sent)),
        );
    },
  },
  {
    id: 'lockout-after-seven-failures',
    kind: 'lifecycle',
    method: 'getMe',
    says: 'after 7 failed logins in a row even the right password gets 401 (the docs say 3)',
    see: 'kanboard.md §2',
    async run(s) {
      const user = await s.create('user');
      const wrong = asUser(user.name, 'not-the-password');
      for (let i = 1; i <= 3; i++) await s.check(`failure ${i}`, 'getMe', {}, UNAUTHORIZED, wrong);
      await s.check(
        'not locked after 3 (the docs say it is)',
        'getMe',
        {},
        where('quirk', 'still works', field('username', user.name)),
        asUser(user.name, String(user['password'])),
      );
      // That success cleared the count (AuthSubscriber::afterLogin): 3 + 6 failures do not add up to a lock.
      for (let i = 1; i <= 6; i++) await s.check(`failure ${i} after a success`, 'getMe', {}, UNAUTHORIZED, wrong);
      await s.check(
        'a success clears the count',
        'getMe',
        {},
        where('quirk', 'still works after 6 more', field('username', user.name)),
        asUser(user.name, String(user['password'])),
      );
      for (let i = 1; i <= 7; i++) await s.check(`failure ${i} again`, 'getMe', {}, UNAUTHORIZED, wrong);
      await s.check(
        'locked after 7',
        'getMe',
        {},
        UNAUTHORIZED.map((f) => ({ ...f, level: 'quirk' as const })),
        asUser(user.name, String(user['password'])),
      );
    },
  },
  {
    id: 'batch-keeps-side-effects',
    kind: 'lifecycle',
    method: 'createGroup',
    says: 'a batch cut short by a 403 keeps the effects of the members before it',
    see: 'kanboard.md §5',
    async run(s) {
      const name = s.name('group');
      const session = await s.open('app-api');
      const body = JSON.stringify([
        { jsonrpc: '2.0', method: 'createGroup', id: 1, params: { name } },
        { jsonrpc: '2.0', method: 'getMe', id: 2 },
      ]);
      const exchange = await session.raw({
        verb: 'POST',
        path: ENDPOINT,
        headers: { 'content-type': 'application/json' },
        body,
      });
      s.expect(
        'batch',
        exchange.observed,
        FORBIDDEN.map((f) => ({ ...f, level: 'quirk' as const })),
        exchange,
      );
      const groups = await s.check(
        'the group exists',
        'getAllGroups',
        {},
        where('quirk', `a group ${name}`, listHas('name', name)),
      );
      const made =
        groups.ok && Array.isArray(groups.value)
          ? (groups.value as { id: number; name: string }[]).find((g) => g.name === name)
          : undefined;
      if (made) s.track('group', { id: made.id, name });
    },
  },
];
