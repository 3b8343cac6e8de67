import { flaskReply } from '../../wire/rest.js';
import { apiKeyBinding } from '../octoprint/binding.js';
import { routesOf } from './define.js';
import { methods13 } from './methods/index.js';

/**
 * 1.3 is reached as every OctoPrint is (../octoprint/binding.ts: REST under /api, the API key in X-Api-Key or
 * `?apikey=`); only its routes and its replies differ: errors come as text or HTML pages (octoprint.md §1, §4.4).
 */
export { endpoint, type RawRestRequest } from '../octoprint/binding.js';

/** Any answer of a 1.3 server: one of Flask's usual statuses, JSON or text. */
export const anyReply13 = flaskReply([200, 400, 401, 403, 404, 405, 409, 500], 'json-or-text');

export const binding13 = apiKeyBinding(routesOf(methods13), [anyReply13]);
