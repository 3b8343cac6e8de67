import { allow, deny, type AccessRule, type Decision, type IdentityFacts } from '../../spec/access.js';
import type { Expectation } from '../../spec/expectation.js';
import { errorIs, errorMatches, failed, status, type ValidationErrors } from '../../wire/rhodecode.js';
import { show } from '../../spec/show.js';
import type { Kind, RhodeCodeWorld } from './world.js';

/**
 * Who may call what (rhodecode.md §1.3, §4). Every failure is HTTP 200 with `result: null` (must: the docs
 * say "All responses from API will be with HTTP/1.0 200 OK"); the exact wording is quirk-level where the
 * docs are silent. Object permissions are decided per relation: an identity is `plain` to an object (the
 * default user's permission, copied into every new object), was `granted` admin on it, or is its `owner`.
 */
export type Relation = 'plain' | 'granted' | 'owner';

export interface RhodeCodeFacts {
  readonly auth: 'none' | 'invalid' | 'token';
  readonly superAdmin?: boolean;
  /** How this identity stands to the objects the run makes for it. */
  readonly relation?: Relation;
}

type Identity = IdentityFacts<RhodeCodeFacts>;
type Rule = AccessRule<RhodeCodeWorld, RhodeCodeFacts>;

/** Permission weights (Permission.PERM_WEIGHTS): none 0, read 1, write 3, admin 4. */
export const WEIGHT: Readonly<Record<string, number>> = { none: 0, read: 1, write: 3, admin: 4 };

export function weightOf(perm: string): number {
  return WEIGHT[perm.split('.').pop() ?? ''] ?? 0;
}

/** An error reply: HTTP 200, an error and no result (must), worded exactly so at `level`. */
export function refusal(
  error: string | ValidationErrors,
  level: 'must' | 'should' | 'quirk' = 'quirk',
  explain?: (got: unknown) => string | undefined,
): Expectation {
  return [
    status(200),
    failed('must', explain ? (r) => (r['error'] === null ? explain(r['result']) : undefined) : undefined),
    errorIs(error, level),
  ];
}

export function refusalMatching(
  pattern: RegExp,
  says: string,
  level: 'must' | 'should' | 'quirk' = 'quirk',
): Expectation {
  return [status(200), failed('must'), errorMatches(pattern, says, level)];
}

/**
 * A validation error (an object, field → message). Refusing bad input is good practice (should: the seed's
 * 4.3 did not validate at all); the exact object is the 4.27 server's (quirk, rhodecode.md §3, §5.2).
 */
export function invalidInput(errors: ValidationErrors): Expectation {
  return [
    status(200),
    failed('should', (r) =>
      r['error'] === null
        ? 'the input was accepted: RhodeCode before 4.8 (the seed\'s 4.3) did not validate it, 4.8+ refuses it with a validation object such as {"username": "..."} (rhodecode.md §3, §5.2)'
        : undefined,
    ),
    errorIs(errors, 'quirk', (got) =>
      typeof got === 'string'
        ? 'a validation error is an object, field name → message, not a string (rhodecode.md §1.2)'
        : undefined,
    ),
  ];
}

export const NO_TOKEN = refusal("Incorrect JSON data. Missing 'api_key or auth_token'");
export const BAD_TOKEN = refusal('Invalid API KEY');
/** JSONRPCForbidden (§1.2). The seed says "admin rights to the specified repository"; 4.27 wants super-admin. */
export const FORBIDDEN = refusal(
  'Access was denied to this resource.',
  'quirk',
  () =>
    'the call succeeded for a user who is not super-admin: the seed (r618) says these need "an authtoken with admin rights to the specified repository", but RhodeCode 4.27 requires super-admin (hg.admin) and refuses everyone else with "Access was denied to this resource." (rhodecode.md §5.1)',
);
export const NOT_YOURS = refusal('userid is not the same as your user');

const HIDDEN_PATTERNS: Readonly<Record<Kind, RegExp>> = {
  usergroup: /^user group `.+` does not exist$/,
  repo: /^repository `.+` does not exist$/,
  repogroup: /^repository group `.+` does not exist$/,
};
const KIND_WORDS: Readonly<Record<Kind, string>> = {
  usergroup: 'user group',
  repo: 'repository',
  repogroup: 'repository group',
};

