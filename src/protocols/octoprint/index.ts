import { credentialPositions, OCTOPRINT_KEYS } from './credentials.js';
import { defineProtocol } from '../../spec/protocol.js';
import { eraReply } from './era-facets.js';
import type { OctoPrintFacts } from './access.js';
import { apiKeyBinding, endpoint } from './binding.js';
import { sources } from './sources.js';
import { routesOf, type OctoPrintMethod } from './define.js';
import { envelopeCases } from './envelope.js';
import { identities } from './identities.js';
import { methods } from './methods/index.js';
import { paramsPolicy } from './params-policy.js';
import { preflight } from './preflight.js';
import { scenarios } from './scenarios/index.js';
import { buildWorld, groupResource, userResource, type OctoPrintWorld } from './world.js';
import { exportFacts } from './export-facts.js';
import { variants } from './variants.js';

/** OctoPrint 1.4–1.11: the access API under /api/access (reference/octoprint.md, 1.11.8). */
export const octoprint = defineProtocol<OctoPrintWorld, OctoPrintFacts, OctoPrintMethod<OctoPrintWorld>>({
  id: 'octoprint',
  title: 'OctoPrint 1.11 access API',
  reference: 'reference/octoprint.md',
  sources,
  // 1.6+: every error under /api is Flask's JSON {"error": text} (1.4–1.5: text or HTML); legacy routes answer 307 (octoprint.md §1, §4.4).
  endpoint,
  binding: apiKeyBinding(routesOf(methods), [eraReply([200, 307, 400, 403, 404, 405, 409, 415, 500])]),
  given: OCTOPRINT_KEYS,
  credentialPositions,
  methods,
  identities,
  arrangers: ['admin', 'global'],
  world: buildWorld,
  resources: [userResource, groupResource],
  params: paramsPolicy,
  envelope: envelopeCases,
  scenarios,
  preflight,
  bench: {
    read: { identity: 'admin', method: 'access.users.list', params: {} },
    otherRead: { identity: 'admin', method: 'access.users.get', params: { name: 'admin' }, of: 'one' },
    // Not access.users.add: it answers with every user (octoprint.md §4.3), so a load of creates measures a
    // reply that grows with each one. Saving the admin's (the mock's `admin`) settings writes just as well.
    write: {
      identity: 'admin',
      method: 'access.users.saveSettings',
      params: (seq) => ({ name: 'admin', settings: { accord_bench: `accord_bench00_note_${seq}` } }),
    },
    seedUser: (i) => ({ name: `accord_bench00_grown_${i}`, password: 'grown-secret', groups: ['users'] }),
  },
  skips: [],
  // Flask runs in a thread pool and the file-based user and group managers rewrite and reload their YAML
  // without a lock: concurrent writes lose updates (README of ../shared/real/octoprint). One request at a time.
  concurrency: 1,
  exportAs: exportFacts,
  variants,
});
