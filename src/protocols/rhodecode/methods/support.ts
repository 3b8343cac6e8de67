import { Type } from 'typebox';
import { arranged } from '../../../spec/method.js';
import { failed, status } from '../../../wire/rhodecode.js';
import { globalPermission, onObject, refusal } from '../access.js';
import { field, fieldIs, IdOrName, listOf, method, msgIs, Optional, UNKNOWN_ID, where } from '../define.js';
import {
  CreatedRepo,
  DeletedRepo,
  DeletedRepoGroup,
  GetRepoGroupResult,
  GetRepoResult,
  GetRepoResultReal,
  RepoGroupMessage,
} from '../records.js';
import { freshFor, worldObjectFor } from '../world.js';

/**
 * Repositories and repository groups: the permission methods need some of each, and a live server has
 * none the run may touch, so the run makes its own with these (repo_api, repo_group_api, rhodecode.md §2.3,
 * §4.3, §4.4). Only what is needed: create, read (to see permissions after a grant), delete.
 */
const SEE_REPO = 'rhodecode.md §4.3';
const SEE_GROUP = 'rhodecode.md §4.4';
const Flag = (fallback: boolean) => Optional(Type.Union([Type.Boolean(), Type.String()]), fallback);
const NullableString = () => Optional(Type.Union([Type.String(), Type.Null()]), null);
const ownerRow = (perm: string) =>
  where(
    'must',
    `an owner row (origin "owner", ${perm})`,
    (r) =>
      listOf(field(r, 'permissions')).some(
        (row) => row['origin'] === 'owner' && row['permission'] === perm && row['name'] === field(r, 'owner'),
      ) || `got permissions ${JSON.stringify(field(r, 'permissions'))?.slice(0, 200)}`,
  );

/** Creating repositories at the top level needs hg.create.repository; the refusal's wording is not pinned. */
const cannotCreateRepos = [status(200), failed('must')];
const cannotCreateRepoGroups = refusal({
  repo_group: 'You do not have the permission to store repository groups in the root location.',
});

export const createRepo = method({
  name: 'create_repo',
  group: 'support',
  support: true,
  summary: 'Create a repository (super-admin, or hg.create.repository at the top level)',
  see: SEE_REPO,
  params: Type.Object({
    repo_name: Type.String(),
    repo_type: Type.String(),
    owner: Optional(IdOrName, null),
    description: Optional(Type.String(), ''),
    private: Flag(false),
    clone_uri: NullableString(),
    push_uri: NullableString(),
    landing_rev: NullableString(),
    enable_statistics: Flag(false),
    enable_locking: Flag(false),
    enable_downloads: Flag(false),
    copy_permissions: Flag(false),
  }),
  result: { must: CreatedRepo },
  access: globalPermission('hg.create.repository', (w) => w.userCan.createRepos, cannotCreateRepos, SEE_REPO),
  valid: (c) => ({ repo_name: c.name('repo'), repo_type: 'git' }),
  succeeds: (p) => [fieldIs('msg', `Created new repository \`${p.repo_name}\``), fieldIs('success', true)],
  creates: { kind: 'repo', handle: (_r, params) => ({ id: params.repo_name, name: params.repo_name }) },
  errors: [],
  examples: [],
});

export const getRepo = method({
  name: 'get_repo',
  group: 'support',
  support: true,
  summary: 'A repository with its permissions (read needed)',
  see: SEE_REPO,
  params: Type.Object({ repoid: IdOrName, cache: Flag(true) }),
  result: { must: GetRepoResult, quirk: GetRepoResultReal },
  access: onObject('repo', 'read'),
  valid: (c) => ({ repoid: worldObjectFor(c, 'repo').id }),
  succeeds: (p) => [fieldIs('repo_id', p.repoid), ownerRow('repository.admin')],
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown repository',
      see: 'rhodecode.md §1.2',
      level: 'quirk',
      params: () => ({ repoid: UNKNOWN_ID }),
      expect: refusal(`repository \`${UNKNOWN_ID}\` does not exist`),
    },
  ],
  examples: [],
});

export const deleteRepo = method({
  name: 'delete_repo',
  group: 'support',
  support: true,
  summary: 'Delete a repository (repository.admin needed)',
  see: SEE_REPO,
  params: Type.Object({ repoid: IdOrName, forks: Optional(Type.String(), '') }),
  result: { must: DeletedRepo },
  access: onObject('repo', 'admin'),
  valid: async (c) => {
    const repo = await freshFor(c, 'repo');
    return arranged({ repoid: repo.id }, repo);
  },
  succeeds: (_p, _c, repo) => [msgIs(repo, (name) => `Deleted repository \`${name}\``), fieldIs('success', true)],
  errors: [],
  examples: [],
});

