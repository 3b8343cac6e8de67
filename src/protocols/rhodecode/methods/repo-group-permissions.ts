import { Type } from 'typebox';
import { arranged } from '../../../spec/method.js';
import { onObject, readsWorldGroup, refusal } from '../access.js';
import { answers, fieldIs, IdOrName, method, msgIs, Optional, UNKNOWN_ID } from '../define.js';
import { Granted } from '../records.js';
import { worldObjectFor } from '../world.js';

/**
 * User and user-group permissions on repository groups (repo_group_api, rhodecode.md §4.4). Messages name
 * the group's last path segment and echo apply_to_children as sent.
 */
const SEE = 'rhodecode.md §4.4';
const Recursion = Optional(Type.String(), 'none');
const groupNotExist = (id: unknown) => refusal(`repository group \`${String(id)}\` does not exist`);

export const grantUserPermissionToRepoGroup = method({
  name: 'grant_user_permission_to_repo_group',
  group: 'repository group permissions',
  summary: 'Give a user group.(none|read|write|admin) on a repository group',
  see: SEE,
  params: Type.Object({ repogroupid: IdOrName, userid: IdOrName, perm: Type.String(), apply_to_children: Recursion }),
  result: { must: Granted },
  access: onObject('repogroup', 'admin'),
  valid: (c) => {
    const group = worldObjectFor(c, 'repogroup');
    return arranged({ repogroupid: group.id, userid: c.world.plainUser.id, perm: 'group.write' }, group);
  },
  succeeds: (_p, c, group) => [
    fieldIs('success', true),
    msgIs(
      group,
      (g) =>
        `Granted perm: \`group.write\` (recursive:none) for user: \`${c.world.plainUser.name}\` in repo group: \`${g}\``,
    ),
  ],
  errors: [
    {
      id: 'unknown-group',
      says: 'an unknown repository group',
      see: 'rhodecode.md §1.2',
      level: 'quirk',
      params: (c) => ({ repogroupid: UNKNOWN_ID, userid: c.world.plainUser.id, perm: 'group.read' }),
      expect: groupNotExist(UNKNOWN_ID),
    },
    {
      id: 'recursive-all',
      says: 'apply_to_children is echoed in the message',
      see: SEE,
      level: 'must',
      params: (c) => ({
        repogroupid: c.world.repoGroups.plain?.id,
        userid: c.world.plainUser.id,
        perm: 'group.read',
        apply_to_children: 'all',
      }),
      expect: (_p, c) =>
        answers(
          fieldIs(
            'msg',
            `Granted perm: \`group.read\` (recursive:all) for user: \`${c.world.plainUser.name}\` in repo group: \`${c.world.repoGroups.plain?.name}\``,
          ),
        ),
    },
    {
      id: 'recursive-unknown-echoed',
      says: 'an unknown apply_to_children acts as none but is echoed as sent',
      see: SEE,
      level: 'quirk',
      params: (c) => ({
        repogroupid: c.world.repoGroups.plain?.id,
        userid: c.world.plainUser.id,
        perm: 'group.read',
        apply_to_children: 'sideways',
      }),
      expect: (_p, c) =>
        answers(
          fieldIs(
            'msg',
            `Granted perm: \`group.read\` (recursive:sideways) for user: \`${c.world.plainUser.name}\` in repo group: \`${c.world.repoGroups.plain?.name}\``,
            'quirk',
          ),
        ),
    },
    {
      id: 'wrong-prefix',
      says: 'a permission of another kind: "permission `<perm>` is invalid, should start with group."',
      see: 'rhodecode.md §1.2',
      level: 'quirk',
      params: (c) => ({
        repogroupid: c.world.repoGroups.plain?.id,
        userid: c.world.plainUser.id,
        perm: 'repository.read',
      }),
      expect: refusal('permission `repository.read` is invalid, should start with group.'),
    },
    {
      id: 'unknown-permission',
      says: 'an unknown permission names the prefix it should have',
      see: 'rhodecode.md §1.2',
      level: 'quirk',
      params: (c) => ({
        repogroupid: c.world.repoGroups.plain?.id,
        userid: c.world.plainUser.id,
        perm: 'group.superuser',
      }),
      expect: refusal('permission `group.superuser` does not exist. Permission should start with prefix: `group.`'),
    },
  ],
  examples: [],
});

