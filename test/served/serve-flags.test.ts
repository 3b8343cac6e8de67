import { expect, test } from 'vitest';
import { runCli } from '../support/cli.js';
import { serve } from '../support/serve.js';

/** What `accord serve` and `accord check` say about their own flags, and --faults, --host, --quiet. */
test('serve --faults lists each fault with what it breaks', async () => {
  const run = await runCli(['serve', 'kanboard', '--faults']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^faults of the kanboard mock \(accord serve kanboard --fault NAME; repeatable\):\n/);
  expect(run.stdout).toMatch(/\n {2}any-app-token +user "jsonrpc" with any password is the application API\n/);
});

test('serve --help says what the mock does with each flag, in words of its own', async () => {
  const help = (await runCli(['serve', '--help'])).stdout.replace(/\s+/g, ' ');
  expect(help).not.toMatch(/made by the run|see mock\/faults/);
  expect(help).toContain(
    '--admin-key <KEY> octoprint, octoprint-1.3: the API key of the user admin (default: a random one)',
  );
  expect(help.match(/--admin-key/g)).toHaveLength(1);
  expect(help).toContain('--faults list');
  expect(help).toContain('--host <ADDRESS>');
});

test('check takes its fuzz seed as --fuzz-seed; --seed is a serve flag', async () => {
  expect((await runCli(['check', '--help'])).stdout).toContain('--fuzz-seed <N>');
  const run = await runCli(['check', 'kanboard', '--seed', '3']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/unknown option '--seed'/);
  const bad = await runCli(['check', 'kanboard', '--only', 'fuzz', '--fuzz-seed', 'x']);
  expect(bad.stderr).toBe('accord: --fuzz-seed takes an integer, not "x"\n');
});

test("--host names the address listened on; one that is not this machine's is a clear error", async () => {
  const served = await serve(['rhodecode', '--host', '127.0.0.1', '--quiet']);
  try {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await fetch(`${served.url}/_admin/api`, { method: 'POST', body: '{}' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // --quiet: no journal line (a diagnostic would still be printed).
    expect(served.output).not.toMatch(/\d\d:\d\d:\d\d POST \/_admin\/api/);
  } finally {
    await served.stop();
  }
  const run = await runCli(['serve', 'kanboard', '--host', '192.0.2.1']);
  expect(run.code).toBe(2);
  expect(run.stderr).toBe(
    'accord: cannot listen on --host 192.0.2.1: not an address of this machine (0.0.0.0 means all of them)\n',
  );
});
