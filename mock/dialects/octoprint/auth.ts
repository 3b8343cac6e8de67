import type { HttpRequestData } from '../../../src/wire/http.js';
import { splitUrl } from '../../../src/wire/rest-routes.js';
import { sameSecret } from '../../../src/wire/text.js';
import type { OctoPrintState, UserState } from './state.js';

/**
 * Who a request is (octoprint.md §2.1), in Flask-Login's order: the session cookie, else the remember-me
 * cookie (then no key is read), else an API key from the `apikey` query or form parameter, the X-Api-Key
 * header or `Authorization: Bearer`, the first one present; an empty or unknown key is no key.
 */
export type Caller =
  | { readonly kind: 'anonymous'; readonly key: 'none' | 'unknown' }
  | {
      readonly kind: 'user';
      readonly user: UserState;
      readonly mechanism: 'apikey' | 'password' | 'remember_me';
      readonly credentialsSeen: number | false;
    }
  | { readonly kind: 'global' };

/** The defaultReauthenticationTimeout of accessControl: 5 minutes. */
export const REAUTH_TIMEOUT_MS = 5 * 60 * 1000;

/** The last Host header seen and its suffix: a request reads it several times, and clients keep sending the same one. */
let lastHost: string | undefined;
let lastSuffix = '';

/** OctoPrint suffixes its cookies with the port (and the script root, not modelled): `session_P5000`. */
export function cookieSuffix(request: HttpRequestData): string {
  const host = request.headers['host'] ?? '';
  if (host !== lastHost) {
    lastSuffix = `_P${/:(\d+)$/.exec(host)?.[1] ?? '80'}`;
    lastHost = host;
  }
  return lastSuffix;
}

const NO_COOKIES: ReadonlyMap<string, string> = new Map();

export function cookiesOf(request: HttpRequestData): ReadonlyMap<string, string> {
  const header = request.headers['cookie'];
  // Most callers (API keys) send no cookie at all.
  if (header === undefined || header === '') return NO_COOKIES;
  const jar = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

/** The key the request loader reads, or undefined; '' counts as none. `bearer`: 1.5+ read Authorization: Bearer. */
export function apiKeyOf(request: HttpRequestData, bearer = true): string | undefined {
  if (request.url.includes('?')) {
    const { query } = splitUrl(request.url);
    if (query.has('apikey')) return query.get('apikey') || undefined;
  }
  if (/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
    const form = new URLSearchParams(request.body);
    if (form.has('apikey')) return form.get('apikey') || undefined;
  }
  if ('x-api-key' in request.headers) return request.headers['x-api-key'] || undefined;
  const authorization = bearer ? request.headers['authorization'] : undefined;
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length) || undefined;
  return undefined;
}

export function authenticate(state: OctoPrintState, request: HttpRequestData, bearer = true): Caller {
  const cookies = cookiesOf(request);
  const suffix = cookieSuffix(request);
  const session = state.sessions.get(cookies.get(`session${suffix}`) ?? '');
  const sessionUser = session && state.users.get(session.user);
  if (session && sessionUser?.active)
    return { kind: 'user', user: sessionUser, mechanism: session.mechanism, credentialsSeen: session.credentialsSeen };
  const remembered = cookies.get(`remember_token${suffix}`);
  if (remembered !== undefined) {
    const user = state.users.get(state.rememberTokens.get(remembered) ?? '');
    return user?.active
      ? { kind: 'user', user, mechanism: 'remember_me', credentialsSeen: false }
      : { kind: 'anonymous', key: 'none' };
  }
  const key = apiKeyOf(request, bearer);
  if (key === undefined) return { kind: 'anonymous', key: 'none' };
  if (sameSecret(key, state.globalKey)) return { kind: 'global' };
  const user = state.userByKey(key);
  return user
    ? { kind: 'user', user, mechanism: 'apikey', credentialsSeen: Date.now() }
    : { kind: 'anonymous', key: 'unknown' };
}

/** The name handlers compare with the path (`current_user.get_name()`); the global key is `_api`. */
export function callerName(caller: Caller): string | undefined {
  return caller.kind === 'user' ? caller.user.name : caller.kind === 'global' ? '_api' : undefined;
}

/** `@require_credentials_checked_recently`: API keys always pass; sessions within the timeout. */
export function credentialsRecent(caller: Caller, now = Date.now()): boolean {
  if (caller.kind !== 'user' || caller.mechanism === 'apikey') return true;
  return caller.credentialsSeen !== false && now - caller.credentialsSeen <= REAUTH_TIMEOUT_MS;
}

/** The ADMIN permission: only an active user's identity loads (an inactive one gets guest rights). */
export function hasAdmin(state: OctoPrintState, caller: Caller): boolean {
  if (caller.kind === 'global') return true;
  return caller.kind === 'user' && caller.user.active && state.isAdminUser(caller.user);
}

/** 1.4.0–1.8.2: the access endpoints need SETTINGS (which ADMIN includes). */
export function hasSettings(state: OctoPrintState, caller: Caller): boolean {
  if (caller.kind === 'global') return true;
  return (
    caller.kind === 'user' &&
    caller.user.active &&
    state.effectivePermissions(caller.user.groups, caller.user.permissions).has('SETTINGS')
  );
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The blueprint's CSRF check (1.8.3+): writes without an API key need the cookie and the same header. */
export function csrfPasses(state: OctoPrintState, request: HttpRequestData, caller: Caller): boolean {
  if (SAFE_METHODS.has(request.method)) return true;
  if (caller.kind === 'global' || (caller.kind === 'user' && caller.mechanism === 'apikey')) return true;
  const cookie = cookiesOf(request).get(`csrf_token${cookieSuffix(request)}`);
  const header = request.headers['x-csrf-token'];
  return cookie !== undefined && header !== undefined && state.csrfTokens.has(cookie) && sameSecret(cookie, header);
}
