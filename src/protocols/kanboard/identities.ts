import type { IdentitySpec } from '../../spec/protocol.js';
import type { KanboardFacts } from './access.js';
import type { KanboardWorld } from './world.js';

/** Credentials of a Kanboard identity: HTTP Basic, or none at all. */
export type KanboardCredentials = { readonly username: string; readonly password: string } | null;

type Identity = IdentitySpec<KanboardWorld, KanboardFacts>;

function madeUser(id: string, label: string, facts: KanboardFacts): Identity {
  return {
    id,
    label,
    facts,
    credentials: (world) => {
      const u = world?.users[id];
      return u
        ? { username: u.username, password: u.password }
        : { unavailable: 'made by the run while it builds its world' };
    },
  };
}

export const identities: readonly Identity[] = [
  {
    id: 'app-api',
    label: 'application API (jsonrpc + token)',
    givenBy: 'appToken',
    facts: { auth: 'app' },
    credentials: (_w, given) =>
      typeof given['appToken'] === 'string'
        ? { username: 'jsonrpc', password: given['appToken'] }
        : { unavailable: 'no application token given (--app-token)' },
  },
  {
    id: 'app-admin',
    label: 'user with role app-admin',
    givenBy: 'admin',
    facts: { auth: 'user', appRole: 'app-admin' },
    credentials: (_w, given) =>
      (given['admin'] as KanboardCredentials | undefined) ?? { unavailable: 'no admin user given (--admin USER:PASS)' },
  },
  madeUser('app-manager', 'user with role app-manager', { auth: 'user', appRole: 'app-manager' }),
  {
    id: 'app-user',
    label: 'user with role app-user',
    givenBy: 'user',
    facts: { auth: 'user', appRole: 'app-user' },
    credentials: (world, given) => {
      if (given['user']) return given['user'] as KanboardCredentials;
      const u = world?.users['app-user'];
      return u
        ? { username: u.username, password: u.password }
        : { unavailable: 'made by the run while it builds its world' };
    },
  },
  madeUser('project-viewer', 'app-user who is project-viewer of the project', { auth: 'user', appRole: 'app-user' }),
  madeUser('project-member', 'app-user who is project-member of the project', { auth: 'user', appRole: 'app-user' }),
  madeUser('project-manager', 'app-user who is project-manager of the project', { auth: 'user', appRole: 'app-user' }),
  { id: 'anonymous', label: 'no credentials', facts: { auth: 'none' }, credentials: () => null },
  // A server that takes any token for `jsonrpc` fails every check of this one (no user lockout: §2).
  {
    id: 'bad-app-token',
    label: 'application API with a wrong token',
    facts: { auth: 'invalid' },
    credentials: () => ({ username: 'jsonrpc', password: 'accord-wrong-token' }),
  },
  {
    id: 'bad-credentials',
    label: 'unknown user and wrong password',
    facts: { auth: 'invalid' },
    credentials: (world) => ({ username: world?.badUsername ?? 'accord-nobody', password: 'wrong-password' }),
  },
];
