import { afterEach, describe, expect, test } from 'vitest';
import { MOCK_PROTOCOLS } from '../../mock/dialects/index.js';
import { startMock, type MockServer } from '../../mock/server.js';
import { makeAChange } from './support.js';

/** Reset to the seed and the request journal, on every protocol's served mock (in this process). */
let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const control = (m: MockServer, path: string, init?: RequestInit) => fetch(`${m.controlUrl}/__accord/${path}`, init);

describe.each(MOCK_PROTOCOLS)('%s', (protocol) => {
  test('POST /__accord/control/reset puts the state back to the seed and keeps the credentials', async () => {
    mock = await startMock(protocol);
    const seeded = await (await control(mock, 'state')).json();
    const given = await (await control(mock, 'given')).json();
    await makeAChange(protocol, mock.url, given as Record<string, unknown>);
    expect(await (await control(mock, 'state')).json()).not.toEqual(seeded);
    const reset = await control(mock, 'control/reset', { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(await (await control(mock, 'state')).json()).toEqual(seeded);
    expect(await (await control(mock, 'given')).json()).toEqual(given);
  });

  test('GET /__accord/journal lists each request with its call, identity and status', async () => {
    mock = await startMock(protocol);
    const given = (await (await control(mock, 'given')).json()) as Record<string, unknown>;
    await makeAChange(protocol, mock.url, given);
    const journal = (await (await control(mock, 'journal')).json()) as {
      entries: { id: number; call: string; identity: string; status: string }[];
    };
    expect(journal.entries.length).toBeGreaterThan(0);
    const last = journal.entries.at(-1)!;
    expect(last.call).toMatch(/users|createUser|create_user|CreateUser/);
    expect(last.identity).not.toBe('');
    expect(last.status).toMatch(/^(200|201|success)$/);
    // Control requests are not journaled; ?after=N gives only what is newer.
    const after = (await (await control(mock, `journal?after=${last.id}`)).json()) as { entries: unknown[] };
    expect(after.entries).toEqual([]);
  });
});

test('the journal keeps its last entries only', async () => {
  mock = await startMock('kanboard');
  for (let i = 0; i < mock.journal.limit + 20; i++)
    await fetch(`${mock.url}/jsonrpc.php`, { method: 'POST', body: '{}' });
  const entries = mock.journal.recent();
  expect(entries).toHaveLength(mock.journal.limit);
  expect(entries[0]!.id).toBe(21);
});

test('an unknown control action names the ones there are', async () => {
  mock = await startMock('kanboard');
  const response = await control(mock, 'control/press-button', { method: 'POST' });
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({
    error: 'unknown control action "press-button"; the kanboard mock has: reset',
  });
});
