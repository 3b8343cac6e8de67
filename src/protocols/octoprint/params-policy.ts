import type { ParamsPolicy } from '../../spec/protocol.js';
import { eraReply } from './era-facets.js';
import { pathTemplate } from '../../wire/rest-routes.js';
import type { OctoPrintFacts } from './access.js';
import { crashes, fails, type OctoPrintMethod } from './define.js';
import type { OctoPrintWorld } from './world.js';
import { byVariant, variantFacets } from '../../spec/variant.js';
import { status, statusIn } from '../../wire/rest.js';
import type { Expectation } from '../../spec/expectation.js';
import { atLeastEra, DEFAULT_ERA, ERAS, eraOfVersion } from './variants.js';

/** An era before the field's test: Python's KeyError, a 500 (should and must accept the 400 of later eras). */
function crashedOn(name: string, why: string): Expectation {
  return [
    statusIn([400, 500], 'should', `refused or crashed without ${name}`),
    status(500, 'quirk', (o) => (o.transport === 'http' && o.status === 400 ? why : undefined)),
  ];
}

/**
 * How OctoPrint treats request bodies (octoprint.md §4): the handler tests each required field with
 * `"field" not in data`, in order, and aborts with its own 400 text; unknown fields are never read; types
 * are never checked: lists are iterated (a number is not iterable: a TypeError, 500) and scalars are
 * stored or coerced as sent.
 */
export const paramsPolicy: ParamsPolicy<OctoPrintWorld, OctoPrintFacts, OctoPrintMethod<OctoPrintWorld>> = {
  missing(method, name, _rest, variant = DEFAULT_ERA) {
    const wire = method.wire;
    if (pathTemplate(wire.route.path).names.includes(name))
      return 'a path parameter: without it the request names another URL';
    const text = wire.missing?.[name];
    if (text === undefined) return `OctoPrint does not test for ${name}`;
    const since = wire.missingSince?.[name];
    if (since === undefined) return fails(400, text);
    const why = `OctoPrint tests for ${name} from ${since} on; earlier versions fail on a missing ${name} with a KeyError (500), octoprint.md §0`;
    // An era before `since` crashes (500): must holds for both, the exact status is the era's.
    const tested = fails(400, text, 'should', (o) => (o.transport === 'http' && o.status === 500 ? why : undefined));
    const first = eraOfVersion(since);
    // Each era before the field's test crashes; one form per era, so that a failure names the era seen.
    const forms = byVariant({
      default: tested,
      ...Object.fromEntries(
        Object.keys(ERAS).map((id) => [
          id,
          first !== undefined && !atLeastEra(id, first) ? crashedOn(name, why) : tested,
        ]),
      ),
    });
    return variantFacets(forms, variant);
  },
  extra(_method, params) {
    // Unknown body fields (and query parameters) are never read. The official JS client relies on it: it
    // sends `admin`, which 1.4+ ignores.
    return { params: { ...params, accord_extra: 1 }, asValid: 'should' };
  },
  // Garbage in a body field gets one of the app's usual answers, even a 500 (a TypeError), never a dropped connection.
  garbage: () => [GARBAGE],
  addressing: (method) => pathTemplate(method.wire.route.path).names,
  wrongType(method, name, value) {
    const wire = method.wire;
    if (pathTemplate(wire.route.path).names.includes(name)) return 'a path segment is always text';
    const schema = (method.params.properties as Record<string, { type?: unknown }>)[name];
    if (schema?.type === 'array' && typeof value === 'number')
      return crashes(`${name} is a number, which Python cannot iterate`);
    return 'OctoPrint never checks the type of a scalar field: it stores or coerces the value as sent (octoprint.md §4)';
  },
};

const GARBAGE = eraReply([200, 400, 403, 404, 405, 409, 415, 500]);
