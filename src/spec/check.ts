import type { FacetOutcome } from './expectation.js';
import { gates, type Level } from './levels.js';

/** The kinds of check, one generic suite each. */
export const CHECK_KINDS = [
  'shapes',
  'errors',
  'params',
  'fuzz',
  'rights',
  'lifecycle',
  'envelope',
  'notifications',
] as const;
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

/** Why a check that ran and held nothing to an expectation is no pass: a gate must not turn green by accident. */
export const ASSERTED_NOTHING =
  'the check asserted nothing: it ended before it held any reply to an expectation (a defect of the check, not a pass)';

/** Why the check could not give a verdict, if it could not: it did not run, or it ran and asserted nothing. */
export function couldNotRun(record: CheckRecord): string | undefined {
  if (record.skipped !== undefined) return undefined;
  return record.broken ?? (record.facets.length === 0 ? ASSERTED_NOTHING : undefined);
}

/** The record as the reports read it: a check that asserted nothing carries that as the reason it is broken. */
export function settleRecord(record: CheckRecord): CheckRecord {
  const broken = couldNotRun(record);
  return broken === undefined || record.broken !== undefined ? record : { ...record, broken };
}

/**
 * - failed: a facet at or above the gate failed;
 * - below-gate: only facets below the gate failed (shown, not counted against the exit code);
 * - broken: the check could not run, or ran and asserted nothing; counted as a failure, because a
 *   conformance verdict needs it. Only a skip (which always carries its reason) asserts nothing and passes.
 */
export function verdictOf(record: CheckRecord, gate: Level): Verdict {
  if (record.skipped !== undefined) return 'skipped';
  if (couldNotRun(record) !== undefined) return 'broken';
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
