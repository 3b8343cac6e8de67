import { CHECK_KINDS, verdictOf, type CheckKind, type CheckRecord, type Verdict } from '../spec/check.js';
import type { Level } from '../spec/levels.js';

/** Counts of verdicts. */
export type Tally = Record<Verdict, number>;

export function emptyTally(): Tally {
  return { passed: 0, failed: 0, 'below-gate': 0, skipped: 0, broken: 0 };
}

export function tally(records: readonly CheckRecord[], gate: Level): Tally {
  const t = emptyTally();
  for (const r of records) t[verdictOf(r, gate)] += 1;
  return t;
}

/** The verdict a cell shows: the worst of its checks (broken > failed > below-gate > passed > skipped). */
export function cellVerdict(t: Tally): Verdict | 'empty' {
  if (t.broken) return 'broken';
  if (t.failed) return 'failed';
  if (t['below-gate']) return 'below-gate';
  if (t.passed) return 'passed';
  if (t.skipped) return 'skipped';
  return 'empty';
}

export interface MatrixRow {
  /** Method name, or "(envelope)" for checks that are about no one method. */
  readonly method: string;
  readonly cells: Readonly<Record<CheckKind, Tally>>;
  readonly records: readonly CheckRecord[];
}

export interface Matrix {
  readonly kinds: readonly CheckKind[];
  readonly rows: readonly MatrixRow[];
  readonly totals: Tally;
}

export const NO_METHOD = '(protocol)';

/**
 * Methods × kinds of check, for one target. Rows keep the order in which methods were declared (others
 * sorted after them, checks about no one method last) and columns the order of CHECK_KINDS, so that two
 * runs, and every report of a run, show the same matrix whatever order the checks finished in.
 */
export function buildMatrix(records: readonly CheckRecord[], gate: Level, methodOrder: readonly string[] = []): Matrix {
  const byMethod = new Map<string, CheckRecord[]>();
  const others = [...new Set(records.map((r) => r.method ?? NO_METHOD))]
    .filter((m) => m !== NO_METHOD && !methodOrder.includes(m))
    .sort();
  for (const m of [...methodOrder, ...others, NO_METHOD]) byMethod.set(m, []);
  for (const r of records) byMethod.get(r.method ?? NO_METHOD)!.push(r);
  const kinds = CHECK_KINDS.filter((k) => records.some((r) => r.kind === k));
  const rows: MatrixRow[] = [];
  for (const [method, list] of byMethod) {
    if (list.length === 0) continue;
    const cells = Object.fromEntries(
      CHECK_KINDS.map((k) => [
        k,
        tally(
          list.filter((r) => r.kind === k),
          gate,
        ),
      ]),
    ) as Record<CheckKind, Tally>;
    rows.push({ method, cells, records: list });
  }
  return { kinds, rows, totals: tally(records, gate) };
}
