import { faultsOf } from '../../mock/faults/index.js';
import { startMock, type MockServer } from '../../mock/server.js';
import { newRunId, type RunPlan, type TargetConfig } from '../client/target.js';
import { checkedMockDialect, protocolById, protocols } from '../protocols/index.js';
import { runChecks } from '../runner/run-checks.js';
import { CHECK_KINDS, verdictOf, type CheckKind, type CheckRecord } from '../spec/check.js';
import type { Level } from '../spec/levels.js';
import { kindsOf } from '../spec/protocol.js';
import { CliError, EXIT } from './cli-error.js';

/** What the self-test found for one fault (or for the clean mock, fault null). */
export interface FaultFinding {
  readonly protocol: string;
  readonly fault: string | null;
  readonly says: string;
  readonly level: string;
  readonly expectedKinds: readonly CheckKind[];
  /** Kinds with a check that failed at the fault's level (each kind stops at its first catch). */
  readonly caughtBy: readonly CheckKind[];
  readonly failedChecks: number;
  /** For the clean mock: the checks that failed (there should be none). */
  readonly failing: readonly string[];
  readonly ok: boolean;
}

/**
 * Test the tests: every protocol's mock with each of its faults switched on, plus the clean mock. The clean
 * mock runs every kind of check and must pass them all; a fault runs only the kinds of check its caughtBy
 * names (the others prove nothing about it), and each of them must catch it.
 */
export async function selfTest(
  ids: readonly string[],
  timeoutMs = 10_000,
  only: readonly string[] = [],
  clean = true,
): Promise<FaultFinding[]> {
  // The clean mock (unless left out), and every fault or only those named.
  const faultsToRun = (id: string) => faultsOf(id).filter((f) => only.length === 0 || only.includes(f.name));
  const withClean = (id: string) => [...(clean ? [null] : []), ...faultsToRun(id)];
  const mocks: MockServer[] = [];
  const plannedTargets: PlannedTarget[] = [];
  try {
    for (const id of ids) {
      for (const fault of withClean(id)) {
        const mock = await startMock(id, { dialect: checkedMockDialect(id, { faults: fault ? [fault.name] : [] }) });
        mocks.push(mock);
        for (const url of mock.urls) {
          const name = `${id}${fault ? `+${fault.name}` : ''}${mock.urls.length > 1 ? `-${new URL(url).protocol.replace(':', '')}` : ''}`;
          const given = { ...mock.dialect.given, control: mock.controlUrl };
          const target: TargetConfig = { name, protocol: id, url, given, mock: true, server: mock.controlUrl };
          plannedTargets.push({
            target,
            protocol: id,
            fault: fault?.name ?? null,
            kinds: fault ? fault.caughtBy : kindsOf(protocolById(id)!),
            ...(fault ? { level: fault.level } : {}),
          });
        }
      }
    }
    const records = await runEachKind(plannedTargets, timeoutMs);
    const byTarget = new Map<string, CheckRecord[]>();
    for (const r of records) byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), r]);
    const findings: FaultFinding[] = [];
    for (const id of ids) {
      for (const fault of withClean(id)) {
        const mine = plannedTargets
          .filter((p) => p.protocol === id && p.fault === (fault?.name ?? null))
          .flatMap((p) => byTarget.get(p.target.name) ?? []);
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
          failing: fault
            ? []
            : failing.map((r) => `${r.id}: ${r.broken ?? r.facets.find((f) => !f.ok)?.mismatch ?? ''}`),
          ok: fault ? expectedKinds.every((k) => caughtBy.includes(k)) : failing.length === 0 && mine.length > 0,
        });
      }
    }
    return findings;
  } finally {
    await Promise.all(mocks.map((m) => m.close()));
  }
}

interface PlannedTarget {
  readonly target: TargetConfig;
  readonly protocol: string;
  readonly fault: string | null;
  /** The kinds of check this target runs: all for the clean mock, a fault's caughtBy for a fault. */
  readonly kinds: readonly CheckKind[];
  /** A fault's level: a check failing at it catches the fault. The clean mock has none: it runs every check. */
  readonly level?: Level;
}

