import type { RunPlan } from '../../client/target.js';
import { preflight } from '../../runner/preflight.js';
import type { CheckRecord } from '../../spec/check.js';
import { CouldNotRun } from '../cli-error.js';
import { withVariants } from '../variant-option.js';
import type { CheckSettings } from './check-options.js';
import type { WantedTarget } from './resolve-targets.js';

export interface Preflighted {
  /** The plan with each target's variant: given, detected from its answers, or the protocol's default. */
  readonly plan: RunPlan;
  /** Rights failures pre-flight already saw: checks of the run (once, in the first shard). */
  readonly findings: readonly CheckRecord[];
}

/**
 * Prove each target usable before any check (src/runner/preflight.ts); the first that is not stops the
 * run with CouldNotRun. Then each target's variant is settled.
 */
export async function runPreflight(
  plan: RunPlan,
  wanted: readonly WantedTarget[],
  settings: Pick<CheckSettings, 'preflightTimeoutMs' | 'shard' | 'variant'>,
): Promise<Preflighted> {
  const findings: CheckRecord[] = [];
  const keepsFinding = (r: CheckRecord) =>
    (plan.selection.kinds.length === 0 || plan.selection.kinds.includes(r.kind)) &&
    (plan.selection.methods.length === 0 || plan.selection.methods.includes(r.method ?? '')) &&
    // The first shard, however it was written (`1/3`, `01/3`).
    (settings.shard === undefined || settings.shard.index === 1);
  for (const t of plan.targets) {
    // Pre-flight's probes wait 4 s unless --timeout says otherwise.
    const verdict = await preflight(plan, t, settings.preflightTimeoutMs);
    if (!verdict.ok) throw new CouldNotRun(verdict.reason);
    findings.push(...verdict.findings.filter(keepsFinding));
  }
  return { plan: { ...plan, targets: await withVariants(plan, wanted, settings.variant) }, findings };
}
