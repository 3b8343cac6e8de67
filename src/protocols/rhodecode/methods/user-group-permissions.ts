import { Type } from 'typebox';
import { deny } from '../../../spec/access.js';
import { arranged } from '../../../spec/method.js';
import { hidden, onObject, refusal, WEIGHT } from '../access.js';
import { answers, errorCase, fieldIs, IdOrName, method, msgIs, UNKNOWN_ID } from '../define.js';
import { Granted } from '../records.js';
import { freshFor } from '../world.js';
import { groupHiddenFromUser, groupNotExist } from './user-groups.js';

/** Permissions on a user group, for users and for other user groups (rhodecode.md §4.2). */
const SEE = 'rhodecode.md §4.2';
const PREFIX = 'usergroup.';

export const grantUserPermissionToUserGroup = method({
  name: 'grant_user_permission_to_user_group',
  group: 'user group permissions',
  summary: 'Give a user usergroup.(none|read|write|admin) on a user group',
  see: SEE,
  params: Type.Object({ usergroupid: IdOrName, userid: IdOrName, perm: Type.String() }),
  result: { must: Granted },
  access: onObject('usergroup', 'admin'),
  valid: async (c) => {
    const group = await freshFor(c, 'usergroup');
    return arranged({ usergroupid: group.id, userid: c.world.plainUser.id, perm: 'usergroup.write' }, group);
  },
  succeeds: (_p, c, group) => [
    fieldIs('success', true),
    msgIs(
      group,
      (g) => `Granted perm: \`usergroup.write\` for user: \`${c.world.plainUser.name}\` in user group: \`${g}\``,
    ),
  ],
  errors: [
    {
      id: 'unknown-group',
      says: 'an unknown group',
      see: SEE,
      level: 'quirk',
      params: (c) => ({ usergroupid: UNKNOWN_ID, userid: c.world.plainUser.id, perm: 'usergroup.read' }),
      expect: groupNotExist(UNKNOWN_ID),
    },
    {
      id: 'unknown-permission',
      says: 'an unknown permission names the prefix it should have',
      see: 'rhodecode.md §1.2',
      level: 'quirk',
      params: async (c) => ({
        usergroupid: (await c.create('usergroup')).id,
        userid: c.world.plainUser.id,
        perm: 'usergroup.superuser',
      }),
      expect: refusal(
        'permission `usergroup.superuser` does not exist. Permission should start with prefix: `usergroup.`',
      ),
    },
    {
      id: 'wrong-prefix',
      says: 'a permission of another kind: "permission `<perm>` is invalid, should start with usergroup."',
      see: 'rhodecode.md §1.2',
      level: 'quirk',
      params: async (c) => ({
        usergroupid: (await c.create('usergroup')).id,
        userid: c.world.plainUser.id,
        perm: 'repository.read',
      }),
      expect: refusal(`permission \`repository.read\` is invalid, should start with ${PREFIX}`),
    },
    {
      id: 'unknown-user',
      says: 'an unknown user',
      see: SEE,
      level: 'quirk',
      params: async (c) => ({
        usergroupid: (await c.create('usergroup')).id,
        userid: UNKNOWN_ID,
        perm: 'usergroup.read',
      }),
      expect: refusal(`user \`${UNKNOWN_ID}\` does not exist`),
    },
    errorCase({
      id: 'hidden-before-user',
      says: 'a caller without admin is told the group does not exist before the user is looked up',
      see: SEE,
      level: 'quirk',
      as: 'user',
      params: async (c) => ({
        usergroupid: (await c.create('usergroup')).id,
        userid: UNKNOWN_ID,
        perm: 'usergroup.read',
      }),
      expect: (p) => groupNotExist(p.usergroupid),
    }),
  ],
  examples: [],
});

export const revokeUserPermissionFromUserGroup = method({
  name: 'revoke_user_permission_from_user_group',
  group: 'user group permissions',
  summary: "Remove a user's permission on a user group",
  see: SEE,
  params: Type.Object({ usergroupid: IdOrName, userid: IdOrName }),
  result: { must: Granted },
  access: onObject('usergroup', 'admin'),
  valid: async (c) => {
    const group = await freshFor(c, 'usergroup');
    await c.ok('grant_user_permission_to_user_group', {
      usergroupid: group.id,
      userid: c.world.plainUser.id,
      perm: 'usergroup.write',
    });
    return arranged({ usergroupid: group.id, userid: c.world.plainUser.id }, group);
  },
  succeeds: (_p, c, group) => [
    fieldIs('success', true),
    msgIs(group, (g) => `Revoked perm for user: \`${c.world.plainUser.name}\` in user group: \`${g}\``),
  ],
  errors: [
    {
      id: 'nothing-to-revoke',
      says: 'revoking a permission that is not there still succeeds',
      see: SEE,
      level: 'quirk',
      params: async (c) => ({ usergroupid: (await c.create('usergroup')).id, userid: c.world.plainUser.id }),
      expect: answers(fieldIs('success', true, 'quirk')),
    },
  ],
  examples: [],
});

/** For non-admins: admin on the target (else "to user group ... does not exist"), then read on the source. */
const targetThenSource = onObject('usergroup', 'admin', {
  prefix: 'to ',
  then: (identity, world) =>
    identity.facts.superAdmin || world.defaults.usergroup >= (WEIGHT['read'] ?? 1)
      ? undefined
      : deny('no read on the source group', hidden('usergroup')),
});

