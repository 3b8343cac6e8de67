import { expect, test } from 'vitest';
import { CliError } from '../../src/commands/cli-error.js';
import { buildDocument, runExport, runFormatExport } from '../../src/commands/export.js';

/** `accord export --format` refuses a user's mistakes in one line (a CliError), before starting anything. */
const run = (protocol: string | undefined, format: string, level?: string) =>
  runFormatExport(protocol, { format, ...(level === undefined ? {} : { level }) }, () => undefined);

test.each([
  [undefined, 'openapi', undefined, '--format needs a protocol: accord export <protocol> --format openapi'],
  ['octoprint', 'swagger', undefined, 'unknown format "swagger"; known: openapi, openrpc, asyncapi'],
  ['octoprint', 'openapi', 'strict', 'unknown level "strict"; known: must, should, quirk'],
  ['kanboard', 'openapi', undefined, 'kanboard has no openapi export; it has: openrpc'],
  ['octoprint', 'asyncapi', undefined, 'octoprint has no asyncapi export; it has: openapi'],
  ['nymea', 'openapi', undefined, 'nymea has no openapi export; it has: openrpc, asyncapi'],
  [
    'jira',
    'openrpc',
    undefined,
    'unknown protocol "jira"; known: kanboard, octoprint, octoprint-1.3, rhodecode, nymea',
  ],
])('accord export %s --format %s --level %s', async (protocol, format, level, message) => {
  const refused = run(protocol, format, level);
  await expect(refused).rejects.toThrow(CliError);
  await expect(refused).rejects.toThrow(message);
});

test('accord export --variant: a variant the protocol does not declare is refused in one line', async () => {
  const refused = runFormatExport('kanboard', { format: 'openrpc', variant: 'oracle' }, () => undefined);
  await expect(refused).rejects.toThrow(CliError);
  await expect(refused).rejects.toThrow(/^--variant for kanboard is one of sqlite, .*postgres.*, not "oracle"$/);
  const none = runFormatExport('rhodecode', { format: 'openrpc', variant: 'x' }, () => undefined);
  await expect(none).rejects.toThrow('rhodecode has no variants; leave out --variant');
  expect(() => runExport('kanboard', { variant: 'postgres' }, () => undefined)).toThrow('--variant goes with --format');
});

test('accord export --variant records the wire forms of that variant, and says which it is', async () => {
  const [sqlite, postgres] = await Promise.all(
    ['sqlite', 'postgres'].map((variant) =>
      buildDocument('kanboard', 'openrpc', 'quirk', variant === 'sqlite' ? undefined : variant),
    ),
  );
  const info = (d: Record<string, unknown>) => d['info'] as Record<string, unknown>;
  expect(info(sqlite!)['x-accord-variant']).toEqual({ id: 'sqlite', title: expect.any(String), source: 'default' });
  expect(info(postgres!)['x-accord-variant']).toEqual({ id: 'postgres', title: expect.any(String), source: 'given' });
  expect(String(info(postgres!)['description'])).toContain('variant postgres, given with --variant');
  // PostgreSQL refuses a bad id with its own SQL error where SQLite answers false: the recorded errors differ.
  const errors = (d: Record<string, unknown>) =>
    JSON.stringify((d['methods'] as Record<string, unknown>[]).map((m) => m['x-accord-errors']));
  expect(errors(postgres!)).not.toEqual(errors(sqlite!));
  expect(errors(postgres!)).toContain('SQLSTATE');
});
