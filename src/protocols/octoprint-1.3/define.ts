import type { Expectation } from '../../spec/expectation.js';
import { methodsOf } from '../../spec/method.js';
import { bodyIncludes, bodyText, contentType, status } from '../../wire/rest.js';
import type { OctoPrintFacts } from '../octoprint/access.js';
import { withRoute, type Wire } from '../octoprint/define.js';
import type { World13 } from './world.js';

/**
 * How 1.3 declarations are written: as OctoPrint's (../octoprint/define.ts: a method and its wire part, the
 * route and the text each missing field gives), with 1.3's error forms: text from `make_response` and
 * Werkzeug 0.15 HTML pages from `abort` (octoprint.md §1, §4.4). What 1.3 shares is re-exported from there.
 */
export { atQuirk, documentedAs204, fieldsAre, isRow, listEntry, OK, routesOf, where } from '../octoprint/define.js';
export type { OctoPrintMethod, Wire } from '../octoprint/define.js';

/** How 1.3's methods are declared: as 1.4+'s (src/spec/method.ts: methodsOf), over 1.3's world. */
export const { method, errorCase } = methodsOf<World13, OctoPrintFacts, Wire>(withRoute);

/** `make_response(body, code)`: the status and the exact text. */
export const text = (code: number, body: string): Expectation => [status(code, 'must'), bodyText(body, 'quirk')];

/** `abort(code)`: Werkzeug's HTML page with its title. */
export const html = (code: number, title: string): Expectation => [
  status(code, 'must'),
  contentType(/^text\/html/, 'quirk'),
  bodyIncludes(`<title>${code} ${title}</title>`, 'quirk'),
];
