import { groupMemberProcedures } from './group-members.js';
import { groupProcedures } from './groups.js';
import { projectPermissionProcedures } from './project-permissions.js';
import { supportProcedures } from './support.js';
import { userProcedures } from './users.js';

/** Every declared procedure, in the order the reports list them (kanboard.md §6). */
export const methods = [
  ...userProcedures,
  ...groupProcedures,
  ...groupMemberProcedures,
  ...projectPermissionProcedures,
  ...supportProcedures,
];
