import { expect, test } from 'vitest';
import { Journal, type JournalEntry } from '../../mock/journal.js';

/** The journal keeps its last `limit` entries, oldest first, however many came before. */
const entry = (call: string): Omit<JournalEntry, 'id'> => ({
  at: '2026-12-03T00:00:00.000Z',
  transport: 'http',
  method: 'POST',
  call,
  identity: 'anonymous',
  status: '200',
  ms: 0,
  diagnostics: [],
  request: '',
  response: '',
});

test('past its limit the journal keeps the newest entries, oldest first, and answers `after` from them', () => {
  const journal = new Journal(3);
  for (let i = 1; i <= 7; i++) journal.add(entry(`call ${i}`));
  expect(journal.recent().map((e) => [e.id, e.call])).toEqual([
    [5, 'call 5'],
    [6, 'call 6'],
    [7, 'call 7'],
  ]);
  expect(journal.recent(5).map((e) => e.id)).toEqual([6, 7]);
  expect(journal.recent(7)).toEqual([]);
});

test('below its limit it keeps every entry in order', () => {
  const journal = new Journal(5);
  for (let i = 1; i <= 2; i++) journal.add(entry(`call ${i}`));
  expect(journal.recent().map((e) => e.id)).toEqual([1, 2]);
});
