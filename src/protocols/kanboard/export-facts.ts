import type { ExportFacts } from '../../spec/export-facts.js';
import { isRecord, replyJson } from '../../spec/rpc-replies.js';

/** Kanboard speaks JSON-RPC 2.0 itself: errors are its own `error` objects (kanboard.md §1–§3). */
export const exportFacts: ExportFacts = {
  version: 'main 2cba210',
  description:
    "Kanboard's users, groups, group members and project permissions over JSON-RPC 2.0 at /jsonrpc.php, " +
    'HTTP Basic credentials: `jsonrpc:<application token>` (the application API, every method) or `<username>:<password>` ' +
    '(the user API, by role). A refused user API call is HTTP 403 with a JSON-RPC error; bad credentials are HTTP 401.',
  openrpc: {
    serverUrl: 'http://127.0.0.1:8080/jsonrpc.php',
    paramStructure: 'either',
    envelope: {
      protocol: 'JSON-RPC 2.0',
      params:
        'A JSON list binds positionally, in the order the params are listed here; an object binds by name. The count is ' +
        'checked first: too many gives "Too many arguments", a missing required one "Missing argument: <name>" ' +
        '(kanboard.md §3 step 7). Types are never checked: PHP coerces them.',
      authentication:
        'HTTP Basic on every request: jsonrpc:<token> for the application API, username:password for the user API',
      httpStatus:
        'Replies are HTTP 200, except 401 for refused credentials and 403 for a user API call the role does not allow',
    },
    errorOf(reply) {
      const body = replyJson(reply);
      if (!isRecord(body) || !isRecord(body['error'])) return undefined;
      const e = body['error'];
      if (typeof e['code'] !== 'number' || typeof e['message'] !== 'string') return undefined;
      return { code: e['code'], message: e['message'], ...('data' in e ? { data: e['data'] } : {}) };
    },
  },
};
