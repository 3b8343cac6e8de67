import { describe, expect, test } from 'vitest';
import { startMock } from '../mock/server.js';
import { FIXTURES_ROOT, recordFixtures } from '../src/commands/fixtures.js';
import { readFixtures, staleFixtures } from '../src/fixtures/files.js';
import { protocols } from '../src/protocols/index.js';
import { parseRequestText } from '../src/wire/http.js';

describe.each(Object.keys(protocols))('%s fixtures', (id) => {
  test('the committed fixtures are what the mock records now (run `accord fixtures` when this fails)', async () => {
    const fresh = await recordFixtures(id);
    expect(fresh.length).toBeGreaterThan(0);
    expect(staleFixtures(FIXTURES_ROOT, id, fresh)).toEqual([]);
  });

  test('replay mode answers each recorded call with its recorded body', async () => {
    const fixtures = readFixtures(FIXTURES_ROOT, id).filter((f) => f.source === 'generated');
    const mock = await startMock(id, { dialect: { mode: 'replay', fixtures, fixed: true } });
    try {
      // Replaying needs a state-free dialect: the same body comes back however often it is asked.
      for (const f of fixtures.filter((x) => x.match === 'exact').slice(0, 20)) {
        const { method, url, headers, body } = parseRequestText(f.wire.request);
        for (let i = 0; i < 2; i++) {
          const res = await fetch(mock.url + url, { method, headers, body });
          const recorded = f.reply as { status: number; body: unknown };
          expect(res.status).toBe(recorded.status);
          const text = await res.text();
          // Text bodies (OctoPrint 1.3's errors) come back as they were; JSON ones as equal JSON.
          if (typeof recorded.body === 'string') expect(text).toBe(recorded.body);
          else expect(JSON.parse(text)).toEqual(recorded.body);
        }
      }
    } finally {
      await mock.close();
    }
  });
});
