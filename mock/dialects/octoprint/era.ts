import type { OctoPrintForm } from '../../../src/protocols/octoprint/variants.js';
import { EXPECTED_JSON_TEXT, eraText } from '../../../src/protocols/octoprint/variants.js';
import type { HttpRequestData, HttpResponseData } from '../../../src/wire/http.js';
import {
  flaskError,
  flaskGetJson,
  flaskText,
  WERKZEUG_TEXT,
  werkzeugHtmlError,
  type FlaskBody,
} from '../../../src/wire/rest.js';

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

/** Texts OctoPrint 1.4–1.5 sent through abort() (Werkzeug's HTML page), not make_response. */
const ABORTED = new Set(['Invalid API key']);

/**
 * An error as the era sends it: 1.6+ the API's JSON {"error": text}; 1.4–1.5 (no JSON error handler yet)
 * make_response text for the handlers' own texts, Werkzeug's HTML page for abort() (octoprint.md §1, §4.4).
 * Texts are the 1.11 ones, worded as the era words them (variants.ts eraText).
 */
export function eraError(
  form: OctoPrintForm,
  status: number,
  description?: string,
  headers?: Readonly<Record<string, string>>,
): HttpResponseData {
  const text = description === undefined ? undefined : eraText(form, description);
  if (form.jsonErrors) return flaskError(status, text, headers);
  const page =
    text === undefined || text === WERKZEUG_TEXT[status] || ABORTED.has(text)
      ? werkzeugHtmlError(status, 'legacy', text)
      : flaskText(status, text);
  return headers ? { ...page, headers: { ...page.headers, ...headers } } : page;
}
