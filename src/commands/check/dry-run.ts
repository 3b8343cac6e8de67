import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MockServer } from '../../../mock/server.js';
import { newRunId, type RunPlan, type TargetConfig } from '../../client/target.js';
import { checkedMockDialect } from '../../protocols/index.js';
import { runChecks } from '../../runner/run-checks.js';
import { EXIT } from '../cli-error.js';
import { startMockForCli } from '../start-mock.js';
import { withVariants } from '../variant-option.js';
import type { CheckSettings } from './check-options.js';
import { embeddedMockOptions } from './start-targets.js';
import type { WantedTarget } from './resolve-targets.js';

/**
 * `--dry-run`: the calls a run would make, without contacting the target. The suites run against an
 * embedded mock of the same protocol standing in for it, and every call they make is printed (as which
 * identity, which method, which parameters); on the real server ids and generated names will differ.
 * The stand-in is the mock the run would check (an embedded target's options and --fault), of the variant
 * asked for (--variant, the config's `variant`), so the suites choose their calls as they would in the run.
 */
export async function dryRun(
  wanted: readonly WantedTarget[],
  settings: Pick<CheckSettings, 'gate' | 'kinds' | 'methods' | 'timeoutMs' | 'faults' | 'variant'>,
  out: (line: string) => void,
): Promise<number> {
  const mocks: MockServer[] = [];
  const runId = newRunId();
  const callLog = join(tmpdir(), `accord-calls-${runId}.jsonl`);
  try {
    const targets: TargetConfig[] = [];
    for (const t of wanted) {
      // A live target's options are its credentials, not a mock's: its stand-in takes only the variant.
      const options = t.mock
        ? embeddedMockOptions(t, settings)
        : embeddedMockOptions({ ...t, given: {} }, { faults: [], variant: settings.variant });
      const mock = await startMockForCli(t.protocol, { dialect: checkedMockDialect(t.protocol, options) });
      mocks.push(mock);
      targets.push({ ...t, url: mock.url, given: { ...mock.dialect.given, control: mock.controlUrl }, mock: true });
    }
    const planned: RunPlan = {
      runId,
      prefix: `accord_${runId}`,
      gate: settings.gate,
      targets,
      selection: { kinds: settings.kinds, methods: settings.methods },
      timeoutMs: settings.timeoutMs,
      callLog,
    };
    const plan = { ...planned, targets: await withVariants(planned, wanted, settings.variant) };
    await runChecks(plan);
    const calls = existsSync(callLog)
      ? readFileSync(callLog, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
      : [];
    for (const t of wanted) {
      const where = t.url ?? 'the embedded mock';
      out(
        `dry run: the calls \`accord check ${t.protocol}\` would make on ${where} ` +
          `(worked out against a stand-in mock${standInVariant(t, plan.targets)}: ids and generated names will differ)`,
      );
      for (const line of calls) {
        const call = JSON.parse(line) as { target: string; as: string; method: string; params: unknown };
        if (call.target === t.name) out(`  as ${call.as}: ${call.method} ${JSON.stringify(call.params) ?? ''}`);
      }
    }
    out(`${calls.length} calls; nothing was sent to any target`);
    return EXIT.ok;
  } finally {
    rmSync(callLog, { force: true });
    await Promise.all(mocks.map((m) => m.close()));
  }
}

/** Which variant the stand-in was, where the protocol has variants; a live target's own is found in the run. */
function standInVariant(t: WantedTarget, targets: readonly TargetConfig[]): string {
  const variant = targets.find((x) => x.name === t.name)?.variant;
  if (!variant) return '';
  const own = !t.mock && variant.source !== 'given' ? ", the run detects the target's own" : '';
  return ` of variant ${variant.id}${own}`;
}
