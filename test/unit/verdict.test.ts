import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/commands/cli-error.js';
import { exitCode, targetVerdict, type TargetVerdict } from '../../src/commands/check/verdict.js';
import type { CheckRecord } from '../../src/spec/check.js';

/** The last step of `accord check`: each target's verdict, and the run's exit code. */
const record = (c: string, more: Partial<CheckRecord> = {}): CheckRecord => ({
  id: `kanboard/getMe/shapes/${c}`,
  target: 'kb',
  protocol: 'kanboard',
  kind: 'shapes',
  method: 'getMe',
  case: c,
  identity: 'admin',
  title: c,
  see: [],
  facets: [{ level: 'must', says: 'HTTP 200', ok: true }],
  exchanges: [],
  ...more,
});
const passed = (c: string) => record(c);
const failed = (c: string) => record(c, { facets: [{ level: 'must', says: 'HTTP 200', ok: false, mismatch: '500' }] });
const belowGate = (c: string) =>
  record(c, { facets: [{ level: 'quirk', says: 'a header', ok: false, mismatch: 'none' }] });
const broken = (c: string, why = 'the target timed out') => record(c, { facets: [], broken: why });
const skipped = (c: string) => record(c, { facets: [], skipped: 'not declared' });

const exit = (verdicts: TargetVerdict[], run: { errors?: string[]; stopped?: string } = {}) => {
  const lines: string[] = [];
  const code = exitCode(verdicts, { errors: run.errors ?? [], stopped: run.stopped }, (l) => lines.push(l));
  return { code, lines };
};

describe("one target's verdict", () => {
  test('every check passed (skips aside): a verdict, nothing failed', () => {
    expect(targetVerdict('kb', [passed('a'), passed('b'), skipped('c')], 'must', false)).toEqual({ failed: false });
  });

  test('a check failed at the gate: failed; below the gate: not failed', () => {
    expect(targetVerdict('kb', [passed('a'), failed('b')], 'must', false)).toEqual({ failed: true });
    expect(targetVerdict('kb', [passed('a'), belowGate('b')], 'must', false)).toEqual({ failed: false });
    expect(targetVerdict('kb', [passed('a'), belowGate('b')], 'quirk', false)).toEqual({ failed: true });
  });

  test('most checks could not run: no conformance verdict, with the first reason', () => {
    const records = [passed('a'), broken('b', 'the target went away'), broken('c'), skipped('d')];
    const v = targetVerdict('kb', records, 'must', false);
    expect(v.failed).toBe(true);
    expect(v.couldNotRun).toBe(
      'accord: kb: 2 of 3 checks could not run, so this is no conformance verdict; first: the target went away',
    );
  });

  test('half of them could not run is still a verdict (a failing one)', () => {
    expect(targetVerdict('kb', [passed('a'), broken('b')], 'must', false)).toEqual({ failed: true });
  });

  test('no check ran at all (all skipped, or none): no verdict', () => {
    expect(targetVerdict('kb', [skipped('a')], 'must', false).couldNotRun).toBe(
      'accord: kb: 0 of 0 checks could not run, so this is no conformance verdict; first: no checks ran',
    );
    expect(targetVerdict('kb', [], 'must', false).couldNotRun).toMatch(/0 of 0 checks could not run/);
  });

  test('one shard holding no check of a target: no failure (its part is empty); skips only: still no verdict', () => {
    expect(targetVerdict('kb', [], 'must', false, true)).toEqual({ failed: false });
    expect(targetVerdict('kb', [skipped('a')], 'must', false, true).couldNotRun).toMatch(/0 of 0 checks could not run/);
  });

  test('a stopped run leaves the per-target line out: the run says it once', () => {
    expect(targetVerdict('kb', [broken('a'), broken('b')], 'must', true)).toEqual({ failed: true });
  });
});

describe('the exit code', () => {
  test('ok, nonconformant, could not run', () => {
    expect(exit([{ failed: false }, { failed: false }])).toEqual({ code: EXIT.ok, lines: [] });
    expect(exit([{ failed: false }, { failed: true }])).toEqual({ code: EXIT.nonconformant, lines: [] });
    expect(exit([{ failed: true }, { failed: false, couldNotRun: 'accord: x: …' }]).code).toBe(EXIT.couldNotRun);
  });

  test('errors outside any check make it could not run, whatever the checks said', () => {
    expect(exit([{ failed: false }], { errors: ['nothing to check'] }).code).toBe(EXIT.couldNotRun);
  });

  test('a stopped run is no verdict, and says so', () => {
    expect(exit([{ failed: false }], { stopped: 'interrupted' })).toEqual({
      code: EXIT.couldNotRun,
      lines: [
        'accord: the run was stopped (interrupted): the results above are partial, so this is no conformance verdict',
      ],
    });
  });

  test('the codes are the documented ones', () => {
    expect(EXIT).toEqual({ ok: 0, nonconformant: 1, couldNotRun: 2 });
  });
});
