import { defineProtocol } from '../../spec/protocol.js';
import { variants } from './variants.js';
import { credentialPositions } from './credentials.js';
import type { NymeaFacts } from './access.js';
import { binding, endpoint } from './binding.js';
import { sources } from './sources.js';
import { EMBEDDED_MOCK } from './embedded-mock.js';
import { envelopeCases } from './envelope.js';
import { identities } from './identities.js';
import { methods } from './methods/index.js';
import { paramsPolicy } from './params-policy.js';
import { scenarios } from './scenarios/index.js';
import { adminTokenResource, buildWorld, userResource, type NymeaWorld } from './world.js';
import { preflight } from './preflight.js';
import { exportFacts } from './export-facts.js';

/**
 * nymea: the Users namespace and the JSONRPC methods it depends on, with their notifications, over TCP
 * and WebSocket (reference/nymea.md, reference/nymea-users-api.json: nymea 1.15.2, JSON-RPC 9.0).
 */
export const nymea = defineProtocol<NymeaWorld, NymeaFacts>({
  id: 'nymea',
  title: 'nymea JSON-RPC (Users)',
  reference: 'reference/nymea.md',
  sources,
  binding,
  endpoint,
  given: [
    {
      key: 'admin',
      flag: 'admin',
      value: 'USER:PASS',
      help: 'nymea: a user with PermissionScopeAdmin',
      serve: 'nymea: start with this admin user instead of the initial setup',
      kind: 'user-pass',
      secret: true,
    },
    {
      key: 'lockdownMs',
      flag: 'lockdown-ms',
      value: 'MS',
      help: "nymea: how long to wait after a failed login for the server's lockdown to end (default 3500)",
      serve: 'nymea: the lockdown after a failed login, in ms (default 3000, as nymea)',
      kind: 'string',
      secret: false,
    },
    {
      key: 'handshakeTimeoutMs',
      flag: 'handshake-timeout-ms',
      value: 'MS',
      help: 'nymea: how long the server lets a connection wait before Hello (the limit to expect)',
      serve: 'nymea: how long a connection may wait before Hello, in ms (default 10000)',
      kind: 'string',
      secret: false,
    },
  ],
  credentialPositions,
  methods,
  identities,
  arrangers: ['admin'],
  world: buildWorld,
  resources: [userResource, adminTokenResource],
  params: paramsPolicy,
  envelope: envelopeCases,
  scenarios,
  skips: [],
  bench: {
    read: { identity: 'admin', method: 'Users.GetUsers', params: {} },
    otherRead: { identity: 'admin', method: 'Users.GetUserInfo', params: {}, of: 'one' },
    write: {
      identity: 'admin',
      method: 'Users.CreateUser',
      params: (seq) => ({ username: `accord_bench00_user_${seq}`, password: 'Bench-Pw-2024', scopes: [] }),
    },
    seedUser: (i) => ({
      username: `accord_bench00_grown_${i}`,
      password: 'Grown-Pw-2024',
      displayName: `Grown ${i}`,
      email: `grown${i}@example.org`,
      scopes: ['PermissionScopeControlThings'],
    }),
  },
  preflight,
  // The lockdown after a failed login is server-wide: checks of one run must not overlap.
  concurrency: 1,
  embeddedMock: EMBEDDED_MOCK,
  exportAs: exportFacts,
  variants,
});
