import { parseShard } from '../../src/runner/shard.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CouldNotRun } from '../../src/commands/cli-error.js';
import { planRun } from '../../src/commands/check/plan-run.js';
import { runPreflight } from '../../src/commands/check/run-preflight.js';
import { startTargets, type StartedTargets } from '../../src/commands/check/start-targets.js';
import type { CheckKind } from '../../src/spec/check.js';
import type { WantedTarget } from '../../src/commands/check/resolve-targets.js';

/** The plan, and pre-flight: each target proven usable, its variant settled, rights failures it saw kept. */
const settings = (more: { kinds?: CheckKind[]; methods?: string[] } = {}) => ({
  gate: 'must' as const,
  kinds: more.kinds ?? [],
  methods: more.methods ?? [],
  timeoutMs: 5000,
  fuzz: { runs: 3, seed: 1 },
});
const preflightSettings = (shard?: string) => ({
  preflightTimeoutMs: 3000,
  shard: shard === undefined ? undefined : parseShard(shard),
  variant: undefined,
});

describe('the run plan', () => {
  test('a fresh run id, its prefix, the ledger, and the selection', () => {
    const plan = planRun([], settings({ kinds: ['rights'], methods: ['getMe'] }));
    expect(plan.runId).toMatch(/^[a-z0-9]{6}$/);
    expect(plan.prefix).toBe(`accord_${plan.runId}`);
    expect(plan.ledger).toBe(join(tmpdir(), `accord-ledger-${plan.runId}.jsonl`));
    expect(plan).toMatchObject({ gate: 'must', selection: { kinds: ['rights'], methods: ['getMe'] }, timeoutMs: 5000 });
    expect(plan.fuzz).toEqual({ runs: 3, seed: 1 });
  });
});

describe('pre-flight', () => {
  const kanboard: WantedTarget[] = [{ name: 'kb', protocol: 'kanboard', given: {}, mock: true }];
  const octoprint: WantedTarget[] = [{ name: 'op', protocol: 'octoprint', given: {}, mock: true }];
  let kb: StartedTargets;
  let broken: StartedTargets;
  beforeAll(async () => {
    kb = await startTargets(kanboard, { faults: [], variant: undefined });
    // Every API key can do what only the admin may: pre-flight sees it with the plain user's key.
    broken = await startTargets(octoprint, { faults: ['every-key-is-admin'], variant: undefined });
  });
  afterAll(async () => {
    await kb.close();
    await broken.close();
  });

  test('a usable target passes, with its variant detected', async () => {
    const { plan, findings } = await runPreflight(planRun(kb.targets, settings()), kanboard, preflightSettings());
    expect(findings).toEqual([]);
    expect(plan.targets).toHaveLength(1);
    expect(plan.targets[0]!.variant).toMatchObject({ id: 'sqlite', source: 'detected' });
  });

  test('a target that does not answer stops the run as could not run', async () => {
    const given = { appToken: 'x'.repeat(40) };
    const dead = [{ name: 'gone', protocol: 'kanboard', url: 'http://127.0.0.1:9', given, mock: false }];
    const run = runPreflight(planRun(dead, settings()), dead, preflightSettings());
    await expect(run).rejects.toBeInstanceOf(CouldNotRun);
  });

  test("the rights failures it saw are checks of the run, within the selection and the first shard's", async () => {
    const seen = await runPreflight(planRun(broken.targets, settings()), octoprint, preflightSettings());
    expect(seen.findings.length).toBeGreaterThan(0);
    expect(seen.findings.every((r) => r.target === 'op')).toBe(true);
    const [finding] = seen.findings;
    const kept = async (s: ReturnType<typeof settings>, shard?: string) =>
      (await runPreflight(planRun(broken.targets, s), octoprint, preflightSettings(shard))).findings;
    const within = settings({ kinds: [finding!.kind], methods: [finding!.method!] });
    const alike = seen.findings.filter((r) => r.kind === finding!.kind && r.method === finding!.method);
    expect(await kept(within, '1/2')).toHaveLength(alike.length);
    expect(await kept(within, '01/2')).toHaveLength(alike.length);
    expect(await kept(settings(), '2/2')).toEqual([]);
    expect(await kept(settings({ kinds: [finding!.kind === 'shapes' ? 'errors' : 'shapes'] }))).toEqual([]);
    expect(await kept(settings({ methods: ['no.such.method'] }))).toEqual([]);
  });
});
