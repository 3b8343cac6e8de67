import type { Level } from './levels.js';
import type { Observed } from './observed.js';

/**
 * One verifiable statement about an observed reply, at one level: "HTTP status is 403" (must),
 * "the id is null" (quirk). A check is a list of facets; failures are data, rendered by the reporters.
 */
export interface Facet {
  readonly level: Level;
  /** The expectation in words, as a report shows it: `HTTP status 401`. */
  readonly says: string;
  /** null when the observation satisfies the facet, else what was wrong (`got 200`). */
  verify(observed: Observed): string | null;
  /** Optional: when the facet fails, name a known form the observation matches and what to change. */
  explain?(observed: Observed): string | undefined;
  /**
   * Optional: the test as a variant of the system makes it (src/spec/variant.ts), for facets whose words
   * hold for every variant but whose form differs (an error text sent as JSON by one release, as plain
   * text by an older one). A run resolves it with its variant; `verify` is the default variant's test.
   */
  forVariant?(variant: string): (observed: Observed) => string | null;
}

export type Expectation = readonly Facet[];

export function facet(
  level: Level,
  says: string,
  verify: (observed: Observed) => string | null,
  explain?: (observed: Observed) => string | undefined,
): Facet {
  return explain ? { level, says, verify, explain } : { level, says, verify };
}

/** The same facets, none more binding than `level` (a quirk-level case keeps quirk-level facets). */
export function capLevel(level: Level, expectation: Expectation): Expectation {
  const rank = { must: 0, should: 1, quirk: 2 } as const;
  return expectation.map((f) => (rank[f.level] >= rank[level] ? f : { ...f, level }));
}

export interface FacetOutcome {
  readonly level: Level;
  readonly says: string;
  readonly ok: boolean;
  readonly mismatch?: string;
  readonly note?: string;
}

export function evaluate(expectation: Expectation, observed: Observed, variant?: string): FacetOutcome[] {
  return expectation.map((f) => {
    let mismatch: string | null;
    try {
      const verify = variant !== undefined && f.forVariant ? f.forVariant(variant) : (o: Observed) => f.verify(o);
      mismatch = verify(observed);
    } catch (error) {
      mismatch = `could not be evaluated: ${(error as Error).message}`;
    }
    if (mismatch === null) return { level: f.level, says: f.says, ok: true };
    const note = f.explain?.(observed);
    return note
      ? { level: f.level, says: f.says, ok: false, mismatch, note }
      : { level: f.level, says: f.says, ok: false, mismatch };
  });
}

/** What a wire makes of an observation: its reply object, or why there is none. */
export type ReplyOf<R> = (observed: Observed) => { ok: true; reply: R } | { ok: false; why: string };

/**
 * A maker of facets about a wire's decoded reply: `test` and `explain` see the reply; when there is
 * none, the facet fails with the wire's reason (no JSON, the connection closed...).
 */
export function onReplyOf<R>(replyOf: ReplyOf<R>) {
  return (
    level: Level,
    says: string,
    test: (reply: R) => string | null,
    explain?: (reply: R) => string | undefined,
  ): Facet =>
    facet(
      level,
      says,
      (o) => {
        const r = replyOf(o);
        return r.ok ? test(r.reply) : r.why;
      },
      explain
        ? (o) => {
            const r = replyOf(o);
            return r.ok ? explain(r.reply) : undefined;
          }
        : undefined,
    );
}
