import {
  formatDatetime,
  type RepoGroupRow,
  type RepoRow,
  type RhodeCodeState,
  type UserGroupRow,
  type UserRow,
} from './state.js';

/**
 * The objects as get_api_data() builds them (rhodecode.md §2). Secrets (the users' tokens) only when the
 * method shows them to this caller; else one element of 40 `*`.
 */
export const MASKED = '*'.repeat(40);

export function userApi(state: RhodeCodeState, user: UserRow, secrets: boolean): Record<string, unknown> {
  return {
    user_id: user.id,
    username: user.username,
    firstname: user.firstname,
    lastname: user.lastname,
    description: user.description,
    email: user.email,
    emails: [user.email, ...user.extraEmails],
    auth_tokens: secrets ? state.tokensOf(user.id).map((t) => t.token) : [MASKED],
    active: user.active,
    admin: user.admin,
    extern_type: user.extern_type,
    extern_name: user.extern_name,
    last_login: user.last_login,
    last_activity: user.last_activity,
    ip_addresses: user.ip_addresses,
    language: user.language,
  };
}

export function userGroupApi(
  state: RhodeCodeState,
  group: UserGroupRow,
  secrets: boolean,
  api: typeof userApi = userApi,
): Record<string, unknown> {
  const owner = state.users.get(group.ownerId);
  return {
    users_group_id: group.id,
    group_name: group.name,
    group_description: group.description,
    active: group.active,
    owner: owner?.username ?? null,
    sync: group.sync,
    owner_email: owner?.email ?? null,
    users: state.members
      .rightsOf(group.id)
      .map((id) => state.users.get(id))
      .filter((u): u is UserRow => u !== undefined)
      .map((u) => api(state, u, secrets)),
  };
}

/**
 * `description_safe`: the description as markupsafe escapes it, which is what Repository and RepoGroup
 * get_api_data send (rhodecode/model/db.py); users and user groups send theirs as stored.
 */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c] ?? c,
  );
}

/** The last-commit cache of an empty repository (EmptyCommit). */
function emptyCommit(repoId: number) {
  return {
    author: '',
    branch: '',
    date: '1970-01-01T00:00:00',
    message: '',
    parents: [],
    raw_id: '0'.repeat(40),
    revision: -1,
    short_id: '0'.repeat(12),
    source_repo_id: repoId,
  };
}

export function repoApi(
  state: RhodeCodeState,
  repo: RepoRow,
  secrets: boolean,
  baseUrl = 'http://127.0.0.1',
  api: typeof userApi = userApi,
): Record<string, unknown> {
  const [lockUser, lockTime, lockReason] = repo.locked ?? [null, null, null];
  const locker = lockUser === null ? undefined : state.users.get(lockUser);
  const [revType, rev] = repo.landingRev.split(':');
  return {
    repo_id: repo.id,
    repo_name: repo.name,
    repo_type: repo.type,
    clone_uri: repo.cloneUri ?? '',
    push_uri: repo.pushUri ?? '',
    url: `${baseUrl}/${repo.name}`,
    private: repo.private,
    created_on: repo.createdOn,
    description: escapeHtml(repo.description),
    landing_rev: [revType ?? null, rev ?? null],
    owner: state.users.get(repo.ownerId)?.username ?? null,
    fork_of: null,
    fork_of_id: null,
    enable_statistics: repo.enableStatistics,
    enable_locking: repo.enableLocking,
    enable_downloads: repo.enableDownloads,
    last_changeset: emptyCommit(repo.id),
    locked_by: locker ? api(state, locker, secrets) : null,
    locked_date: lockTime === null ? null : formatDatetime(new Date(Math.round(lockTime * 1000))),
    lock_reason: lockReason,
  };
}

export function repoGroupApi(state: RhodeCodeState, group: RepoGroupRow): Record<string, unknown> {
  const parentOf = (name: string) => (name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : undefined);
  const parent = parentOf(group.name);
  return {
    group_id: group.id,
    group_name: group.name,
    group_description: escapeHtml(group.description),
    parent_group: parent !== undefined && state.repoGroups.by('name', parent) ? parent : null,
    // group.repositories: the repositories directly in the group, not those of its subgroups.
    repositories: state.repos
      .all()
      .filter((r) => parentOf(r.name) === group.name)
      .map((r) => r.name),
    owner: state.users.get(group.ownerId)?.username ?? null,
  };
}
