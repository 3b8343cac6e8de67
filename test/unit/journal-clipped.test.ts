import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { expect, test } from 'vitest';
import type { DialectInfo } from '../../mock/dialect.js';
import { Journal, recordHttp } from '../../mock/journal.js';

/**
 * The journal keeps the first 4 KiB of each body, never the whole answer (issue 16): a clipped body must
 * be a string of its own. V8's slice of a long string points into it, so 200 entries cut from 6 MB user
 * lists kept 1.2 GB alive. Measured as memory after a full collection, with a margin of a hundred times:
 * 20 answers of 8 MB journaled and dropped leave less than a hundredth of them behind; slices kept all 160 MB.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const ANSWERS = 20;
const SIZE = 8_000_000;
const dialect = { protocol: 'test' } as unknown as DialectInfo;
const letter = (i: number) => String.fromCharCode(97 + (i % 26));
const used = () => process.memoryUsage().heapUsed;

function journalAnswers(journal: Journal): void {
  for (let i = 0; i < ANSWERS; i++) {
    // A flat string in V8's heap for each answer (not a rope, not shared, not external): JSON.stringify writes one.
    const body = JSON.stringify(letter(i).repeat(SIZE - 2));
    recordHttp(
      journal,
      dialect,
      { method: 'GET', url: '/big', headers: {}, body: '' },
      { status: 200, headers: {}, body },
      Date.now(),
    );
  }
}

test('a journal entry keeps its clipped body, not the answer it was cut from', () => {
  const journal = new Journal();
  gc();
  const before = used();
  journalAnswers(journal);
  gc();
  const kept = used() - before;
  const entries = journal.recent();
  expect(entries).toHaveLength(ANSWERS);
  for (const [i, e] of entries.entries()) expect(e.response).toBe(`"${letter(i).repeat(4095)}… (${SIZE} characters)`);
  expect(kept).toBeLessThan((ANSWERS * SIZE) / 100);
});
