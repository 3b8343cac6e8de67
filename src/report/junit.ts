import { verdictOf } from '../spec/check.js';
import { renderFailure } from './failure-text.js';
import type { TargetResults } from './results.js';

function esc(text: string): string {
  // XML 1.0 forbids most control characters even when escaped.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * JUnit XML for CI: one testsuite per kind of check, one testcase per check. A failure below the gate is
 * reported as passed with its text in system-out, so CI gates exactly as `accord check` does.
 */
export function renderJunit(results: TargetResults): string {
  const kinds = [...new Set(results.records.map((r) => r.kind))];
  const suites = kinds.map((kind) => {
    const records = results.records.filter((r) => r.kind === kind);
    let failures = 0;
    let errors = 0;
    let skipped = 0;
    const cases = records.map((r) => {
      const verdict = verdictOf(r, results.gate);
      const time = (r.exchanges.reduce((s, e) => s + e.ms, 0) / 1000).toFixed(3);
      const open = `    <testcase classname="${esc(`${results.target}.${kind}`)}" name="${esc(`${r.method ?? '-'} › ${r.case} — ${r.title}`)}" time="${time}">`;
      if (verdict === 'failed') {
        failures++;
        const first = r.facets.find((f) => !f.ok);
        return `${open}\n      <failure message="${esc(first ? `${first.says}: ${first.mismatch ?? ''}` : 'failed')}">${esc(renderFailure(r))}</failure>\n    </testcase>`;
      }
      if (verdict === 'broken') {
        errors++;
        return `${open}\n      <error message="${esc(r.broken ?? 'could not run')}">${esc(renderFailure(r))}</error>\n    </testcase>`;
      }
      if (verdict === 'skipped') {
        skipped++;
        return `${open}\n      <skipped message="${esc(r.skipped ?? '')}"/>\n    </testcase>`;
      }
      if (verdict === 'below-gate')
        return `${open}\n      <system-out>${esc(`below the ${results.gate} gate:\n${renderFailure(r)}`)}</system-out>\n    </testcase>`;
      return `${open}</testcase>`;
    });
    return `  <testsuite name="${esc(`${results.target} ${kind}`)}" tests="${records.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n${variantProperties(results)}${cases.join('\n')}\n  </testsuite>`;
  });
  const t = results.totals;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="accord ${esc(results.target)}" tests="${results.records.length}" failures="${t.failed}" errors="${t.broken}" skipped="${t.skipped}" time="${(results.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** Which variant was checked and how it was known, as testsuite properties CI tools show. */
function variantProperties(results: TargetResults): string {
  const v = results.variant;
  if (!v) return '';
  const props = [
    ['accord.variant', v.id],
    ['accord.variant.source', v.source],
    ['accord.variant.evidence', v.evidence],
  ];
  return `    <properties>\n${props.map(([k, x]) => `      <property name="${k}" value="${esc(x!)}"/>`).join('\n')}\n    </properties>\n`;
}
