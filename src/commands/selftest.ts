import { faultsOf } from '../../mock/faults/index.js';
import { startMock, type MockServer } from '../../mock/server.js';
import { newRunId, type RunPlan, type TargetConfig } from '../client/target.js';
import { checkedMockDialect, protocolById, protocols } from '../protocols/index.js';
import { runChecks } from '../runner/run-checks.js';
import { CHECK_KINDS, verdictOf, type CheckKind, type CheckRecord } from '../spec/check.js';
import { CliError, EXIT } from './cli-error.js';

/** What the self-test found for one fault (or for the clean mock, fault null). */
export interface FaultFinding {
  readonly protocol: string;
  readonly fault: string | null;
  readonly says: string;
  readonly level: string;
  readonly expectedKinds: readonly CheckKind[];
  /** Kinds with a check that failed at the fault's level. */
  readonly caughtBy: readonly CheckKind[];
  readonly failedChecks: number;
  /** For the clean mock: the checks that failed (there should be none). */
  readonly failing: readonly string[];
  readonly ok: boolean;
}

/**
 * Test the tests: every protocol's mock with each of its faults switched on, plus the clean mock, all
 * checked in one run. The clean mock must pass every check; each fault must be caught by every kind of
 * check it declares.
 */
export async function selfTest(ids: readonly string[], timeoutMs = 10_000, only: readonly string[] = []): Promise<FaultFinding[]> {
  // The clean mock always, and every fault or only those named.
  const faultsToRun = (id: string) => faultsOf(id).filter((f) => only.length === 0 || only.includes(f.name));
  const mocks: MockServer[] = [];
  const plannedTargets: { target: TargetConfig; protocol: string; fault: string | null }[] = [];
  try {
    for (const id of ids) {
      for (const fault of [null, ...faultsToRun(id).map((f) => f.name)]) {
        const mock = await startMock(id, { dialect: checkedMockDialect(id, { faults: fault ? [fault] : [] }) });
        mocks.push(mock);
        for (const url of mock.urls) {
          const name = `${id}${fault ? `+${fault}` : ''}${mock.urls.length > 1 ? `-${new URL(url).protocol.replace(':', '')}` : ''}`;
          const given = { ...mock.dialect.given, control: mock.controlUrl };
          plannedTargets.push({ target: { name, protocol: id, url, given, mock: true, server: mock.controlUrl }, protocol: id, fault });
        }
      }
    }
    const runId = newRunId();
    const plan: RunPlan = { runId, prefix: `accord_${runId}`, gate: 'quirk', targets: plannedTargets.map((p) => p.target), selection: { kinds: [], methods: [] }, timeoutMs };
    const { records, errors } = await runChecks(plan);
    if (errors.length > 0) throw new Error(`the suites did not run cleanly: ${errors.join('; ')}`);
    const byTarget = new Map<string, CheckRecord[]>();
    for (const r of records) byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), r]);
    const findings: FaultFinding[] = [];
    for (const id of ids) {
      for (const fault of [null, ...faultsToRun(id)]) {
        const mine = plannedTargets.filter((p) => p.protocol === id && p.fault === (fault?.name ?? null)).flatMap((p) => byTarget.get(p.target.name) ?? []);
        const level = fault?.level ?? 'quirk';
        const failing = mine.filter((r) => ['failed', 'broken'].includes(verdictOf(r, level)));
        // In the order of CHECK_KINDS, not the order the checks happened to finish in.
        const caughtBy = CHECK_KINDS.filter((k) => failing.some((r) => r.kind === k));
        const expectedKinds = fault?.caughtBy ?? [];
        findings.push({
          protocol: id,
          fault: fault?.name ?? null,
          says: fault?.says ?? 'the mock as it is (must pass every check)',
          level,
          expectedKinds,
          caughtBy,
          failedChecks: failing.length,
          failing: fault ? [] : failing.map((r) => `${r.id}: ${r.broken ?? r.facets.find((f) => !f.ok)?.mismatch ?? ''}`),
          ok: fault ? expectedKinds.every((k) => caughtBy.includes(k)) : failing.length === 0 && mine.length > 0,
        });
      }
    }
    return findings;
  } finally {
    await Promise.all(mocks.map((m) => m.close()));
  }
}

export async function runSelfTest(protocolArg: string | undefined, options: { json?: boolean; fault?: readonly string[] }, out: (line: string) => void): Promise<number> {
  if (protocolArg !== undefined && !protocolById(protocolArg)) throw new CliError(`unknown protocol "${protocolArg}"; known: ${Object.keys(protocols).join(', ')}`);
  const only = options.fault ?? [];
  if (only.length > 0 && protocolArg === undefined) throw new CliError('--fault names faults of one protocol: give the protocol too');
  for (const name of only) {
    if (!faultsOf(protocolArg!).some((f) => f.name === name)) throw new CliError(`unknown fault "${name}" for ${protocolArg}; known: ${faultsOf(protocolArg!).map((f) => f.name).join(', ')}`);
  }
  const findings = await selfTest(protocolArg ? [protocolArg] : Object.keys(protocols), 10_000, only);
  if (options.json) out(JSON.stringify(findings, null, 2));
  else {
    out('protocol / fault                                  level   expected by          caught by');
    for (const f of findings) {
      const name = `${f.protocol} / ${f.fault ?? '(no fault)'}`;
      out(`${f.ok ? '✓' : '✗'} ${name.padEnd(48)} ${f.level.padEnd(7)} ${(f.expectedKinds.join(',') || '-').padEnd(20)} ${f.caughtBy.join(',') || (f.fault ? 'NOTHING' : `${f.failedChecks} failures`)}`);
      for (const line of f.failing) out(`    ${line}`);
    }
  }
  return findings.every((f) => f.ok) ? EXIT.ok : EXIT.nonconformant;
}
