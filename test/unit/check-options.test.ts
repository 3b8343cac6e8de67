import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { CliError } from '../../src/commands/cli-error.js';
import { checkSettings, list, type CheckOptions } from '../../src/commands/check/check-options.js';

const made: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-options-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** The first step of `accord check`: every option parsed and checked before any target is looked at. */
const refusedFor = (protocol: string | undefined, options: CheckOptions): string => {
  try {
    checkSettings(protocol, options);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
};
const refused = (options: CheckOptions) => refusedFor('kanboard', options);

describe('a bad option is one CliError line', () => {
  test.each([
    [{ config: 'accord.config.json' }, '--config checks the targets of the file: leave out the protocol'],
    [{ level: 'may' }, '--level must be must, should or quirk, not "may"'],
    [{ deadline: 'soon' }, '--deadline must be a number of seconds, not "soon"'],
    [{ deadline: '0' }, '--deadline must be a number of seconds, not "0"'],
    [{ deadline: '-3' }, '--deadline must be a number of seconds, not "-3"'],
    [{ timeout: 'fast' }, '--timeout must be a number of milliseconds, not "fast"'],
    [{ timeout: '0' }, '--timeout must be a number of milliseconds, not "0"'],
    [{ concurrency: '0' }, '--concurrency takes a number of suites at once per server (1 or more), not "0"'],
    [{ concurrency: '1.5' }, '--concurrency takes a number of suites at once per server (1 or more), not "1.5"'],
    [{ fuzz: '0' }, '--fuzz takes a number of garbage calls per method, not "0"'],
    [{ fuzz: 'many' }, '--fuzz takes a number of garbage calls per method, not "many"'],
    [{ fuzzSeed: '1.5' }, '--fuzz-seed takes an integer, not "1.5"'],
  ] as const)('%j', (options, message) => {
    const said = refused(options);
    expect(said).toBe(message);
    expect(said).not.toContain('\n');
  });

  test('the options are checked in the order the command always checked them', () => {
    expect(refused({ level: 'may', timeout: 'fast', fuzz: '0' })).toMatch(/^--level/);
    expect(refused({ timeout: 'fast', fuzz: '0' })).toMatch(/^--timeout/);
    expect(refused({ deadline: 'x', timeout: 'fast' })).toMatch(/^--deadline/);
  });

  test('a config file named with no protocol must exist', () => {
    const file = '/nonexistent/accord.config.json';
    expect(refusedFor(undefined, { config: file })).toBe(`no config file ${file}`);
  });
});

describe('the settings', () => {
  test('the defaults', () => {
    const s = checkSettings('kanboard', {});
    expect(s).toMatchObject({ config: undefined, gate: 'must', kinds: [], methods: [] });
    expect(s).toMatchObject({ timeoutMs: 10_000, reports: 'reports' });
    expect(s).toMatchObject({ preflightTimeoutMs: undefined, deadlineMs: undefined, concurrency: undefined });
    expect(s).toMatchObject({ fuzz: { runs: 20, seed: 1 }, bail: false, quiet: false, dryRun: false, faults: [] });
    expect(s).toMatchObject({ shardAsked: undefined, shard: undefined, targetNames: undefined, variant: undefined });
  });

  test('each option, parsed', () => {
    const s = checkSettings('kanboard', {
      level: 'quirk',
      only: 'rights, shapes,',
      method: 'getMe',
      shard: '2/3',
      target: 'a,b',
      timeout: '2500',
      deadline: '1.5',
      concurrency: '2',
      fuzz: '5',
      fuzzSeed: '-7',
      bail: true,
      quiet: true,
      dryRun: true,
      reports: 'out',
      compare: 'old',
      fault: ['slow'],
      variant: 'postgres',
    });
    expect(s).toMatchObject({ gate: 'quirk', kinds: ['rights', 'shapes'], methods: ['getMe'] });
    expect(s.targetNames).toEqual(['a', 'b']);
    expect(s).toMatchObject({ shardAsked: '2/3', shard: { index: 2, count: 3 } });
    // --timeout is pre-flight's timeout too; without it pre-flight keeps its own.
    expect(s).toMatchObject({ timeoutMs: 2500, preflightTimeoutMs: 2500, deadlineMs: 1500, concurrency: 2 });
    expect(s).toMatchObject({ fuzz: { runs: 5, seed: -7 }, bail: true, quiet: true, dryRun: true });
    expect(s).toMatchObject({ reports: 'out', compare: 'old', faults: ['slow'], variant: 'postgres' });
  });

  test('a malformed --shard is kept as asked, for resolve-targets to refuse with the targets', () => {
    expect(checkSettings('kanboard', { shard: '0/2' })).toMatchObject({ shardAsked: '0/2', shard: undefined });
  });

  test('the config file gives defaults; the command line wins over them', () => {
    const dir = tempDir();
    const file = join(dir, 'accord.config.json');
    const targets = [{ name: 'kb', protocol: 'kanboard', mock: true }];
    writeFileSync(file, JSON.stringify({ level: 'should', reports: 'r', timeout: 3000, concurrency: 3, targets }));
    const fromFile = checkSettings(undefined, { config: file });
    expect(fromFile).toMatchObject({ gate: 'should', reports: 'r', concurrency: 3 });
    expect(fromFile).toMatchObject({ timeoutMs: 3000, preflightTimeoutMs: 3000 });
    expect(fromFile.config?.file).toBe(file);
    expect(fromFile.config?.targets.map((t) => t.name)).toEqual(['kb']);
    const overridden = checkSettings(undefined, { config: file, level: 'must', timeout: '700', reports: 'elsewhere' });
    expect(overridden).toMatchObject({ gate: 'must', timeoutMs: 700, reports: 'elsewhere', concurrency: 3 });
  });

  test('list splits on commas and drops blanks', () => {
    expect(list(' a, b,,c ,')).toEqual(['a', 'b', 'c']);
    expect(list(undefined)).toEqual([]);
  });
});
