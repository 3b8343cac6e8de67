import { expect, test } from 'vitest';
import { CliError } from '../../src/commands/cli-error.js';
import { runFormatExport } from '../../src/commands/export.js';

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