/**
 * One run per kind of check and gate, with the targets that run that kind (the runner spreads each run over the
 * servers as their concurrency allows). A fault's suite stops at the first check that catches the fault:
 * one catch per kind is what the self-test asks, and the checks after it would prove nothing more.
 */
async function runEachKind(planned: readonly PlannedTarget[], timeoutMs: number): Promise<CheckRecord[]> {
  const records: CheckRecord[] = [];
  const levelOf = new Map(planned.map((p) => [p.target.name, p.level]));
  const catches = (r: CheckRecord) => {
    const level = levelOf.get(r.target);
    return level !== undefined && ['failed', 'broken'].includes(verdictOf(r, level));
  };
  for (const kind of CHECK_KINDS) {
    // A fault naming a kind its protocol has no checks of is simply not caught by it (a finding, not a crash).
    const applies = (p: PlannedTarget) => p.kinds.includes(kind) && kindsOf(protocolById(p.protocol)!).includes(kind);
    // Each fault is run gated at its own level (the clean mock at quirk): a scenario stops at its first step
    // that fails at the gate, so a must fault gated at quirk could stop at a quirk facet before its must one.
    const gates = new Map<Level, TargetConfig[]>();
    for (const p of planned.filter(applies)) {
      const gate = p.level ?? 'quirk';
      gates.set(gate, [...(gates.get(gate) ?? []), p.target]);
    }
    const runs = await Promise.all(
      [...gates].map(async ([gate, targets]) => {
        const runId = newRunId();
        const plan: RunPlan = {
          runId,
          prefix: `accord_${runId}`,
          gate,
          targets,
          selection: { kinds: [kind], methods: [] },
          timeoutMs,
        };
        return runChecks(plan, { stopSuiteAfter: catches });
      }),
    );
    for (const run of runs) {
      if (run.errors.length > 0) throw new Error(`the ${kind} checks did not run cleanly: ${run.errors.join('; ')}`);
      records.push(...run.records);
    }
  }
  return records;
}

export async function runSelfTest(
  protocolArg: string | undefined,
  options: { json?: boolean; fault?: readonly string[]; clean?: boolean },
  out: (line: string) => void,
): Promise<number> {
  if (protocolArg !== undefined && !protocolById(protocolArg))
    throw new CliError(`unknown protocol "${protocolArg}"; known: ${Object.keys(protocols).join(', ')}`);
  const only = options.fault ?? [];
  if (only.length > 0 && protocolArg === undefined)
    throw new CliError('--fault names faults of one protocol: give the protocol too');
  for (const name of only) {
    if (!faultsOf(protocolArg!).some((f) => f.name === name))
      throw new CliError(
        `unknown fault "${name}" for ${protocolArg}; known: ${faultsOf(protocolArg!)
          .map((f) => f.name)
          .join(', ')}`,
      );
  }
  const findings = await selfTest(
    protocolArg ? [protocolArg] : Object.keys(protocols),
    10_000,
    only,
    options.clean ?? true,
  );
  if (options.json) out(JSON.stringify(findings, null, 2));
  else {
    out('protocol / fault                                  level   expected by          caught by');
    for (const f of findings) {
      const name = `${f.protocol} / ${f.fault ?? '(no fault)'}`;
      out(
        `${f.ok ? '✓' : '✗'} ${name.padEnd(48)} ${f.level.padEnd(7)} ${(f.expectedKinds.join(',') || '-').padEnd(20)} ${f.caughtBy.join(',') || (f.fault ? 'NOTHING' : `${f.failedChecks} failures`)}`,
      );
      for (const line of f.failing) out(`    ${line}`);
    }
  }
  return findings.every((f) => f.ok) ? EXIT.ok : EXIT.nonconformant;
}
