import { allow, deny, type AccessRule, type Decision, type IdentityFacts } from '../../spec/access.js';
import { facet, type Expectation } from '../../spec/expectation.js';
import { errorEnvelope, errorIs, errorTextOf, status, statusIn, WERKZEUG_TEXT } from '../../wire/rest.js';
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
export const FORBIDDEN: Expectation = [status(403, 'must'), errorEnvelope('should'), errorIs(FORBIDDEN_TEXT, 'quirk')];

/** A write without a valid API key fails the CSRF check, which runs before any permission check. */
export const CSRF_FAILED: Expectation = [
  statusIn([400, 403], 'must', 'refused'),
  status(400, 'quirk', (o) =>
    o.transport === 'http' && o.status === 403
      ? 'a write without a valid API key is refused by the CSRF check first: OctoPrint answers 400 "CSRF validation failed", not 403 (octoprint.md §2.2 step 1)'
      : undefined,
  ),
  errorIs('CSRF validation failed', 'quirk'),
];

const anonymousLike = (identity: Identity) => identity.facts.auth === 'none' || identity.facts.auth === 'invalid-key';

/** 1.4–1.10: loginFromApiKeyRequestHandler aborts a key that matches nothing with 403 "Invalid API key". */
export const INVALID_API_KEY_TEXT = 'Invalid API key';
const UNKNOWN_KEY_READ = perEra((form): Expectation =>
  form.refusesUnknownKeys
    ? [status(403, 'must'), errorEnvelope('should'), errorIs(INVALID_API_KEY_TEXT, 'quirk')]
    : FORBIDDEN,
);

function unauthenticated(identity: Identity, verb: Verb, world: OctoPrintWorld | undefined): Decision | undefined {
  if (!anonymousLike(identity)) return undefined;
  const who = identity.facts.auth === 'none' ? 'no API key' : 'an API key that matches nothing (anonymous)';
  if (verb !== 'GET') return deny(`${who}: a write without an API key fails the CSRF check`, CSRF_FAILED);
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
    if (o.status === 403 && errorTextOf(o) === 'Invalid API key') return null;
    return `got HTTP ${o.status}${errorTextOf(o) === undefined ? '' : ` "${errorTextOf(o)}"`}`;
  }),
];
const INVALID_KEY_ON_OPEN_ENDPOINT_EXACT = perEra((form): Expectation => [
  ...INVALID_KEY_ON_OPEN_ENDPOINT,
  ...(form.refusesUnknownKeys
    ? [status(403, 'quirk'), errorIs(INVALID_API_KEY_TEXT, 'quirk')]
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

/** `@Permissions.STATUS.require(403)` (GET /api/version): every user group but guests holds STATUS. */
export const statusHolders: Rule = {
  term: 'STATUS',
  see: 'octoprint.md §3.4',
  decide: (identity, world) => unauthenticated(identity, 'GET', world) ?? allow,
};
