import { defineProtocol } from '../../spec/protocol.js';
import type { OctoPrintFacts } from '../octoprint/access.js';
import { binding13, endpoint } from './binding.js';
import { credentialPositions, OCTOPRINT_KEYS } from './credentials.js';
import type { OctoPrintMethod } from './define.js';
import { envelopeCases13 } from './envelope.js';
import { exportFacts13 } from './export-facts.js';
import { identities13 } from './identities.js';
import { methods13 } from './methods/index.js';
import { paramsPolicy13 } from './params-policy.js';
import { preflight13 } from './preflight.js';
import { scenarios13 } from './scenarios/index.js';
import { sources } from './sources.js';
import { variants13 } from './variants.js';
import { buildWorld13, user13Resource, type World13 } from './world.js';

/** OctoPrint 1.3.x: the legacy /api/users API and its role model (reference/octoprint.md §2.4, §4.4). */
export const octoprint13 = defineProtocol<World13, OctoPrintFacts, OctoPrintMethod<World13>>({
  id: 'octoprint-1.3',
  title: 'OctoPrint 1.3 users API',
  reference: 'reference/octoprint.md',
  sources,
  endpoint,
  binding: binding13,
  variants: variants13,
  given: OCTOPRINT_KEYS,
  credentialPositions,
  methods: methods13,
  identities: identities13,
  arrangers: ['admin', 'global'],
  world: buildWorld13,
  resources: [user13Resource],
  params: paramsPolicy13,
  envelope: envelopeCases13,
  scenarios: scenarios13,
  preflight: preflight13,
  bench: {
    read: { identity: 'admin', method: 'users.list', params: {} },
    otherRead: { identity: 'admin', method: 'users.get', params: { name: 'admin' }, of: 'one' },
    // Not users.add: it answers with every user (octoprint.md §4.4), a reply that grows with each create.
    write: {
      identity: 'admin',
      method: 'users.saveSettings',
      params: (seq) => ({ name: 'admin', settings: { accord_bench: `accord_bench00_note_${seq}` } }),
    },
    seedUser: (i) => ({ name: `accord_bench00_grown_${i}`, password: 'grown-secret' }),
  },
  skips: [],
  // Flask serves from a thread pool and the file-based user manager rewrites its YAML without a lock:
  // overlapping writes are lost on a real server (24 parallel deletes all answered 200; 9 users remained).
  concurrency: 1,
  exportAs: exportFacts13,
});
