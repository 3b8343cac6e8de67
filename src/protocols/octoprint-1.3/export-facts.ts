import { Type } from 'typebox';
import type { ExportFacts } from '../../spec/export-facts.js';
import { API_KEY_SCHEMES } from '../octoprint/export-facts.js';

/** OctoPrint 1.3's /api/users, for an OpenAPI document; its errors are text or Werkzeug HTML pages (§1, §4.4). */
export const exportFacts13: ExportFacts = {
  version: '1.3.12',
  description:
    "OctoPrint 1.3's users API (/api/users). Errors are plain text (make_response) or Werkzeug HTML pages (abort), " +
    'not JSON (octoprint.md §1, §4.4).',
  openapi: {
    serverUrl: 'http://127.0.0.1:5000',
    securitySchemes: { ApiKeyHeader: API_KEY_SCHEMES.ApiKeyHeader, ApiKeyQuery: API_KEY_SCHEMES.ApiKeyQuery },
    errorBody: Type.Object({ error: Type.String() }),
  },
};
