import { allow, deny, type AccessRule, type IdentityFacts } from '../../spec/access.js';
import type { Expectation } from '../../spec/expectation.js';
import { bodyIncludes, bodyText, contentType, status, statusIn } from '../../wire/rest.js';
import type { OctoPrintFacts } from '../octoprint/access.js';
import type { World13 } from './world.js';

/**
 * Who may call what on OctoPrint 1.3 (octoprint.md §2.4, §4.4): every route needs a login
 * (`@restricted_access`), but the API blueprint refuses a request without a key (403 "No API key provided")
 * or with one that logs nobody in (403 "Invalid API key") first; admin routes add
 * `admin_permission.require(403)` (HTML 403);
 * the self-or-admin routes answer another user with the text "Forbidden", except GET of a user (HTML).
 * No CSRF, no recent-credentials check, no Bearer tokens.
 */
type Rule = AccessRule<World13, OctoPrintFacts>;
const SEE = 'octoprint.md §2.4, §4.4';

/** `abort(403)` as Werkzeug 0.15 renders it. */
export const HTML_FORBIDDEN: Expectation = [
  status(403, 'must'),
  contentType(/^text\/html/, 'quirk'),
  bodyIncludes('<title>403 Forbidden</title>', 'quirk'),
];
/**
 * No key at all: the API blueprint's enforceApiKeyRequestHandler (server/util/__init__.py of 1.3.x) runs
 * before any login and answers make_response("No API key provided", 403); the first 1.3 releases sent 401
 * (their handler's code; OctoPrint issue #1736 shows 1.3.0's 401), 1.3.8 403 (issue #2706). 1.4.0 dropped it.
 */
export const NO_KEY_13: Expectation = [
  statusIn([401, 403], 'must', 'refused (403; the first 1.3 releases: 401)'),
  status(403, 'quirk'),
  contentType(/^text\/html/, 'quirk'),
  bodyText('No API key provided', 'quirk'),
];
/**
 * A key that logs nobody in (unknown, or an inactive user's): loginFromApiKeyRequestHandler's
 * make_response("Invalid API key", 403), before the route's own checks (1.3.x server/util/__init__.py).
 */
export const BAD_KEY_13: Expectation = [
  statusIn([401, 403], 'must', 'refused (403; the first 1.3 releases: 401)'),
  status(403, 'quirk'),
  contentType(/^text\/html/, 'quirk'),
  bodyText('Invalid API key', 'quirk'),
];
const unauthenticated13 = (i: IdentityFacts<OctoPrintFacts>) =>
  i.facts.auth === 'none'
    ? deny('no API key: enforceApiKeyRequestHandler refuses', NO_KEY_13)
    : deny('an API key that logs nobody in: loginFromApiKeyRequestHandler refuses', BAD_KEY_13);

/** `make_response("Forbidden", 403)`. */
export const TEXT_FORBIDDEN: Expectation = [status(403, 'must'), bodyText('Forbidden', 'quirk')];

const anonymous = (i: IdentityFacts<OctoPrintFacts>) => i.facts.auth === 'none' || i.facts.auth === 'invalid-key';

export const admin13: Rule = {
  term: 'admin role',
  see: SEE,
  decide: (i) => (anonymous(i) ? unauthenticated13(i) : i.facts.admin ? allow : deny('no admin role', HTML_FORBIDDEN)),
};

/** Self or admin; `denial` is what another user gets from the handler itself. */
export function selfOrAdmin13(denial: Expectation): Rule {
  return {
    term: 'the user themselves or the admin role',
    see: SEE,
    decide: (i) =>
      anonymous(i)
        ? unauthenticated13(i)
        : i.facts.admin || i.facts.ownsTarget
          ? allow
          : deny('another user, no admin role', denial),
  };
}
