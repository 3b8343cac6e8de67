import { Type } from 'typebox';
import type { CallContext } from '../../../spec/context.js';
import { arranged } from '../../../spec/method.js';
import { resultSatisfies } from '../../../wire/rhodecode.js';
import { anyToken, FORBIDDEN, globalPermission, invalidInput, onObject, refusal } from '../access.js';
import {
  answers,
  errorCase,
  field,
  fieldIs,
  IdOrName,
  listOf,
  lists,
  method,
  omits,
  Optional,
  UNKNOWN_ID,
  where,
} from '../define.js';
import {
  DeletedUserGroup,
  GetUserGroupResult,
  GetUserGroupResultReal,
  MASKED_TOKEN,
  Outcome,
  UserGroup,
  UserGroupMessage,
  UserGroupMessageReal,
  UserGroupReal,
} from '../records.js';
import { freshFor, type RhodeCodeWorld } from '../world.js';

/** user_group_api: groups and members (rhodecode.md §4.2). */
const SEE = 'rhodecode.md §4.2';
type C = CallContext<RhodeCodeWorld>;

export const groupNotExist = (id: unknown, prefix = '') =>
  refusal(`${prefix}user group \`${String(id)}\` does not exist`);
const userNotExist = (id: unknown) => refusal(`user \`${String(id)}\` does not exist`);
const Flag = (fallback: boolean | null) => Optional(Type.Union([Type.Boolean(), Type.String(), Type.Null()]), fallback);

/** Members of user groups are embedded with their tokens masked (good practice; the seed masked api_key too). */
const membersMasked = resultSatisfies('should', 'embedded members carry masked tokens only', (r) => {
  const users = listOf(field(r, 'users') ?? field(r, 'user_group.users'));
  const leaked = users.filter((u) =>
    [u['auth_tokens'], u['api_keys'], u['api_key']].flat().some((t) => typeof t === 'string' && !/^\*+$/.test(t)),
  );
  return leaked.length === 0 ? null : `tokens of ${String(leaked[0]?.['username'])} are shown`;
});

/** A group made for this check with the world's plain user as member (so that `users` has someone in it). */
async function groupWithMember(c: C) {
  const group = await freshFor(c, 'usergroup');
  await c.ok('add_user_to_user_group', { usergroupid: group.id, userid: c.world.plainUser.id });
  return group;
}

/** A group on which the given user has explicitly no permission at all (usergroup.none). */
export async function groupHiddenFromUser(c: C) {
  const group = await c.create('usergroup');
  await c.ok('grant_user_permission_to_user_group', {
    usergroupid: group.id,
    userid: c.world.user?.id,
    perm: 'usergroup.none',
  });
  return group;
}

