import { Type } from 'typebox';
import { arranged } from '../../../spec/method.js';
import { onObject, readsWorldGroup, refusal } from '../access.js';
import { answers, fieldIs, IdOrName, method, msgIs, UNKNOWN_ID } from '../define.js';
import { Granted } from '../records.js';
import { worldObjectFor } from '../world.js';

/**
 * User and user-group permissions on repositories (repo_api, rhodecode.md §4.3). The repository is the
 * world's one for the caller's relation; the grants go to the world's plain user and group, never to a
 * given account.
 */
const SEE = 'rhodecode.md §4.3';
const repoNotExist = (id: unknown) => refusal(`repository \`${String(id)}\` does not exist`);
/** The docs' example strings say "for group:"; the code says "for user group:" (§4.3). */
const docsSayForGroup = (got: unknown) =>
  typeof got === 'string' && got.includes(' for group: ')
    ? 'that is the docs\' wording ("for group:"); the real server says "for user group:" (rhodecode.md §4.3)'
    : undefined;

export const grantUserPermission = method({
  name: 'grant_user_permission',
  group: 'repository permissions',
  summary: 'Give a user a permission on a repository (repository.admin needed)',
  see: SEE,
  params: Type.Object({ repoid: IdOrName, userid: IdOrName, perm: Type.String() }),
  result: { must: Granted },
  access: onObject('repo', 'admin'),
  valid: (c) => {
    const repo = worldObjectFor(c, 'repo');
    return arranged({ repoid: repo.id, userid: c.world.plainUser.id, perm: 'repository.write' }, repo);
  },
  succeeds: (_p, c, repo) => [
    fieldIs('success', true),
    msgIs(repo, (r) => `Granted perm: \`repository.write\` for user: \`${c.world.plainUser.name}\` in repo: \`${r}\``),
  ],
  errors: [
    {
      id: 'unknown-repo',
      says: 'an unknown repository',
      see: 'rhodecode.md §1.2',
      level: 'quirk',
      params: (c) => ({ repoid: UNKNOWN_ID, userid: c.world.plainUser.id, perm: 'repository.read' }),
      expect: repoNotExist(UNKNOWN_ID),
    },
    {
      id: 'unknown-permission',
      says: 'an unknown permission: "permission `<perm>` does not exist." (no prefix named)',
      see: 'rhodecode.md §1.2',
      level: 'quirk',
      params: (c) => ({ repoid: c.world.repos.plain?.id, userid: c.world.plainUser.id, perm: 'repository.superuser' }),
      expect: refusal('permission `repository.superuser` does not exist.'),
    },
    {
      id: 'no-prefix-check',
      says: 'any existing permission is taken, even one of another kind (no prefix check)',
      see: SEE,
      level: 'quirk',
      params: (c) => ({ repoid: c.world.repos.plain?.id, userid: c.world.plainUser.id, perm: 'group.read' }),
      expect: answers(fieldIs('success', true, 'quirk')),
    },
    {
      id: 'user-before-hidden',
      says: 'the user is looked up before the permission check: an unknown user is named even to a caller without admin',
      see: SEE,
      level: 'quirk',
      as: 'user',
      params: (c) => ({ repoid: c.world.repos.plain?.id, userid: UNKNOWN_ID, perm: 'repository.read' }),
      expect: refusal(`user \`${UNKNOWN_ID}\` does not exist`),
    },
    {
      id: 'by-name',
      says: 'a repository name finds the repository',
      see: SEE,
      level: 'must',
      params: (c) => ({ repoid: c.world.repos.plain?.name, userid: c.world.plainUser.name, perm: 'repository.read' }),
      expect: (_p, c) =>
        answers(
          fieldIs(
            'msg',
            `Granted perm: \`repository.read\` for user: \`${c.world.plainUser.name}\` in repo: \`${c.world.repos.plain?.name}\``,
          ),
        ),
    },
  ],
  examples: [],
});

