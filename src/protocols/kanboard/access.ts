import { allow, deny, type AccessRule, type Decision, type IdentityFacts } from '../../spec/access.js';
import type { Expectation } from '../../spec/expectation.js';
import { errorIs, header, idIs, status } from '../../wire/jsonrpc2.js';
import { APP_RANK, PROJECT_ROLE_RANK, type AppRole, type ProjectRole } from './records.js';
import type { KanboardWorld } from './world.js';

/**
 * Who may call what on Kanboard (kanboard.md §2, §4). Every request authenticates afresh: no credentials
 * or wrong ones give 401 before anything else (after the envelope check); the application API
 * (`jsonrpc` + token) may call everything except the user-specific procedures; users need an
 * application role, and for project-scoped procedures a project role, with no bypass for app-admin.
 */
export interface KanboardFacts {
  readonly auth: 'none' | 'invalid' | 'app' | 'user';
  readonly appRole?: AppRole;
}

const SEE_AUTH = 'kanboard.md §2';
const SEE_ROLES = 'kanboard.md §4';

/** HTTP 401, `WWW-Authenticate: Basic realm="JsonRPC"`, and an error object with id null. */
export const UNAUTHORIZED: Expectation = [
  status(401, 'must'),
  header('www-authenticate', /^Basic\b/i, 'should'),
  header('www-authenticate', 'Basic realm="JsonRPC"', 'quirk'),
  errorIs(401, 'Unauthorized', 'quirk'),
  idIs(null, 'quirk'),
];

/** HTTP 403 with the generic message; the reason is never sent. */
export const FORBIDDEN: Expectation = [status(403, 'must'), errorIs(403, 'Forbidden', 'quirk'), idIs(null, 'quirk')];

type Identity = IdentityFacts<KanboardFacts>;

function authenticated(identity: Identity): Decision | undefined {
  if (identity.facts.auth === 'none') return deny('no credentials', UNAUTHORIZED);
  if (identity.facts.auth === 'invalid') return deny('invalid credentials', UNAUTHORIZED);
  return undefined;
}

/** A procedure of UserProcedure, GroupProcedure... : the application API, or a user with at least `min`. */
export function appRole(min: AppRole): AccessRule<KanboardWorld, KanboardFacts> {
  return {
    term: min,
    see: SEE_ROLES,
    decide(identity) {
      const unauth = authenticated(identity);
      if (unauth) return unauth;
      if (identity.facts.auth === 'app') return allow;
      const role = identity.facts.appRole ?? 'app-user';
      return APP_RANK[role] >= APP_RANK[min] ? allow : deny(`${role} is below ${min}`, FORBIDDEN);
    },
  };
}

/** A project-scoped procedure on the world's project: the application API, or that project role at least. */
export function projectRole(min: ProjectRole): AccessRule<KanboardWorld, KanboardFacts> {
  return {
    term: min,
    see: SEE_ROLES,
    decide(identity, world) {
      const unauth = authenticated(identity);
      if (unauth) return unauth;
      if (identity.facts.auth === 'app') return allow;
      const role = world.projectRoles[identity.id];
      if (!role)
        return deny(
          identity.facts.appRole === 'app-admin'
            ? 'not a member of the project (app-admin gets no bypass)'
            : 'not a member of the project',
          FORBIDDEN,
        );
      return PROJECT_ROLE_RANK[role] >= PROJECT_ROLE_RANK[min] ? allow : deny(`${role} is below ${min}`, FORBIDDEN);
    },
  };
}

/** getMe and the other My* procedures: users only; the application API gets 403. */
export const userSpecific: AccessRule<KanboardWorld, KanboardFacts> = {
  term: 'user API only',
  see: SEE_AUTH,
  decide(identity) {
    const unauth = authenticated(identity);
    if (unauth) return unauth;
    return identity.facts.auth === 'app'
      ? deny('user-specific procedure called with the application API', FORBIDDEN)
      : allow;
  },
};