export const getUserGroup = method({
  name: 'get_user_group',
  group: 'user groups',
  summary: 'A user group with its members, permissions and permissions_summary',
  see: SEE,
  params: Type.Object({ usergroupid: IdOrName }),
  result: { must: GetUserGroupResult, quirk: GetUserGroupResultReal },
  access: onObject('usergroup', 'read'),
  valid: async (c) => ({ usergroupid: (await groupWithMember(c)).id }),
  succeeds: (p) => [
    fieldIs('users_group_id', p.usergroupid),
    where(
      'must',
      'an owner row (origin "owner", usergroup.admin)',
      (r) =>
        listOf(field(r, 'permissions')).some(
          (row) =>
            row['origin'] === 'owner' && row['permission'] === 'usergroup.admin' && row['name'] === field(r, 'owner'),
        ) || `got permissions ${JSON.stringify(field(r, 'permissions'))?.slice(0, 200)}`,
    ),
    where(
      'quirk',
      'the default user row carries the default permission',
      (r) =>
        listOf(field(r, 'permissions')).some((row) => row['name'] === 'default' && row['origin'] === 'permission') ||
        'no default row',
    ),
    membersMasked,
  ],
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown group: "user group `<id>` does not exist"',
      see: 'rhodecode.md §1.2',
      level: 'quirk',
      params: () => ({ usergroupid: UNKNOWN_ID }),
      expect: groupNotExist(UNKNOWN_ID),
    },
    {
      id: 'by-name',
      says: 'a group name finds the group',
      see: SEE,
      level: 'must',
      params: (c) => ({ usergroupid: c.world.group.name }),
      expect: (_p, c) => answers(fieldIs('group_name', c.world.group.name)),
    },
    errorCase({
      id: 'numeric-string-is-a-name',
      says: 'an id sent as a string is looked up as a name',
      see: 'rhodecode.md §1.2',
      level: 'quirk',
      params: (c) => ({ usergroupid: String(c.world.group.id) }),
      expect: (p) => groupNotExist(p.usergroupid),
    }),
    errorCase({
      id: 'hidden-without-read',
      says: 'a user with usergroup.none is told the group does not exist',
      see: 'rhodecode.md §1.2',
      level: 'must',
      as: 'user',
      params: async (c) => ({ usergroupid: (await groupHiddenFromUser(c)).id }),
      expect: (p) => groupNotExist(p.usergroupid),
    }),
  ],
  examples: [],
});

export const getUserGroups = method({
  name: 'get_user_groups',
  group: 'user groups',
  summary: 'The user groups the caller can read',
  see: SEE,
  params: Type.Object({}),
  result: { must: Type.Array(UserGroup), quirk: Type.Array(UserGroupReal) },
  access: anyToken,
  valid: () => ({}),
  succeeds: (_p, c) =>
    c.caller === 'super-admin' || c.caller === undefined ? [lists('must', 'group_name', c.world.group.name)] : [],
  errors: [
    {
      id: 'secrets-for-super-admin',
      says: "a super-admin sees the members' real tokens",
      see: 'rhodecode.md §2.1',
      level: 'quirk',
      params: () => ({}),
      expect: (_p, c) =>
        answers(
          where('quirk', `${c.world.plainUser.name} in ${c.world.group.name} with real tokens`, (r) => {
            const group = listOf(r).find((g) => g['group_name'] === c.world.group.name);
            const member = listOf(group?.['users']).find((u) => u['username'] === c.world.plainUser.name);
            const tokens = member?.['auth_tokens'];
            return (
              (Array.isArray(tokens) && tokens.length > 0 && !tokens.includes(MASKED_TOKEN)) ||
              `got ${JSON.stringify(member ?? group ?? null)?.slice(0, 200)}`
            );
          }),
        ),
    },
    errorCase({
      id: 'filtered-for-user',
      says: 'a plain user does not see a group on which they have usergroup.none',
      see: SEE,
      level: 'must',
      as: 'user',
      params: async (c) => arranged({}, await groupHiddenFromUser(c)),
      expect: (_p, _c, hidden) => answers(omits('must', 'group_name', hidden.name)),
    }),
  ],
  examples: [],
});

