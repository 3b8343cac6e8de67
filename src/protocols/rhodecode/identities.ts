import type { IdentitySpec } from '../../spec/protocol.js';
import type { RhodeCodeFacts } from './access.js';
import type { RhodeCodeWorld } from './world.js';

/**
 * RhodeCode identities: a token in the body, or none. No API call makes a token with the API role (a new
 * user gets only a feed token, rhodecode.md §2.1), so the only working tokens are the given ones; the three
 * non-admin identities share the --user-token account and differ in how they stand to the objects the run
 * makes for each check: plain (the default user's permission), granted admin, or owner.
 */
export type RhodeCodeCredentials = string | null;

type Identity = IdentitySpec<RhodeCodeWorld, RhodeCodeFacts>;

const userToken = (given: Readonly<Record<string, unknown>>) =>
  typeof given['userToken'] === 'string'
    ? given['userToken']
    : { unavailable: 'no plain user token given (--user-token)' };

export const identities: readonly Identity[] = [
  {
    id: 'super-admin',
    label: 'super-admin (hg.admin)',
    givenBy: 'adminToken',
    facts: { auth: 'token', superAdmin: true },
    credentials: (_w, given) =>
      typeof given['adminToken'] === 'string'
        ? given['adminToken']
        : { unavailable: 'no super-admin token given (--admin-token)' },
  },
  {
    id: 'user',
    givenBy: 'userToken',
    label: "plain user (the default user's permissions)",
    facts: { auth: 'token', relation: 'plain' },
    credentials: (_w, given) => userToken(given),
  },
  {
    id: 'object-admin',
    label: 'the user, granted admin on the object (usergroup/repository/group.admin)',
    facts: { auth: 'token', relation: 'granted' },
    credentials: (_w, given) => userToken(given),
  },
  {
    id: 'owner',
    label: 'the user, owner of the object',
    facts: { auth: 'token', relation: 'owner' },
    credentials: (_w, given) => userToken(given),
  },
  { id: 'anonymous', label: 'no token', facts: { auth: 'none' }, credentials: () => null },
  {
    id: 'bad-token',
    label: 'a token that does not exist',
    facts: { auth: 'invalid' },
    credentials: (world) => world?.badToken ?? 'accord0000000000000000000000000000000000',
  },
];
