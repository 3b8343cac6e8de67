import { PERM_PREFIX, type ObjectKind, type RhodeCodeState, type UserRow } from './state.js';

/**
 * The permission calculator (PermissionCalculator, explicit mode): the default user's row on the object
 * (none on a private repository), then the user groups the user is in (the first replaces the default,
 * the next ones only raise it), then the user's own row; owners and super-admins get admin (rhodecode.md §1.3).
 */
export const WEIGHTS: Readonly<Record<string, number>> = { none: 0, read: 1, write: 3, admin: 4 };

export function weight(perm: string): number {
  return WEIGHTS[perm.split('.').pop() ?? ''] ?? 0;
}

export function ownerOf(state: RhodeCodeState, kind: ObjectKind, id: number): number | undefined {
  if (kind === 'usergroup') return state.userGroups.get(id)?.ownerId;
  if (kind === 'repo') return state.repos.get(id)?.ownerId;
  return state.repoGroups.get(id)?.ownerId;
}

export function effectivePermission(state: RhodeCodeState, user: UserRow, kind: ObjectKind, id: number): string {
  const prefix = PERM_PREFIX[kind];
  if (user.admin || ownerOf(state, kind, id) === user.id) return `${prefix}admin`;
  const def = state.defaultUser;
  let perm = (def && state.userPerms[kind].get(id, def.id)) ?? `${prefix}none`;
  if (kind === 'repo' && state.repos.get(id)?.private) perm = `${prefix}none`;
  let fromGroups = 0;
  for (const groupId of state.groupPerms[kind].rightsOf(id)) {
    const group = state.userGroups.get(groupId);
    if (!group?.active || !state.members.has(groupId, user.id)) continue;
    const p = state.groupPerms[kind].get(id, groupId) ?? `${prefix}none`;
    perm = fromGroups++ === 0 || weight(p) > weight(perm) ? p : perm;
  }
  return state.userPerms[kind].get(id, user.id) ?? perm;
}

/** The global permissions of a user: the default user's, each category replaced by the user's own. */
export function globalPermissions(state: RhodeCodeState, user: UserRow): string[] {
  if (user.admin) return ['hg.admin', 'hg.create.write_on_repogroup.true'];
  const category = (p: string) => p.slice(0, p.lastIndexOf('.'));
  const own = new Set(user.globalPerms.map(category));
  const defaults = state.defaultUser?.globalPerms ?? [];
  return [...defaults.filter((p) => !own.has(category(p))), ...user.globalPerms];
}

/** get_user's permissions structure (§2.1). */
export function permissionSummary(state: RhodeCodeState, user: UserRow) {
  const map = (kind: ObjectKind, rows: { id: number; name: string }[]) =>
    Object.fromEntries(rows.map((o) => [o.name, effectivePermission(state, user, kind, o.id)]));
  return {
    global: globalPermissions(state, user),
    repositories: map('repo', state.repos.all()),
    repositories_groups: map('repogroup', state.repoGroups.all()),
    user_groups: map('usergroup', state.userGroups.all()),
    repository_branches: {},
  };
}

const SORT_PREFIX: Readonly<Record<string, string>> = { admin: '####', write: '###', read: '##', none: '#' };
const sortPrefix = (perm: string) => SORT_PREFIX[perm.split('.').pop() ?? ''] ?? '';
const byKey =
  <T>(key: (x: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

export interface PermissionRow {
  name: string;
  permission: string;
  origin: 'owner' | 'super-admin' | 'permission';
  type: 'user' | 'user_group';
}

/**
 * The `permissions` list of get_user_group / get_repo / get_repo_group (§2.2): super-admins other than the
 * owner, the owner, explicit user rows (default first, then admin > write > read > none, alphabetical; the
 * owner's and super-admins' own rows last in their level), then user group rows.
 */
export function permissionRows(state: RhodeCodeState, kind: ObjectKind, id: number): PermissionRow[] {
  const admin = `${PERM_PREFIX[kind]}admin`;
  const ownerId = ownerOf(state, kind, id);
  const owner = ownerId === undefined ? undefined : state.users.get(ownerId);
  const supers = state.superAdmins();
  const rows: PermissionRow[] = supers
    .filter((u) => u.id !== ownerId)
    .map((u) => ({ name: u.username, permission: admin, origin: 'super-admin', type: 'user' }));
  if (owner) rows.push({ name: owner.username, permission: admin, origin: 'owner', type: 'user' });
  const explicit = state.userPerms[kind]
    .rightsOf(id)
    .map((userId) => ({ user: state.users.get(userId), permission: state.userPerms[kind].get(id, userId) ?? '' }))
    .filter((x): x is { user: UserRow; permission: string } => x.user !== undefined);
  const key = (x: { user: UserRow; permission: string }) =>
    x.user.username === 'default'
      ? '#####'
      : `${sortPrefix(x.permission)}${x.user.id === ownerId || x.user.admin ? '9' : '1'}${x.user.username}`;
  rows.push(
    ...explicit.sort(byKey(key)).map((x): PermissionRow => ({
      name: x.user.username,
      permission: x.permission,
      origin: 'permission',
      type: 'user',
    })),
  );
  const groups = state.groupPerms[kind]
    .rightsOf(id)
    .map((groupId) => ({
      group: state.userGroups.get(groupId),
      permission: state.groupPerms[kind].get(id, groupId) ?? '',
    }))
    .filter((x): x is { group: NonNullable<typeof x.group>; permission: string } => x.group !== undefined)
    .sort(byKey((x) => `${sortPrefix(x.permission)}${x.group.name}`));
  rows.push(
    ...groups.map((x): PermissionRow => ({
      name: x.group.name,
      permission: x.permission,
      origin: 'permission',
      type: 'user_group',
    })),
  );
  return rows;
}