export const createUserGroup = method({
  name: 'create_user_group',
  group: 'user groups',
  summary: 'Create a user group (super-admin, or hg.usergroup.create.true)',
  see: SEE,
  params: Type.Object({
    group_name: Type.String(),
    description: Optional(Type.String(), ''),
    owner: Optional(IdOrName, null),
    active: Flag(true),
    sync: Flag(null),
  }),
  result: { must: UserGroupMessage, quirk: UserGroupMessageReal },
  access: globalPermission('hg.usergroup.create.true', (w) => w.userCan.createUserGroups, FORBIDDEN, SEE),
  valid: (c) => ({ group_name: c.name('usergroup') }),
  succeeds: (p, c) => [
    fieldIs('msg', `created new user group \`${p.group_name}\``),
    fieldIs('user_group.group_name', p.group_name),
    fieldIs(
      'user_group.owner',
      c.caller === 'super-admin' || c.caller === undefined ? c.world.me.name : (c.world.user?.name ?? ''),
    ),
    fieldIs('user_group.users', []),
    fieldIs('user_group.active', true),
    fieldIs('user_group.sync', null, 'quirk'),
  ],
  creates: {
    kind: 'usergroup',
    handle: (result, params) => {
      const id = field(result, 'user_group.users_group_id');
      return typeof id === 'number' ? { id, name: params.group_name } : undefined;
    },
  },
  errors: [
    errorCase({
      id: 'duplicate-name',
      says: 'a name that exists: "user group `<name>` already exist"',
      see: SEE,
      level: 'must',
      params: (c) => ({ group_name: c.world.group.name }),
      expect: (p) => refusal(`user group \`${p.group_name}\` already exist`, 'must'),
    }),
    errorCase({
      id: 'unknown-owner',
      says: 'an unknown owner: "user `<owner>` does not exist"',
      see: SEE,
      level: 'quirk',
      params: (c) => ({ group_name: c.name('usergroup'), owner: c.name('nobody') }),
      expect: (p) => userNotExist(p.owner),
    }),
    {
      id: 'owner-by-name',
      says: 'an owner given by username owns the group',
      see: SEE,
      level: 'must',
      params: (c) => ({ group_name: c.name('usergroup'), owner: c.world.plainUser.name }),
      expect: (_p, c) => answers(fieldIs('user_group.owner', c.world.plainUser.name)),
    },
    {
      id: 'one-character-name',
      says: 'a one-character name is refused (the minimum is 2)',
      see: 'rhodecode.md §3',
      level: 'should',
      params: () => ({ group_name: 'a' }),
      expect: invalidInput({
        user_group_name:
          'Allowed in name are letters, numbers, and `-`, `_`, `.` Name must start with a letter or number. Got `a`',
      }),
    },
    errorCase({
      id: 'name-starts-with-dash',
      says: 'a name that starts with a dash is refused',
      see: 'rhodecode.md §3',
      level: 'should',
      params: (c) => ({ group_name: `-${c.name('usergroup')}` }),
      expect: (p) =>
        invalidInput({
          user_group_name: `Allowed in name are letters, numbers, and \`-\`, \`_\`, \`.\` Name must start with a letter or number. Got \`${p.group_name}\``,
        }),
    }),
    {
      id: 'sync',
      says: 'sync true sets sync to "manual_api"',
      see: 'rhodecode.md §2.2',
      level: 'quirk',
      params: (c) => ({ group_name: c.name('usergroup'), sync: true }),
      expect: answers(fieldIs('user_group.sync', 'manual_api', 'quirk')),
    },
    {
      id: 'description-and-inactive',
      says: 'description and active are stored',
      see: SEE,
      level: 'must',
      params: (c) => ({ group_name: c.name('usergroup'), description: 'made by accord', active: false }),
      expect: answers(fieldIs('user_group.group_description', 'made by accord'), fieldIs('user_group.active', false)),
    },
  ],
  examples: [],
});

