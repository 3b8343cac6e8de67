import { Type } from 'typebox';
import { statusHolders } from '../access.js';
import { method, OK } from '../define.js';

/** `{api, server, text}`: the API version, the release, and both in words (octoprint.md §1). */
const Version = Type.Object({ api: Type.String(), server: Type.String(), text: Type.String() });

/** The release the server runs: how a run knows the variant it checks (variants.ts). */
export const serverVersion = method({
  name: 'server.version',
  group: 'session',
  summary: 'The API and server version (the release: the variant a run checks)',
  see: 'octoprint.md §0',
  wire: { route: { verb: 'GET', path: '/api/version' } },
  params: Type.Object({}),
  result: { must: Version, quirk: Type.Object(Version.properties, { additionalProperties: false }) },
  access: statusHolders,
  valid: () => ({}),
  succeeds: () => [...OK],
  errors: [],
  examples: [
    {
      source: 'src/octoprint/server/api/__init__.py apiVersion (1.11.8)',
      request: 'GET /api/version',
      response: { api: '0.1', server: '1.11.8', text: 'OctoPrint 1.11.8' },
    },
  ],
});
