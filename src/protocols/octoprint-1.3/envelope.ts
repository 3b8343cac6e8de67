import type { EnvelopeCase } from '../../spec/protocol.js';
import { bodyIncludes, contentType, keysSorted, status } from '../../wire/rest.js';
import { NO_KEY_13 } from './access.js';
import type { RawRestRequest } from './binding.js';
import { atQuirk, html, text } from './define.js';

/** Hand-written requests against 1.3 (octoprint.md §1, §2.4, §4.4): bodies, keys, pretty-printing. */
const SEE = 'octoprint.md §4.4';
const post = (body: string, contentTypeHeader?: string): RawRestRequest => ({
  verb: 'POST',
  path: '/api/users',
  headers: contentTypeHeader === undefined ? {} : { 'content-type': contentTypeHeader },
  body,
});

export const envelopeCases13: readonly EnvelopeCase[] = [
  {
    id: 'response-json',
    says: 'replies are JSON',
    see: SEE,
    level: 'must',
    as: 'admin',
    request: { verb: 'GET', path: '/api/users' },
    expect: [status(200), contentType(/^application\/json\b/, 'must')],
  },
  {
    id: 'sorted-keys',
    says: 'object keys come sorted',
    see: SEE,
    level: 'quirk',
    as: 'admin',
    request: { verb: 'GET', path: '/api/users' },
    expect: [keysSorted('quirk')],
  },
  {
    id: 'pretty-unless-xhr',
    says: 'Flask 0.10 indents JSON by 2 unless the request says X-Requested-With: XMLHttpRequest',
    see: SEE,
    level: 'quirk',
    as: 'admin',
    request: { verb: 'GET', path: '/api/users' },
    expect: [bodyIncludes('{\n  "users": [', 'quirk')],
  },
  {
    id: 'compact-for-xhr',
    says: 'an XHR request (jQuery sends the header) gets JSON on one line',
    see: SEE,
    level: 'quirk',
    as: 'admin',
    request: { verb: 'GET', path: '/api/users', headers: { 'x-requested-with': 'XMLHttpRequest' } },
    expect: [bodyIncludes('{"users": [', 'quirk')],
  },
  {
    id: 'key-in-query',
    says: 'the key may travel as the apikey query parameter',
    see: 'octoprint.md §2.4',
    level: 'must',
    as: 'admin',
    request: { verb: 'GET', path: '/api/users', auth: 'query' } as RawRestRequest,
    expect: [status(200)],
  },
  {
    id: 'no-bearer',
    says: '1.3 does not read Authorization: Bearer: the request has no key',
    see: 'octoprint.md §2.4',
    level: 'quirk',
    as: 'admin',
    request: { verb: 'GET', path: '/api/users', auth: 'bearer' } as RawRestRequest,
    expect: atQuirk(NO_KEY_13),
  },
  {
    id: 'anonymous-write',
    says: 'a write without a key gets 403 "No API key provided" (no CSRF check in 1.3)',
    see: 'octoprint.md §2.4',
    level: 'must',
    request: post('{}', 'application/json'),
    expect: NO_KEY_13,
  },
  {
    id: 'text-plain',
    says: 'a body sent as text/plain gives 400 "Expected content-type JSON"',
    see: SEE,
    level: 'must',
    as: 'admin',
    request: post('{}', 'text/plain'),
    expect: text(400, 'Expected content-type JSON'),
  },
  {
    id: 'malformed-json',
    says: 'malformed JSON gives 400 "Malformed JSON body in request"',
    see: SEE,
    level: 'must',
    as: 'admin',
    request: post('{"name":', 'application/json'),
    expect: text(400, 'Malformed JSON body in request'),
  },
  {
    id: 'charset-accepted',
    says: 'application/json; charset=UTF-8 is JSON: missing fields are reported',
    see: SEE,
    level: 'must',
    as: 'admin',
    request: post('{}', 'application/json; charset=UTF-8'),
    expect: text(400, 'Missing mandatory name field'),
  },
  {
    id: 'unknown-user-page',
    says: 'an unknown user is an HTML 404 page',
    see: SEE,
    level: 'quirk',
    as: 'admin',
    request: { verb: 'GET', path: '/api/users/accord_nosuchuser_0000' },
    expect: atQuirk(html(404, 'Not Found')),
  },
];
