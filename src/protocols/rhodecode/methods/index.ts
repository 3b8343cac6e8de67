import { repoGroupPermissionMethods } from './repo-group-permissions.js';
import { repoPermissionMethods } from './repo-permissions.js';
import { supportMethods } from './support.js';
import { userGroupPermissionMethods } from './user-group-permissions.js';
import { userGroupMethods } from './user-groups.js';
import { userMethods } from './users.js';

/** Every declared method, in the order the reports list them. */
export const methods = [
  ...userMethods,
  ...userGroupMethods,
  ...userGroupPermissionMethods,
  ...repoPermissionMethods,
  ...repoGroupPermissionMethods,
  ...supportMethods,
];