export const createRepoGroup = method({
  name: 'create_repo_group',
  group: 'support',
  support: true,
  summary: 'Create a repository group (super-admin, or hg.repogroup.create.true at the top level)',
  see: SEE_GROUP,
  params: Type.Object({
    group_name: Type.String(),
    owner: Optional(IdOrName, null),
    description: Optional(Type.String(), ''),
    copy_permissions: Flag(false),
  }),
  result: { must: RepoGroupMessage },
  access: globalPermission(
    'hg.repogroup.create.true',
    (w) => w.userCan.createRepoGroups,
    cannotCreateRepoGroups,
    SEE_GROUP,
  ),
  valid: (c) => ({ group_name: c.name('repogroup') }),
  succeeds: (p) => [
    fieldIs('msg', `Created new repo group \`${p.group_name}\``),
    fieldIs('repo_group.group_name', p.group_name),
  ],
  creates: {
    kind: 'repogroup',
    handle: (result, params) => {
      const id = field(result, 'repo_group.group_id');
      return typeof id === 'number' ? { id, name: params.group_name } : undefined;
    },
  },
  errors: [],
  examples: [],
});

export const getRepoGroup = method({
  name: 'get_repo_group',
  group: 'support',
  support: true,
  summary: 'A repository group with its permissions (read needed)',
  see: SEE_GROUP,
  params: Type.Object({ repogroupid: IdOrName }),
  result: { must: GetRepoGroupResult },
  access: onObject('repogroup', 'read'),
  valid: (c) => ({ repogroupid: worldObjectFor(c, 'repogroup').id }),
  succeeds: (p) => [fieldIs('group_id', p.repogroupid), ownerRow('group.admin')],
  errors: [
    {
      id: 'unknown-id',
      says: 'an unknown repository group',
      see: 'rhodecode.md §1.2',
      level: 'quirk',
      params: () => ({ repogroupid: UNKNOWN_ID }),
      expect: refusal(`repository group \`${UNKNOWN_ID}\` does not exist`),
    },
  ],
  examples: [],
});

export const deleteRepoGroup = method({
  name: 'delete_repo_group',
  group: 'support',
  support: true,
  summary: 'Delete a repository group (group.admin needed)',
  see: SEE_GROUP,
  params: Type.Object({ repogroupid: IdOrName }),
  result: { must: DeletedRepoGroup },
  access: onObject('repogroup', 'admin'),
  valid: async (c) => {
    const group = await freshFor(c, 'repogroup');
    return arranged({ repogroupid: group.id }, group);
  },
  succeeds: (p, _c, group) => [
    msgIs(group, (name) => `deleted repo group ID:${p.repogroupid} ${name}`),
    fieldIs('repo_group', null),
  ],
  errors: [],
  examples: [],
});

/** lock: what get_user_locks lists. Repository write or admin needed; a non-admin may only name themselves. */
export const lock = method({
  name: 'lock',
  group: 'support',
  support: true,
  summary: 'Show or set the lock of a repository (write needed)',
  see: SEE_REPO,
  params: Type.Object({
    repoid: IdOrName,
    locked: Optional(Type.Union([Type.Boolean(), Type.String(), Type.Null()]), null),
    userid: Optional(IdOrName, null),
  }),
  result: {
    must: Type.Object(
      { repo: Type.String(), locked: Type.Boolean(), lock_state_changed: Type.Boolean(), msg: Type.String() },
      { title: '{repo, locked, lock_state_changed, msg, ...}' },
    ),
  },
  access: onObject('repo', 'write'),
  // Unlocking is harmless and leaves nothing behind.
  valid: (c) => {
    const repo = worldObjectFor(c, 'repo');
    return arranged({ repoid: repo.id, locked: false }, repo);
  },
  succeeds: (_p, c, repo) => [
    fieldIs('locked', false),
    fieldIs('lock_state_changed', true),
    msgIs(
      repo,
      (r) =>
        `User \`${c.caller === 'super-admin' || c.caller === undefined ? c.world.me.name : (c.world.user?.name ?? '')}\` set lock state for repo \`${r}\` to \`False\``,
      'quirk',
    ),
  ],
  errors: [],
  examples: [],
});

export const supportMethods = [createRepo, getRepo, deleteRepo, createRepoGroup, getRepoGroup, deleteRepoGroup, lock];
