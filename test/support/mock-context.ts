import { startMock, type MockServer } from '../../mock/server.js';
import { RunContext } from '../../src/client/run-context.js';
import { newRunId, type RunPlan, type TargetConfig } from '../../src/client/target.js';
import { checkedMockDialect, protocols } from '../../src/protocols/index.js';

/**
 * What a test needs to drive a mock the way `accord check` does, without the CLI: the mock as a target
 * (its URL, the facts its dialect gives, its control endpoint) and run contexts against it.
 */
export interface MockTarget {
  readonly target: TargetConfig;
  /** A run context of its own (sessions, created objects); `label` tells the contexts of one test apart. */
  context(label: string): RunContext;
}

interface MockPlace {
  readonly url: string;
  /** The control endpoint, where the test has one to hand on (accord's arranger uses it to reset and seed). */
  readonly control?: string;
  readonly given: Readonly<Record<string, unknown>>;
}

/** A mock as the target `accord check` would make of it. */
export function targetOfMock(id: string, where: MockPlace): TargetConfig {
  const given = where.control === undefined ? { ...where.given } : { ...where.given, control: where.control };
  return { name: id, protocol: id, url: where.url, given, mock: true };
}

/** The plan of one run at quirk against one target, every kind and method (a new run id unless one is given). */
export function planOf(
  target: TargetConfig,
  run: { readonly runId?: string; readonly timeoutMs?: number } = {},
): RunPlan {
  const runId = run.runId ?? newRunId();
  return {
    runId,
    prefix: `accord_${runId}`,
    gate: 'quirk',
    targets: [target],
    selection: { kinds: [], methods: [] },
    timeoutMs: run.timeoutMs ?? 10_000,
  };
}

/** A mock that runs somewhere (embedded or `accord serve`) as the target of one run, named by runId. */
export function mockTarget(
  id: string,
  where: MockPlace,
  run: { readonly runId: string; readonly timeoutMs?: number },
): MockTarget {
  const target = targetOfMock(id, where);
  const plan = planOf(target, run);
  return { target, context: (label) => new RunContext(plan, target, protocols[id]!, label) };
}

/** An embedded mock with the dialect `accord check` gives it (and these options over it), as a target. */
export async function startCheckedMock(
  id: string,
  run: { readonly runId: string; readonly timeoutMs?: number },
  dialect: Readonly<Record<string, unknown>> = {},
): Promise<MockTarget & { readonly mock: MockServer }> {
  const mock = await startMock(id, { dialect: checkedMockDialect(id, dialect) });
  return { mock, ...mockTarget(id, { url: mock.url, control: mock.controlUrl, given: mock.dialect.given }, run) };
}
