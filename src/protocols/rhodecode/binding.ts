import type { RawHttpRequest } from '../../spec/codec.js';
import type { ClientBinding, EndpointSpec } from '../../spec/protocol.js';
import {
  anyReply,
  encodeCall,
  envelope,
  replyOf,
  resultEquals,
  resultMatches,
  status,
  succeeded,
} from '../../wire/rhodecode.js';
import { show } from '../../spec/show.js';
import type { RhodeCodeCredentials } from './identities.js';
import { seedFormNote } from './seed-forms.js';

/** RhodeCode's one endpoint (the setting rhodecode.api.url defaults to it, rhodecode.md §1). */
export const ENDPOINT = '/_admin/api';
/** RhodeCode's docs give the API URL as `https://HOST/_admin/api`. */
export const endpoint: EndpointSpec = { path: ENDPOINT, schemes: ['http', 'https'] };

/**
 * A hand-written request: either a raw body, or an `envelope` object into which the session puts its
 * token under `tokenKey` (default auth_token; null: none), since RhodeCode carries the token in the body.
 */
export interface RhodeCodeRawRequest extends RawHttpRequest {
  readonly envelope?: Readonly<Record<string, unknown>>;
  readonly tokenKey?: 'auth_token' | 'api_key' | null;
}

export function rawBody(request: RhodeCodeRawRequest, token: RhodeCodeCredentials): string {
  if (!request.envelope) return request.body ?? '';
  const key = request.tokenKey === undefined ? 'auth_token' : request.tokenKey;
  return JSON.stringify({ ...(key && token !== null ? { [key]: token } : {}), ...request.envelope });
}

export const binding: ClientBinding<RhodeCodeCredentials, RhodeCodeRawRequest> = {
  codec: {
    transport: 'http',
    encode: (token, method, params, options, n) => ({
      method: 'POST',
      url: ENDPOINT,
      headers: { 'content-type': 'application/json' },
      body: encodeCall({
        id: options.id === undefined ? n : options.id,
        token: token ?? null,
        method,
        args: params ?? {},
      }),
    }),
    // The token travels in the body, so `anonymous` and `credentialsAs` have nothing to move.
    raw: (token, r) => ({
      method: r.verb,
      url: r.path,
      headers: { ...(r.headers ?? {}) },
      body: rawBody(r, token ?? null),
    }),
  },
  outcome(observed) {
    const r = replyOf(observed);
    if (!r.ok) return { ok: false, error: observed.transport === 'http' ? `HTTP ${observed.status}: ${r.why}` : r.why };
    if (observed.transport === 'http' && observed.status !== 200)
      return { ok: false, error: `HTTP ${observed.status}: ${show(r.reply['error'])}` };
    if (r.reply['error'] !== null && r.reply['error'] !== undefined)
      return { ok: false, error: `error ${show(r.reply['error'])}` };
    return { ok: true, value: r.reply['result'] };
  },
  succeeded: [status(200), envelope(), succeeded()],
  anyReply: [anyReply],
  // Every shape check names the seed's (4.3) form when it recognises one (seed-forms.ts).
  resultMatches: (schema, level, label) => resultMatches(schema, level, label, seedFormNote),
  resultEquals: (value, level) => resultEquals(value, level),
};
