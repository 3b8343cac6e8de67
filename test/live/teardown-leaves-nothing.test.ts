import { afterAll, expect, test } from 'vitest';
import { startMock, type MockServer } from '../../mock/server.js';
import { checkedMockDialect } from '../../src/protocols/index.js';
import { runCli, tempReports } from '../support/cli.js';
import { flagsFor } from '../support/live-flags.js';

/**
 * A clean live run removes what it made in its own teardown, including objects a check renamed and
 * names the server cut short: the final sweep finds nothing, so the run prints no "removed" line.
 */
const mocks: MockServer[] = [];
afterAll(async () => {
  await Promise.all(mocks.map((m) => m.close()));
});

const cases: [protocol: string, methods: string][] = [
  ['kanboard', 'updateGroup,createGroup,createUser'],
  ['rhodecode', 'update_user_group,create_user_group'],
];

test.each(cases)('%s: %s', async (id, methods) => {
  const mock = await startMock(id, { dialect: checkedMockDialect(id) });
  mocks.push(mock);
  const run = await runCli([
    'check',
    id,
    '--url',
    mock.url,
    ...(await flagsFor(id, mock.controlUrl)),
    '--method',
    methods,
    '--only',
    'shapes,errors,params,rights',
    '--reports',
    tempReports(),
  ]);
  expect(run.code, run.stdout).toBe(0);
  expect(run.stdout).not.toMatch(/removed \d+ objects/);
  const state = JSON.stringify(await (await fetch(`${mock.controlUrl}/__accord/state`)).json());
  expect(state).not.toMatch(/accord_[a-z0-9]{6}_/);
});