export const grantUserGroupPermissionToUserGroup = method({
  name: 'grant_user_group_permission_to_user_group',
  group: 'user group permissions',
  summary: 'Give another user group usergroup.* on a user group',
  see: SEE,
  params: Type.Object({ usergroupid: IdOrName, sourceusergroupid: IdOrName, perm: Type.String() }),
  result: { must: Granted },
  access: targetThenSource,
  valid: async (c) => {
    const group = await freshFor(c, 'usergroup');
    return arranged({ usergroupid: group.id, sourceusergroupid: c.world.group.id, perm: 'usergroup.read' }, group);
  },
  succeeds: (_p, c, group) => [
    fieldIs('success', true),
    msgIs(
      group,
      (g) => `Granted perm: \`usergroup.read\` for user group: \`${c.world.group.name}\` in user group: \`${g}\``,
    ),
  ],
  errors: [
    {
      id: 'unknown-source',
      says: 'an unknown source group',
      see: SEE,
      level: 'quirk',
      params: async (c) => ({
        usergroupid: (await c.create('usergroup')).id,
        sourceusergroupid: UNKNOWN_ID,
        perm: 'usergroup.read',
      }),
      expect: groupNotExist(UNKNOWN_ID),
    },
    {
      id: 'source-first',
      says: 'the source is looked up before the target',
      see: SEE,
      level: 'quirk',
      params: () => ({ usergroupid: UNKNOWN_ID, sourceusergroupid: UNKNOWN_ID + 1, perm: 'usergroup.read' }),
      expect: groupNotExist(UNKNOWN_ID + 1),
    },
    errorCase({
      id: 'target-hidden',
      says: 'a caller without admin on the target: "to user group `<id>` does not exist"',
      see: SEE,
      level: 'quirk',
      as: 'user',
      params: async (c) => ({
        usergroupid: (await c.create('usergroup')).id,
        sourceusergroupid: c.world.group.id,
        perm: 'usergroup.read',
      }),
      expect: (p) => groupNotExist(p.usergroupid, 'to '),
    }),
    errorCase({
      id: 'source-hidden',
      says: 'an admin of the target without read on the source is told the source does not exist',
      see: SEE,
      level: 'quirk',
      as: 'object-admin',
      params: async (c) => ({
        usergroupid: (await freshFor(c, 'usergroup')).id,
        sourceusergroupid: (await groupHiddenFromUser(c)).id,
        perm: 'usergroup.read',
      }),
      expect: (p) => groupNotExist(p.sourceusergroupid),
    }),
    errorCase({
      id: 'onto-itself',
      says: 'a user group given a permission on itself: "failed to edit permission for user group: `G` in user group: `G`"',
      see: 'https://github.com/rhodecode/rhodecode-enterprise-ce/blob/master/rhodecode/api/tests/test_grant_user_group_permission_to_user_group.py',
      level: 'must',
      params: async (c) => {
        // By name, as RhodeCode's own test does: the message then names it whichever form the server quotes.
        const group = await c.create('usergroup');
        return { usergroupid: group.name, sourceusergroupid: group.name, perm: 'usergroup.none' };
      },
      expect: (p) => {
        const name = String(p.usergroupid);
        return refusal(`failed to edit permission for user group: \`${name}\` in user group: \`${name}\``);
      },
    }),
    // The failure names sourceusergroupid as it was sent, the target by its name (api/views/user_group_api.py).
    errorCase({
      id: 'onto-itself-by-id',
      says: 'by id, the failure names the source as sent (its id) and the target by name',
      see: 'https://github.com/keqiongpan/rhodecode-enterprise-ce/blob/72356a94/rhodecode/api/views/user_group_api.py',
      level: 'quirk',
      params: async (c) => {
        const group = await c.create('usergroup');
        return arranged({ usergroupid: group.id, sourceusergroupid: group.id, perm: 'usergroup.none' }, group);
      },
      expect: (p, _c, group) =>
        refusal(
          `failed to edit permission for user group: \`${String(p.sourceusergroupid)}\` in user group: \`${group.name}\``,
        ),
    }),
  ],
  examples: [],
});

export const revokeUserGroupPermissionFromUserGroup = method({
  name: 'revoke_user_group_permission_from_user_group',
  group: 'user group permissions',
  summary: "Remove another user group's permission on a user group",
  see: SEE,
  params: Type.Object({ usergroupid: IdOrName, sourceusergroupid: IdOrName }),
  result: { must: Granted },
  access: targetThenSource,
  valid: async (c) => {
    const target = await freshFor(c, 'usergroup');
    await c.ok('grant_user_group_permission_to_user_group', {
      usergroupid: target.id,
      sourceusergroupid: c.world.group.id,
      perm: 'usergroup.read',
    });
    return arranged({ usergroupid: target.id, sourceusergroupid: c.world.group.id }, target);
  },
  succeeds: (_p, c, target) => [
    fieldIs('success', true),
    msgIs(target, (g) => `Revoked perm for user group: \`${c.world.group.name}\` in user group: \`${g}\``),
  ],
  errors: [],
  examples: [],
});

export const userGroupPermissionMethods = [
  grantUserPermissionToUserGroup,
  revokeUserPermissionFromUserGroup,
  grantUserGroupPermissionToUserGroup,
  revokeUserGroupPermissionFromUserGroup,
];
