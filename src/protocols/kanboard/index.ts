import { defineProtocol } from '../../spec/protocol.js';
import { credentialPositions } from './credentials.js';
import { base64FromUtf8 } from '../../wire/text.js';
import type { KanboardFacts } from './access.js';
import { binding, endpoint } from './binding.js';
import { sources } from './sources.js';
import { envelopeCases } from './envelope.js';
import { identities } from './identities.js';
import { methods } from './methods/index.js';
import { paramsPolicy } from './params-policy.js';
import { preflight } from './preflight.js';
import { scenarios } from './scenarios/index.js';
import { variants } from './variants.js';
import { buildWorld, groupResource, projectResource, userResource, type KanboardWorld } from './world.js';
import { exportFacts } from './export-facts.js';

/** Kanboard: users, groups, group members and project permissions over JSON-RPC 2.0 (reference/kanboard.md). */
export const kanboard = defineProtocol<KanboardWorld, KanboardFacts>({
  id: 'kanboard',
  title: 'Kanboard JSON-RPC API',
  reference: 'reference/kanboard.md',
  sources,
  binding,
  endpoint,
  variants,
  given: [
    {
      key: 'appToken',
      flag: 'app-token',
      value: 'TOKEN',
      help: 'Kanboard application API token (settings.api_token)',
      serve: 'Kanboard: the application API token the mock accepts (default: a random one)',
      kind: 'string',
      secret: true,
      wireForms: (token) => [base64FromUtf8(`jsonrpc:${token}`)],
    },
    {
      key: 'admin',
      flag: 'admin',
      value: 'USER:PASS',
      help: 'a user with role app-admin',
      serve: 'Kanboard: an app-admin login the mock accepts (default admin/admin, as a fresh install)',
      kind: 'user-pass',
      secret: true,
    },
    {
      key: 'user',
      flag: 'user',
      value: 'USER:PASS',
      help: 'a user with role app-user (made by the run when absent)',
      kind: 'user-pass',
      secret: true,
    },
  ],
  credentialPositions,
  methods,
  identities,
  arrangers: ['app-api', 'app-admin'],
  world: buildWorld,
  resources: [userResource, groupResource, projectResource],
  params: paramsPolicy,
  envelope: envelopeCases,
  scenarios,
  bench: {
    read: { identity: 'app-admin', method: 'getAllUsers', params: {} },
    otherRead: { identity: 'app-admin', method: 'getUser', params: { user_id: 1 }, of: 'one' },
    write: {
      identity: 'app-admin',
      method: 'createUser',
      params: (seq) => ({ username: `accord_bench00_user_${seq}`, password: 'secret-123' }),
    },
    seedUser: (i) => ({
      username: `accord_bench00_grown_${i}`,
      password: 'secret-123',
      role: 'app-user',
      name: `Grown ${i}`,
      email: `grown${i}@example.org`,
    }),
  },
  preflight,
  skips: [
    {
      check: 'kanboard/*/params/wrong-type-*',
      reason: 'Kanboard never checks parameter types; PHP coerces them (kanboard.md §3 step 7)',
    },
  ],
  exportAs: exportFacts,
});
