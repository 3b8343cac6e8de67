import type { ReferenceSources } from '../../spec/protocol.js';

const DOCS = 'https://docs.kanboard.org/v1/api';
const CODE = 'https://github.com/kanboard/kanboard/blob/main';

/**
 * Where a user can read what each section of reference/kanboard.md rests on: the official API docs
 * (kanboard/documentation content/en/v1/api) and the Kanboard source it was recorded from (main, 2cba210).
 */
export const sources: ReferenceSources = {
  '': [`${DOCS}/`],
  '§1': [`${DOCS}/`, `${CODE}/jsonrpc.php`, `${CODE}/libs/jsonrpc/src/JsonRPC/Server.php`],
  '§2': [`${DOCS}/authentication/`, `${CODE}/app/Api/Middleware/AuthenticationMiddleware.php`],
  '§3': [`${CODE}/app/ServiceProvider/ApiProvider.php`, `${CODE}/libs/jsonrpc/src/JsonRPC/Server.php`],
  '§4': [
    `${CODE}/app/Api/Authorization/ProcedureAuthorization.php`,
    `${CODE}/app/Api/Authorization/ProjectAuthorization.php`,
  ],
  '§5': [`${DOCS}/`, `${CODE}/libs/jsonrpc/src/JsonRPC/Request/BatchRequestParser.php`],
  '§6': [
    `${DOCS}/user_procedures/`,
    `${DOCS}/group_procedures/`,
    `${DOCS}/group_member_procedures/`,
    `${DOCS}/project_permission_procedures/`,
  ],
  '§6 Users': [`${DOCS}/user_procedures/`, `${CODE}/app/Api/Procedure/UserProcedure.php`],
  '§6 Groups': [`${DOCS}/group_procedures/`, `${CODE}/app/Api/Procedure/GroupProcedure.php`],
  '§6 Group members': [`${DOCS}/group_member_procedures/`, `${CODE}/app/Api/Procedure/GroupMemberProcedure.php`],
  '§6 Project permissions': [
    `${DOCS}/project_permission_procedures/`,
    `${CODE}/app/Api/Procedure/ProjectPermissionProcedure.php`,
  ],
  '§7': [
    `${DOCS}/user_procedures/`,
    `${CODE}/app/Api/Procedure/UserProcedure.php`,
    `${CODE}/app/Api/Procedure/ProjectPermissionProcedure.php`,
  ],
  '§8': [`${CODE}/app/Api/Procedure/BaseProcedure.php`],
};
