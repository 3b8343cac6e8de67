import { defineProtocol } from '../../spec/protocol.js';
import { credentialPositions } from './credentials.js';
import type { RhodeCodeFacts } from './access.js';
import { binding, endpoint } from './binding.js';
import { sources } from './sources.js';
import { envelopeCases } from './envelope.js';
import { identities } from './identities.js';
import { methods } from './methods/index.js';
import { paramsPolicy } from './params-policy.js';
import { scenarios } from './scenarios/index.js';
import {
  buildWorld,
  repoGroupResource,
  repoResource,
  userGroupResource,
  userResource,
  type RhodeCodeWorld,
} from './world.js';
import { preflight } from './preflight.js';
import { exportFacts } from './export-facts.js';
import { variants } from './variants.js';

/** RhodeCode users, user groups and their permissions over its JSON-RPC API (reference/rhodecode.md, CE 4.27). */
export const rhodecode = defineProtocol<RhodeCodeWorld, RhodeCodeFacts>({
  id: 'rhodecode',
  title: 'RhodeCode JSON-RPC API (users, user groups, permissions)',
  reference: 'reference/rhodecode.md',
  sources,
  binding,
  endpoint,
  given: [
    {
      key: 'adminToken',
      flag: 'admin-token',
      value: 'TOKEN',
      help: 'RhodeCode: an API (or all) auth token of a super-admin',
      serve: 'RhodeCode: the API token of the super-admin admin (default: a random one)',
      kind: 'string',
      secret: true,
    },
    {
      key: 'userToken',
      flag: 'user-token',
      value: 'TOKEN',
      help: 'RhodeCode: an API (or all) auth token of a plain user (not super-admin)',
      serve: 'RhodeCode: the API token of the plain user developer (default: a random one)',
      kind: 'string',
      secret: true,
    },
  ],
  credentialPositions,
  methods,
  identities,
  arrangers: ['super-admin'],
  world: buildWorld,
  resources: [userResource, userGroupResource, repoResource, repoGroupResource],
  params: paramsPolicy,
  envelope: envelopeCases,
  scenarios,
  preflight,
  bench: {
    read: { identity: 'super-admin', method: 'get_user', params: {}, of: 'one' },
    otherRead: { identity: 'super-admin', method: 'get_users', params: {}, of: 'list' },
    write: {
      identity: 'super-admin',
      method: 'create_user',
      params: (seq) => ({ username: `accord_bench00_user_${seq}`, email: `accord_bench00_user_${seq}@example.com` }),
    },
    seedUser: (i) => ({
      username: `accord_bench00_grown_${i}`,
      email: `grown${i}@example.com`,
      firstname: 'Grown',
      lastname: `User ${i}`,
      tokens: [],
    }),
  },
  skips: [],
  exportAs: exportFacts,
  variants,
});
