import { describe, expect, test } from 'vitest';
import { faultsOf } from '../mock/faults/index.js';
import { protocols } from '../src/protocols/index.js';
import { readResults, runCli, tempReports } from './support/cli.js';

/**
 * Every declared fault is caught: with it switched on, `accord check` at the fault's level exits 1, and
 * checks of every kind the fault names fail. Only those kinds run, several at once, to keep this quick.
 */
const cases = Object.keys(protocols).flatMap((id) => faultsOf(id).map((fault) => ({ id, fault })));

describe.concurrent.each(cases)('$id fault $fault.name', ({ id, fault }) => {
  test(`is caught by ${fault.caughtBy.join(', ')}`, async () => {
    const reports = tempReports();
    const run = await runCli(['check', id, '--fault', fault.name, '--level', fault.level, '--only', fault.caughtBy.join(','), '--quiet', '--reports', reports]);
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(1);
    const failedKinds = new Set(readResults(reports, id).records.filter((r) => r.broken !== undefined || r.facets.some((f) => !f.ok)).map((r) => r.kind));
    for (const kind of fault.caughtBy) expect(failedKinds.has(kind), `${fault.name} should fail some ${kind} check`).toBe(true);
  });
});
