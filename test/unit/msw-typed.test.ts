import { describe, expect, test } from 'vitest';
import { DialectOptionError } from '../../mock/dialect.js';
import { createDialect } from '../../mock/dialects/index.js';
import { handlers } from '../../mock/msw.js';

/**
 * handlers() is typed by protocol name: a misspelt protocol or option does not compile (the
 * @ts-expect-error lines fail `npm run typecheck` the day they compile), and `given` has the protocol's
 * credentials. From plain JavaScript the same mistakes are refused at run time.
 */
describe('msw handlers typed per protocol', () => {
  test('given is typed by the protocol', () => {
    const kanboard = handlers('kanboard', { baseUrl: 'http://kanboard.test', dialect: { appToken: 'a'.repeat(20) } });
    const token: string = kanboard.instances[0]!.dialect.given.appToken;
    expect(token).toBe('a'.repeat(20));
    const octoprint = handlers('octoprint', { baseUrl: 'http://printer.test', dialect: { adminKey: 'K'.repeat(20) } });
    const key: string | undefined = octoprint.instances[0]!.dialect.given.adminKey;
    expect(key).toBe('K'.repeat(20));
  });

  test('a misspelt protocol or option does not compile, and is refused at run time', () => {
    // @ts-expect-error: no protocol "kanbord"
    expect(() => handlers('kanbord', { baseUrl: 'http://x.test' })).toThrow(
      /no mock for protocol "kanbord"; known: kanboard, /,
    );
    // @ts-expect-error: Kanboard's mock has no option appTokn
    expect(() => handlers('kanboard', { baseUrl: 'http://x.test', dialect: { appTokn: 'x' } })).toThrow(
      DialectOptionError,
    );
    expect(() => createDialect('kanboard', { appTokn: 'x' } as never)).toThrow(
      'the kanboard mock takes no option "appTokn"; it takes: seed, faults',
    );
  });

  test('options left undefined count as not given', () => {
    expect(createDialect('rhodecode', { adminToken: undefined }).given.adminToken).toMatch(/^[0-9a-f]{40}$/);
  });
});
