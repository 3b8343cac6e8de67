import type { FacetOutcome } from './expectation.js';
import { gates, type Level } from './levels.js';

/** The kinds of check, one generic suite each. */
export const CHECK_KINDS = ['shapes', 'errors', 'params', 'fuzz', 'rights', 'lifecycle', 'envelope', 'notifications'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export interface ExchangeRecord {
  readonly step?: string;
  readonly request: string;
  readonly response: string;
  readonly reproduce: string;
  readonly ms: number;
}

/** The result of one check, as data: every reporter renders this and nothing else. */
export interface CheckRecord {
  /** `<protocol>/<method or ->/<kind>/<case>`, stable across runs: skips and diffs key on it. */
  readonly id: string;
  readonly target: string;
  readonly protocol: string;
  readonly kind: CheckKind;
  readonly method: string | null;
  readonly case: string;
  readonly identity: string | null;
  readonly title: string;
  readonly see: readonly string[];
  readonly facets: readonly FacetOutcome[];
  readonly exchanges: readonly ExchangeRecord[];
  /** Why the check did not run (declared skip, identity not available). */
  readonly skipped?: string;
  /** The check could not be carried out: arranging state failed, the target timed out. */
  readonly broken?: string;
}

export type Verdict = 'passed' | 'failed' | 'below-gate' | 'skipped' | 'broken';

/**
 * - failed: a facet at or above the gate failed;
 * - below-gate: only facets below the gate failed (shown, not counted against the exit code);
 * - broken: the check could not run; counted as a failure, because a conformance verdict needs it.
 */
export function verdictOf(record: CheckRecord, gate: Level): Verdict {
  if (record.skipped !== undefined) return 'skipped';
  if (record.broken !== undefined) return 'broken';
  const failed = record.facets.filter((f) => !f.ok);
  if (failed.length === 0) return 'passed';
  return failed.some((f) => gates(f.level, gate)) ? 'failed' : 'below-gate';
}

export function checkId(protocol: string, method: string | null, kind: CheckKind, caseId: string): string {
  return `${protocol}/${method ?? '-'}/${kind}/${caseId}`;
}

/** Does a skip pattern (`*` = one segment, `**` = the rest) name this check id? */
export function matchesCheckId(pattern: string, id: string): boolean {
  const p = pattern.split('/');
  const s = id.split('/');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '**') return true;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
