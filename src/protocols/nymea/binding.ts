import type { ClientBinding, EndpointSpec } from '../../spec/protocol.js';
import { anyServerMessage, paramsEqual, paramsMatch, paramsOf, replyOf, statusIs } from '../../wire/nymea-facets.js';
import { show } from '../../spec/show.js';
import { connectNymea, type NymeaCredentials } from './session.js';

/**
 * nymea over TCP (`tcp://host:2222`) or WebSocket (`ws://host:4444`), TLS variants `tls://`/`wss://`
 * (nymea.md §1). A call "succeeds" when the reply's status is success; a Users call that failed in the
 * user manager still does (`params.error`, §2), which outcome() reports as a failure for arranging.
 */
/** The URL is the endpoint: a JSON-RPC stream, `nymea://` and `nymeas://` as nymea's apps write TCP and TLS. */
export const endpoint: EndpointSpec = { path: '', schemes: ['tcp', 'nymea', 'tls', 'nymeas', 'ws', 'wss'] };

export const binding: ClientBinding<NymeaCredentials> = {
  codec: { transport: 'stream', connect: connectNymea },
  outcome(observed) {
    const r = replyOf(observed);
    if (!r.ok) return { ok: false, error: r.why };
    const { reply } = r;
    if (reply['status'] !== 'success')
      return { ok: false, error: `${String(reply['status'])}: ${show(reply['error'])}` };
    const params = paramsOf(reply) ?? {};
    if (typeof params['error'] === 'string' && params['error'] !== 'UserErrorNoError')
      return { ok: false, error: params['error'] };
    if (params['success'] === false) return { ok: false, error: `success false: ${show(params)}` };
    return { ok: true, value: params };
  },
  succeeded: [statusIs('success', 'must')],
  anyReply: [anyServerMessage],
  resultMatches: (schema, level, label) => paramsMatch(schema, level, label),
  resultEquals: (value, level) => paramsEqual(value, level),
};
