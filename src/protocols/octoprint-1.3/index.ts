import { defineProtocol } from '../../spec/protocol.js';
import type { OctoPrintFacts } from '../octoprint/access.js';
import { apiKeyBinding } from '../octoprint/binding.js';
import { routesOf } from '../octoprint/define.js';
import { keyIdentities } from '../octoprint/identities.js';
import { OCTOPRINT_KEYS } from '../octoprint/index.js';
import { envelopeCases13 } from './envelope.js';
import { methods13 } from './methods.js';
import { paramsPolicy13 } from './params-policy.js';
import { scenarios13 } from './scenarios.js';
import { buildWorld13, user13Resource, type World13 } from './world.js';

/** OctoPrint 1.3.x: the legacy /api/users API and its role model (reference/octoprint.md §2.4, §4.4). */
export const octoprint13 = defineProtocol<World13, OctoPrintFacts>({
  id: 'octoprint-1.3',
  title: 'OctoPrint 1.3 users API',
  reference: 'reference/octoprint.md',
  binding: apiKeyBinding(routesOf(methods13)),
  given: OCTOPRINT_KEYS,
  methods: methods13,
  identities: keyIdentities<World13>(),
  arrangers: ['admin', 'global'],
  world: buildWorld13,
  resources: [user13Resource],
  params: paramsPolicy13,
  envelope: envelopeCases13,
  scenarios: scenarios13,
  skips: [],
});
