import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMock, type MockServer } from '../../mock/server.js';
import { runCli, tempReports } from '../support/cli.js';
import {
  droppingServer,
  garbageServer,
  hangingServer,
  htmlServer,
  proxyThatHangsAfter,
  type Faulty,
} from '../support/faulty-servers.js';

/**
 * A target accord cannot use gives exit code 2 and one line that says what to fix, within 10 seconds,
 * never a wall of failed checks; a target that goes away mid-run ends the run, not hangs it.
 */
describe('kanboard targets that cannot be checked', () => {
  let mock: MockServer;
  const servers: Faulty[] = [];
  const token = 'f'.repeat(60);
  beforeAll(async () => {
    mock = await startMock('kanboard', { dialect: { appToken: token } });
  });
  afterAll(async () => {
    await mock.close();
    await Promise.all(servers.map((s) => s.close()));
  });

  const cases: [string, () => Promise<string[]>, RegExp][] = [
    [
      'an unreachable URL',
      async () => ['--url', 'http://127.0.0.1:9', '--app-token', token],
      /cannot reach .*connection refused/,
    ],
    [
      'a wrong password',
      async () => ['--url', mock.url, '--app-token', token, '--admin', 'admin:wrong'],
      /--admin .* was refused/,
    ],
    ['a wrong token', async () => ['--url', mock.url, '--app-token', 'nope'], /--app-token .* was refused/],
    [
      'a non-admin given as admin',
      async () => {
        await fetch(`${mock.url}/jsonrpc.php`, {
          method: 'POST',
          headers: { authorization: `Basic ${btoa(`jsonrpc:${token}`)}` },
          body: JSON.stringify({
            jsonrpc: '2.0',
            method: 'createUser',
            id: 1,
            params: { username: 'plain', password: 'plain-secret' },
          }),
        });
        return ['--url', mock.url, '--app-token', token, '--admin', 'plain:plain-secret'];
      },
      /--admin is not user with role app-admin: getMe says it is role app-user/,
    ],
    [
      'a plain user given as admin but admin given as user',
      async () => ['--url', mock.url, '--app-token', token, '--user', 'admin:admin'],
      /--user is not user with role app-user/,
    ],
    [
      'a target that answers HTML',
      async () => {
        const s = await htmlServer();
        servers.push(s);
        return ['--url', s.url, '--app-token', token];
      },
      /text\/html .*is the URL right\?/,
    ],
    [
      'a target that answers garbage',
      async () => {
        const s = await garbageServer();
        servers.push(s);
        return ['--url', s.url, '--app-token', token];
      },
      /not Kanboard JSON-RPC API: is the URL right\?/,
    ],
    [
      'a target that drops every connection',
      async () => {
        const s = await droppingServer();
        servers.push(s);
        return ['--url', s.url, '--app-token', token];
      },
      /cannot reach .*(reset|closed|hang up)/i,
    ],
    [
      'a target that never answers',
      async () => {
        const s = await hangingServer();
        servers.push(s);
        return ['--url', s.url, '--app-token', token];
      },
      /cannot reach .*no answer within/,
    ],
  ];

  // A hang fails by the test's timeout; how fast the run gives up is the benchmark's business, not a test's.
  test.each(cases)('%s: exit 2, one line, no hang', async (_name, args, reason) => {
    const run = await runCli(['check', 'kanboard', ...(await args()), '--reports', tempReports()]);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(reason);
  });

  test('a target that stops answering halfway ends the run with exit 2 (no verdict), not a hang', async () => {
    const proxy = await proxyThatHangsAfter(mock.url, 60);
    servers.push(proxy);
    const run = await runCli([
      'check',
      'kanboard',
      '--url',
      proxy.url,
      '--app-token',
      token,
      '--admin',
      'admin:admin',
      '--timeout',
      '300',
      '--reports',
      tempReports(),
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stdout).toMatch(/checks could not run, so this is no conformance verdict/);
  }, 100_000);
});
