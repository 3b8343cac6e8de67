import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newRunId, type RunPlan, type TargetConfig } from '../../client/target.js';
import type { CheckSettings } from './check-options.js';

/** The run plan: a fresh run id (and the `accord_<id>` prefix of every name it makes), gate, selection, ledger. */
export function planRun(
  targets: readonly TargetConfig[],
  settings: Pick<CheckSettings, 'gate' | 'kinds' | 'methods' | 'timeoutMs' | 'fuzz'>,
): RunPlan {
  const runId = newRunId();
  return {
    runId,
    prefix: `accord_${runId}`,
    gate: settings.gate,
    targets,
    selection: { kinds: settings.kinds, methods: settings.methods },
    timeoutMs: settings.timeoutMs,
    ledger: join(tmpdir(), `accord-ledger-${runId}.jsonl`),
    fuzz: settings.fuzz,
  };
}
