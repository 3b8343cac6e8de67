import { describe, expect, test } from 'vitest';
import { runCli } from './support/cli.js';

/** User mistakes give one line on stderr, exit code 2, and never a stack trace. */
describe('accord CLI on bad input', () => {
  test.each([
    [['serve', 'nope'], /unknown protocol "nope"/],
    [['check', 'kanboard', '--level', 'high'], /--level must be must, should or quirk/],
    [['check', 'kanboard', '--only', 'everything'], /--only takes kinds of check/],
    [['check', 'kanboard', '--url', 'not a url'], /--url is not a URL/],
    [['check', 'kanboard', '--concurrency', '0'], /--concurrency takes a number of suites at once per server/],
    [['check', 'kanboard', '--url', 'http://127.0.0.1:9', '--admin', 'nocolon'], /--admin expects USER:PASS/],
    [['check', '--url', 'http://127.0.0.1:9'], /--url needs a protocol/],
    [['serve', 'kanboard', '--port', 'eighty'], /--port must be a port number/],
    [['serve', 'kanboard', '--fault', 'no-such-fault'], /unknown fault "no-such-fault"/],
    [['serve', 'kanboard', '--seed', '/nonexistent/seed.json'], /cannot read the seed file/],
    [['frobnicate'], /unknown command/],
  ])('accord %j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(
      run.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('(accord --help')).length,
    ).toBe(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('--help lists the commands', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['serve', 'check', 'fixtures', 'selftest']) expect(run.stdout).toContain(command);
  });
});
