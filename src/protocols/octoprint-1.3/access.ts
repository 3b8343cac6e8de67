import { allow, deny, type AccessRule, type IdentityFacts } from '../../spec/access.js';
import type { Expectation } from '../../spec/expectation.js';
import { bodyIncludes, bodyText, contentType, status } from '../../wire/rest.js';
import type { OctoPrintFacts } from '../octoprint/access.js';
import type { World13 } from './world.js';

/**
 * Who may call what on OctoPrint 1.3 (octoprint.md §2.4, §4.4): every route needs a login
 * (`@restricted_access`), so an anonymous caller (no key, or a key that matches nothing or an inactive
 * user) always gets Flask-Login's HTML 403; admin routes add `admin_permission.require(403)` (HTML 403);
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
/** `make_response("Forbidden", 403)`. */
export const TEXT_FORBIDDEN: Expectation = [status(403, 'must'), bodyText('Forbidden', 'quirk')];

const anonymous = (i: IdentityFacts<OctoPrintFacts>) => i.facts.auth === 'none' || i.facts.auth === 'invalid-key';

export const admin13: Rule = {
  term: 'admin role',
  see: SEE,
  decide: (i) =>
    anonymous(i)
      ? deny('not logged in: Flask-Login refuses', HTML_FORBIDDEN)
      : i.facts.admin
        ? allow
        : deny('no admin role', HTML_FORBIDDEN),
};

/** Self or admin; `denial` is what another user gets from the handler itself. */
export function selfOrAdmin13(denial: Expectation): Rule {
  return {
    term: 'the user themselves or the admin role',
    see: SEE,
    decide: (i) =>
      anonymous(i)
        ? deny('not logged in: Flask-Login refuses', HTML_FORBIDDEN)
        : i.facts.admin || i.facts.ownsTarget
          ? allow
          : deny('another user, no admin role', denial),
  };
}
