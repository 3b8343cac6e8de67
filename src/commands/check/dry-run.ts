import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMock, type MockServer } from '../../../mock/server.js';
import { newRunId, type RunPlan, type TargetConfig } from '../../client/target.js';
import { checkedMockDialect } from '../../protocols/index.js';
import { runChecks } from '../../runner/run-checks.js';
import { EXIT } from '../cli-error.js';
import type { CheckSettings } from './check-options.js';
import type { WantedTarget } from './resolve-targets.js';

/**
 * `--dry-run`: the calls a run would make, without contacting the target. The suites run against an
 * embedded mock of the same protocol standing in for it, and every call they make is printed (as which
 * identity, which method, which parameters); on the real server ids and generated names will differ.
 */
export async function dryRun(
  wanted: readonly WantedTarget[],
  settings: Pick<CheckSettings, 'gate' | 'kinds' | 'methods' | 'timeoutMs'>,
  out: (line: string) => void,
): Promise<number> {
  const mocks: MockServer[] = [];
  const runId = newRunId();
  const callLog = join(tmpdir(), `accord-calls-${runId}.jsonl`);
  try {
    const targets: TargetConfig[] = [];
    for (const t of wanted) {
      const mock = await startMock(t.protocol, { dialect: checkedMockDialect(t.protocol) });
      mocks.push(mock);
      targets.push({ ...t, url: mock.url, given: { ...mock.dialect.given, control: mock.controlUrl }, mock: true });
    }
    const plan: RunPlan = {
      runId,
      prefix: `accord_${runId}`,
      gate: settings.gate,
      targets,
      selection: { kinds: settings.kinds, methods: settings.methods },
      timeoutMs: settings.timeoutMs,
      callLog,
    };
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
          '(worked out against a stand-in mock: ids and generated names will differ)',
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
