import { describe, expect, test } from 'vitest';
import { dryRun } from '../../src/commands/check/dry-run.js';
import { EXIT } from '../../src/commands/cli-error.js';

const SETTINGS = {
  gate: 'must' as const,
  kinds: ['shapes' as const],
  methods: [] as string[],
  timeoutMs: 5000,
  faults: [] as string[],
  variant: undefined,
};

/** `--dry-run`: the calls of a run, worked out against a stand-in mock, printed; nothing sent to the target. */
describe('a dry run', () => {
  test('prints each call the run would make on the live target, as whom, and how many', async () => {
    const lines: string[] = [];
    const url = 'http://127.0.0.1:9';
    const live = { name: 'prod', protocol: 'kanboard', url, given: { appToken: 'x' }, mock: false };
    const settings = { ...SETTINGS, methods: ['getMe'] };
    expect(await dryRun([live], settings, (l) => lines.push(l))).toBe(EXIT.ok);
    expect(lines[0]).toBe(
      'dry run: the calls `accord check kanboard` would make on http://127.0.0.1:9 ' +
        "(worked out against a stand-in mock of variant sqlite, the run detects the target's own: ids and generated names will differ)",
    );
    const calls = lines.filter((l) => l.startsWith('  as '));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.some((l) => /^ {2}as [\w-]+: getMe /.test(l))).toBe(true);
    expect(lines.at(-1)).toBe(`${calls.length} calls; nothing was sent to any target`);
  });

  test('each target lists its own calls once; an embedded-mock target is named as such', async () => {
    const lines: string[] = [];
    const methods = ['getMe', 'getAllUsers'];
    const settings = { ...SETTINGS, methods };
    const wanted = [
      { name: 'kanboard', protocol: 'kanboard', given: {}, mock: true },
      { name: 'other', protocol: 'kanboard', url: 'http://127.0.0.1:9', given: {}, mock: false },
    ];
    await dryRun(wanted, settings, (l) => lines.push(l));
    const headers = lines.filter((l) => l.startsWith('dry run: '));
    const where = headers.map((l) => / on (the embedded mock|\S+) /.exec(l)?.[1]);
    expect(where).toEqual(['the embedded mock', 'http://127.0.0.1:9']);
    const second = lines.indexOf(headers[1]!);
    const calls = lines.filter((l) => l.startsWith('  as '));
    expect(lines.slice(1, second).some((l) => l.startsWith('  as '))).toBe(true);
    expect(lines.slice(second).some((l) => l.startsWith('  as '))).toBe(true);
    expect(lines.at(-1)).toBe(`${calls.length} calls; nothing was sent to any target`);
  });

  test('the stand-in is the mock the run would check: the variant asked for, the --fault given', async () => {
    const lines: string[] = [];
    const live = { name: 'pg', protocol: 'kanboard', url: 'http://127.0.0.1:9', given: {}, mock: false };
    await dryRun([live], { ...SETTINGS, methods: ['getMe'], variant: 'postgres' }, (l) => lines.push(l));
    expect(lines[0]).toContain('(worked out against a stand-in mock of variant postgres: ');
    const embedded = { name: 'kanboard', protocol: 'kanboard', given: {}, mock: true };
    await expect(dryRun([embedded], { ...SETTINGS, faults: ['no-such-fault'] }, () => undefined)).rejects.toThrow(
      /no-such-fault/,
    );
  });
});
