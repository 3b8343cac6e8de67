import { describe, expect, test } from 'vitest';
import { readResults, runCli, tempReports } from './support/cli.js';

/** `--shard` splits a run by check, `merge-reports` joins the shards and refuses a run with one missing; `--bail` stops it. */
describe('accord check --shard i/n and merge-reports', () => {
  const args = ['check', 'kanboard', '--only', 'shapes,rights', '--quiet'];

  test('two shards hold every check once; merged they are the whole run; one alone does not merge', async () => {
    const [whole, one, two] = [tempReports(), tempReports(), tempReports()];
    const runs = await Promise.all([
      runCli([...args, '--reports', whole]),
      runCli([...args, '--shard', '1/2', '--reports', one]),
      runCli([...args, '--shard', '2/2', '--reports', two]),
    ]);
    for (const run of runs) expect(run.code, run.stdout + run.stderr).toBe(0);
    const ids = (dir: string) =>
      readResults(dir, 'kanboard')
        .records.map((r) => r.id)
        .sort();
    expect(readResults(one, 'kanboard').shard).toBe('1/2');
    expect(ids(one).filter((id) => ids(two).includes(id))).toEqual([]);
    expect([...ids(one), ...ids(two)].sort()).toEqual(ids(whole));
    // Not by suite: each shard has checks of both kinds.
    for (const dir of [one, two])
      expect(new Set(readResults(dir, 'kanboard').records.map((r) => r.kind))).toEqual(new Set(['shapes', 'rights']));

    const merged = tempReports();
    const merge = await runCli(['merge-reports', one, two, '--reports', merged]);
    expect(merge.code, merge.stderr).toBe(0);
    expect(merge.stdout).toContain('(2 shards)');
    expect(ids(merged)).toEqual(ids(whole));

    const missing = await runCli(['merge-reports', one, '--reports', tempReports()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('accord: cannot merge: kanboard: shard 2/2 is missing (given: 1/2)');
    const twice = await runCli(['merge-reports', one, one, two, '--reports', tempReports()]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/shard 1\/2 is given 2 times/);
  });

  test('--bail stops the run at the first failing check', async () => {
    const reports = tempReports();
    const run = await runCli([...args, '--fault', 'app-user-creates-users', '--bail', '--reports', reports]);
    expect(run.code).toBe(1);
    const records = readResults(reports, 'kanboard').records;
    const full = await runCli([...args, '--fault', 'app-user-creates-users', '--reports', reports]);
    expect(full.code).toBe(1);
    expect(records.length).toBeLessThan(readResults(reports, 'kanboard').records.length);
  });
});
