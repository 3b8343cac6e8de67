import { httpSession, type RawHttpRequest } from '../../client/http-session.js';
import type { ClientBinding, EndpointSpec } from '../../spec/protocol.js';
import type { Session } from '../../spec/session.js';
import { anyReply, encodeCall, envelope, replyOf, resultEquals, resultMatches, status, succeeded } from '../../wire/rhodecode.js';
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

export const binding: ClientBinding = {
  async connect(url, credentials, { timeoutMs }): Promise<Session> {
    const token = (credentials ?? null) as RhodeCodeCredentials;
    const session = httpSession(
      url,
      {
        encode: (method, params, options, n) => ({
          method: 'POST',
          url: ENDPOINT,
          headers: { 'content-type': 'application/json' },
          body: encodeCall({ id: options.id === undefined ? n : options.id, token, method, args: params ?? {} }),
        }),
        credentialHeaders: () => ({}),
      },
      timeoutMs,
    );
    return {
      ...session,
      raw: (request) => {
        const r = request as RhodeCodeRawRequest;
        return session.raw({ verb: r.verb, path: r.path, headers: r.headers ?? {}, body: rawBody(r, token) });
      },
    };
  },
  outcome(observed) {
    const r = replyOf(observed);
    if (!r.ok) return { ok: false, error: observed.transport === 'http' ? `HTTP ${observed.status}: ${r.why}` : r.why };
    if (observed.transport === 'http' && observed.status !== 200) return { ok: false, error: `HTTP ${observed.status}: ${show(r.reply['error'])}` };
    if (r.reply['error'] !== null && r.reply['error'] !== undefined) return { ok: false, error: `error ${show(r.reply['error'])}` };
    return { ok: true, value: r.reply['result'] };
  },
  succeeded: [status(200), envelope(), succeeded()],
  anyReply: [anyReply],
  // Every shape check names the seed's (4.3) form when it recognises one (seed-forms.ts).
  resultMatches: (schema, level, label) => resultMatches(schema, level, label, seedFormNote),
  resultEquals: (value, level) => resultEquals(value, level),
};
