import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { readResults, runCli, tempReports } from '../support/cli.js';
import { serve } from '../support/serve.js';

const POPULATED = fileURLToPath(new URL('../../fixtures/kanboard/populated.json', import.meta.url));
const TOKEN = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';

/**
 * A live run against a second mock process with users, groups, projects and memberships of its own (and
 * a leftover that merely looks like an earlier run's) leaves that server's state exactly as it was.
 */
test('a full live check changes and removes nothing it did not create', async () => {
  const server = await serve(['kanboard', '--seed', POPULATED]);
  try {
    const before = await server.state();
    const reports = tempReports();
    const run = await runCli(['check', 'kanboard', '--url', server.url, '--app-token', TOKEN, '--admin', 'admin:admin-secret', '--level', 'quirk', '--reports', reports]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const results = readResults(reports, 'kanboard');
    expect(results.mock).toBe(false);
    expect(results.records.length).toBeGreaterThan(400);
    expect(await server.state()).toEqual(before);
  } finally {
    await server.stop();
  }
});
