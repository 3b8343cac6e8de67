import type { CheckRecord } from '../spec/check.js';
import { verdictOf } from '../spec/check.js';
import type { Level } from '../spec/levels.js';
import { renderFailure } from './failure-text.js';
import { buildMatrix, cellVerdict, type Tally } from './matrix.js';

const SYMBOL = { passed: '✓', failed: '✗', 'below-gate': '~', skipped: '·', broken: '!', empty: ' ' } as const;

function cell(t: Tally): string {
  const v = cellVerdict(t);
  const n = t.passed + t.failed + t['below-gate'] + t.broken;
  if (v === 'empty' || v === 'skipped') return SYMBOL[v].padEnd(6);
  const bad = t.failed + t.broken;
  return `${SYMBOL[v]} ${v === 'passed' || v === 'below-gate' ? n : `${bad}/${n}`}`.padEnd(6);
}

/** The matrix as text: one row per method, one column per kind of check, and the totals. */
export function renderMatrix(
  title: string,
  records: readonly CheckRecord[],
  gate: Level,
  methodOrder: readonly string[],
): string {
  const m = buildMatrix(records, gate, methodOrder);
  const width = Math.max(12, ...m.rows.map((r) => r.method.length)) + 2;
  const lines = [title, `${''.padEnd(width)}${m.kinds.map((k) => k.padEnd(14)).join('')}`];
  for (const row of m.rows)
    lines.push(`${row.method.padEnd(width)}${m.kinds.map((k) => cell(row.cells[k]).padEnd(14)).join('')}`);
  const t = m.totals;
  lines.push(
    '',
    `${t.passed} passed, ${t.failed} failed, ${t.broken} could not run, ${t['below-gate']} failed below the ${gate} gate, ${t.skipped} skipped` +
      `   (✓ passed  ✗ failed  ~ failed below the gate  ! could not run  · skipped)`,
  );
  return lines.join('\n');
}

/** The failures at the gate, in full (the first `limit`), then a count of the rest. */
export function renderFailures(records: readonly CheckRecord[], gate: Level, limit = 10): string {
  const bad = records.filter((r) => ['failed', 'broken'].includes(verdictOf(r, gate)));
  if (bad.length === 0) return '';
  const shown = bad.slice(0, limit).map(renderFailure);
  if (bad.length > limit) shown.push(`… and ${bad.length - limit} more failures: see the reports.`);
  return shown.join('\n\n');
}
