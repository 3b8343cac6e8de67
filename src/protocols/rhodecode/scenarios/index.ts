import type { Expectation } from '../../../spec/expectation.js';
import type { ScenarioSpec } from '../../../spec/protocol.js';
import { errorMatches, failed, status } from '../../../wire/rhodecode.js';
import { refusal, WEIGHT } from '../access.js';
import { answers, field, fieldIs, lists, listOf, omits, where } from '../define.js';
import { DATETIME, MASKED_TOKEN } from '../records.js';
import { password, type RhodeCodeWorld } from '../world.js';

/** Multi-step checks: read after write, cascades, tokens that stop working (rhodecode.md §2, §4). */
type Scenario = ScenarioSpec<RhodeCodeWorld>;

const ok = answers();
const row =
  (name: string, permission: string, type = 'user') =>
  (r: unknown) =>
    listOf(field(r, 'permissions')).some(
      (x) => x['name'] === name && x['permission'] === permission && x['type'] === type && x['origin'] === 'permission',
    );
const hasRow = (name: string, permission: string, type = 'user'): Expectation =>
  answers(
    where(
      'must',
      `a permission row ${name} → ${permission}`,
      (r) => row(name, permission, type)(r) || `got ${JSON.stringify(field(r, 'permissions'))?.slice(0, 240)}`,
    ),
  );
const noRow = (name: string, type = 'user'): Expectation =>
  answers(
    where(
      'must',
      `no permission row for ${name}`,
      (r) =>
        !listOf(field(r, 'permissions')).some(
          (x) => x['name'] === name && x['type'] === type && x['origin'] === 'permission',
        ) || 'still there',
    ),
  );
const tokenOf = (value: unknown): string => {
  const tokens = field(value, 'user.auth_tokens');
  if (!Array.isArray(tokens) || typeof tokens[0] !== 'string' || tokens[0] === MASKED_TOKEN)
    throw new Error(`create_user showed no token: ${JSON.stringify(tokens)}`);
  return tokens[0];
};

