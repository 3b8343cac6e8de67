import type { OctoPrintForm } from '../../../src/protocols/octoprint/variants.js';
import { EXPECTED_JSON_TEXT } from '../../../src/protocols/octoprint/variants.js';
import type { HttpRequestData } from '../../../src/wire/http.js';
import { flaskError, flaskGetJson, type FlaskBody } from '../../../src/wire/rest.js';

/**
 * What the mock answers differently per release era (src/protocols/octoprint/variants.ts), where the
 * difference is one test in the request path rather than a branch in a handler.
 */

/**
 * 1.6–1.8 tested the Content-Type themselves before get_json(): 400 "Expected content-type JSON"; from 1.9
 * Flask's own 415. The rest of get_json() (bad bytes, bad JSON) is the same.
 */
export function eraGetJson(form: OctoPrintForm, request: HttpRequestData): FlaskBody {
  const body = flaskGetJson(request);
  if (form.notJson415 || body.ok || body.problem !== 'content-type') return body;
  return { ok: false, response: flaskError(400, EXPECTED_JSON_TEXT), problem: 'content-type' };
}
