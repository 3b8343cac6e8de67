import { allow, deny, type AccessRule, type Decision, type IdentityFacts } from '../../spec/access.js';
import { facet, type Expectation } from '../../spec/expectation.js';
import { errorTextOf, status, statusIn, WERKZEUG_TEXT } from '../../wire/rest.js';
import { apiError, eraFacet, eraStatus, errorSays, errorTextTest } from './era-facets.js';
import { variantFacets } from '../../spec/variant.js';
import { DEFAULT_ERA, perEra } from './variants.js';
import type { OctoPrintWorld } from './world.js';

/**
 * Who may call what on OctoPrint 1.11 (octoprint.md §2.1, §2.2), in its own terms:
 * - an API key (X-Api-Key, `apikey` query parameter, `Authorization: Bearer`) that matches nothing is no
 *   key at all: the caller is anonymous, in the `guests` group, whose permission list is empty;
 * - gates in order: CSRF on every write that does not come with a valid API key (400), recent credentials
 *   (API keys always count as recent), the ADMIN permission (403), then the handler's self-or-ADMIN test;
 * - the global API key acts as the pseudo-user `_api` with groups admins and users.
 */
export interface OctoPrintFacts {
  readonly auth: 'none' | 'invalid-key' | 'user-key' | 'global-key';
  /** Holds the ADMIN permission (admins group, or ADMIN given directly). */
  readonly admin: boolean;
  /** The valid calls of self-or-ADMIN methods name this identity's own user. */
  readonly ownsTarget?: boolean;
}

type Identity = IdentityFacts<OctoPrintFacts>;
type Rule = AccessRule<OctoPrintWorld, OctoPrintFacts>;
export type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const SEE_GATES = 'octoprint.md §2.2';

export const FORBIDDEN_TEXT = WERKZEUG_TEXT[403] as string;
export const REAUTH_TEXT = 'Please reauthenticate with your credentials';

/** `abort(403)`: the default Werkzeug text in OctoPrint's JSON error envelope. */
export const FORBIDDEN: Expectation = [status(403, 'must'), apiError('should'), errorSays(FORBIDDEN_TEXT, 'quirk')];

export const CSRF_TEXT = 'CSRF validation failed';

/**
 * A write without a valid API key: from 1.8.3 the CSRF check runs before any permission check (400); 1.4–1.8.2
 * have no CSRF check, so the permission check refuses it (403; server/util/__init__.py csrfRequestHandler is
 * 1.8.3's, octoprint.md §0).
 */
export const CSRF_FAILED: Expectation = [
  statusIn([400, 403], 'must', 'refused'),
  eraStatus(
    'quirk',
    'HTTP 400 (the CSRF check, 1.8.3+), 403 before 1.8.3',
    (form) => (form.csrf ? 400 : 403),
    (o) =>
      o.transport === 'http' && o.status === 403
        ? 'a write without a valid API key is refused by the CSRF check first: OctoPrint 1.8.3+ answers 400 "CSRF validation failed", not 403 (octoprint.md §2.2 step 1)'
        : undefined,
  ),
  eraFacet('quirk', `error "${CSRF_TEXT}" (1.8.3+), Forbidden before`, (form) =>
    errorTextTest(form, form.csrf ? CSRF_TEXT : FORBIDDEN_TEXT),
  ),
];

const anonymousLike = (identity: Identity) => identity.facts.auth === 'none' || identity.facts.auth === 'invalid-key';

/** 1.4–1.10: loginFromApiKeyRequestHandler aborts a key that matches nothing with 403 "Invalid API key". */
export const INVALID_API_KEY_TEXT = 'Invalid API key';
const UNKNOWN_KEY_READ = perEra((form): Expectation =>
  form.refusesUnknownKeys
    ? [status(403, 'must'), apiError('should'), errorSays(INVALID_API_KEY_TEXT, 'quirk')]
    : FORBIDDEN,
);

/** 1.4–1.10: the key check runs before the CSRF check (api.before_request order), so a write gets it too. */
const UNKNOWN_KEY_WRITE = perEra((form): Expectation =>
  form.refusesUnknownKeys
    ? [statusIn([400, 403], 'must', 'refused'), status(403, 'quirk'), errorSays(INVALID_API_KEY_TEXT, 'quirk')]
    : CSRF_FAILED,
);

function unauthenticated(identity: Identity, verb: Verb, world: OctoPrintWorld | undefined): Decision | undefined {
  if (!anonymousLike(identity)) return undefined;
  const who = identity.facts.auth === 'none' ? 'no API key' : 'an API key that matches nothing (anonymous)';
  if (verb !== 'GET' && identity.facts.auth === 'invalid-key')
    return deny(
      `${who}: 1.4–1.10 refuse the key ("Invalid API key"), 1.11 fails the write on the CSRF check`,
      variantFacets(UNKNOWN_KEY_WRITE, eraOf(world)),
    );
  if (verb !== 'GET') return deny(`${who}: a write without an API key fails the CSRF check (1.8.3+)`, CSRF_FAILED);
  if (identity.facts.auth === 'none') return deny(`${who}: guests have no permissions`, FORBIDDEN);
  return deny(
    `${who}: guests have no permissions (1.4–1.10: "Invalid API key")`,
    variantFacets(UNKNOWN_KEY_READ, eraOf(world)),
  );
}

