import type { Expectation } from './expectation.js';

/**
 * Who may call a method. A protocol writes its own rules in its own terms (Kanboard app roles and project
 * roles, OctoPrint ADMIN and self-or-admin, RhodeCode super-admin and object permissions, nymea scopes);
 * the rights suite only asks each rule for a decision per identity.
 */
export type Decision =
  { readonly allowed: true } | { readonly allowed: false; readonly why: string; readonly denial: Expectation };

export interface AccessRule<W, F> {
  /** The rule in the protocol's words, for the report: `app-admin`, `project-manager`, `self or ADMIN`. */
  readonly term: string;
  readonly see: string;
  decide(identity: IdentityFacts<F>, world: W): Decision;
}

export interface IdentityFacts<F> {
  readonly id: string;
  readonly label: string;
  readonly facts: F;
}

export const allow: Decision = { allowed: true };

export function deny(why: string, denial: Expectation): Decision {
  return { allowed: false, why, denial };
}
