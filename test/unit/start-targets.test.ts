import { describe, expect, test } from 'vitest';
import { CliError } from '../../src/commands/cli-error.js';
import { startTargets } from '../../src/commands/check/start-targets.js';

/** The third step of `accord check`: the embedded mocks start, and each target gets its URL. */
const settings = { faults: [] as string[], variant: undefined };

describe('starting the targets', () => {
  test("an embedded mock answers at its target's URL, with its own credentials; close() stops it", async () => {
    const started = await startTargets([{ name: 'kb', protocol: 'kanboard', given: {}, mock: true }], settings);
    const [t] = started.targets;
    try {
      expect(started.targets).toHaveLength(1);
      expect(t).toMatchObject({ name: 'kb', protocol: 'kanboard', mock: true, givenByUser: {}, server: 'kb' });
      expect(t!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(t!.given.control).toBe(t!.url);
      expect(t!.given.appToken).toEqual(expect.any(String));
      expect((await fetch(`${t!.url}/__accord/state`)).status).toBe(200);
    } finally {
      await started.close();
    }
    await expect(fetch(`${t!.url}/__accord/state`)).rejects.toThrow();
  });

  test('a mock with several endpoints is a target per endpoint, one server', async () => {
    const started = await startTargets([{ name: 'nymea', protocol: 'nymea', given: {}, mock: true }], settings);
    try {
      expect(started.targets.map((t) => t.name)).toEqual(['nymea-tcp', 'nymea-ws']);
      expect(started.targets.map((t) => new URL(t.url).protocol)).toEqual(['tcp:', 'ws:']);
      expect(started.targets.every((t) => t.server === 'nymea')).toBe(true);
    } finally {
      await started.close();
    }
  });

  test('a live target is passed on as given, and nothing starts for it', async () => {
    const url = 'http://127.0.0.1:9';
    const live = { name: 'prod', protocol: 'kanboard', url, given: { appToken: 't' }, mock: false };
    const started = await startTargets([live], settings);
    expect(started.targets).toEqual([live]);
    await started.close();
  });

  test("the user's options reach the mock: a config target's credentials, --fault", async () => {
    const given = { appToken: 'Configured-Token-1234' };
    const started = await startTargets([{ name: 'kb', protocol: 'kanboard', given, mock: true }], settings);
    try {
      expect(started.targets[0]!.given.appToken).toBe('Configured-Token-1234');
      expect(started.targets[0]!.givenByUser).toEqual(given);
    } finally {
      await started.close();
    }
    const kb = { name: 'kb', protocol: 'kanboard', given: {}, mock: true };
    const bad = startTargets([kb], { ...settings, faults: ['no-such-fault'] });
    await expect(bad).rejects.toBeInstanceOf(CliError);
    await expect(bad).rejects.toThrow(/no-such-fault/);
  });
});
