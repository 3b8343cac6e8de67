import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createNymeaDialect } from '../../mock/dialects/nymea/index.js';
import { validateParams } from '../../mock/dialects/nymea/validate.js';
import { startMock, type MockServer } from '../../mock/server.js';
import type { TargetConfig } from '../../src/client/target.js';
import { planOf, targetOfMock } from '../support/mock-context.js';
import { checkedMockDialect } from '../../src/protocols/index.js';
import { nymea } from '../../src/protocols/nymea/index.js';
import { QT_BUILDS } from '../../src/protocols/nymea/variants.js';
import { chooseVariant } from '../../src/runner/variant.js';
import { flagsFor } from '../support/live-flags.js';
import { readResults, runCli, tempReports } from '../support/cli.js';

const VARIANTS = ['qt5', 'qt6'] as const;

describe('nymea Qt builds', () => {
  test("Qt5 is the default (the reference's real server); an unknown build is refused", () => {
    expect([nymea.variants?.default, nymea.variants?.list.map((v) => v.id)]).toEqual(['qt5', ['qt5', 'qt6']]);
    expect(() => createNymeaDialect({ variant: 'qt4' })).toThrow('nymea has no variant "qt4"');
  });

  test('the validator: Qt5 wants convertible values and parsing Uuids; Qt6 checks only numbers', () => {
    const forms = VARIANTS.map((v) => [
      validateParams('JSONRPC.KeepAlive', { sessionId: [1] }, QT_BUILDS[v]),
      validateParams('Users.RemoveToken', { tokenId: 'not-a-uuid' }, QT_BUILDS[v]),
    ]);
    expect(forms).toEqual([
      [
        'Invalid params: Invalid value. Expected: String, Got:  in JSONRPC.KeepAlive, param sessionId.',
        'Invalid params: Invalid Uuid: not-a-uuid in Users.RemoveToken, param tokenId.',
      ],
      [undefined, undefined],
    ]);
  });
});

describe('detection from JSONRPC.Version', () => {
  const mocks: Record<string, MockServer> = {};
  beforeAll(async () => {
    for (const v of VARIANTS)
      mocks[v] = await startMock('nymea', { dialect: checkedMockDialect('nymea', { variant: v }) });
  });
  afterAll(async () => Promise.all(Object.values(mocks).map((m) => m.close())));

  const planFor = (target: TargetConfig) => planOf(target, { timeoutMs: 5000 });

  test.each(VARIANTS)('%s is detected', async (v) => {
    const url = mocks[v]!.urls.find((u) => u.startsWith('tcp:'))!;
    const target = targetOfMock('nymea', { url, given: mocks[v]!.dialect.given });
    const choice = await chooseVariant(planFor(target), target, undefined);
    expect(choice).toMatchObject({
      id: v,
      source: 'detected',
      evidence: `JSONRPC.Version says qtVersion ${QT_BUILDS[v].served}`,
    });
  });
});

describe('a mock of one Qt build checked as the other fails at quirk only, naming the build expected', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMock('nymea', { dialect: checkedMockDialect('nymea', { variant: 'qt5' }) });
  });
  afterAll(async () => mock.close());

  test('the Qt5 mock checked as Qt6', async () => {
    const reports = tempReports();
    const url = mock.urls.find((u) => u.startsWith('tcp:'))!;
    const args = ['check', 'nymea', '--url', url, ...(await flagsFor('nymea', mock.controlUrl)), '--variant', 'qt6'];
    const run = await runCli([...args, '--level', 'quirk', '--only', 'shapes,errors', '--reports', reports]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('variant qt6 (nymea built with Qt6), given: given with --variant');
    const results = readResults(reports, 'nymea');
    const notes = results.records.flatMap((r) => r.facets.filter((f) => !f.ok).map((f) => `${r.id}: ${f.note ?? ''}`));
    for (const id of [
      'JSONRPC.KeepAlive/errors/session-id-list',
      'Users.RemoveToken/errors/not-a-uuid',
      'JSONRPC.Version/shapes/valid',
    ]) {
      expect(notes).toEqual(
        expect.arrayContaining([expect.stringContaining(`nymea/${id}: expected the qt6 form; the reply is the qt5`)]),
      );
    }
    expect(results.records.flatMap((r) => r.facets.filter((f) => !f.ok && f.level !== 'quirk'))).toEqual([]);
  }, 120_000);
});
