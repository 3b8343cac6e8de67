import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { protocols } from '../src/protocols/index.js';
import { REPORT_FILES } from '../src/report/write.js';
import { verdictOf } from '../src/spec/check.js';
import { kindsOf } from '../src/spec/protocol.js';
import { readResults, runCli, tempReports } from './support/cli.js';

/**
 * The embedded mock of every protocol passes every check at every level: the mock is the reference's
 * real server, and a check it failed would be a check a real server fails.
 */
describe.each(Object.keys(protocols))('accord check %s against its embedded mock', (id) => {
  test('passes at the quirk level, covering every method and kind of check', async () => {
    const reports = tempReports();
    const run = await runCli(['check', id, '--level', 'quirk', '--reports', reports]);
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    // One target per endpoint of the mock: `kanboard`, or `nymea-tcp` and `nymea-ws`.
    const targets = readdirSync(reports).filter((name) => name === id || name.startsWith(`${id}-`));
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      for (const file of REPORT_FILES) expect(existsSync(join(reports, target, file))).toBe(true);
      const results = readResults(reports, target);
      const failing = results.records.filter((r) => ['failed', 'broken', 'below-gate'].includes(verdictOf(r, 'quirk')));
      expect(failing.map((r) => r.id)).toEqual([]);
      // Every declared method shows up in shapes and rights; every applicable kind ran.
      const protocol = protocols[id]!;
      for (const m of protocol.methods) {
        expect(
          results.records.some((r) => r.method === m.name && r.kind === 'shapes'),
          `${target} ${m.name}`,
        ).toBe(true);
        expect(
          results.records.filter((r) => r.method === m.name && r.kind === 'rights').length,
          `${target} ${m.name}`,
        ).toBe(protocol.identities.length);
      }
      expect(new Set(results.records.map((r) => r.kind))).toEqual(new Set(kindsOf(protocol)));
    }
  });
});
