import { Type } from 'typebox';
import type { ExportFacts } from '../../spec/export-facts.js';
import { LEGACY } from './envelope.js';
import { NO_SUCH_USER } from './methods/users.js';

/**
 * Where an OctoPrint API key may travel (octoprint.md §2.1): the X-Api-Key header, the `apikey` query
 * parameter, or `Authorization: Bearer`. The global key (config.yaml api.key) travels the same ways.
 */
export const API_KEY_SCHEMES = {
  ApiKeyHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Api-Key',
    description: "a user's API key, or the global API key",
  },
  ApiKeyQuery: { type: 'apiKey', in: 'query', name: 'apikey', description: 'the same key as a query parameter' },
  Bearer: { type: 'http', scheme: 'bearer', description: 'the same key as `Authorization: Bearer KEY`' },
} as const;

/** What an OpenAPI document of OctoPrint 1.4–1.11 needs beyond the method declarations. */
export const exportFacts: ExportFacts = {
  version: '1.11.8',
  description:
    "OctoPrint's access control API (/api/access/permissions, groups, users) and GET /api/currentuser, " +
    'as OctoPrint 1.4–1.11 serve it. Every error under /api is Flask JSON {"error": text} (1.6+). ' +
    'Writes without a valid API key fail the CSRF check (400) before any permission check (octoprint.md §2.2).',
  openapi: {
    serverUrl: 'http://127.0.0.1:5000',
    securitySchemes: API_KEY_SCHEMES,
    errorBody: Type.Object({ error: Type.String() }, { description: 'OctoPrint 1.6+: every error under /api' }),
    legacyRoutes: LEGACY.map((r) => ({
      verb: r.verb,
      path: r.legacy.replace(NO_SUCH_USER, '{name}'),
      location: r.target.replace(NO_SUCH_USER, '{name}'),
      status: 307,
      description:
        'The pre-1.4 users API: answers 307 to the matching /api/access URL (path only, query dropped) before any credential ' +
        'check, so GETs redirect even without a key (octoprint.md §4.4).',
    })),
  },
};
