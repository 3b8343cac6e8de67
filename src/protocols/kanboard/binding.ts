import { rawWithHeaders, type RawHttpRequest } from '../../spec/codec.js';
import type { ClientBinding, EndpointSpec } from '../../spec/protocol.js';
import { basicAuthorization } from '../../wire/http.js';
import {
  encodeRequest,
  envelope,
  replyOf,
  resultEquals,
  resultMatches,
  resultSatisfies,
  status,
} from '../../wire/jsonrpc2.js';
import { show } from '../../spec/show.js';
import type { KanboardCredentials } from './identities.js';
import { ANY_REPLY } from './params-policy.js';

/** Kanboard's one endpoint: JSON-RPC 2.0 in a POST body, HTTP Basic credentials (kanboard.md §1, §2). */
export const ENDPOINT = '/jsonrpc.php';
/** Settings → API shows the endpoint URL (`https://HOST/jsonrpc.php`); a Kanboard under /kanboard/ keeps it. */
export const endpoint: EndpointSpec = { path: ENDPOINT, schemes: ['http', 'https'] };

export function credentialHeaders(credentials: KanboardCredentials): Record<string, string> {
  return credentials ? { authorization: basicAuthorization(credentials.username, credentials.password) } : {};
}

export const binding: ClientBinding<KanboardCredentials, RawHttpRequest> = {
  codec: {
    transport: 'http',
    encode: (creds, method, params, options, n) => ({
      method: 'POST',
      url: ENDPOINT,
      headers: { 'content-type': 'application/json', ...credentialHeaders(creds) },
      body: encodeRequest({
        method,
        params,
        id: options.id === undefined ? n : options.id,
        omitId: options.omitId ?? false,
      }),
    }),
    raw: (creds, request) => rawWithHeaders(request, credentialHeaders(creds)),
  },
  outcome(observed) {
    const r = replyOf(observed);
    if (!r.ok) return { ok: false, error: observed.transport === 'http' ? `HTTP ${observed.status}: ${r.why}` : r.why };
    if (observed.transport === 'http' && observed.status !== 200)
      return { ok: false, error: `HTTP ${observed.status}: ${show(r.reply['error'])}` };
    if ('error' in r.reply) return { ok: false, error: `error ${show(r.reply['error'])}` };
    return { ok: true, value: r.reply['result'] };
  },
  succeeded: [status(200), envelope(), resultSatisfies('must', 'a result, not an error', () => null)],
  anyReply: [ANY_REPLY],
  resultMatches,
  resultEquals: (value, level) => resultEquals(value, level),
};
