import { Type, type TProperties } from 'typebox';

/**
 * RhodeCode objects as they travel on the wire (rhodecode.md §2), in two strengths:
 * - the documented form (must): what the 4.27 docs and the 4.27 server share;
 * - the real form (quirk): the fields and formats the 4.27 server adds (owner_email, sync, datetimes
 *   cut to milliseconds, repository_branches...).
 * The seed (user-methods.rst r618, RhodeCode 4.3) has an older user object; seed-forms.ts explains it.
 */

const NullableString = Type.Union([Type.String(), Type.Null()]);
/** `2016-07-28T12:34:56.123`, or without the fraction when the microseconds are zero (§1). */
export const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?$/;
const Datetime = Type.String({ pattern: DATETIME.source });
const NullableDatetime = Type.Union([Datetime, Type.Null()]);
const Id = Type.Integer({ minimum: 1 });
export const MASKED_TOKEN = '*'.repeat(40);

const userFields = {
  user_id: Id,
  username: Type.String(),
  firstname: NullableString,
  lastname: NullableString,
  description: NullableString,
  email: NullableString,
  emails: Type.Array(NullableString),
  auth_tokens: Type.Array(Type.String()),
  active: Type.Boolean(),
  admin: Type.Boolean(),
  extern_type: NullableString,
  extern_name: NullableString,
  last_login: NullableString,
  last_activity: NullableString,
  ip_addresses: Type.Array(Type.String()),
  language: NullableString,
} satisfies TProperties;

/** The user object as the 4.27 docs describe it and the server sends it. */
export const User = Type.Object(userFields, { title: 'a user object (4.27: auth_tokens, description, last_activity)' });
/** With the real formats: datetimes cut to milliseconds. */
export const UserReal = Type.Object(
  { ...userFields, last_login: NullableDatetime, last_activity: NullableDatetime },
  { title: 'the real user object' },
);

/** get_user's permission structure (§2.1). */
const permissionFields = {
  global: Type.Array(Type.String()),
  repositories: Type.Record(Type.String(), Type.String()),
  repositories_groups: Type.Record(Type.String(), Type.String()),
  user_groups: Type.Record(Type.String(), Type.String()),
} satisfies TProperties;
export const Permissions = Type.Object(permissionFields);
export const PermissionsReal = Type.Object({
  ...permissionFields,
  repository_branches: Type.Record(Type.String(), Type.Record(Type.String(), Type.String())),
});

export const GetUserResult = Type.Object(
  { ...userFields, permissions_summary: Permissions },
  { title: 'a user object with permissions_summary' },
);
export const GetUserResultReal = Type.Object(
  {
    ...userFields,
    last_login: NullableDatetime,
    last_activity: NullableDatetime,
    permissions: PermissionsReal,
    permissions_summary: PermissionsReal,
  },
  { title: 'the real get_user result (permissions and permissions_summary, repository_branches)' },
);

const userGroupFields = {
  users_group_id: Id,
  group_name: Type.String(),
  group_description: NullableString,
  active: Type.Union([Type.Boolean(), Type.Null()]),
  owner: Type.String(),
  users: Type.Array(User),
} satisfies TProperties;
export const UserGroup = Type.Object(userGroupFields, { title: 'a user group object' });
const userGroupRealFields = {
  ...userGroupFields,
  owner_email: NullableString,
  sync: NullableString,
  users: Type.Array(UserReal),
} satisfies TProperties;
export const UserGroupReal = Type.Object(userGroupRealFields, {
  title: 'the real user group object (owner_email, sync)',
});

export const PermissionRow = Type.Object({
  name: Type.String(),
  permission: Type.String(),
  origin: Type.Union([Type.Literal('owner'), Type.Literal('super-admin'), Type.Literal('permission')]),
  type: Type.Union([Type.Literal('user'), Type.Literal('user_group')]),
});
const PermissionsSummary = Type.Object({
  repositories: Type.Record(Type.String(), Type.String()),
  repositories_groups: Type.Record(Type.String(), Type.String()),
});

