import { describe, expect, test } from 'vitest';
import { startMock } from '../mock/server.js';
import { FIXTURES_ROOT, recordFixtures } from '../src/commands/fixtures.js';
import { readFixtures, staleFixtures } from '../src/fixtures/files.js';
import { replyOf } from '../src/fixtures/generate.js';
import { checkedMockDialect, protocols } from '../src/protocols/index.js';
import { mockTarget } from './support/mock-context.js';

describe.each(Object.keys(protocols))('%s fixtures', (id) => {
  test('the committed fixtures are what the mock records now (run `accord fixtures` when this fails)', async () => {
    const fresh = await recordFixtures(id);
    expect(fresh.length).toBeGreaterThan(0);
    expect(staleFixtures(FIXTURES_ROOT, id, fresh)).toEqual([]);
  });

  test('replay mode answers each recorded call with its recorded reply, however often it is asked', async () => {
    const fixtures = readFixtures(FIXTURES_ROOT, id).filter((f) => f.source === 'generated');
    const mock = await startMock(id, { dialect: checkedMockDialect(id, { mode: 'replay', fixtures, fixed: true }) });
    try {
      const replayed = mockTarget(
        id,
        { url: mock.url, control: mock.controlUrl, given: mock.dialect.given },
        { runId: 'fixtur' },
      );
      const exact = fixtures.filter((x) => x.identity !== null);
      expect(exact.length).toBeGreaterThan(0);
      for (const f of exact) {
        for (let i = 0; i < 2; i++) {
          // A fresh context per call, as when it was recorded: the same session, the same request.
          const ctx = replayed.context('f');
          try {
            const exchange = await ctx.exchange(f.method, f.params, f.identity!);
            expect(replyOf(exchange.observed), `${f.method} ${f.case}, call ${i + 1}`).toEqual(f.reply);
          } finally {
            await ctx.teardown();
          }
        }
      }
    } finally {
      await mock.close();
    }
  });
});
