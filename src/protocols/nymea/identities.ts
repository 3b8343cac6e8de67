import type { IdentitySpec } from '../../spec/protocol.js';
import type { NymeaFacts } from './access.js';
import { ADMIN, maskOf } from './scopes.js';
import type { NymeaCredentials } from './session.js';
import type { NymeaWorld } from './world.js';

/**
 * Who the suites call nymea as (nymea.md §4, §5): the given admin, no token, an unknown token, and a user
 * of the run's own for each scope (with the scopes each one needs to be consistent, §5), made and logged
 * in by the world, whose sessions say Hello with the token the world got for them.
 */
type Identity = IdentitySpec<NymeaWorld, NymeaFacts>;

/** The scope identities: scope names as sent to Users.CreateUser. */
export const SCOPE_IDENTITIES: readonly {
  readonly id: string;
  readonly label: string;
  readonly scopes: readonly string[];
}[] = [
  { id: 'scope-none', label: 'user with no scope', scopes: [] },
  {
    id: 'control-things',
    label: 'user with ControlThings only (a restricted guest)',
    scopes: ['PermissionScopeControlThings'],
  },
  {
    id: 'configure-things',
    label: 'user with ConfigureThings (+AccessAllThings)',
    scopes: ['PermissionScopeConfigureThings', 'PermissionScopeAccessAllThings'],
  },
  { id: 'access-all-things', label: 'user with AccessAllThings', scopes: ['PermissionScopeAccessAllThings'] },
  {
    id: 'execute-rules',
    label: 'user with ExecuteRules (+AccessAllThings)',
    scopes: ['PermissionScopeExecuteRules', 'PermissionScopeAccessAllThings'],
  },
  {
    id: 'configure-rules',
    label: 'user with ConfigureRules (+AccessAllThings)',
    scopes: ['PermissionScopeConfigureRules', 'PermissionScopeAccessAllThings'],
  },
  { id: 'scope-admin', label: 'user with Admin, made by the run', scopes: ['PermissionScopeAdmin'] },
];

/** 44 characters of base64 no server issued: the run's "bad token" (a token is never guessed, only issued). */
export const BAD_TOKEN = `${'AccordBadToken'.padEnd(43, 'x')}=`;

function madeUser(id: string, label: string, scopes: readonly string[]): Identity {
  return {
    id,
    label,
    facts: { auth: 'token', scopes: maskOf(scopes) },
    credentials: (world): NymeaCredentials | { unavailable: string } => {
      const u = world?.users[id];
      return u ? { token: u.token } : { unavailable: 'made by the run while it builds its world' };
    },
  };
}

export const identities: readonly Identity[] = [
  {
    id: 'admin',
    givenBy: 'admin',
    label: 'the given admin',
    facts: { auth: 'token', scopes: ADMIN },
    credentials: (_w, given) =>
      (given['admin'] as NymeaCredentials | undefined) ?? { unavailable: 'no admin given (--admin USER:PASS)' },
  },
  {
    id: 'no-token',
    label: 'no token (Hello without one)',
    facts: { auth: 'none' },
    credentials: (): NymeaCredentials => ({ token: '' }),
  },
  ...SCOPE_IDENTITIES.slice(0, 4).map((s) => madeUser(s.id, s.label, s.scopes)),
  {
    id: 'bad-token',
    label: 'a token the server never issued',
    facts: { auth: 'invalid' },
    credentials: (): NymeaCredentials => ({ token: BAD_TOKEN }),
  },
  ...SCOPE_IDENTITIES.slice(4).map((s) => madeUser(s.id, s.label, s.scopes)),
];
