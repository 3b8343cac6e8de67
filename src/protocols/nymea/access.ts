import { allow, deny, type AccessRule } from '../../spec/access.js';
import type { Expectation } from '../../spec/expectation.js';
import { TEXT } from '../../wire/nymea.js';
import { closed, errorText, stayedOpen, statusIs } from '../../wire/nymea-facets.js';
import { apiMethod } from './api.js';
import { ADMIN, holds, SCOPE_BITS, userInfoScopes } from './scopes.js';
import type { NymeaWorld } from './world.js';

/**
 * Who may call what (nymea.md §3 step 5, §5). With authentication on, every method needs a valid token
 * except Hello, Authenticate and RequestPushButtonAuth (and, before the first user exists, CreateUser);
 * a valid token then needs the method's scope (declared in the introspection data; Admin when none is
 * named), or Admin. No valid token: `unauthorized` and the connection is closed. A missing scope:
 * `Permission denied.` and the connection stays open.
 */
export interface NymeaFacts {
  readonly auth: 'none' | 'invalid' | 'token';
  /** PermissionScope bits of the identity's user. */
  readonly scopes?: number;
}

const SEE = 'nymea.md §3 step 5, §5';

/** Methods the gate lets through without a valid token once users exist. */
export const EXEMPT = new Set(['JSONRPC.Hello', 'JSONRPC.Authenticate', 'JSONRPC.RequestPushButtonAuth']);

export function unauthorizedReply(text: string = TEXT.invalidToken): Expectation {
  return [
    statusIs('unauthorized', 'must'),
    closed('must', 'the server closes the connection after an unauthorized reply'),
    errorText(text, 'quirk'),
  ];
}

export const PERMISSION_DENIED: Expectation = [
  statusIs('error', 'must'),
  errorText(TEXT.permissionDenied, 'quirk'),
  stayedOpen('should'),
];

export function scopeRule(method: string): AccessRule<NymeaWorld, NymeaFacts> {
  const scopeName = apiMethod(method).permissionScope;
  const required = SCOPE_BITS[scopeName] ?? ADMIN;
  const exempt = EXEMPT.has(method);
  const term = exempt ? 'no token needed' : scopeName === 'PermissionScopeNone' ? 'any valid token' : scopeName;
  return {
    term,
    see: SEE,
    decide(identity) {
      const f = identity.facts;
      if (f.auth !== 'token') {
        if (exempt) return allow;
        const why =
          scopeName === 'PermissionScopeNone'
            ? 'no valid token: PermissionScopeNone still needs one (the seed badge PUBLIC does not mean anonymous, nymea.md §10)'
            : 'no valid token';
        return deny(f.auth === 'none' ? why : why.replace('no valid token', 'an unknown token'), unauthorizedReply());
      }
      const mask = f.scopes ?? 0;
      if (required === 0 || holds(mask, required) || holds(mask, ADMIN)) return allow;
      const held = userInfoScopes(mask);
      return deny(`${held.length === 0 ? 'no scope' : held.join('+')} lacks ${scopeName}`, PERMISSION_DENIED);
    },
  };
}
