import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMock, type MockServer } from '../../mock/server.js';
import { RunContext } from '../../src/client/run-context.js';
import type { RunPlan, TargetConfig } from '../../src/client/target.js';
import { checkedMockDialect, protocolById } from '../../src/protocols/index.js';
import type { DeclaredCheck, SuitePlan } from '../../src/runner/declare.js';
import { runCheck } from '../../src/runner/run-check.js';
import { runSuite } from '../../src/runner/run-suite.js';
import type { CheckRecord } from '../../src/spec/check.js';
import type { ProtocolSpec } from '../../src/spec/protocol.js';
import { SkipCheck, StopCheck } from '../../suites/support/recorder.js';
import type { CheckBody } from '../../suites/index.js';

/** The runner's own loop against a Kanboard mock, with checks written here to behave well and badly. */
let mock: MockServer;
let target: TargetConfig;
let plan: RunPlan;
const protocol = protocolById('kanboard') as ProtocolSpec<unknown, unknown>;

beforeAll(async () => {
  mock = await startMock('kanboard', { dialect: checkedMockDialect('kanboard') });
  target = {
    name: 'kanboard',
    protocol: 'kanboard',
    url: mock.url,
    given: { ...mock.dialect.given, control: mock.controlUrl },
    mock: true,
  };
  plan = {
    runId: 'runner',
    prefix: 'accord_runner',
    gate: 'must',
    targets: [target],
    selection: { kinds: [], methods: [] },
    timeoutMs: 5000,
  };
});
afterAll(() => mock.close());

const declared = (c: string, body: CheckBody, skip?: string): DeclaredCheck => ({
  id: `kanboard/-/lifecycle/${c}`,
  kind: 'lifecycle',
  meta: { method: null, case: c, identity: null, title: c, see: [] },
  body,
  ...(skip ? { skip } : {}),
});
const suiteOf = (...checks: DeclaredCheck[]): SuitePlan => ({ target, protocol, kind: 'lifecycle', tag: 't', checks });

/** A SuiteRun's record(): keep the record and go on. */
const keep = (records: CheckRecord[], r: CheckRecord) => (records.push(r), 'go-on' as const);

async function usersNamed(prefix: string): Promise<string[]> {
  const ctx = new RunContext<unknown>(plan, target, protocol, 'q');
  const users = (await protocol.resources.find((r) => r.kind === 'user')!.list!(ctx)).map((h) => h.name);
  await ctx.teardown();
  return users.filter((n) => n.startsWith(prefix));
}

describe('one check becomes a record', () => {
  const run = (body: CheckBody, timeoutMs = 5000) => {
    const abandoned: Promise<unknown>[] = [];
    const ctx = new RunContext<unknown>(plan, target, protocol, 'c');
    return {
      record: runCheck(suiteOf(), declared('x', body), ctx, {
        gate: 'must',
        redact: (t) => t,
        timeoutMs,
        onAbandoned: (p) => void abandoned.push(p),
      }),
      abandoned,
    };
  };

  test('a body that never ends is given up on after its timeout, as could not run', async () => {
    const { record, abandoned } = run(() => new Promise(() => undefined), 50);
    expect((await record).broken).toBe('the check did not finish within 0.05 s');
    expect(abandoned).toHaveLength(1);
  });

  test('a thrown error is could not run; SkipCheck a skip; StopCheck keeps the failure recorded so far', async () => {
    expect(
      (
        await run(async () => {
          throw new Error('boom');
        }).record
      ).broken,
    ).toBe('boom');
    expect(
      (
        await run(async () => {
          throw new SkipCheck('not here');
        }).record
      ).skipped,
    ).toBe('not here');
    const stopped = await run(async (rec) => {
      rec.facets.push({ level: 'must', says: 'the first step', ok: false, mismatch: 'no' });
      throw new StopCheck('the first step');
    }).record;
    expect(stopped.broken).toBeUndefined();
    expect(stopped.facets.map((f) => f.ok)).toEqual([false]);
  });
});

describe('one suite on one target', () => {
  test('what the checks created is torn down, also when a check fails to run', async () => {
    const records: CheckRecord[] = [];
    // A check that asserts nothing is broken (settleRecord): this one says what it did.
    const makeUser: CheckBody = async (rec, ctx) => {
      await ctx.create('user');
      rec.facets.push({ level: 'must', says: 'a user was made', ok: true });
    };
    await runSuite(
      plan,
      suiteOf(
        declared('a', makeUser),
        declared('b', async (_rec, ctx) => {
          await ctx.create('user');
          throw new Error('after creating a user');
        }),
      ),
      { stopped: () => false, record: (r) => keep(records, r), log: () => undefined },
    );
    expect(records.map((r) => r.broken)).toEqual([undefined, 'after creating a user']);
    expect(await usersNamed('accord_runner_')).toEqual([]);
  });

  test('a stopped run starts no further check, and still tears down', async () => {
    const records: CheckRecord[] = [];
    let between: string[] = [];
    const makeUser: CheckBody = async (_rec, ctx) => {
      await ctx.create('user');
      between = await usersNamed('accord_runner_');
    };
    await runSuite(plan, suiteOf(declared('a', makeUser), declared('b', makeUser), declared('c', makeUser)), {
      stopped: () => records.length >= 1,
      record: (r) => keep(records, r),
      log: () => undefined,
    });
    expect(records.map((r) => r.case)).toEqual(['a']);
    expect(between.length).toBeGreaterThan(0);
    expect(await usersNamed('accord_runner_')).toEqual([]);
  });

  test('a suite asked to stop after a record runs none of its later checks, and still tears down', async () => {
    const records: CheckRecord[] = [];
    const makeUser: CheckBody = async (rec, ctx) => {
      await ctx.create('user');
      rec.facets.push({ level: 'must', says: 'a user was made', ok: rec.facets.length > 99 });
    };
    await runSuite(plan, suiteOf(declared('a', makeUser), declared('b', makeUser), declared('c', makeUser)), {
      stopped: () => false,
      record: (r) => (records.push(r), r.case === 'b' ? 'stop-suite' : 'go-on'),
      log: () => undefined,
    });
    expect(records.map((r) => r.case)).toEqual(['a', 'b']);
    expect(await usersNamed('accord_runner_')).toEqual([]);
  });

  test('a declared skip is recorded without running, and a suite of skips builds no world', async () => {
    const records: CheckRecord[] = [];
    const never: CheckBody = async () => {
      throw new Error('ran');
    };
    await runSuite(plan, suiteOf(declared('a', never, 'the server has no such thing')), {
      stopped: () => false,
      record: (r) => keep(records, r),
      log: () => undefined,
    });
    expect(records.map((r) => r.skipped)).toEqual(['the server has no such thing']);
  });
});
