import type { ExportFacts } from '../../spec/export-facts.js';
import { isRecord, replyJson } from '../../spec/rpc-replies.js';

/**
 * RhodeCode's envelope is not JSON-RPC 2.0 (rhodecode.md §1): `{id, auth_token, method, args}` in, and
 * `{id, result, error}` out, where `error` is a string. OpenRPC needs an error code: accord writes -32000
 * (JSON-RPC's implementation-defined server error), which RhodeCode never sends.
 */
export const RHODECODE_ERROR_CODE = -32000;

export const exportFacts: ExportFacts = {
  version: '4.27.0',
  description: "RhodeCode CE's users, user groups and permission methods at /_admin/api (rhodecode.md).",
  openrpc: {
    serverUrl: 'http://127.0.0.1:10020/_admin/api',
    paramStructure: 'by-name',
    envelope: {
      protocol: 'RhodeCode JSON-RPC (not JSON-RPC 2.0)',
      request: {
        id: 'JSON-RPC `id` (any JSON value)',
        auth_token: "the caller's API token, in the body (`api_key` is an alias); JSON-RPC has no place for it",
        method: 'JSON-RPC `method`',
        args: 'JSON-RPC `params`, always an object (by name)',
        jsonrpc: 'not sent and not read',
      },
      reply: {
        id: 'the request id',
        result: 'JSON-RPC `result`; null when there is an error',
        error: `a string, or null: the OpenRPC errors here carry it as \`message\`, with code ${RHODECODE_ERROR_CODE}, which RhodeCode does not send`,
      },
      quirk:
        'A success to a request whose id is falsy (0, null, "") is the bare JSON string "" with no envelope (rhodecode.md §1)',
      httpStatus: 'Every reply is HTTP 200, refusals included',
    },
    errorOf(reply) {
      const body = replyJson(reply);
      if (!isRecord(body) || body['error'] === null || body['error'] === undefined) return undefined;
      const error = body['error'];
      return { code: RHODECODE_ERROR_CODE, message: typeof error === 'string' ? error : JSON.stringify(error) };
    },
  },
};