export const updateUserGroup = method({
  name: 'update_user_group',
  group: 'user groups',
  summary: 'Update a user group (super-admin or usergroup.admin); only the arguments sent are applied',
  see: SEE,
  params: Type.Object({
    usergroupid: IdOrName,
    group_name: Optional(Type.String(), ''),
    description: Optional(Type.String(), ''),
    owner: Optional(IdOrName, null),
    active: Flag(true),
    sync: Flag(null),
  }),
  result: { must: UserGroupMessage, quirk: UserGroupMessageReal },
  access: onObject('usergroup', 'admin'),
  valid: async (c) => ({ usergroupid: (await freshFor(c, 'usergroup')).id, description: 'changed by accord' }),
  succeeds: (p) => [
    where(
      'must',
      'msg "updated user group ID:<id> <name>"',
      (r) =>
        String(field(r, 'msg')).startsWith(`updated user group ID:${p.usergroupid} `) ||
        `got msg ${JSON.stringify(field(r, 'msg'))}`,
    ),
    fieldIs('user_group.group_description', 'changed by accord'),
  ],
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown group: "user group `<id>` does not exist"',
      see: SEE,
      level: 'quirk',
      params: () => ({ usergroupid: UNKNOWN_ID, description: 'x' }),
      expect: groupNotExist(UNKNOWN_ID),
    },
    errorCase({
      id: 'unknown-owner',
      says: 'an unknown owner: "user `<owner>` does not exist"',
      see: SEE,
      level: 'quirk',
      params: async (c) => ({ usergroupid: (await c.create('usergroup')).id, owner: c.name('nobody') }),
      expect: (p) => userNotExist(p.owner),
    }),
    errorCase({
      id: 'rename',
      says: 'a new name is applied, and the message names it',
      see: SEE,
      level: 'must',
      params: async (c) => ({ usergroupid: (await c.create('usergroup')).id, group_name: c.name('renamed') }),
      expect: (p) => {
        const { usergroupid, group_name } = p;
        return answers(
          fieldIs('msg', `updated user group ID:${usergroupid} ${group_name}`),
          fieldIs('user_group.group_name', group_name),
        );
      },
    }),
    {
      id: 'sync-off',
      says: 'sync false clears it (sync: null)',
      see: 'rhodecode.md §4.2',
      level: 'quirk',
      params: async (c) => {
        const g = await c.create('usergroup');
        await c.ok('update_user_group', { usergroupid: g.id, sync: true });
        return { usergroupid: g.id, sync: false };
      },
      expect: answers(fieldIs('user_group.sync', null, 'quirk')),
    },
  ],
  examples: [],
});

export const deleteUserGroup = method({
  name: 'delete_user_group',
  group: 'user groups',
  summary: 'Delete a user group (super-admin or usergroup.admin); refused while it holds permissions on repositories',
  see: SEE,
  params: Type.Object({ usergroupid: IdOrName }),
  result: { must: DeletedUserGroup },
  access: onObject('usergroup', 'admin'),
  valid: async (c) => ({ usergroupid: (await freshFor(c, 'usergroup')).id }),
  succeeds: (p) => [
    where(
      'must',
      'msg "deleted user group ID:<id> <name>"',
      (r) =>
        String(field(r, 'msg')).startsWith(`deleted user group ID:${p.usergroupid} `) ||
        `got msg ${JSON.stringify(field(r, 'msg'))}`,
    ),
    fieldIs('user_group', null),
  ],
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown group: "user group `<id>` does not exist"',
      see: SEE,
      level: 'quirk',
      params: () => ({ usergroupid: UNKNOWN_ID }),
      expect: groupNotExist(UNKNOWN_ID),
    },
    errorCase({
      id: 'assigned-to-repository',
      says: 'a group with a permission on a repository: "UserGroup assigned to <Repository(\'<id>:<name>\')>"',
      see: 'rhodecode.md §4.2',
      level: 'quirk',
      params: async (c) => {
        const group = await c.create('usergroup');
        // The repository is made after the group, so teardown removes it (and the permission) first.
        const repo = await c.create('repo');
        await c.ok('grant_user_group_permission', { repoid: repo.id, usergroupid: group.id, perm: 'repository.read' });
        return arranged({ usergroupid: group.id }, repo);
      },
      expect: (_p, _c, repo) =>
        refusal(`UserGroup assigned to <Repository('${repo.id}:${repo.name}')>`).map((f, i) =>
          i === 2
            ? {
                ...f,
                explain: () =>
                  'the docs say "RepoGroup assigned to <list>"; the real server says "UserGroup assigned to <list>" (rhodecode.md §5.9)',
              }
            : f,
        ),
    }),
  ],
  examples: [],
});

type Membership = { usergroupid: number; userid: number };