export const revokeUserPermission = method({
  name: 'revoke_user_permission',
  group: 'repository permissions',
  summary: "Remove a user's permission on a repository",
  see: SEE,
  params: Type.Object({ repoid: IdOrName, userid: IdOrName }),
  result: { must: Granted },
  access: onObject('repo', 'admin'),
  valid: async (c) => {
    const repo = worldObjectFor(c, 'repo');
    await c.ok('grant_user_permission', { repoid: repo.id, userid: c.world.plainUser.id, perm: 'repository.read' });
    return arranged({ repoid: repo.id, userid: c.world.plainUser.id }, repo);
  },
  succeeds: (_p, c, repo) => [
    fieldIs('success', true),
    msgIs(repo, (r) => `Revoked perm for user: \`${c.world.plainUser.name}\` in repo: \`${r}\``),
  ],
  errors: [
    {
      id: 'unknown-user',
      says: 'an unknown user',
      see: SEE,
      level: 'quirk',
      params: (c) => ({ repoid: c.world.repos.plain?.id, userid: UNKNOWN_ID }),
      expect: refusal(`user \`${UNKNOWN_ID}\` does not exist`),
    },
  ],
  examples: [],
});

export const grantUserGroupPermission = method({
  name: 'grant_user_group_permission',
  group: 'repository permissions',
  summary: 'Give a user group a permission on a repository (repository.admin, and read on the group)',
  see: SEE,
  params: Type.Object({ repoid: IdOrName, usergroupid: IdOrName, perm: Type.String() }),
  result: { must: Granted },
  access: onObject('repo', 'admin', { then: readsWorldGroup }),
  valid: (c) => {
    const repo = worldObjectFor(c, 'repo');
    return arranged({ repoid: repo.id, usergroupid: c.world.group.id, perm: 'repository.read' }, repo);
  },
  succeeds: (_p, c, repo) => [
    fieldIs('success', true),
    msgIs(
      repo,
      (r) => `Granted perm: \`repository.read\` for user group: \`${c.world.group.name}\` in repo: \`${r}\``,
      'must',
      docsSayForGroup,
    ),
  ],
  errors: [
    {
      id: 'unknown-group',
      says: 'an unknown user group',
      see: SEE,
      level: 'quirk',
      params: (c) => ({ repoid: c.world.repos.plain?.id, usergroupid: UNKNOWN_ID, perm: 'repository.read' }),
      expect: refusal(`user group \`${UNKNOWN_ID}\` does not exist`),
    },
    {
      id: 'permission-before-hidden',
      says: "the permission is looked up before the caller's rights are checked",
      see: SEE,
      level: 'quirk',
      as: 'user',
      params: (c) => ({ repoid: c.world.repos.plain?.id, usergroupid: c.world.group.id, perm: 'repository.superuser' }),
      expect: refusal('permission `repository.superuser` does not exist.'),
    },
  ],
  examples: [],
});

export const revokeUserGroupPermission = method({
  name: 'revoke_user_group_permission',
  group: 'repository permissions',
  summary: "Remove a user group's permission on a repository",
  see: SEE,
  params: Type.Object({ repoid: IdOrName, usergroupid: IdOrName }),
  result: { must: Granted },
  access: onObject('repo', 'admin', { then: readsWorldGroup }),
  valid: async (c) => {
    const repo = worldObjectFor(c, 'repo');
    await c.ok('grant_user_group_permission', {
      repoid: repo.id,
      usergroupid: c.world.group.id,
      perm: 'repository.read',
    });
    return arranged({ repoid: repo.id, usergroupid: c.world.group.id }, repo);
  },
  succeeds: (_p, c, repo) => [
    fieldIs('success', true),
    msgIs(
      repo,
      (r) => `Revoked perm for user group: \`${c.world.group.name}\` in repo: \`${r}\``,
      'must',
      docsSayForGroup,
    ),
  ],
  errors: [],
  examples: [],
});

export const repoPermissionMethods = [
  grantUserPermission,
  revokeUserPermission,
  grantUserGroupPermission,
  revokeUserGroupPermission,
];