/** The "does not exist" answer that hides an object from a caller without the permission (§1.2). */
export function hidden(kind: Kind, prefix = ''): Expectation {
  const pattern =
    prefix === '' ? HIDDEN_PATTERNS[kind] : new RegExp(`^${prefix}${HIDDEN_PATTERNS[kind].source.slice(1)}`);
  return [
    ...refusalMatching(pattern, `error "${prefix}${KIND_WORDS[kind]} \`<id>\` does not exist" (the object is hidden)`),
    // Hiding is the point: an answer that admits the object exists ("Access was denied...") reveals it.
    errorMatches(/does not exist/, 'an error that says the object does not exist (not that access was denied)', 'must'),
  ];
}

function authenticated(identity: Identity): Decision | undefined {
  if (identity.facts.auth === 'none') return deny('no token in the request', NO_TOKEN);
  if (identity.facts.auth === 'invalid') return deny('a token that does not exist', BAD_TOKEN);
  return undefined;
}

/** The identity's permission on an object made for it, as a weight. */
export function weightOn(
  identity: Identity,
  kind: Kind,
  world: RhodeCodeWorld,
  relation = identity.facts.relation ?? 'plain',
): number {
  if (identity.facts.superAdmin || relation !== 'plain') return WEIGHT['admin'] ?? 4;
  return world.defaults[kind];
}

export const superAdminOnly: Rule = {
  term: 'super-admin',
  see: 'rhodecode.md §4.1',
  decide(identity) {
    return authenticated(identity) ?? (identity.facts.superAdmin ? allow : deny('not a super-admin', FORBIDDEN));
  },
};

/** get_user, get_user_locks: a non-super-admin may only name their own integer id; the valid call names another user. */
export const selfOrSuperAdmin: Rule = {
  term: 'self (own integer id) or super-admin',
  see: 'rhodecode.md §4.1',
  decide(identity) {
    return (
      authenticated(identity) ?? (identity.facts.superAdmin ? allow : deny("the userid is someone else's", NOT_YOURS))
    );
  },
};

export const anyToken: Rule = {
  term: 'any valid API token',
  see: 'rhodecode.md §4.2',
  decide: (identity) => authenticated(identity) ?? allow,
};

/** A global permission (hg.usergroup.create.true...) or super-admin; others get Forbidden or a validation error. */
export function globalPermission(
  term: string,
  has: (world: RhodeCodeWorld) => boolean,
  denial: Expectation,
  see: string,
): Rule {
  return {
    term,
    see,
    decide(identity, world) {
      return authenticated(identity) ?? (identity.facts.superAdmin || has(world) ? allow : deny(`no ${term}`, denial));
    },
  };
}

/**
 * A permission on an object made for the caller: at least `min` (read or admin), else the hidden answer.
 * `then` adds checks that come after this one (read on a second object, say).
 */
export function onObject(
  kind: Kind,
  min: 'read' | 'write' | 'admin',
  options: { prefix?: string; then?: (identity: Identity, world: RhodeCodeWorld) => Decision | undefined } = {},
): Rule {
  return {
    term: `${KIND_WORDS[kind]} ${min}`,
    see: 'rhodecode.md §4',
    decide(identity, world) {
      const unauth = authenticated(identity);
      if (unauth) return unauth;
      if (weightOn(identity, kind, world) < (WEIGHT[min] ?? 0))
        return deny(`below ${kind}.${min} on the object`, hidden(kind, options.prefix));
      return options.then?.(identity, world) ?? allow;
    },
  };
}

/** After the first check: at least read on the world's plain user group (a second object, not made for the caller). */
export function readsWorldGroup(identity: Identity, world: RhodeCodeWorld): Decision | undefined {
  if (identity.facts.superAdmin) return undefined;
  return world.defaults.usergroup >= (WEIGHT['read'] ?? 1)
    ? undefined
    : deny('no read on the user group named', hidden('usergroup'));
}

export { show };