export const GetUserGroupResult = Type.Object(
  { ...userGroupFields, permissions: Type.Array(PermissionRow), permissions_summary: PermissionsSummary },
  { title: 'a user group with permissions and permissions_summary' },
);
export const GetUserGroupResultReal = Type.Object(
  { ...userGroupRealFields, permissions: Type.Array(PermissionRow), permissions_summary: PermissionsSummary },
  { title: 'the real get_user_group result' },
);

const repoFields = {
  repo_id: Id,
  repo_name: Type.String(),
  repo_type: Type.String(),
  clone_uri: NullableString,
  private: Type.Boolean(),
  created_on: Type.String(),
  description: NullableString,
  landing_rev: Type.Array(NullableString),
  owner: Type.String(),
  fork_of: NullableString,
  enable_downloads: Type.Boolean(),
  enable_locking: Type.Boolean(),
  enable_statistics: Type.Boolean(),
  last_changeset: Type.Object({}),
  locked_by: Type.Union([User, Type.Null()]),
  locked_date: NullableString,
  lock_reason: NullableString,
} satisfies TProperties;
export const Repo = Type.Object(repoFields, { title: 'a repository object' });
const repoRealFields = {
  ...repoFields,
  push_uri: Type.String(),
  url: Type.String(),
  fork_of_id: Type.Union([Id, Type.Null()]),
  created_on: Datetime,
  locked_date: NullableDatetime,
} satisfies TProperties;
export const RepoReal = Type.Object(repoRealFields, { title: 'the real repository object' });
export const GetRepoResult = Type.Object(
  { ...repoFields, permissions: Type.Array(PermissionRow), followers: Type.Array(User) },
  { title: 'a repository with permissions and followers' },
);
export const GetRepoResultReal = Type.Object(
  { ...repoRealFields, permissions: Type.Array(PermissionRow), followers: Type.Array(UserReal) },
  { title: 'the real get_repo result' },
);

const repoGroupFields = {
  group_id: Id,
  group_name: Type.String(),
  group_description: NullableString,
  parent_group: NullableString,
  repositories: Type.Array(Type.String()),
  owner: Type.String(),
} satisfies TProperties;
export const RepoGroup = Type.Object(repoGroupFields, { title: 'a repository group object' });
export const GetRepoGroupResult = Type.Object(
  { ...repoGroupFields, permissions: Type.Array(PermissionRow) },
  { title: 'a repository group with permissions' },
);

const Msg = Type.String();
export const UserMessage = Type.Object({ msg: Msg, user: User }, { title: '{msg, user}' });
export const UserMessageReal = Type.Object(
  { msg: Msg, user: UserReal },
  { title: '{msg, user} with the real user object' },
);
export const DeletedUser = Type.Object({ msg: Msg, user: Type.Null() }, { title: '{msg, user: null}' });
export const UserGroupMessage = Type.Object({ msg: Msg, user_group: UserGroup }, { title: '{msg, user_group}' });
export const UserGroupMessageReal = Type.Object(
  { msg: Msg, user_group: UserGroupReal },
  { title: '{msg, user_group} with the real user group object' },
);
export const DeletedUserGroup = Type.Object(
  { msg: Msg, user_group: Type.Null() },
  { title: '{msg, user_group: null}' },
);
export const Outcome = Type.Object({ success: Type.Boolean(), msg: Msg }, { title: '{success, msg}' });
export const Granted = Type.Object({ msg: Msg, success: Type.Literal(true) }, { title: '{msg, success: true}' });
export const CreatedRepo = Type.Object(
  { msg: Msg, success: Type.Literal(true), task: Type.Union([Type.String(), Type.Null()]) },
  { title: '{msg, success, task}' },
);
export const DeletedRepo = Type.Object({ msg: Msg, success: Type.Literal(true) }, { title: '{msg, success}' });
export const RepoGroupMessage = Type.Object({ msg: Msg, repo_group: RepoGroup }, { title: '{msg, repo_group}' });
export const DeletedRepoGroup = Type.Object(
  { msg: Msg, repo_group: Type.Null() },
  { title: '{msg, repo_group: null}' },
);