export const revokeUserPermissionFromRepoGroup = method({
  name: 'revoke_user_permission_from_repo_group',
  group: 'repository group permissions',
  summary: "Remove a user's permission on a repository group",
  see: SEE,
  params: Type.Object({ repogroupid: IdOrName, userid: IdOrName, apply_to_children: Recursion }),
  result: { must: Granted },
  access: onObject('repogroup', 'admin'),
  valid: async (c) => {
    const group = worldObjectFor(c, 'repogroup');
    await c.ok('grant_user_permission_to_repo_group', {
      repogroupid: group.id,
      userid: c.world.plainUser.id,
      perm: 'group.read',
    });
    return arranged({ repogroupid: group.id, userid: c.world.plainUser.id }, group);
  },
  succeeds: (_p, c, group) => [
    fieldIs('success', true),
    msgIs(
      group,
      (g) => `Revoked perm (recursive:none) for user: \`${c.world.plainUser.name}\` in repo group: \`${g}\``,
    ),
  ],
  errors: [],
  examples: [],
});

export const grantUserGroupPermissionToRepoGroup = method({
  name: 'grant_user_group_permission_to_repo_group',
  group: 'repository group permissions',
  summary: 'Give a user group group.* on a repository group (group.admin, and read on the user group)',
  see: SEE,
  params: Type.Object({
    repogroupid: IdOrName,
    usergroupid: IdOrName,
    perm: Type.String(),
    apply_to_children: Recursion,
  }),
  result: { must: Granted },
  access: onObject('repogroup', 'admin', { then: readsWorldGroup }),
  valid: (c) => {
    const group = worldObjectFor(c, 'repogroup');
    return arranged({ repogroupid: group.id, usergroupid: c.world.group.id, perm: 'group.read' }, group);
  },
  succeeds: (_p, c, group) => [
    fieldIs('success', true),
    msgIs(
      group,
      (g) =>
        `Granted perm: \`group.read\` (recursive:none) for user group: \`${c.world.group.name}\` in repo group: \`${g}\``,
    ),
  ],
  errors: [
    {
      id: 'unknown-user-group',
      says: 'an unknown user group',
      see: SEE,
      level: 'quirk',
      params: (c) => ({ repogroupid: c.world.repoGroups.plain?.id, usergroupid: UNKNOWN_ID, perm: 'group.read' }),
      expect: refusal(`user group \`${UNKNOWN_ID}\` does not exist`),
    },
  ],
  examples: [],
});

export const revokeUserGroupPermissionFromRepoGroup = method({
  name: 'revoke_user_group_permission_from_repo_group',
  group: 'repository group permissions',
  summary: "Remove a user group's permission on a repository group",
  see: SEE,
  params: Type.Object({ repogroupid: IdOrName, usergroupid: IdOrName, apply_to_children: Recursion }),
  result: { must: Granted },
  access: onObject('repogroup', 'admin', { then: readsWorldGroup }),
  valid: async (c) => {
    const group = worldObjectFor(c, 'repogroup');
    await c.ok('grant_user_group_permission_to_repo_group', {
      repogroupid: group.id,
      usergroupid: c.world.group.id,
      perm: 'group.read',
    });
    return arranged({ repogroupid: group.id, usergroupid: c.world.group.id }, group);
  },
  succeeds: (_p, c, group) => [
    fieldIs('success', true),
    msgIs(
      group,
      (g) => `Revoked perm (recursive:none) for user group: \`${c.world.group.name}\` in repo group: \`${g}\``,
    ),
  ],
  errors: [],
  examples: [],
});

export const repoGroupPermissionMethods = [
  grantUserPermissionToRepoGroup,
  revokeUserPermissionFromRepoGroup,
  grantUserGroupPermissionToRepoGroup,
  revokeUserGroupPermissionFromRepoGroup,
];
