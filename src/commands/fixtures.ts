import { join, resolve, sep } from 'node:path';
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

/** An installed package's files are never rewritten: they belong to npm (and to every project sharing them). */
function insideNodeModules(dir: string): boolean {
  return resolve(dir).split(sep).includes('node_modules');
}

/**
 * `accord fixtures [protocol] [--check] [--out DIR]`: regenerate the committed fixtures (or write a fresh
 * recording to DIR), or fail when they are stale.
 */
export async function runFixtures(
  protocolArg: string | undefined,
  options: { check?: boolean; out?: string },
  out: (line: string) => void,
): Promise<number> {
  const ids = protocolArg === undefined ? Object.keys(protocols) : [protocolArg];
  const root = options.out ?? FIXTURES_ROOT;
  if (!options.check && insideNodeModules(root)) {
    throw new CliError(
      `the fixtures in ${FIXTURES_ROOT} belong to the installed package and are not rewritten: --check compares them, --out DIR writes a fresh recording to DIR`,
    );
  }
  let stale = 0;
  for (const id of ids) {
    const fixtures = await recordFixtures(id);
    if (options.check) {
      const files = staleFixtures(FIXTURES_ROOT, id, fixtures);
      stale += files.length;
      out(
        files.length === 0
          ? `${id}: ${fixtures.length} fixtures up to date`
          : `${id}: ${files.length} stale fixtures:\n  ${files.join('\n  ')}`,
      );
    } else {
      writeFixtures(root, id, fixtures);
      out(`${id}: wrote ${fixtures.length} fixtures to ${join(root, id)}`);
    }
  }
  if (stale > 0) out('run `accord fixtures` to regenerate them, and commit the result');
  return stale > 0 ? EXIT.nonconformant : EXIT.ok;
}
