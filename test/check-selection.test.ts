import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateSelection, validateShard } from '../src/commands/validate-selection.js';
import { runCli, tempReports } from './support/cli.js';

/**
 * A selection no check fits (a typo in --method, a kind the protocol has none of, a shard that does not
 * exist) is one line and exit code 2 before anything runs: no banner, no mock, and the reports of the
 * last run stay as they were.
 */
describe('accord check with a selection that matches nothing', () => {
  test.each([
    [
      ['kanboard', '--method', 'createUsr'],
      /^accord: unknown method "createUsr" for kanboard; known: getUser, .*createUser, .*getMe; did you mean createUser\?$/,
    ],
    [['kanboard', '--method', 'createUser,nope'], /^accord: unknown method "nope" for kanboard; known: /],
    [
      ['octoprint', '--only', 'notifications'],
      /^accord: --only notifications: octoprint has no checks of that kind; it has shapes, /,
    ],
    [['kanboard', '--only', 'everything'], /^accord: --only takes kinds of check/],
    [
      ['kanboard', '--shard', '3/2'],
      /^accord: --shard takes i\/n with 1 <= i <= n \(e\.g\. --shard 2\/3\), not "3\/2"$/,
    ],
    [['kanboard', '--shard', '0/2'], /not "0\/2"$/],
    [['kanboard', '--shard', 'a/b'], /not "a\/b"$/],
  ])('accord check %j', async (args, message) => {
    const reports = tempReports();
    const earlier = join(reports, args[0]!, 'results.json');
    mkdirSync(join(reports, args[0]!), { recursive: true });
    writeFileSync(earlier, '{"the":"last real run"}');
    const run = await runCli(['check', ...args, '--reports', reports]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('(accord --help'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(readFileSync(earlier, 'utf8')).toBe('{"the":"last real run"}');
  });
});

describe('the selection rules', () => {
  test('--shard i/n takes 1 <= i <= n', () => {
    for (const ok of ['1/1', '1/3', '3/3', '10/10']) expect(() => validateShard(ok), ok).not.toThrow();
    for (const bad of ['3/2', '0/2', '1/0', 'a/b', '2', '1/2/3', '-1/2', ' 1/2'])
      expect(() => validateShard(bad), bad).toThrow(/--shard takes i\/n/);
  });

  test('several protocols: each method must be known to one, and each protocol must have one', () => {
    expect(() =>
      validateSelection({ kinds: [], methods: ['createUser', 'Users.GetUsers'] }, ['kanboard', 'nymea']),
    ).not.toThrow();
    expect(() => validateSelection({ kinds: [], methods: ['createUser'] }, ['kanboard', 'nymea'])).toThrow(
      /nymea has none of these methods; pick targets with --target/,
    );
    expect(() => validateSelection({ kinds: [], methods: ['Users.GetUser'] }, ['kanboard', 'nymea'])).toThrow(
      /unknown method "Users.GetUser" for kanboard, nymea; .*did you mean Users.GetUsers\?/,
    );
  });

  test('scenario methods count as known', () => {
    expect(() => validateSelection({ kinds: ['lifecycle'], methods: ['createGroup'] }, ['kanboard'])).not.toThrow();
  });
});
