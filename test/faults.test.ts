import { expect, test } from 'vitest';
import { faultsOf } from '../mock/faults/index.js';
import type { FaultFinding } from '../src/commands/selftest.js';
import { protocols } from '../src/protocols/index.js';
import { runCli } from './support/cli.js';

/**
 * Test the tests: `accord selftest` checks every mock with each of its faults switched on. Each fault must
 * be caught by every kind of check it declares, and the clean mock must pass everything.
 */
test('every named fault of every protocol is caught by the suites, and the clean mocks pass', async () => {
  const run = await runCli(['selftest', '--json'], { timeoutMs: 170_000 });
  expect(run.stderr).toBe('');
  const findings = JSON.parse(run.stdout) as FaultFinding[];
  for (const id of Object.keys(protocols)) {
    expect(findings.filter((f) => f.protocol === id && f.fault !== null).map((f) => f.fault)).toEqual(faultsOf(id).map((f) => f.name));
    expect(faultsOf(id).length, `${id} declares at least six faults`).toBeGreaterThanOrEqual(6);
  }
  const missed = findings.filter((f) => !f.ok).map((f) => `${f.protocol}/${f.fault ?? '(clean)'}: expected ${f.expectedKinds.join(',')}, caught by ${f.caughtBy.join(',') || 'nothing'}`);
  expect(missed).toEqual([]);
  expect(run.code).toBe(0);
}, 180_000);