export const addUserToUserGroup = method({
  name: 'add_user_to_user_group',
  group: 'members',
  summary: 'Add a member (super-admin or usergroup.admin); success false when already a member',
  see: SEE,
  params: Type.Object({ usergroupid: IdOrName, userid: IdOrName }),
  result: { must: Outcome },
  access: onObject('usergroup', 'admin'),
  valid: async (c) => ({ usergroupid: (await freshFor(c, 'usergroup')).id, userid: c.world.plainUser.id }),
  succeeds: (_p, c) => [
    fieldIs('success', true),
    where(
      'must',
      'msg "added member `<username>` to user group `<group>`"',
      (r) =>
        new RegExp(`^added member \`${c.world.plainUser.name}\` to user group \`.+\`$`).test(String(field(r, 'msg'))) ||
        `got msg ${JSON.stringify(field(r, 'msg'))}`,
    ),
  ],
  errors: [
    {
      id: 'already-a-member',
      says: 'a member added again: success false, "User is already in that group"',
      see: SEE,
      level: 'must',
      params: async (c) => ({ usergroupid: (await groupWithMember(c)).id, userid: c.world.plainUser.id }),
      expect: answers(fieldIs('success', false), fieldIs('msg', 'User is already in that group')),
    },
    {
      id: 'unknown-user',
      says: 'an unknown user: "user `<userid>` does not exist"',
      see: SEE,
      level: 'quirk',
      params: (c) => ({ usergroupid: c.world.group.id, userid: UNKNOWN_ID }),
      expect: userNotExist(UNKNOWN_ID),
    },
    {
      id: 'unknown-group',
      says: 'an unknown group: "user group `<id>` does not exist"',
      see: SEE,
      level: 'quirk',
      params: (c) => ({ usergroupid: UNKNOWN_ID, userid: c.world.plainUser.id }),
      expect: groupNotExist(UNKNOWN_ID),
    },
    {
      id: 'user-looked-up-first',
      says: 'the user is looked up before the group',
      see: SEE,
      level: 'quirk',
      params: () => ({ usergroupid: UNKNOWN_ID, userid: UNKNOWN_ID + 1 }),
      expect: userNotExist(UNKNOWN_ID + 1),
    },
  ],
  examples: [],
});

export const removeUserFromUserGroup = method({
  name: 'remove_user_from_user_group',
  group: 'members',
  summary: 'Remove a member (super-admin or usergroup.admin); success false when not a member',
  see: SEE,
  params: Type.Object({ usergroupid: IdOrName, userid: IdOrName }),
  result: { must: Outcome },
  access: onObject('usergroup', 'admin'),
  valid: async (c): Promise<Membership> => ({
    usergroupid: Number((await groupWithMember(c)).id),
    userid: Number(c.world.plainUser.id),
  }),
  succeeds: (_p, c) => [
    fieldIs('success', true),
    where(
      'quirk',
      'msg "removed member `<username>` from user group `<group>`" (the docs show it without backticks)',
      (r) =>
        new RegExp(`^removed member \`${c.world.plainUser.name}\` from user group \`.+\`$`).test(
          String(field(r, 'msg')),
        ) || `got msg ${JSON.stringify(field(r, 'msg'))}`,
    ),
  ],
  errors: [
    {
      id: 'not-a-member',
      says: 'a user who is not a member: success false, "User wasn\'t in group"',
      see: SEE,
      level: 'must',
      params: async (c) => ({ usergroupid: (await c.create('usergroup')).id, userid: c.world.plainUser.id }),
      expect: answers(fieldIs('success', false), fieldIs('msg', "User wasn't in group")),
    },
  ],
  examples: [],
});

export const userGroupMethods = [
  getUserGroup,
  getUserGroups,
  createUserGroup,
  updateUserGroup,
  deleteUserGroup,
  addUserToUserGroup,
  removeUserFromUserGroup,
];