/** A GET with a key that no longer matches anything (deleted user, rotated key): the era's refusal. */
export function unknownKeyRead(variant: string): Expectation {
  return variantFacets(UNKNOWN_KEY_READ, variant);
}

const eraOf = (world: OctoPrintWorld | undefined) => world?.variant ?? DEFAULT_ERA;

/**
 * A key that matches nothing where no permission is needed: 1.11 treats it as no key (anonymous, so the
 * call succeeds); 1.4–1.10 registered loginFromApiKeyRequestHandler on the API, which aborts with 403
 * "Invalid API key" first. Either is OctoPrint; the 1.11 answer is the quirk.
 */
const INVALID_KEY_ON_OPEN_ENDPOINT: Expectation = [
  facet('must', 'answered as anonymous (1.11: HTTP 200), or 403 "Invalid API key" (1.4–1.10)', (o) => {
    if (o.transport !== 'http') return o.transport === 'none' ? o.error : 'not an HTTP reply';
    if (o.status === 200) return null;
    // 1.6+ as JSON; 1.4–1.5 as Werkzeug's HTML page (abort(403, "Invalid API key"), no JSON handler yet).
    if (o.status === 403 && (errorTextOf(o) === 'Invalid API key' || o.text.includes('<p>Invalid API key</p>')))
      return null;
    return `got HTTP ${o.status}${errorTextOf(o) === undefined ? '' : ` "${errorTextOf(o)}"`}`;
  }),
];
const INVALID_KEY_ON_OPEN_ENDPOINT_EXACT = perEra((form): Expectation => [
  ...INVALID_KEY_ON_OPEN_ENDPOINT,
  ...(form.refusesUnknownKeys
    ? [status(403, 'quirk'), errorSays(INVALID_API_KEY_TEXT, 'quirk')]
    : [
        status(200, 'quirk', (o) =>
          o.transport === 'http' && o.status === 403
            ? 'OctoPrint up to 1.10 refused unknown API keys; 1.11 treats them as no key (octoprint.md §2.1)'
            : undefined,
        ),
      ]),
]);

/** `GET /api/access/permissions`: no decorators at all (§4.1). */
export const anyone: Rule = {
  term: 'anyone (no checks)',
  see: 'octoprint.md §4.1',
  decide: (identity, world) =>
    identity.facts.auth === 'invalid-key'
      ? deny(
          'an API key that matches nothing: anonymous in 1.11, refused by 1.4–1.10',
          variantFacets(INVALID_KEY_ON_OPEN_ENDPOINT_EXACT, eraOf(world)),
        )
      : allow,
};

/** `@Permissions.ADMIN.require(403)`, behind the CSRF and recent-credentials gates. */
export function adminOnly(verb: Verb): Rule {
  return {
    term: verb === 'GET' ? 'ADMIN' : 'recent credentials + ADMIN',
    see: SEE_GATES,
    decide(identity, world) {
      return unauthenticated(identity, verb, world) ?? (identity.facts.admin ? allow : deny('not ADMIN', FORBIDDEN));
    },
  };
}

/** The handler's own test: the user named in the path is the caller, or the caller has ADMIN (§4.3). */
export function selfOrAdmin(verb: Verb): Rule {
  return {
    term: 'the user themselves or ADMIN',
    see: 'octoprint.md §4.3',
    decide(identity, world) {
      const refused = unauthenticated(identity, verb, world);
      if (refused) return refused;
      if (identity.facts.admin) return allow;
      return identity.facts.ownsTarget ? allow : deny('another user, not ADMIN', FORBIDDEN);
    },
  };
}

/**
 * GET /api/version without a key: 1.4.0's apiVersion had no permission decorator and answered anyone
 * (OctoPrint issue #3492, "version api returns 200 OK without any x-api-key", 1.4.0); later releases
 * `@Permissions.STATUS.require(403)` (server/api/__init__.py). Both are OctoPrint; 403 is the quirk.
 */
const VERSION_ANONYMOUS: Expectation = [
  statusIn([200, 403], 'must', 'answered (1.4.0) or refused (1.4.1+)'),
  status(403, 'quirk', (o) =>
    o.transport === 'http' && o.status === 200
      ? 'OctoPrint 1.4.0 answered GET /api/version without a key; later releases need STATUS, which guests lack'
      : undefined,
  ),
  errorSays(FORBIDDEN_TEXT, 'quirk'),
];

/** `@Permissions.STATUS.require(403)` (GET /api/version): every user group but guests holds STATUS. */
export const statusHolders: Rule = {
  term: 'STATUS',
  see: 'octoprint.md §3.4',
  decide: (identity, world) =>
    identity.facts.auth === 'none'
      ? deny('no API key: guests do not hold STATUS (1.4.0 did not ask)', VERSION_ANONYMOUS)
      : (unauthenticated(identity, 'GET', world) ?? allow),
};