export const scenarios: readonly Scenario[] = [
  {
    id: 'locks',
    kind: 'lifecycle',
    method: 'get_user_locks',
    says: 'a repository locked for a user is listed by get_user_locks (and get_locks) until unlocked',
    see: 'rhodecode.md §2.3, §4.1',
    async run(s) {
      const repo = s.world.repos.plain;
      if (!repo) throw new Error('the world has no repository');
      const user = s.world.plainUser;
      const listed = (level: 'must' | 'quirk' = 'must') =>
        where(
          level,
          `${repo.name} locked by ${user.name}`,
          (r) =>
            listOf(r).some((x) => x['repo_name'] === repo.name && field(x, 'locked_by.username') === user.name) ||
            `got ${JSON.stringify(r)?.slice(0, 200)}`,
        );
      await s.check(
        'lock',
        'lock',
        { repoid: repo.id, locked: true, userid: user.id },
        answers(
          fieldIs('locked', true),
          fieldIs('msg', `User \`${user.name}\` set lock state for repo \`${repo.name}\` to \`True\``, 'quirk'),
        ),
      );
      await s.check(
        'listed',
        'get_user_locks',
        { userid: user.id },
        answers(
          listed(),
          where('quirk', 'lock_reason lock_api, locked_date a datetime, locked_by with real tokens', (r) => {
            const x = listOf(r).find((e) => e['repo_name'] === repo.name);
            const tokens = field(x, 'locked_by.auth_tokens');
            return (
              (x?.['lock_reason'] === 'lock_api' &&
                DATETIME.test(String(x?.['locked_date'])) &&
                Array.isArray(tokens) &&
                !tokens.includes(MASKED_TOKEN)) ||
              `got ${JSON.stringify(x)?.slice(0, 200)}`
            );
          }),
        ),
      );
      await s.check('listed by the deprecated alias', 'get_locks', { userid: user.name }, answers(listed()));
      await s.check('unlock', 'lock', { repoid: repo.id, locked: false }, answers(fieldIs('locked', false)));
      await s.check(
        'no longer listed',
        'get_user_locks',
        { userid: user.id },
        answers(
          where(
            'must',
            'an empty list',
            (r) =>
              (Array.isArray(r) && !listOf(r).some((x) => x['repo_name'] === repo.name)) ||
              `got ${JSON.stringify(r)?.slice(0, 200)}`,
          ),
        ),
      );
    },
  },
  {
    id: 'user-lifecycle',
    kind: 'lifecycle',
    method: 'create_user',
    says: 'a user can be created, read by id and by name, updated, listed, deleted, and is gone afterwards',
    see: 'rhodecode.md §4.1',
    async run(s) {
      const username = s.name('user');
      const created = await s.check(
        'create',
        'create_user',
        {
          username,
          email: `${username}@example.com`,
          password: password(),
          firstname: 'Ada',
          description: 'first',
          create_personal_repo_group: false,
        },
        ok,
      );
      const id = field(created.ok ? created.value : undefined, 'user.user_id') as number;
      s.track('user', { id, name: username });
      await s.check(
        'read by id',
        'get_user',
        { userid: id },
        answers(
          fieldIs('username', username),
          fieldIs('firstname', 'Ada'),
          fieldIs('description', 'first'),
          fieldIs('email', `${username}@example.com`),
        ),
      );
      await s.check('read by name', 'get_user', { userid: username }, answers(fieldIs('user_id', id)));
      await s.check(
        'update',
        'update_user',
        { userid: id, lastname: 'Lovelace', email: `${username}@Example.COM` },
        answers(fieldIs('msg', `updated user ID:${id} ${username}`)),
      );
      await s.check(
        'read after write',
        'get_user',
        { userid: id },
        answers(
          fieldIs('lastname', 'Lovelace'),
          fieldIs('firstname', 'Ada'),
          fieldIs('email', `${username}@example.com`, 'quirk'),
        ),
      );
      // active and admin are update_user arguments like the others (seed 003): sent, they are applied.
      await s.check('make super-admin', 'update_user', { userid: id, admin: true }, ok);
      await s.check('reads super-admin', 'get_user', { userid: id }, answers(fieldIs('admin', true)));
      await s.check('demote and deactivate', 'update_user', { userid: id, admin: false, active: false }, ok);
      await s.check(
        'reads plain and inactive',
        'get_user',
        { userid: id },
        answers(fieldIs('admin', false), fieldIs('active', false)),
      );
      await s.check('listed', 'get_users', {}, answers(lists('must', 'username', username)));
      await s.check(
        'delete',
        'delete_user',
        { userid: id },
        answers(fieldIs('msg', `deleted user ID:${id} ${username}`)),
      );
      s.untrack('user', { id, name: username });
      await s.check('gone', 'get_user', { userid: id }, refusal(`user \`${id}\` does not exist`));
      await s.check('not listed', 'get_users', {}, answers(omits('must', 'username', username)));
    },
  },
  {
    id: 'user-group-lifecycle',
    kind: 'lifecycle',
    method: 'create_user_group',
    says: 'a user group can be created, read, renamed, listed, deleted, and is gone afterwards',
    see: 'rhodecode.md §4.2',
    async run(s) {
      const name = s.name('usergroup');
      const created = await s.check(
        'create',
        'create_user_group',
        { group_name: name, description: 'made by accord' },
        answers(fieldIs('user_group.owner', s.world.me.name)),
      );
      const id = field(created.ok ? created.value : undefined, 'user_group.users_group_id') as number;
      s.track('usergroup', { id, name });
      await s.check(
        'read',
        'get_user_group',
        { usergroupid: id },
        answers(fieldIs('group_name', name), fieldIs('group_description', 'made by accord'), fieldIs('users', [])),
      );
      const renamed = s.name('renamed');
      await s.check(
        'rename',
        'update_user_group',
        { usergroupid: id, group_name: renamed },
        answers(fieldIs('msg', `updated user group ID:${id} ${renamed}`)),
      );
      s.untrack('usergroup', { id, name });
      s.track('usergroup', { id, name: renamed });
      await s.check(
        'read by the new name',
        'get_user_group',
        { usergroupid: renamed },
        answers(fieldIs('users_group_id', id), fieldIs('group_description', 'made by accord')),
      );
      const heir = s.world.plainUser.name;
      await s.check(
        'deactivate and hand over',
        'update_user_group',
        { usergroupid: id, active: false, owner: heir },
        answers(fieldIs('user_group.active', false, 'should'), fieldIs('user_group.owner', heir)),
      );
      await s.check(
        'reads inactive, new owner',
        'get_user_group',
        { usergroupid: id },
        answers(fieldIs('active', false, 'should'), fieldIs('owner', heir)),
      );
      await s.check('listed', 'get_user_groups', {}, answers(lists('must', 'group_name', renamed)));
      await s.check(
        'delete',
        'delete_user_group',
        { usergroupid: id },
        answers(fieldIs('msg', `deleted user group ID:${id} ${renamed}`)),
      );
      s.untrack('usergroup', { id, name: renamed });
      await s.check('gone', 'get_user_group', { usergroupid: id }, refusal(`user group \`${id}\` does not exist`));
    },
  },
  {
    id: 'membership',
    kind: 'lifecycle',
    method: 'add_user_to_user_group',
    says: 'a member shows in the group (tokens masked) until removed; adding twice or removing twice answers success false',
    see: 'rhodecode.md §4.2',
    async run(s) {
      const group = await s.create('usergroup');
      const user = s.world.plainUser;
      await s.check(
        'add',
        'add_user_to_user_group',
        { usergroupid: group.id, userid: user.name },
        answers(
          fieldIs('success', true),
          fieldIs('msg', `added member \`${user.name}\` to user group \`${group.name}\``),
        ),
      );
      await s.check(
        'listed as member',
        'get_user_group',
        { usergroupid: group.id },
        answers(
          where('must', `users has ${user.name}`, (r) =>
            listOf(field(r, 'users')).some((u) => u['username'] === user.name),
          ),
          where('should', 'with masked tokens', (r) =>
            listOf(field(r, 'users')).every((u) => JSON.stringify(u['auth_tokens']) === JSON.stringify([MASKED_TOKEN])),
          ),
        ),
      );
      await s.check(
        'add again',
        'add_user_to_user_group',
        { usergroupid: group.id, userid: user.id },
        answers(fieldIs('success', false), fieldIs('msg', 'User is already in that group')),
      );
      await s.check(
        'remove',
        'remove_user_from_user_group',
        { usergroupid: group.name, userid: user.id },
        answers(fieldIs('success', true)),
      );
      await s.check('no longer a member', 'get_user_group', { usergroupid: group.id }, answers(fieldIs('users', [])));
      await s.check(
        'remove again',
        'remove_user_from_user_group',
        { usergroupid: group.id, userid: user.id },
        answers(fieldIs('success', false), fieldIs('msg', "User wasn't in group")),
      );
    },
  },
  {
    id: 'user-rename',
    kind: 'lifecycle',
    method: 'update_user',
    says: 'a renamed user is found by its new name, and no longer by the old one',
    see: 'rhodecode.md §4.1',
    async run(s) {
      const user = await s.create('user');
      const renamed = s.name('renamed');
      await s.check(
        'rename',
        'update_user',
        { userid: user.id, username: renamed },
        answers(fieldIs('msg', `updated user ID:${user.id} ${renamed}`), fieldIs('user.username', renamed)),
      );
      s.untrack('user', user);
      s.track('user', { id: user.id, name: renamed });
      await s.check('read by the new name', 'get_user', { userid: renamed }, answers(fieldIs('user_id', user.id)));
      await s.check(
        'the old name is free',
        'get_user',
        { userid: user.name },
        refusal(`user \`${user.name}\` does not exist`),
      );
    },
  },
  {
    id: 'deleted-user-leaves-groups',
    kind: 'lifecycle',
    method: 'delete_user',
    says: 'a deleted user is no longer a member of its user groups',
    see: 'rhodecode.md §4.1',
    async run(s) {
      const group = await s.create('usergroup');
      const user = await s.create('user');
      await s.check(
        'add',
        'add_user_to_user_group',
        { usergroupid: group.id, userid: user.id },
        answers(fieldIs('success', true)),
      );
      await s.check(
        'member',
        'get_user_group',
        { usergroupid: group.id },
        answers(
          where('must', `users has ${user.name}`, (r) =>
            listOf(field(r, 'users')).some((u) => u['username'] === user.name),
          ),
        ),
      );
      await s.check('delete the user', 'delete_user', { userid: user.id }, ok);
      s.untrack('user', user);
      await s.check('no members left', 'get_user_group', { usergroupid: group.id }, answers(fieldIs('users', [])));
    },
  },
  {
    id: 'user-group-permissions-read-after-write',
    kind: 'lifecycle',
    method: 'grant_user_permission_to_user_group',
    says: "a granted permission shows in the group's permissions and in the user's permissions_summary, and goes on revoke",
    see: 'rhodecode.md §2.1, §4.2',
    async run(s) {
      const group = await s.create('usergroup');
      const user = s.world.plainUser;
      const source = s.world.group;
      await s.check(
        'grant user',
        'grant_user_permission_to_user_group',
        { usergroupid: group.id, userid: user.id, perm: 'usergroup.write' },
        ok,
      );
      await s.check(
        'grant group',
        'grant_user_group_permission_to_user_group',
        { usergroupid: group.id, sourceusergroupid: source.id, perm: 'usergroup.admin' },
        ok,
      );
      await s.check('user row', 'get_user_group', { usergroupid: group.id }, hasRow(user.name, 'usergroup.write'));
      await s.check(
        'group row',
        'get_user_group',
        { usergroupid: group.id },
        hasRow(source.name, 'usergroup.admin', 'user_group'),
      );
      await s.check(
        "in the user's summary",
        'get_user',
        { userid: user.id },
        answers(
          where('must', `permissions_summary.user_groups.${group.name} is write or better`, (r) =>
            ['usergroup.write', 'usergroup.admin'].includes(
              String(field(r, `permissions_summary.user_groups.${group.name}`)),
            ),
          ),
        ),
      );
      await s.check(
        'revoke user',
        'revoke_user_permission_from_user_group',
        { usergroupid: group.id, userid: user.id },
        ok,
      );
      await s.check(
        'revoke group',
        'revoke_user_group_permission_from_user_group',
        { usergroupid: group.id, sourceusergroupid: source.id },
        ok,
      );
      await s.check('user row gone', 'get_user_group', { usergroupid: group.id }, noRow(user.name));
      await s.check('group row gone', 'get_user_group', { usergroupid: group.id }, noRow(source.name, 'user_group'));
    },
  },
  {
    id: 'default-permission-and-hiding',
    kind: 'lifecycle',
    method: 'get_user_group',
    says: "a new group gives everyone the default user's permission; usergroup.none hides it; usergroup.admin lets the user manage it",
    see: 'rhodecode.md §1.2, §1.3',
    async run(s) {
      // Skipped (not passed) when no plain user token was given.
      await s.open('user');
      const me = s.world.user;
      if (!me) throw new Error('the world has no plain user');
      const group = await s.create('usergroup', { userId: me.id }); // made visible to the user at once (see flushPermissionCache)
      if (s.world.defaults.usergroup >= (WEIGHT['read'] ?? 1))
        await s.check(
          'read by default',
          'get_user_group',
          { usergroupid: group.id },
          answers(fieldIs('group_name', group.name)),
          'user',
        );
      await s.check(
        'not an admin',
        'update_user_group',
        { usergroupid: group.id, description: 'x' },
        refusal(`user group \`${group.id}\` does not exist`),
        'user',
      );
      await s.check(
        'set none',
        'grant_user_permission_to_user_group',
        { usergroupid: group.id, userid: me.id, perm: 'usergroup.none' },
        ok,
      );
      await s.check(
        'hidden',
        'get_user_group',
        { usergroupid: group.id },
        refusal(`user group \`${group.id}\` does not exist`, 'must'),
        'user',
      );
      await s.check('not listed', 'get_user_groups', {}, answers(omits('must', 'group_name', group.name)), 'user');
      // Managing members takes usergroup.admin: write is not enough (rhodecode.md §4.2).
      await s.check(
        'grant write',
        'grant_user_permission_to_user_group',
        { usergroupid: group.id, userid: me.id, perm: 'usergroup.write' },
        ok,
      );
      await s.check(
        'a writer may read it',
        'get_user_group',
        { usergroupid: group.id },
        answers(fieldIs('group_name', group.name)),
        'user',
      );
      await s.check(
        'a writer may not add members',
        'add_user_to_user_group',
        { usergroupid: group.id, userid: s.world.plainUser.id },
        refusal(`user group \`${group.id}\` does not exist`),
        'user',
      );
      await s.check(
        'grant admin',
        'grant_user_permission_to_user_group',
        { usergroupid: group.id, userid: me.id, perm: 'usergroup.admin' },
        ok,
      );
      await s.check(
        'now an admin',
        'update_user_group',
        { usergroupid: group.id, description: 'changed by its admin' },
        answers(fieldIs('user_group.group_description', 'changed by its admin')),
        'user',
      );
      await s.check(
        'may add members',
        'add_user_to_user_group',
        { usergroupid: group.id, userid: s.world.plainUser.id },
        answers(fieldIs('success', true)),
        'user',
      );
    },
  },
  {
    id: 'repository-permissions-read-after-write',
    kind: 'lifecycle',
    method: 'grant_user_permission',
    says: 'permissions granted on a repository show in get_repo and go on revoke',
    see: 'rhodecode.md §4.3',
    async run(s) {
      const repo = s.world.repos.plain;
      // The world always makes the plain one; without it the scenario cannot run (not a pass).
      if (!repo) throw new Error('the world has no plain repository to grant on');
      const user = s.world.plainUser;
      const group = s.world.group;
      await s.check(
        'grant user',
        'grant_user_permission',
        { repoid: repo.id, userid: user.id, perm: 'repository.write' },
        ok,
      );
      await s.check(
        'grant group',
        'grant_user_group_permission',
        { repoid: repo.name, usergroupid: group.name, perm: 'repository.admin' },
        ok,
      );
      await s.check('user row', 'get_repo', { repoid: repo.id }, hasRow(user.name, 'repository.write'));
      await s.check('group row', 'get_repo', { repoid: repo.id }, hasRow(group.name, 'repository.admin', 'user_group'));
      await s.check(
        "in the group's summary",
        'get_user_group',
        { usergroupid: group.id },
        answers(fieldIs(`permissions_summary.repositories.${repo.name}`, 'repository.admin')),
      );
      await s.check('revoke user', 'revoke_user_permission', { repoid: repo.id, userid: user.id }, ok);
      await s.check('revoke group', 'revoke_user_group_permission', { repoid: repo.id, usergroupid: group.id }, ok);
      await s.check('user row gone', 'get_repo', { repoid: repo.id }, noRow(user.name));
      await s.check('group row gone', 'get_repo', { repoid: repo.id }, noRow(group.name, 'user_group'));
    },
  },
  {
    id: 'repository-group-permissions-read-after-write',
    kind: 'lifecycle',
    method: 'grant_user_permission_to_repo_group',
    says: 'permissions granted on a repository group show in get_repo_group and go on revoke',
    see: 'rhodecode.md §4.4',
    async run(s) {
      const repoGroup = s.world.repoGroups.plain;
      if (!repoGroup) throw new Error('the world has no plain repository group to grant on');
      const user = s.world.plainUser;
      const group = s.world.group;
      await s.check(
        'grant user',
        'grant_user_permission_to_repo_group',
        { repogroupid: repoGroup.id, userid: user.id, perm: 'group.write' },
        ok,
      );
      await s.check(
        'grant group',
        'grant_user_group_permission_to_repo_group',
        { repogroupid: repoGroup.id, usergroupid: group.id, perm: 'group.read' },
        ok,
      );
      await s.check('user row', 'get_repo_group', { repogroupid: repoGroup.id }, hasRow(user.name, 'group.write'));
      await s.check(
        'group row',
        'get_repo_group',
        { repogroupid: repoGroup.id },
        hasRow(group.name, 'group.read', 'user_group'),
      );
      await s.check(
        'revoke user',
        'revoke_user_permission_from_repo_group',
        { repogroupid: repoGroup.id, userid: user.id },
        ok,
      );
      await s.check(
        'revoke group',
        'revoke_user_group_permission_from_repo_group',
        { repogroupid: repoGroup.id, usergroupid: group.id },
        ok,
      );
      await s.check('user row gone', 'get_repo_group', { repogroupid: repoGroup.id }, noRow(user.name));
      await s.check('group row gone', 'get_repo_group', { repogroupid: repoGroup.id }, noRow(group.name, 'user_group'));
    },
  },
  {
    id: 'personal-repo-group',
    kind: 'lifecycle',
    method: 'create_user',
    says: 'create_user with create_personal_repo_group true makes a repository group named after the user, owned by them',
    see: 'https://github.com/rhodecode/rhodecode-enterprise-ce/blob/master/rhodecode/api/tests/test_create_user.py',
    async run(s) {
      const name = s.name('user');
      const args = {
        username: name,
        email: `${name}@example.com`,
        password: password(),
        create_personal_repo_group: true,
      };
      const made = await s.check('create', 'create_user', args, ok);
      const id = field(made.ok ? made.value : undefined, 'user.user_id') as number;
      s.track('user', { id, name });
      const group = await s.check(
        'found by the user name',
        'get_repo_group',
        { repogroupid: name },
        answers(
          fieldIs('group_name', name),
          fieldIs('owner', name),
          fieldIs('group_description', `[personal] repo group: owner \`${name}\``, 'quirk'),
        ),
      );
      // Tracked after the user, so that teardown removes it first: RhodeCode refuses to delete an owner.
      if (group.ok) s.track('repogroup', { id: field(group.value, 'group_id') as number, name });
    },
  },
  {
    id: 'tokens',
    kind: 'lifecycle',
    method: 'create_user',
    says: "a new user's feed token is refused (bad role), an inactive user's token too, and a deleted user's token is unknown",
    see: 'rhodecode.md §1.1 step 3',
    async run(s) {
      const name = s.name('user');
      const made = await s.check(
        'create',
        'create_user',
        { username: name, email: `${name}@example.com`, create_personal_repo_group: false },
        ok,
      );
      const id = field(made.ok ? made.value : undefined, 'user.user_id') as number;
      s.track('user', { id, name });
      const feed = { credentials: tokenOf(made.ok ? made.value : undefined) };
      await s.check(
        'feed token: bad role',
        'get_user',
        {},
        [
          status(200),
          failed('must'),
          errorMatches(
            /bad role for an API call$/,
            'error ends "bad role for an API call" (4.3 and 4.27 alike)',
            'should',
          ),
          ...refusal('API KEY invalid or, has bad role for an API call').slice(2),
        ],
        feed,
      );
      await s.check('deactivate', 'update_user', { userid: id, active: false }, ok);
      await s.check('inactive user', 'get_user', {}, refusal('Request from this user not allowed'), feed);
      await s.check('delete', 'delete_user', { userid: id }, ok);
      s.untrack('user', { id, name });
      await s.check('deleted user', 'get_user', {}, refusal('Invalid API KEY'), feed);
    },
  },
];
