import { rmSync } from 'node:fs';
import type { RunPlan } from '../../client/target.js';
import { cleanup } from '../../runner/cleanup.js';

/**
 * Insurance for live targets after the checks: anything carrying this run's prefix that teardown missed
 * (or that a stopped run left) is removed now (src/runner/cleanup.ts); then the run's ledger goes.
 * Embedded mocks are left alone: they stop with the run.
 */
export async function sweep(plan: RunPlan, stopped: boolean, out: (line: string) => void): Promise<void> {
  for (const t of plan.targets.filter((x) => !x.mock)) {
    const swept = await cleanup(plan, t, { prefix: `${plan.prefix}_` });
    const how = stopped ? 'had created before it stopped' : 'made that its teardown missed';
    if (swept.removed.length > 0) out(`accord: ${t.name}: removed ${swept.removed.length} objects this run ${how}`);
    for (const p of swept.problems) {
      out(`accord: ${t.name}: ${p} — run \`accord clean ${t.protocol} --url ${t.url} ...\` when it answers again`);
    }
  }
  if (plan.ledger) rmSync(plan.ledger, { force: true });
}
