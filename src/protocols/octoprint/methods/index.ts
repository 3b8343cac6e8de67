import { accountMethods } from './account.js';
import { sessionMethods } from './current-user.js';
import { groupMethods } from './groups.js';
import { permissionMethods } from './permissions.js';
import { userMethods } from './users.js';

/** Every 1.4–1.11 access method, in the order the suites run them (the apikey methods last: see account.ts). */
export const methods = [...permissionMethods, ...sessionMethods, ...groupMethods, ...userMethods, ...accountMethods];
