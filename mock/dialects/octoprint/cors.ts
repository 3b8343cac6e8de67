import type { HttpRequestData, HttpResponseData } from '../../../src/wire/http.js';
import { flaskError } from '../../../src/wire/rest.js';

/**
 * OctoPrint's CORS handling with `api.allowCrossOrigin: true` (octoprint/server/util/__init__.py, 1.11.8:
 * corsRequestHandler, corsResponseHandler, optionsAllowOrigin), hooked on the API blueprint only: a route
 * that matched under /api. Off (the default), OPTIONS gets Flask's automatic answer (200, `Allow:` only)
 * and no response carries Access-Control-* headers, so a page on another origin is blocked.
 */

/** The preflight: Flask's default OPTIONS response plus the origin, the method and the headers asked for. */
export function corsPreflight(request: HttpRequestData, allowed: readonly string[]): HttpResponseData {
  const origin = request.headers['origin'];
  const method = request.headers['access-control-request-method'];
  // request.headers["Origin"] without one raises Werkzeug's BadRequestKeyError: 400.
  if (origin === undefined || method === undefined) return flaskError(400);
  const asked = request.headers['access-control-request-headers'];
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      allow: allowed.join(', '),
      'access-control-allow-origin': origin,
      'access-control-allow-methods': method,
      'access-control-max-age': '10',
      ...(asked !== undefined ? { 'access-control-allow-headers': asked } : {}),
    },
    body: '',
  };
}

/** After any other request with an Origin header: that origin is allowed (no credentials header). */
export function withAllowOrigin(request: HttpRequestData, response: HttpResponseData): HttpResponseData {
  const origin = request.headers['origin'];
  if (request.method === 'OPTIONS' || origin === undefined) return response;
  return { ...response, headers: { ...response.headers, 'access-control-allow-origin': origin } };
}
