import { startMock, type MockServer } from '../../mock/server.js';
import { RunContext } from '../../src/client/run-context.js';
import type { RunPlan, TargetConfig } from '../../src/client/target.js';
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

/** A mock that runs somewhere (embedded or `accord serve`) as a target of one run at quirk, named by runId. */
export function mockTarget(
  id: string,
  where: { readonly url: string; readonly control: string; readonly given: Readonly<Record<string, unknown>> },
  run: { readonly runId: string; readonly timeoutMs?: number },
): MockTarget {
  const target: TargetConfig = {
    name: id,
    protocol: id,
    url: where.url,
    given: { ...where.given, control: where.control },
    mock: true,
  };
  const plan: RunPlan = {
    runId: run.runId,
    prefix: `accord_${run.runId}`,
    gate: 'quirk',
    targets: [target],
    selection: { kinds: [], methods: [] },
    timeoutMs: run.timeoutMs ?? 10_000,
  };
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
