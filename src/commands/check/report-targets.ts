import { endpointOf } from '../../client/endpoint-url.js';
import type { RunPlan, TargetConfig } from '../../client/target.js';
import { protocolById } from '../../protocols/index.js';
import { compare, describeComparison, loadPrevious } from '../../report/compare.js';
import { renderFailures, renderMatrix } from '../../report/console.js';
import { redactorFor, type Redact } from '../../report/redact.js';
import { redactRecord } from '../../report/redact-records.js';
import { makeResults } from '../../report/results.js';
import { writeReports } from '../../report/write.js';
import { formatShard } from '../../runner/shard.js';
import type { CheckRecord } from '../../spec/check.js';
import { VERSION } from '../version.js';
import type { CheckSettings } from './check-options.js';
import { targetVerdict, type TargetVerdict } from './verdict.js';

/** What the reports say about the run as a whole. */
export interface RunTimes {
  readonly startedAt: number;
  readonly durationMs: number;
  /** Why the run was stopped, if it was: its results are partial. */
  readonly stopped: string | undefined;
}

type ReportSettings = Pick<CheckSettings, 'reports' | 'compare' | 'quiet' | 'shard' | 'shardAsked'>;

/** Where the reports go, and the run they are of. */
interface Reporting {
  readonly plan: RunPlan;
  readonly run: RunTimes;
  readonly settings: ReportSettings;
  readonly out: (line: string) => void;
}

/**
 * Each target's records, redacted with its own secrets, become its results (src/report/results.ts): the
 * four reports in `<reports>/<target>/` (write.ts), the matrix and the failures on the console, the
 * comparison with --compare; and its verdict (verdict.ts). A target without any check (outside a shard)
 * keeps the reports of its last real run.
 */
export function reportTargets(
  plan: RunPlan,
  records: readonly CheckRecord[],
  run: RunTimes,
  settings: ReportSettings,
  out: (line: string) => void,
): TargetVerdict[] {
  return plan.targets.map((t) => {
    const redact = redactorFor(t);
    const mine = records.filter((r) => r.target === t.name).map((r) => redactRecord(r, redact));
    // No check at all (one shard of a run may legitimately hold none): keep the last real run's reports.
    if (mine.length === 0 && settings.shardAsked === undefined) {
      const kept = `the reports of ${t.name} were left as they were`;
      const line = `accord: ${t.name}: no check ran, so this is no verdict; ${kept}`;
      out(line);
      return { failed: false, couldNotRun: line };
    }
    reportTarget(t, mine, redact, { plan, run, settings, out });
    const verdict = targetVerdict(t.name, mine, plan.gate, run.stopped !== undefined, settings.shard !== undefined);
    if (verdict.couldNotRun) out(verdict.couldNotRun);
    return verdict;
  });
}

/** One target's reports and console lines. */
function reportTarget(t: TargetConfig, mine: readonly CheckRecord[], redact: Redact, reporting: Reporting): void {
  const { plan, run, settings, out } = reporting;
  const protocol = protocolById(t.protocol)!;
  const previous = settings.compare ? loadPrevious(settings.compare, t.name) : undefined;
  if (settings.compare && !previous) out(`accord: --compare ${settings.compare} has no earlier results for ${t.name}`);
  const comparison = previous ? compare(previous, mine, plan.gate) : undefined;
  const results = makeResults({
    ...(comparison ? { comparison } : {}),
    accord: VERSION,
    runId: plan.runId,
    ...(settings.shard ? { shard: formatShard(settings.shard) } : {}),
    target: t.name,
    protocol: t.protocol,
    title: protocol.title,
    reference: protocol.reference,
    url: redact(t.url),
    mock: t.mock,
    ...(t.variant ? { variant: t.variant } : {}),
    gate: plan.gate,
    startedAt: new Date(run.startedAt).toISOString(),
    durationMs: run.durationMs,
    methods: protocol.methods.map((m) => m.name),
    records: mine,
  });
  const folder = writeReports(settings.reports, results);
  out('');
  const title = `${t.name}: ${protocol.title} at ${endpointOf(t.url, protocol.endpoint)}`;
  out(renderMatrix(title, mine, plan.gate, results.methods));
  if (!settings.quiet) {
    const failures = renderFailures(mine, plan.gate);
    if (failures) out(`\n${failures}`);
  }
  if (comparison) out(describeComparison(t.name, comparison));
  out(`reports: ${folder}/{junit.xml,results.json,report.html,summary.md}`);
}
