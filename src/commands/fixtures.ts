import { join } from 'node:path';
import { startMock } from '../../mock/server.js';
import { staleFixtures, writeFixtures } from '../fixtures/files.js';
import { generateFixtures } from '../fixtures/generate.js';
import { checkedMockDialect, protocolById, protocols } from '../protocols/index.js';
import { CliError, EXIT } from './cli-error.js';
import { FIXTURES_ROOT } from './version.js';

export { FIXTURES_ROOT };

/** Record a protocol's fixtures from its mock (fixed tokens and clock), one fresh mock per case. */
export function recordFixtures(protocol: string) {
  const spec = protocolById(protocol);
  if (!spec) throw new CliError(`unknown protocol "${protocol}"; known: ${Object.keys(protocols).join(', ')}`);
  return generateFixtures(spec, async () => {
    const mock = await startMock(protocol, { dialect: checkedMockDialect(protocol, { fixed: true }) });
    return { url: mock.url, given: { ...mock.dialect.given, control: mock.controlUrl }, close: () => mock.close() };
  });
}

/** `accord fixtures [protocol] [--check]`: regenerate the committed fixtures, or fail when they are stale. */
export async function runFixtures(protocolArg: string | undefined, options: { check?: boolean }, out: (line: string) => void): Promise<number> {
  const ids = protocolArg === undefined ? Object.keys(protocols) : [protocolArg];
  let stale = 0;
  for (const id of ids) {
    const fixtures = await recordFixtures(id);
    if (options.check) {
      const files = staleFixtures(FIXTURES_ROOT, id, fixtures);
      stale += files.length;
      out(files.length === 0 ? `${id}: ${fixtures.length} fixtures up to date` : `${id}: ${files.length} stale fixtures:\n  ${files.join('\n  ')}`);
    } else {
      writeFixtures(FIXTURES_ROOT, id, fixtures);
      out(`${id}: wrote ${fixtures.length} fixtures to ${join(FIXTURES_ROOT, id)}`);
    }
  }
  if (stale > 0) out('run `accord fixtures` to regenerate them, and commit the result');
  return stale > 0 ? EXIT.nonconformant : EXIT.ok;
}
