import { verdictOf } from '../spec/check.js';
import { buildMatrix, cellVerdict, type Tally } from './matrix.js';
import { citationsOf } from './citations.js';
import type { TargetResults } from './results.js';

const ICON = { passed: '✅', failed: '❌', 'below-gate': '⚠️', skipped: '⏭️', broken: '💥', empty: '' } as const;

function cell(t: Tally): string {
  const v = cellVerdict(t);
  if (v === 'empty') return '';
  if (v === 'failed' || v === 'broken') return `${ICON[v]} ${t.failed + t.broken}`;
  return ICON[v];
}

/** A summary suitable for a CI job summary: the verdict, the matrix, and the failures in one line each. */
export function renderMarkdown(results: TargetResults): string {
  const m = buildMatrix(results.records, results.gate, results.methods);
  const t = results.totals;
  const verdict = t.failed + t.broken === 0 ? '✅ conforms' : '❌ does not conform';
  const lines = [
    `## accord: ${results.target} (${results.title}) — ${verdict} at level \`${results.gate}\``,
    '',
    `Target \`${results.url}\`${results.mock ? ' (embedded mock)' : ''}${results.variant ? ` · variant \`${results.variant.id}\` (${results.variant.source}: ${results.variant.evidence})` : ''} · ${t.passed} passed · ${t.failed} failed · ${t.broken} could not run · ${t['below-gate']} below the gate · ${t.skipped} skipped · ${(results.durationMs / 1000).toFixed(1)} s`,
    '',
    `| method | ${m.kinds.join(' | ')} |`,
    `|---|${m.kinds.map(() => '---').join('|')}|`,
    ...m.rows.map((r) => `| \`${r.method}\` | ${m.kinds.map((k) => cell(r.cells[k])).join(' | ')} |`),
  ];
  if (results.comparison) {
    const c = results.comparison;
    lines.push('', `**Since run ${c.previousRun}:** ${c.newlyFailing.length} newly failing, ${c.fixed.length} fixed.`);
    for (const id of c.newlyFailing) lines.push(`- 🆕 ❌ \`${id}\``);
    for (const id of c.fixed) lines.push(`- ✅ fixed \`${id}\``);
  }
  const bad = results.records.filter((r) => ['failed', 'broken'].includes(verdictOf(r, results.gate)));
  if (bad.length > 0) {
    lines.push('', '### Failures', '');
    for (const r of bad.slice(0, 50)) {
      const f = r.facets.find((x) => !x.ok);
      const why = r.broken
        ? `could not run: ${r.broken}`
        : f
          ? `expected ${f.says}, but ${f.mismatch ?? 'it did not hold'}`
          : '';
      const citations = citationsOf(r.protocol, r.see);
      const see = r.see.map((s) => (citations[s]!.length ? `[${s}](${citations[s]![0]})` : s)).join('; ');
      lines.push(`- \`${r.id}\` — ${r.title}: ${why.replace(/\n/g, ' ')} (${see})`);
    }
    if (bad.length > 50) lines.push(`- … and ${bad.length - 50} more (see report.html)`);
  }
  return `${lines.join('\n')}\n`;
}
