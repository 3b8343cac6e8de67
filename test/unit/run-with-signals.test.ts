import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { planRun } from '../../src/commands/check/plan-run.js';
import { runWithSignals } from '../../src/commands/check/run-with-signals.js';
import { startTargets, type StartedTargets } from '../../src/commands/check/start-targets.js';
import { VERSION } from '../../src/commands/version.js';
import type { CheckKind } from '../../src/spec/check.js';

/** The checks under Ctrl-C and SIGTERM: the signals come from an emitter here, not from the process. */
let kb: StartedTargets;
beforeAll(async () => {
  const wanted = [{ name: 'kb', protocol: 'kanboard', given: {}, mock: true }];
  kb = await startTargets(wanted, { faults: [], variant: undefined });
});
const ledgers: string[] = [];
afterAll(async () => {
  for (const l of ledgers) rmSync(l, { force: true });
  await kb.close();
});

const planOf = (kinds: CheckKind[], methods: string[]) => {
  const plan = planRun(kb.targets, { gate: 'must', kinds, methods, timeoutMs: 5000, fuzz: { runs: 2, seed: 1 } });
  ledgers.push(plan.ledger!);
  return plan;
};
const settings = { bail: false, shard: undefined, concurrency: undefined, deadlineMs: undefined };

async function run(plan: ReturnType<typeof planOf>, signal?: 'SIGINT' | 'SIGTERM') {
  const signals = new EventEmitter();
  const lines: string[] = [];
  const running = runWithSignals(plan, settings, (l) => lines.push(l), signals);
  // The handlers are in place once the run has started.
  expect(signals.listenerCount('SIGINT')).toBe(1);
  expect(signals.listenerCount('SIGTERM')).toBe(1);
  if (signal) signals.emit(signal);
  const result = await running;
  return { result, lines, listening: signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM') };
}

describe('running the checks', () => {
  test('it says what it checks, runs the checks to their end and lets go of the signals', async () => {
    const plan = planOf(['shapes'], ['getMe']);
    const { result, lines, listening } = await run(plan);
    const where = `${kb.targets[0]!.url}/jsonrpc.php (embedded mock)`;
    expect(lines[0]).toBe(`accord ${VERSION}: checking kb at ${where}, gate must, run ${plan.runId}`);
    expect(result.stopped).toBeUndefined();
    expect(result.errors).toEqual([]);
    expect(result.records.length).toBeGreaterThan(0);
    expect(result.records.every((r) => r.target === 'kb' && r.kind === 'shapes' && r.method === 'getMe')).toBe(true);
    expect(result.startedAt).toBeLessThanOrEqual(Date.now());
    expect(listening).toBe(0);
  });

  test('Ctrl-C stops the run: it says so, and the result says why', async () => {
    const all = await run(planOf(['shapes'], []));
    const { result, lines, listening } = await run(planOf(['shapes'], []), 'SIGINT');
    expect(result.stopped).toBe('interrupted');
    expect(lines).toContain(
      '\naccord: interrupted: stopping the checks and removing what this run created (Ctrl-C again to quit at once)',
    );
    expect(result.records.length).toBeLessThan(all.result.records.length);
    expect(listening).toBe(0);
  });

  test('SIGTERM stops it as terminated', async () => {
    const { result, lines } = await run(planOf(['shapes'], ['getMe']), 'SIGTERM');
    expect(result.stopped).toBe('terminated');
    expect(lines.some((l) => l.startsWith('\naccord: terminated: stopping the checks'))).toBe(true);
  });

  test("problems outside any check are printed, when the run wasn't stopped", async () => {
    const { result, lines } = await run(planOf(['notifications'], []));
    expect(result.errors.length).toBeGreaterThan(0);
    for (const e of result.errors) expect(lines).toContain(`accord: ${e}`);
  });
});
