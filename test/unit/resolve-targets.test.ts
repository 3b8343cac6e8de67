import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { CliError } from '../../src/commands/cli-error.js';
import { checkSettings, type CheckOptions } from '../../src/commands/check/check-options.js';
import { resolveTargets, wantedTargets } from '../../src/commands/check/resolve-targets.js';
import { protocols } from '../../src/protocols/index.js';

const made: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-targets-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** The second step of `accord check`: which targets, and the selection checked against their protocols. */
const wanted = (protocol: string | undefined, options: CheckOptions) =>
  wantedTargets(protocol, options, checkSettings(protocol, options));
const refused = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

function configWith(names: string[]): string {
  const file = join(tempDir(), 'accord.config.json');
  writeFileSync(file, JSON.stringify({ targets: names.map((name) => ({ name, protocol: 'kanboard', mock: true })) }));
  return file;
}

describe('the targets of the command line', () => {
  test('no protocol: every embedded mock', () => {
    const all = resolveTargets(undefined, {});
    expect(all.map((t) => t.protocol)).toEqual(Object.keys(protocols));
    expect(all.every((t) => t.mock && t.url === undefined)).toBe(true);
  });

  test('a protocol alone: its embedded mock', () => {
    const [t, ...more] = resolveTargets('octoprint', {});
    expect(t).toEqual({ name: 'octoprint', protocol: 'octoprint', given: {}, mock: true });
    expect(more).toEqual([]);
  });

  test('a protocol with --url: a live target with the credential flags of that protocol', () => {
    // adminKey is OctoPrint's: not Kanboard's to take.
    const options = { url: 'http://127.0.0.1:9', appToken: 'tok', admin: 'boss:pw', adminKey: 'x' };
    const [t] = resolveTargets('kanboard', options);
    expect(t).toMatchObject({ name: 'kanboard', protocol: 'kanboard', mock: false, url: 'http://127.0.0.1:9' });
    expect(t!.given).toEqual({ appToken: 'tok', admin: { username: 'boss', password: 'pw' } });
  });

  test('the mistakes', () => {
    expect(refused(() => resolveTargets(undefined, { url: 'http://x' }))).toBe(
      '--url needs a protocol: accord check <protocol> --url URL',
    );
    const known = Object.keys(protocols).join(', ');
    expect(refused(() => resolveTargets('gitlab', {}))).toBe(`unknown protocol "gitlab"; known: ${known}`);
    expect(refused(() => resolveTargets('kanboard', { url: 'http://127.0.0.1:9', admin: 'nocolon' }))).toBe(
      '--admin expects USER:PASS, got "nocolon"',
    );
  });
});

describe('the targets of the run', () => {
  test("--target keeps the config's targets it names", () => {
    const config = configWith(['a', 'b', 'c']);
    expect(wanted(undefined, { config, target: 'c,a' }).map((t) => t.name)).toEqual(['a', 'c']);
    expect(wanted(undefined, { config }).map((t) => t.name)).toEqual(['a', 'b', 'c']);
  });

  test('--target naming no target says which there are', () => {
    const config = configWith(['a', 'b']);
    const said = refused(() => wanted(undefined, { config, target: 'a,z' }));
    expect(said).toBe(`--target z: no such target in ${config}; targets: a, b`);
    expect(refused(() => wanted('kanboard', { target: 'z' }))).toBe('--target z: no such target; targets: kanboard');
  });

  test('--only, --method and --shard are checked against the targets', () => {
    const kind = refused(() => wanted('kanboard', { only: 'bogus' }));
    expect(kind).toMatch(/^--only takes kinds of check \(.*\), not "bogus"$/);
    const typo = refused(() => wanted('kanboard', { method: 'getMee' }));
    expect(typo).toMatch(/^unknown method "getMee" for kanboard; .*did you mean getMe\?$/);
    expect(refused(() => wanted('kanboard', { shard: '4/3' }))).toBe(
      '--shard takes i/n with 1 <= i <= n (e.g. --shard 2/3), not "4/3"',
    );
    expect(wanted('kanboard', { only: 'rights', method: 'getMe', shard: '1/2' })).toHaveLength(1);
  });

  test('a target mistake is said before a selection mistake', () => {
    expect(refused(() => wanted('kanboard', { target: 'z', shard: '0/0' }))).toMatch(/^--target z/);
    expect(refused(() => wanted('gitlab', { shard: '0/0' }))).toMatch(/^unknown protocol "gitlab"/);
  });
});
