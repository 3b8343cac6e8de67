import type { IdentitySpec } from '../../spec/protocol.js';
import type { OctoPrintFacts } from './access.js';
import type { KeyedWorld, OctoPrintWorld } from './world.js';

/**
 * Credentials of an OctoPrint identity: an API key and where it travels (default the X-Api-Key header),
 * or none. The object is read at every request, so a key the world rotates is picked up.
 */
export type OctoPrintCredentials = {
  readonly apikey: string | null;
  readonly via?: 'header' | 'query' | 'bearer';
} | null;

function givenKey(key: string, flag: string) {
  return (_world: unknown, given: Readonly<Record<string, unknown>>) =>
    typeof given[key] === 'string' ? { apikey: given[key] } : { unavailable: `no ${flag} given (--${flag})` };
}

/** admin, global key, another user, the user themselves, anonymous, a key that matches nothing. */
export function keyIdentities<W extends KeyedWorld>(): readonly IdentitySpec<W, OctoPrintFacts>[] {
  return [
    {
      id: 'admin',
      givenBy: 'adminKey',
      label: 'a user in the admins group (API key)',
      facts: { auth: 'user-key', admin: true },
      credentials: givenKey('adminKey', 'admin-key'),
    },
    {
      id: 'global',
      givenBy: 'globalKey',
      label: 'the global API key (pseudo-user _api)',
      facts: { auth: 'global-key', admin: true },
      credentials: givenKey('globalKey', 'global-key'),
    },
    {
      id: 'user',
      givenBy: 'userKey',
      label: 'a user in the users group, another user than the one named',
      facts: { auth: 'user-key', admin: false },
      credentials: (world, given) => {
        if (typeof given['userKey'] === 'string') return { apikey: given['userKey'] };
        return world?.user ?? { unavailable: 'made by the run while it builds its world' };
      },
    },
    {
      id: 'self',
      label: 'the user named in the call (users group)',
      facts: { auth: 'user-key', admin: false, ownsTarget: true },
      credentials: (world) => world?.self ?? { unavailable: 'made by the run while it builds its world' },
    },
    { id: 'anonymous', label: 'no API key', facts: { auth: 'none', admin: false }, credentials: () => null },
    {
      id: 'invalid-key',
      label: 'an API key that matches nothing',
      facts: { auth: 'invalid-key', admin: false },
      credentials: (world) =>
        world ? { apikey: world.badKey } : { unavailable: 'made by the run while it builds its world' },
    },
  ];
}

export const identities = keyIdentities<OctoPrintWorld>();
