import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMock, type MockServer } from '../../mock/server.js';
import { RunContext } from '../../src/client/run-context.js';
import type { RunPlan, TargetConfig } from '../../src/client/target.js';
import { planRun } from '../../src/commands/check/plan-run.js';
import { sweep } from '../../src/commands/check/sweep.js';
import { checkedMockDialect, protocolById } from '../../src/protocols/index.js';
import type { ProtocolSpec } from '../../src/spec/protocol.js';

/** After the checks: what a run made on a live target and its teardown missed is removed; then its ledger. */
const protocol = protocolById('kanboard') as ProtocolSpec<unknown, unknown>;
let mock: MockServer;
let live: TargetConfig;
beforeAll(async () => {
  mock = await startMock('kanboard', { dialect: checkedMockDialect('kanboard') });
  // A mock standing in for a live server: checked as one, so the sweep applies to it.
  live = { name: 'live', protocol: 'kanboard', url: mock.url, given: { ...mock.dialect.given }, mock: false };
});
afterAll(() => mock.close());

const planFor = (target: TargetConfig) =>
  planRun([target], { gate: 'must', kinds: [], methods: [], timeoutMs: 5000, fuzz: { runs: 1, seed: 1 } });

/** Groups made on the server and forgotten by their context, as a teardown that missed them would leave them. */
async function leftBehind(plan: RunPlan, target: TargetConfig, names: (string | undefined)[]): Promise<void> {
  const ctx = new RunContext<unknown>(plan, target, protocol, 's');
  for (const name of names) {
    const handle = await ctx.create('group', name === undefined ? {} : { name });
    ctx.untrack('group', handle);
  }
  await ctx.teardown();
}

async function groupNames(plan: RunPlan): Promise<string[]> {
  const ctx = new RunContext<unknown>(plan, live, protocol, 'q');
  const names = (await protocol.resources.find((r) => r.kind === 'group')!.list!(ctx)).map((h) => h.name);
  await ctx.teardown();
  return names;
}

describe('the sweep', () => {
  test("a live target loses what carries this run's prefix, and only that; the ledger goes", async () => {
    const plan = planFor(live);
    await leftBehind(plan, live, [undefined, undefined, 'accord_zzzzzz_group_other_run', 'not-from-accord']);
    expect(existsSync(plan.ledger!)).toBe(true);
    const lines: string[] = [];
    await sweep(plan, false, (l) => lines.push(l));
    expect(lines).toEqual(['accord: live: removed 2 objects this run made that its teardown missed']);
    const left = await groupNames(plan);
    expect(left.filter((n) => n.startsWith(`${plan.prefix}_`))).toEqual([]);
    expect(left).toEqual(expect.arrayContaining(['accord_zzzzzz_group_other_run', 'not-from-accord']));
    expect(existsSync(plan.ledger!)).toBe(false);
  });

  test('a stopped run says the objects were made before it stopped', async () => {
    const plan = planFor(live);
    await leftBehind(plan, live, [undefined]);
    const lines: string[] = [];
    await sweep(plan, true, (l) => lines.push(l));
    expect(lines).toEqual(['accord: live: removed 1 objects this run had created before it stopped']);
  });

  test('an embedded mock is not swept', async () => {
    const asMock = { ...live, name: 'mock', mock: true };
    const plan = planFor(asMock);
    await leftBehind(plan, asMock, [undefined]);
    const lines: string[] = [];
    await sweep(plan, false, (l) => lines.push(l));
    expect(lines).toEqual([]);
    expect((await groupNames(plan)).filter((n) => n.startsWith(`${plan.prefix}_`))).toHaveLength(1);
    expect(existsSync(plan.ledger!)).toBe(false);
  });

  test('a target that no longer answers: each problem, with the command that cleans it later', async () => {
    const gone = { ...live, name: 'gone', url: 'http://127.0.0.1:9' };
    const lines: string[] = [];
    await sweep(planFor(gone), false, (l) => lines.push(l));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(l).toMatch(/^accord: gone: could not list \w+s: .* — run `accord clean .*` when it answers again$/);
      expect(l).toContain('`accord clean kanboard --url http://127.0.0.1:9 ...`');
    }
  });
});
